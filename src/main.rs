//! The `logis` command: parses arguments, calls the library, renders what
//! it returns, and maps its errors to one-line messages with what to do
//! next and exit codes (2 for usage errors, 1 for runtime failures).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use logis::corpus::Selection;
use logis::extract::ExtraGazetteers;
use logis::index::DEFAULT_MEMORY_MB;
use logis::output::{self, table, text, wire};
use logis::{
    CountUnit, DataSet, Engine, Event, FacetField, Filters, IndexOptions, IndexReport, LogisIndex,
    Scope, SearchRequest, Sort,
};

/// Indexing allocates many short-lived strings; mimalloc serves them faster
/// than the system allocator and fragments less on long runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where the index lives when neither --index nor LOGIS_INDEX says.
const DEFAULT_INDEX: &str = "index";
/// The corpus the default index is built from on first use.
const DEFAULT_CORPUS: &str = "seeds";
/// How `logis index` is run again, in hints.
const REBUILD: &str = "rebuild it with `logis index --rebuild [PATH ...]`";

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

    /// Folder of edited data files (place-words.tsv, organisations.tsv...)
    /// replacing the built-in ones of the same name
    #[arg(long, global = true, env = "LOGIS_DATA", value_name = "DIR")]
    data: Option<PathBuf>,

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
    /// Housing operations (dwellings built, renovated, transformed or
    /// demolished, per place, product and milestone) stated by the passages
    /// matching a query; --group-by sums them
    Operations(OperationsArgs),
    /// Verify the index: versions, every file's checksum, every passage
    /// readable (exit code 1 if damaged)
    Check(CheckArgs),
    /// Serve the search page and the HTTP API on this machine, until Ctrl-C
    Serve(ServeArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Address and port to listen on (port 0: any free port). Another
    /// address than the loopback makes the index readable by the network
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR:PORT")]
    bind: std::net::SocketAddr,
    /// Allow pages of this origin to call the API (CORS), e.g.
    /// https://intranet.example.fr (repeatable; none by default)
    #[arg(long, value_name = "ORIGIN")]
    cors: Vec<String>,
    /// Answers kept for searches asked again on the same commit (the next
    /// page, Back, a shared link); 0 keeps none
    #[arg(long, value_name = "N", default_value_t = logis::serve::Limits::default().cached_answers)]
    cache: usize,
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
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MEMORY_MB,
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
    /// Leave out the files a gitignore-style glob matches, in folders
    /// (`notes-*`, `brouillons/`); repeatable. A `.logisignore` file in a
    /// folder does the same, and hidden files are always left out
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
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
    /// Show syndicated copies of an article as results of their own
    /// (by default they are folded under it: "also published by")
    #[arg(long)]
    no_collapse: bool,
    /// Every passage holding all the words, copies included, no limit per
    /// article (for exports: --format jsonl, csv or tsv stream them)
    #[arg(long, conflicts_with_all = ["limit", "per_doc", "group", "no_collapse"])]
    all: bool,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    render: RenderArgs,
}

