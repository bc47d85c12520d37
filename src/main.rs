//! The `logis` command: parses arguments, calls the library, maps errors to
//! exit codes (2 for usage errors, 1 for runtime failures).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use logis::extract::ExtraGazetteers;
use logis::facets::FacetField;
use logis::index::{self, IndexOptions, LogisIndex};
use logis::output::{self, Style};
use logis::search::{Engine, Filters, SearchRequest, Sort};

/// Indexing allocates many short-lived strings; mimalloc serves them faster
/// than the system allocator and fragments less on long runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The error and its causes on one line, each cause once: a cause whose
/// text the message already holds is not repeated.
fn one_line_message(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        let text = text.lines().next().unwrap_or_default();
        if !message.contains(text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(text);
        }
    }
    message
}

/// Where the index lives when neither --index nor LOGIS_INDEX says.
const DEFAULT_INDEX: &str = "index";
/// The corpus the default index is built from on first use.
const DEFAULT_CORPUS: &str = "seeds";

#[derive(Parser)]
#[command(
    name = "logis",
    version,
    about = "Full-text search over French housing news",
    long_about = "Full-text search over French housing news: index articles into passages, \
                  search them with highlights, filter and count by organisation, commune, \
                  département, région, programme, housing product and year."
)]
struct Cli {
    /// Index directory [default: index/, built from seeds/ on first use]
    #[arg(long, global = true, env = "LOGIS_INDEX", value_name = "DIR")]
    index: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index articles: .txt and .md files (one article each) and .jsonl files
    /// (one article per line), in files and folders
    Index(IndexArgs),
    /// Search passages
    Search(SearchArgs),
    /// List the indexed articles
    Docs(DocsArgs),
    /// Count the values of a facet field over the passages matching a query
    Facets(FacetsArgs),
    /// Verify the index: versions, every file's checksum, every passage
    /// readable (exit code 1 if damaged)
    Check(CheckArgs),
}

#[derive(Args)]
struct CheckArgs {
    /// Print JSON
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct IndexArgs {
    /// Files or folders to read [default: seeds/]
    paths: Vec<PathBuf>,
    /// Build a new index from these inputs alone, replacing the existing one
    /// once complete (needed after an upgrade changed the index format)
    #[arg(long)]
    rebuild: bool,
    /// Writer memory budget in MB
    #[arg(long, value_name = "MB", default_value_t = index::DEFAULT_MEMORY_MB,
          value_parser = RangedU64ValueParser::<usize>::new().range(16..=65536))]
    memory: usize,
    /// Extra organisations, in the format of data/organisations.tsv (repeatable)
    #[arg(long, value_name = "FILE")]
    organisations: Vec<PathBuf>,
    /// Extra programmes, in the format of data/programmes.tsv (repeatable)
    #[arg(long, value_name = "FILE")]
    programmes: Vec<PathBuf>,
    /// Extra housing products, in the format of data/products.tsv (repeatable)
    #[arg(long, value_name = "FILE")]
    products: Vec<PathBuf>,
    /// Remove indexed articles whose file is gone, or that a file under
    /// PATH no longer holds
    #[arg(long)]
    prune: bool,
    /// Print nothing but warnings and errors (no progress bar either)
    #[arg(long, short)]
    quiet: bool,
}

impl IndexArgs {
    /// Reads the users' gazetteer files.
    fn gazetteers(&self) -> anyhow::Result<ExtraGazetteers> {
        let read = |paths: &[PathBuf]| read_files(paths, "gazetteer");
        Ok(ExtraGazetteers {
            organisations: read(&self.organisations)?,
            programmes: read(&self.programmes)?,
            products: read(&self.products)?,
        })
    }
}

/// Reads users' data files, naming the one that cannot be read.
fn read_files(paths: &[PathBuf], what: &str) -> anyhow::Result<Vec<String>> {
    paths
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {what} {}", p.display()))
        })
        .collect()
}

#[derive(Args)]
struct SearchArgs {
    /// Words, "phrases", -excluded words, OR between alternatives, field
    /// filters (commune:Compiègne, year:2019..2021)
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    /// Number of passages to show (articles with --group)
    #[arg(long, short = 'n', default_value_t = 10,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=10000))]
    limit: usize,
    /// Most passages shown per article (0: no limit)
    #[arg(long, default_value_t = 2, value_name = "N",
          value_parser = RangedU64ValueParser::<usize>::new().range(0..=10000))]
    per_doc: usize,
    /// Order of the results
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// One entry per article, with its best passages
    #[arg(long)]
    group: bool,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    render: RenderArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    /// Best answers first
    Relevance,
    /// Newest first
    Date,
}

#[derive(Args)]
struct DocsArgs {
    #[command(flatten)]
    render: RenderArgs,
}

