//! A deterministic generator of French housing-news-like articles, as JSON
//! Lines, for benchmarks at 10k, 100k and 1M passages.
//!
//! Its words are learned from `seeds/` only, then extended with inflected
//! and derived forms into a vocabulary drawn with a Zipf law, so that term
//! frequencies look like real news (a few very common words, a long tail).
//! It writes `'` and `’` elisions, headings in capitals, digit groups
//! (`1 228 logements`), acronyms, and facet values (communes, most of them
//! accented or hyphenated; organisations; programmes; products) drawn with
//! skewed frequencies from the `data/` files.
//!
//! Output is byte-identical for a given passage count, whatever the Rust or
//! crate versions: its own PRNG (SplitMix64), no hash-map iteration, only
//! sorted lists.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

/// SplitMix64: small, fast, and fixed forever.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// Items drawn with a Zipf law over their rank (exponent `s`), by integer
/// cumulative weights so that draws never depend on float rounding.
pub struct Zipf<T> {
    items: Vec<T>,
    cumulative: Vec<u64>,
}

impl<T> Zipf<T> {
    pub fn new(items: Vec<T>, s: f64) -> Zipf<T> {
        let mut total = 0u64;
        let cumulative = (1..=items.len())
            .map(|rank| {
                // Weights rounded to integers once: the same on every machine.
                total += ((1e9 / (rank as f64).powf(s)) as u64).max(1);
                total
            })
            .collect();
        Zipf { items, cumulative }
    }

    pub fn draw(&self, rng: &mut Rng) -> &T {
        let total = *self.cumulative.last().unwrap_or(&1);
        let x = rng.next_u64() % total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        &self.items[i.min(self.items.len() - 1)]
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Endings that make inflected and derived forms of seed words.
const ENDINGS: &[&str] = &[
    "s", "e", "es", "ment", "ments", "tion", "tions", "eur", "eurs", "ité", "ités", "age", "ages",
    "ique", "iques", "isme", "iste", "istes", "ance", "ances", "ier", "ière", "aux", "elle",
];

/// Prefixes of derived forms.
const PREFIXES: &[&str] = &[
    "re", "dé", "pré", "co", "inter", "sur", "sous", "auto", "néo",
];

const ELISIONS: &[&str] = &["l", "d", "qu", "n", "s"];

const VERBS_OF_NEWS: &[&str] = &[
    "livre",
    "construit",
    "réhabilite",
    "inaugure",
    "lance",
    "rénove",
    "acquiert",
    "démolit",
    "transforme",
    "signe",
];

/// What the generator draws from.
pub struct Generator {
    words: Zipf<String>,
    communes: Zipf<String>,
    organisations: Zipf<String>,
    programmes: Zipf<String>,
    products: Zipf<String>,
}

/// The words of a text: runs of letters (apostrophes cut elisions off).
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphabetic() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.chars().count() >= 2)
}

/// The first column of a data file, in file order.
fn names(data: &str, column: usize) -> Vec<String> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').nth(column).map(|s| s.trim().to_string()))
        .collect()
}