#[derive(Args)]
struct OperationsArgs {
    /// Words the operation's passage must hold (all operations if none)
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    /// Only these kinds: construction, rehabilitation, demolition,
    /// acquisition-amelioration, transformation, residence-etudiante, other
    #[arg(long, value_name = "KIND")]
    kind: Vec<String>,
    /// Only operations at this milestone: annonce, signature, permis,
    /// premiere-pierre, demarrage, inauguration, livraison
    #[arg(long, value_name = "KIND")]
    milestone: Vec<String>,
    /// Only operations whose milestone year is in this range: 2020,
    /// 2020.., 2019..2021
    #[arg(long, value_name = "YEARS")]
    milestone_year: Option<String>,
    /// One row per commune, departement, region, organisation, product,
    /// kind or year (of the milestone), linked reports counted once
    #[arg(long, value_name = "FIELD")]
    group_by: Option<String>,
    /// What the rows sum: dwellings, cost, or a product (PSLA, PLAI...)
    #[arg(
        long,
        value_name = "WHAT",
        requires = "group_by",
        conflicts_with = "count"
    )]
    sum: Option<String>,
    /// Rows count operations only
    #[arg(long, requires = "group_by")]
    count: bool,
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
    /// What the counts count and order by
    #[arg(long, value_enum, default_value_t = CountArg::Articles)]
    count: CountArg,
    #[command(flatten)]
    filters: FilterArgs,
    #[command(flatten)]
    render: RenderArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum CountArg {
    /// Distinct articles
    Articles,
    /// Passages
    Passages,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScopeArg {
    /// Passages naming the value, and the other passages of articles about it
    Article,
    /// Only passages naming the value themselves
    Passage,
}

#[derive(Args)]
struct FilterArgs {
    /// Only passages about this organisation: a name, acronym or former
    /// name (repeat for alternatives)
    #[arg(long, alias = "organisation", value_name = "NAME")]
    org: Vec<String>,
    /// Only passages about this commune (name, St-/Ste- abbreviations, or
    /// INSEE code)
    #[arg(long, value_name = "NAME")]
    commune: Vec<String>,
    /// Only passages in this département (name or code)
    #[arg(long, value_name = "NAME")]
    departement: Vec<String>,
    /// Only passages in this région (name or code)
    #[arg(long, value_name = "NAME")]
    region: Vec<String>,
    /// Only passages about this programme (ACV, Action Cœur de Ville...)
    #[arg(long, value_name = "NAME")]
    programme: Vec<String>,
    /// Only passages about this housing product (PSLA, prêt social
    /// location-accession...)
    #[arg(long, value_name = "NAME")]
    product: Vec<String>,
    /// Whose values filters and counts look at: the passage and its
    /// article (what it is about), or the passage alone
    #[arg(long, value_enum, default_value_t = ScopeArg::Article)]
    scope: ScopeArg,
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
        let mut filters = Filters {
            scope: match self.scope {
                ScopeArg::Article => Scope::Article,
                ScopeArg::Passage => Scope::Passage,
            },
            ..Filters::default()
        };
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
    /// Print JSON (shapes documented in the README); same as --format json
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Output format: text for people, json, jsonl (one object per line),
    /// csv (UTF-8, for spreadsheets) or tsv
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Colour the text output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Jsonl,
    Csv,
    Tsv,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl RenderArgs {
    fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }

    /// A table writer for CSV and TSV, `None` for the other formats.
    fn table<W: Write>(
        &self,
        out: W,
        header: &[&str],
    ) -> io::Result<Option<table::TableWriter<W>>> {
        let table = match self.format() {
            Format::Csv => table::Table::Csv,
            Format::Tsv => table::Table::Tsv,
            _ => return Ok(None),
        };
        table::TableWriter::new(table, out, header).map(Some)
    }

    /// Standard output, keeping the text's styles or not as `--color` says
    /// (`auto`: on a terminal, unless `NO_COLOR` or `TERM=dumb`).
    fn stdout(&self) -> anstream::AutoStream<io::StdoutLock<'static>> {
        let choice = match self.color {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        };
        anstream::AutoStream::new(io::stdout().lock(), choice)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // Panics are caught (the library guards index access; this is the last
    // barrier) and reported in one line, without a backtrace.
    if std::env::var_os("LOGIS_PANIC_HOOK").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
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
            let (message, code) = describe(&error);
            eprintln!("logis: {message}");
            ExitCode::from(code)
        }
    }
}