#[derive(Args)]
struct FacetsArgs {
    /// organisation, commune, departement, region, programme, product or year
    field: String,
    /// Count over the passages matching this query (all passages if none)
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    /// Number of values to show
    #[arg(long, short = 'n', default_value_t = 50,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    limit: usize,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    render: RenderArgs,
}

#[derive(Args)]
struct FilterArgs {
    /// Only passages naming this organisation (repeat for alternatives)
    #[arg(long, alias = "organisation", value_name = "NAME")]
    org: Vec<String>,
    /// Only passages naming this commune (name or INSEE code)
    #[arg(long, value_name = "NAME")]
    commune: Vec<String>,
    /// Only passages in this département
    #[arg(long, value_name = "NAME")]
    departement: Vec<String>,
    /// Only passages in this région
    #[arg(long, value_name = "NAME")]
    region: Vec<String>,
    /// Only passages about this programme
    #[arg(long, value_name = "NAME")]
    programme: Vec<String>,
    /// Only passages naming this housing product (PSLA, PLAI...)
    #[arg(long, value_name = "NAME")]
    product: Vec<String>,
    /// Only articles of this year or range: 2020, 2019..2021, 2019.., ..2021
    #[arg(long, value_name = "YEAR")]
    year: Option<String>,
    /// Extra synonyms for queries, in the format of data/glossary.tsv (repeatable)
    #[arg(long, value_name = "FILE")]
    synonyms: Vec<PathBuf>,
}

impl FilterArgs {
    /// Reads the users' synonym files.
    fn synonyms(&self) -> anyhow::Result<Vec<String>> {
        read_files(&self.synonyms, "synonyms")
    }

    fn filters(&self) -> logis::Result<Filters> {
        let mut filters = Filters::default();
        let lists = [
            (FacetField::Organisation, &self.org),
            (FacetField::Commune, &self.commune),
            (FacetField::Departement, &self.departement),
            (FacetField::Region, &self.region),
            (FacetField::Programme, &self.programme),
            (FacetField::Product, &self.product),
        ];
        for (field, values) in lists {
            for value in values {
                filters.add(field, value)?;
            }
        }
        if let Some(year) = &self.year {
            filters.add(FacetField::Year, year)?;
        }
        Ok(filters)
    }
}