impl Generator {
    /// Learns from `root`'s `seeds/` and `data/`.
    pub fn new(root: &Path) -> io::Result<Generator> {
        let mut paths: Vec<_> = std::fs::read_dir(root.join("seeds"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        paths.sort();
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for path in paths {
            let text = std::fs::read_to_string(path)?;
            for word in words_of(&text) {
                // Capitalised words (names, sentence starts) stay out: facets
                // bring the names, and common words appear in lower case too.
                if word.starts_with(char::is_uppercase) {
                    continue;
                }
                *counts.entry(word.to_string()).or_default() += 1;
            }
        }
        let mut seed_words: Vec<(String, u64)> = counts.into_iter().collect();
        seed_words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        // The seeds' own ranking first, then derived forms as the long tail.
        let mut vocabulary: Vec<String> = seed_words.iter().map(|(w, _)| w.clone()).collect();
        let stems: Vec<&str> = seed_words
            .iter()
            .map(|(w, _)| w.as_str())
            .filter(|w| w.chars().count() >= 5 && !w.contains('-'))
            .collect();
        for ending in ENDINGS {
            for stem in &stems {
                vocabulary.push(format!("{stem}{ending}"));
            }
        }
        for prefix in PREFIXES {
            for stem in &stems {
                vocabulary.push(format!("{prefix}{stem}"));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        vocabulary.retain(|w| seen.insert(w.clone()));

        let data = |name: &str| std::fs::read_to_string(root.join("data").join(name));
        // Communes by population, largest first: big cities are in the news.
        let communes_data = data("communes.tsv")?;
        let mut communes: Vec<(u64, String)> = communes_data
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f.len() >= 6 && f[5] == "A").then(|| (f[4].parse().unwrap_or(0), f[1].to_string()))
            })
            .collect();
        communes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        communes.truncate(5000);
        Ok(Generator {
            words: Zipf::new(vocabulary, 1.05),
            communes: Zipf::new(communes.into_iter().map(|c| c.1).collect(), 0.9),
            organisations: Zipf::new(names(&data("organisations.tsv")?, 0), 0.8),
            programmes: Zipf::new(names(&data("programmes.tsv")?, 0), 1.0),
            products: Zipf::new(names(&data("products.tsv")?, 0), 1.0),
        })
    }

    /// Size of the vocabulary drawn from.
    pub fn vocabulary_size(&self) -> usize {
        self.words.len()
    }

    fn number(&self, rng: &mut Rng) -> String {
        let n = match rng.below(10) {
            0..=5 => rng.between(2, 400),
            6..=8 => rng.between(1_000, 99_999),
            _ => rng.between(100_000, 3_000_000),
        };
        // Digit groups with a space, as French news writes them.
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(if rng.chance(20) { '\u{a0}' } else { ' ' });
            }
            out.push(c);
        }
        out
    }

    fn sentence(&self, rng: &mut Rng, out: &mut String) {
        let len = rng.between(8, 22);
        let start = out.len();
        for i in 0..len {
            if i > 0 {
                out.push(' ');
            }
            match rng.below(100) {
                0..=2 => {
                    out.push_str(&self.number(rng));
                    out.push_str(" logements");
                }
                3..=4 => {
                    out.push_str("à ");
                    out.push_str(self.communes.draw(rng));
                }
                5 => out.push_str(self.organisations.draw(rng)),
                6 => out.push_str(self.products.draw(rng)),
                7 => {
                    out.push_str("le programme ");
                    out.push_str(self.programmes.draw(rng));
                }
                _ => {
                    let word = self.words.draw(rng);
                    let vowel = word.starts_with(['a', 'e', 'é', 'i', 'o', 'u', 'h']);
                    if vowel && rng.chance(30) {
                        out.push_str(ELISIONS[rng.below(ELISIONS.len())]);
                        out.push(if rng.chance(50) { '\'' } else { '’' });
                    }
                    out.push_str(word);
                }
            }
        }
        // A capital to start, a full stop to end.
        if let Some(first) = out[start..].chars().next() {
            let upper: String = first.to_uppercase().collect();
            out.replace_range(start..start + first.len_utf8(), &upper);
        }
        out.push('.');
    }

    fn heading(&self, rng: &mut Rng) -> String {
        if rng.chance(40) {
            // An operation sheet heading: `COMMUNE Rue des …`.
            format!(
                "{} Rue {}",
                self.communes.draw(rng).to_uppercase(),
                self.words.draw(rng)
            )
        } else {
            let mut out = String::new();
            for i in 0..rng.between(3, 7) {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(self.words.draw(rng));
            }
            let mut chars = out.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }

    /// One article of `paragraphs` paragraphs: (title, text).
    fn article(&self, rng: &mut Rng, paragraphs: usize) -> (String, String) {
        let title = format!(
            "{} : {} {} {} logements",
            self.communes.draw(rng),
            self.organisations.draw(rng),
            VERBS_OF_NEWS[rng.below(VERBS_OF_NEWS.len())],
            self.number(rng)
        );
        let mut text = String::new();
        for p in 0..paragraphs {
            if p > 0 && rng.chance(25) {
                text.push_str(&self.heading(rng));
                text.push_str("\n\n");
            }
            for s in 0..rng.between(2, 5) {
                if s > 0 {
                    text.push(' ');
                }
                self.sentence(rng, &mut text);
            }
            text.push_str("\n\n");
        }
        (title, text.trim_end().to_string())
    }

    /// Writes articles as JSON Lines until about `passages` paragraphs (the
    /// passages logis cuts, give or take headings) are written. Returns the
    /// number of articles.
    pub fn write(&self, passages: usize, out: &mut dyn Write) -> io::Result<usize> {
        self.write_from(passages, 0, out)
    }

    /// [`Generator::write`], the articles numbered from `first` (and drawn
    /// from another sequence when `first` is not 0): new articles for a
    /// corpus written before.
    pub fn write_from(
        &self,
        passages: usize,
        first: usize,
        out: &mut dyn Write,
    ) -> io::Result<usize> {
        let mut rng = Rng::new(0x6C6F_6769_7300_0001 ^ passages as u64 ^ (first as u64) << 32);
        let mut written = 0;
        let mut articles = first;
        while written < passages {
            let paragraphs = rng.between(3, 14).min(passages - written);
            let (title, text) = self.article(&mut rng, paragraphs);
            let date = format!(
                "{}-{:02}-{:02}",
                rng.between(2015, 2025),
                rng.between(1, 12),
                rng.between(1, 28)
            );
            let line = format!(
                "{{\"id\":\"gen-{articles:07}\",\"title\":{},\"date\":\"{date}\",\"text\":{}}}\n",
                json_string(&title),
                json_string(&format!("{title}\n\n{text}"))
            );
            out.write_all(line.as_bytes())?;
            written += paragraphs;
            articles += 1;
        }
        Ok(articles - first)
    }
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