/// The error as one line, with what to do next, and its exit code.
fn describe(error: &anyhow::Error) -> (String, u8) {
    let Some(library) = error.downcast_ref::<logis::Error>() else {
        return (one_line_message(error), 1);
    };
    use logis::Error as E;
    let (hint, usage) = match library {
        E::NoIndex { .. } => (Some("build one with `logis index [PATH ...]`".to_string()), false),
        E::IncompatibleIndex { .. } => (Some(REBUILD.to_string()), false),
        E::EmptyQuery => (
            Some("give words to search for, e.g. `logis search \"PSLA Compiègne\"`, or a filter such as --commune".to_string()),
            true,
        ),
        E::QueryTooLong(_) => (Some("search for fewer words, or use filters".to_string()), true),
        E::OnlyExclusions => (Some("add at least one word to search for".to_string()), true),
        E::UnknownField { .. }
        | E::UnknownFilterValue { .. }
        | E::InvalidYear(_)
        | E::InvalidChoice { .. }
        | E::MissingPath { .. }
        | E::BadExclude { .. } => (None, true),
        E::NothingIndexed { skipped, .. } if *skipped > 1 => {
            (Some("see the warnings above".to_string()), false)
        }
        E::Locked { .. } => (Some("wait for it to finish, then try again".to_string()), false),
        E::Damaged { .. } => (Some(format!("run `logis check` for details, and {REBUILD}")), false),
        E::Unreadable { .. } => (Some("searching needs read access to its files".to_string()), false),
        E::ReadOnly { .. } => (
            Some("indexing needs write access to it and to its folder; searching does not".to_string()),
            false,
        ),
        E::DiskFull { .. } => (Some("free some space and run `logis index` again".to_string()), false),
        E::Internal { .. } => (Some("please report this".to_string()), false),
        E::Bind { .. } => (
            Some("choose another address or port with --bind".to_string()),
            false,
        ),
        _ => (None, false),
    };
    let mut message = match library {
        E::UnknownField { field, valid } => {
            format!(
                "unknown facet field `{field}`: use one of {}",
                valid.join(", ")
            )
        }
        E::Locked { path, lock } => format!(
            "the index at {} is being written by another `logis index` (it holds the lock {})",
            path.display(),
            lock.display()
        ),
        _ => one_line_message(error),
    };
    if let Some(hint) = hint {
        message.push_str(": ");
        message.push_str(&hint);
    }
    (message, if usage { 2 } else { 1 })
}

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
    let data = match &cli.data {
        Some(folder) => DataSet::with_replacements(folder)?,
        None => DataSet::built_in().clone(),
    };
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
                data,
                prune: args.prune,
                selection: Selection {
                    exclude: args.exclude.clone(),
                },
            };
            let show_progress = !args.quiet && io::stderr().is_terminal();
            let report = build_index(&path, &inputs, &options, show_progress)?;
            if !args.quiet {
                let mut out = io::stdout().lock();
                writeln!(out, "{}", text::index_summary(&report, &path))?;
                out.flush()?;
            }
        }
        Command::Search(args) => {
            let index = open_index(cli.index, &data)?;
            let engine = Engine::new(&index)?
                .with_data(&data)
                .with_synonyms(args.filters.synonyms()?);
            let request = SearchRequest {
                query: args.query.join(" "),
                filters: args.filters.filters()?,
                limit: args.limit,
                offset: 0,
                per_doc: args.per_doc,
                sort: match args.sort {
                    SortArg::Relevance => Sort::Relevance,
                    SortArg::Date => Sort::Date,
                },
                group: args.group,
                collapse: !args.no_collapse,
            };
            let mut out = args.render.stdout();
            if args.all {
                export_all(&engine, &request, &args.render, &mut out)?;
            } else {
                let results = engine.search(&request)?;
                write_search(&results, &args.render, &mut out)?;
            }
            out.flush()?;
            keep_until_exit(engine);
            keep_until_exit(index);
        }
        Command::Operations(args) => {
            let index = open_index(cli.index, &data)?;
            let engine = Engine::new(&index)?
                .with_data(&data)
                .with_synonyms(args.filters.synonyms()?);
            run_operations(&engine, &args)?;
            keep_until_exit(engine);
            keep_until_exit(index);
        }
        Command::Serve(args) => {
            let path = match cli.index {
                Some(path) => path,
                None => {
                    default_index(&data)?;
                    PathBuf::from(DEFAULT_INDEX)
                }
            };
            if !args.bind.ip().is_loopback() {
                eprintln!(
                    "logis: warning: listening on {}: the index becomes readable by the network",
                    args.bind
                );
            }
            let options = logis::serve::ServeOptions {
                bind: args.bind,
                cors: args.cors,
                data,
                limits: logis::serve::Limits {
                    cached_answers: args.cache,
                    ..logis::serve::Limits::default()
                },
            };
            let ready = |address: std::net::SocketAddr| {
                println!(
                    "logis: serving {} on http://{address}/ (Ctrl-C to stop)",
                    path.display()
                );
                let _ = io::stdout().flush();
            };
            logis::serve::serve(&path, &options, ready, logis::serve::shutdown_signal())?;
        }
        Command::Check(args) => {
            let path = cli.index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
            let report = logis::check(&path)?;
            let mut out = io::stdout().lock();
            if args.json {
                output::write_json(&wire::CheckJson::from(&report), &mut out)?;
            } else {
                text::check(&report, &mut out)?;
            }
            out.flush()?;
            if !report.is_ok() {
                anyhow::bail!(
                    "the index at {} is damaged ({} problem(s)): {REBUILD}",
                    path.display(),
                    report.problems.len()
                );
            }
        }
        Command::Docs(args) => {
            let index = open_index(cli.index, &data)?;
            let engine = Engine::new(&index)?;
            let records = engine.articles()?;
            let mut out = args.render.stdout();
            let docs = wire::DocsJson::new(&records);
            match args.render.format() {
                Format::Text => text::docs(&records, &mut out)?,
                Format::Json => output::write_json(&docs, &mut out)?,
                Format::Jsonl => {
                    for article in &docs.articles {
                        output::write_json_line(article, &mut out)?;
                    }
                }
                Format::Csv | Format::Tsv => {
                    if let Some(mut rows) = args.render.table(&mut out, &table::ARTICLE_COLUMNS)? {
                        for article in &docs.articles {
                            rows.row(table::article_row(article))?;
                        }
                        rows.flush()?;
                    }
                }
            }
            out.flush()?;
            out.flush()?;
            keep_until_exit(engine);
            keep_until_exit(index);
        }
        Command::Facets(args) => {
            let field = FacetField::parse(&args.field)?;
            let filters = args.filters.filters()?;
            let index = open_index(cli.index, &data)?;
            let engine = Engine::new(&index)?
                .with_data(&data)
                .with_synonyms(args.filters.synonyms()?);
            let unit = match args.count {
                CountArg::Articles => CountUnit::Articles,
                CountArg::Passages => CountUnit::Passages,
            };
            let counts = engine.facet_counts(field, &args.query.join(" "), &filters, unit)?;
            let mut out = args.render.stdout();
            let json = wire::FacetsJson::new(&counts, args.limit);
            match args.render.format() {
                Format::Text => text::facets(&counts, args.limit, &mut out)?,
                Format::Json => output::write_json(&json, &mut out)?,
                Format::Jsonl => {
                    for count in &json.counts {
                        output::write_json_line(count, &mut out)?;
                    }
                }
                Format::Csv | Format::Tsv => {
                    if let Some(mut rows) = args.render.table(&mut out, &table::COUNT_COLUMNS)? {
                        for count in &json.counts {
                            rows.row(table::count_row(&json, count))?;
                        }
                        rows.flush()?;
                    }
                }
            }
            out.flush()?;
            out.flush()?;
            keep_until_exit(engine);
            keep_until_exit(index);
        }
    }
    Ok(())
}