#[derive(Args)]
struct RenderArgs {
    /// Print JSON (shapes documented in the README)
    #[arg(long)]
    json: bool,
    /// Colour the text output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl RenderArgs {
    fn style(&self) -> Style {
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        };
        Style::new(color)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // Panics are caught (the library guards index access; this is the last
    // barrier) and reported in one line, without a backtrace.
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| run(cli)).unwrap_or_else(|payload| {
        let message = logis::error::panic_message(payload.as_ref());
        Err(anyhow::anyhow!(
            "internal error ({message}); the index was left as it was (please report this)"
        ))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Output cut short by a closed pipe (`| head`) is not a failure.
            if let Some(e) = error.downcast_ref::<io::Error>() {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("logis: {}", one_line_message(&error));
            let usage = error
                .downcast_ref::<logis::Error>()
                .is_some_and(logis::Error::is_usage);
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

/// Prints a command-line error on one line (help and version as usual).
fn usage_error(error: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) || error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = error.print();
        return ExitCode::from(if error.exit_code() == 0 { 0 } else { 2 });
    }
    if error.kind() == ErrorKind::UnknownArgument {
        // `logis search logement -Paris`: clap reads `-Paris` as flags.
        let short_flags = ["-n", "-q", "-h", "-V"];
        let excluded = std::env::args_os()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .find(|a| {
                a.starts_with('-')
                    && !a.starts_with("--")
                    && a.chars().count() > 2
                    && !short_flags.iter().any(|f| a.starts_with(f))
            });
        if let Some(word) = excluded {
            eprintln!(
                "logis: unexpected argument '{word}': to exclude a word, put it inside the quoted query, e.g. `logis search \"logement {word}\"`"
            );
            return ExitCode::from(2);
        }
    }
    let rendered = error.render().to_string();
    let message = rendered
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("; ");
    eprintln!("logis: {message} (see `logis --help`)");
    ExitCode::from(2)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Index(args) => {
            let path = cli.index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
            let inputs = if args.paths.is_empty() {
                vec![PathBuf::from(DEFAULT_CORPUS)]
            } else {
                args.paths.clone()
            };
            let options = IndexOptions {
                rebuild: args.rebuild,
                memory_mb: args.memory,
                gazetteers: args.gazetteers()?,
                prune: args.prune,
            };
            let show_progress = !args.quiet && io::stderr().is_terminal();
            let report = build_index(&path, &inputs, &options, show_progress)?;
            if !args.quiet {
                writeln!(out, "{}", output::index_summary(&report, &path))?;
            }
        }
        Command::Search(args) => {
            let index = open_index(cli.index)?;
            let engine = Engine::new(&index)?.with_synonyms(args.filters.synonyms()?);
            let request = SearchRequest {
                query: args.query.join(" "),
                filters: args.filters.filters()?,
                limit: args.limit,
                per_doc: args.per_doc,
                sort: match args.sort {
                    SortArg::Relevance => Sort::Relevance,
                    SortArg::Date => Sort::Date,
                },
                group: args.group,
            };
            let results = engine.search(&request)?;
            if args.render.json {
                output::search_json(&results, &mut out)?;
            } else {
                output::search_text(&results, args.render.style(), &mut out)?;
            }
        }
        Command::Check(args) => {
            let path = cli.index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
            let report = index::check::check(&path)?;
            if args.json {
                output::check_json(&report, &mut out)?;
            } else {
                output::check_text(&report, &mut out)?;
            }
            if !report.is_ok() {
                out.flush()?;
                anyhow::bail!(
                    "the index at {} is damaged ({} problem(s)): rebuild it with `logis index --rebuild [PATH ...]`",
                    path.display(),
                    report.problems.len()
                );
            }
        }
        Command::Docs(args) => {
            let index = open_index(cli.index)?;
            let records = Engine::new(&index)?.articles()?;
            if args.render.json {
                output::docs_json(&records, &mut out)?;
            } else {
                output::docs_text(&records, args.render.style(), &mut out)?;
            }
        }
        Command::Facets(args) => {
            let field = FacetField::parse(&args.field)?;
            let filters = args.filters.filters()?;
            let index = open_index(cli.index)?;
            let engine = Engine::new(&index)?.with_synonyms(args.filters.synonyms()?);
            let counts = engine.facet_counts(field, &args.query.join(" "), &filters)?;
            if args.render.json {
                output::facets_json(&counts, args.limit, &mut out)?;
            } else {
                output::facets_text(&counts, args.limit, args.render.style(), &mut out)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Indexes, then prints the warnings, except when the error already says
/// all there is (a single input skipped).
fn build_index(
    path: &Path,
    inputs: &[PathBuf],
    options: &IndexOptions,
    show_progress: bool,
) -> logis::Result<index::IndexReport> {
    let mut warnings = Vec::new();
    let mut bar = ProgressBar::new(show_progress);
    let result = index::index_paths_with_progress(
        path,
        inputs,
        options,
        &mut |w| warnings.push(w.to_string()),
        &mut |p| bar.show(p),
    );
    bar.clear();
    let covered = matches!(result, Err(logis::Error::NothingIndexed { skipped: 1, .. }));
    if !covered {
        for warning in warnings {
            eprintln!("logis: warning: {warning}");
        }
    }
    result
}

/// A progress bar on standard error, redrawn at most every 100 ms; hidden
/// when standard error is not a terminal or with `--quiet`.
struct ProgressBar {
    enabled: bool,
    started: Instant,
    drawn: Option<Instant>,
}

impl ProgressBar {
    fn new(enabled: bool) -> ProgressBar {
        ProgressBar {
            enabled,
            started: Instant::now(),
            drawn: None,
        }
    }

    fn show(&mut self, progress: &index::Progress) {
        if !self.enabled || self.drawn.is_some_and(|d| d.elapsed().as_millis() < 100) {
            return;
        }
        self.drawn = Some(Instant::now());
        let fraction = if progress.total_bytes == 0 {
            0.0
        } else {
            (progress.bytes as f64 / progress.total_bytes as f64).min(1.0)
        };
        let width = 30;
        let filled = (fraction * width as f64) as usize;
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        eprint!(
            "\r[{}{}] {:>3.0}%  {} articles  {:.1} MB/s ",
            "#".repeat(filled),
            "-".repeat(width - filled),
            fraction * 100.0,
            progress.articles,
            progress.bytes as f64 / 1e6 / seconds
        );
    }

    fn clear(&self) {
        if self.enabled && self.drawn.is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}

/// Opens the index; the default one is built from `seeds/` on first use.
fn open_index(explicit: Option<PathBuf>) -> anyhow::Result<LogisIndex> {
    let path = match explicit {
        Some(path) => path,
        None => {
            let path = PathBuf::from(DEFAULT_INDEX);
            let corpus = Path::new(DEFAULT_CORPUS);
            if !LogisIndex::exists(&path) && corpus.is_dir() {
                eprintln!(
                    "logis: no index at {}/ yet: building it from {}/ first",
                    path.display(),
                    corpus.display()
                );
                let report = build_index(
                    &path,
                    &[corpus.to_path_buf()],
                    &IndexOptions::default(),
                    false,
                )
                .context("building the default index")?;
                eprintln!("logis: {}", output::index_summary(&report, &path));
            }
            path
        }
    };
    Ok(LogisIndex::open(&path)?)
}