/// Ends a short command without unmapping the index (`value` is the
/// index or its reader): the kernel drops every mapping of the process at
/// exit in one go, cheaper than one `munmap` per file, with the other
/// threads told each time.
fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Writes search results in the format asked.
/// `logis operations`: the operations found, or their groups.
fn run_operations(engine: &Engine, args: &OperationsArgs) -> anyhow::Result<()> {
    use logis::output::operations as ops;
    use logis::search::operations::{group, Grouping, OperationsRequest};
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    let mut request = OperationsRequest::new(
        args.query.join(" "),
        args.filters.filters()?,
        &strs(&args.kind),
        &strs(&args.milestone),
        args.milestone_year.as_deref(),
    )?;
    let grouping = args
        .group_by
        .as_deref()
        .map(|by| Grouping::parse(by, args.sum.as_deref()))
        .transpose()?;
    request.without_evidence = grouping.is_some();
    let found = engine.operations(&request)?;
    let mut out = args.render.stdout();
    let table = |format| match format {
        Format::Tsv => output::table::Table::Tsv,
        _ => output::table::Table::Csv,
    };
    match (grouping, args.render.format()) {
        (Some(grouping), format) => {
            let rows = group(&found, grouping.by, &grouping.sum);
            match format {
                Format::Text => ops::groups_text(&rows, &mut out)?,
                Format::Json | Format::Jsonl => output::write_json(
                    &ops::GroupsJson::new(&grouping, found.len(), &rows),
                    &mut out,
                )?,
                format => ops::groups_table(&rows, table(format), &mut out)?,
            }
        }
        (None, Format::Text) => ops::text(&found, &mut out)?,
        (None, Format::Json) => output::write_json(&ops::OperationsJson::new(&found), &mut out)?,
        (None, Format::Jsonl) => {
            for f in &found {
                output::write_json_line(&ops::OperationJson::new(f), &mut out)?;
            }
        }
        (None, format) => ops::table(&found, table(format), &mut out)?,
    }
    out.flush()?;
    Ok(())
}

fn write_search(
    results: &logis::search::SearchResults,
    render: &RenderArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match render.format() {
        Format::Text => text::search(results, out)?,
        Format::Json => output::write_json(&wire::SearchJson::from(results), out)?,
        Format::Jsonl => {
            for hit in &results.hits {
                output::write_json_line(&wire::HitJson::from(hit), out)?;
            }
        }
        Format::Csv | Format::Tsv => {
            if let Some(mut rows) = render.table(out, &table::HIT_COLUMNS)? {
                for hit in &results.hits {
                    rows.row(table::hit_row(&wire::HitJson::from(hit)))?;
                }
                rows.flush()?;
            }
        }
    }
    Ok(())
}

/// Writes every passage matching, as `search --all` asks: streamed for
/// JSON Lines, CSV and TSV; gathered for JSON and text.
fn export_all(
    engine: &Engine,
    request: &SearchRequest,
    render: &RenderArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let all = engine.all_hits(request)?;
    let total = all.total;
    match render.format() {
        Format::Jsonl => {
            for hit in all {
                output::write_json_line(&wire::HitJson::from(&hit?), out)?;
            }
        }
        Format::Csv | Format::Tsv => {
            if let Some(mut rows) = render.table(&mut *out, &table::HIT_COLUMNS)? {
                for hit in all {
                    rows.row(table::hit_row(&wire::HitJson::from(&hit?)))?;
                }
                rows.flush()?;
            }
        }
        Format::Json | Format::Text => {
            let hits = all.collect::<logis::Result<Vec<_>>>()?;
            let results = logis::search::SearchResults {
                query: request.query.clone(),
                total,
                total_any: total,
                left_out: Default::default(),
                absent: Vec::new(),
                took_ms: started.elapsed().as_secs_f64() * 1000.0,
                did_you_mean: None,
                grouped: false,
                hits,
            };
            write_search(&results, render, out)?;
        }
    }
    Ok(())
}

/// Indexes, showing progress on a terminal, then prints the warnings,
/// except when the error already says all there is (a single input
/// skipped).
fn build_index(
    path: &Path,
    inputs: &[PathBuf],
    options: &IndexOptions,
    show_progress: bool,
) -> logis::Result<IndexReport> {
    let mut warnings = Vec::new();
    let bar = if show_progress {
        let bar = ProgressBar::new(0).with_style(
            ProgressStyle::with_template(
                "[{bar:30}] {percent:>3}%  {msg} articles  {binary_bytes_per_sec}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("#>-"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let result = logis::index_paths(path, inputs, options, &mut |event| match event {
        Event::Progress(progress) => {
            bar.set_length(progress.total_bytes.max(progress.bytes));
            bar.set_position(progress.bytes);
            bar.set_message(progress.articles.to_string());
        }
        Event::Skipped { source, reason } if reason.is_told() => {
            warnings.push(format!("skipped {source}: {reason}"))
        }
        Event::Skipped { .. } => {}
        Event::Warning { source, warning } => warnings.push(format!("{source}: {warning}")),
        Event::Converted { source, conversion } => warnings.push(format!("{source}: {conversion}")),
        Event::DuplicateId {
            source,
            id,
            earlier,
        } => warnings.push(format!(
            "{source}: id `{id}` also in {earlier}: this one replaces it"
        )),
    });
    bar.finish_and_clear();
    let covered = matches!(result, Err(logis::Error::NothingIndexed { skipped: 1, .. }));
    if !covered {
        for warning in warnings {
            eprintln!("logis: warning: {warning}");
        }
    }
    result
}

/// Opens the index; the default one is built from `seeds/` on first use.
fn open_index(explicit: Option<PathBuf>, data: &DataSet) -> anyhow::Result<LogisIndex> {
    let path = match explicit {
        Some(path) => path,
        None => default_index(data)?,
    };
    Ok(LogisIndex::open(&path)?)
}

/// The default index, built from `seeds/` when it does not exist yet.
fn default_index(data: &DataSet) -> anyhow::Result<PathBuf> {
    let path = PathBuf::from(DEFAULT_INDEX);
    let corpus = Path::new(DEFAULT_CORPUS);
    if !LogisIndex::exists(&path) && corpus.is_dir() {
        eprintln!(
            "logis: no index at {}/ yet: building it from {}/ first",
            path.display(),
            corpus.display()
        );
        let options = IndexOptions {
            data: data.clone(),
            ..IndexOptions::default()
        };
        let report = build_index(&path, &[corpus.to_path_buf()], &options, false)
            .context("building the default index")?;
        eprintln!("logis: {}", text::index_summary(&report, &path));
    }
    Ok(path)
}
