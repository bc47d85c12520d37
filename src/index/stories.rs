//! The stories of an index while it is written (see `copies`): which story
//! a new article joins, the first article it copies, among every article
//! indexed before it and read before it in the run.
//!
//! Memory does not grow with the archive. The articles read last, up to
//! [`GENERATION`] of them, are in memory: their LSH table and signatures.
//! Each older generation is written to a temporary file, once: its
//! articles' records (id, story, signature) and its band keys sorted, with
//! a Bloom filter of the keys and one key in [`FENCE`] kept in memory (about
//! 40 bytes per article instead of 600). A new article reads the disk only
//! where a band of its own may be in an older generation: with 10 bits per
//! key, 1% of the lookups of keys that are not there.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;

use super::copies::{same_story, story_key, Candidates, Signature, BANDS};

/// Articles kept in memory before the oldest generation goes to disk.
pub(crate) const GENERATION: usize = 100_000;

/// Band keys per fence: a lookup on disk reads about this many pairs.
const FENCE: usize = 256;

/// Bits of a Bloom filter per key, and hashes per key: 1% false positives.
const BLOOM_BITS_PER_KEY: usize = 10;
const BLOOM_HASHES: u32 = 7;

/// An article's record: its id's key, its story and its signature.
#[derive(Clone)]
struct Record {
    id: u64,
    story: u64,
    signature: Signature,
}

/// Byte length of a record on disk.
const RECORD_BYTES: usize = 16 + Signature::BYTES;

impl Record {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.id.to_le_bytes());
        out.extend_from_slice(&self.story.to_le_bytes());
        out.extend_from_slice(&self.signature.to_bytes());
    }

    fn read(bytes: &[u8]) -> Option<Record> {
        let (id, rest) = bytes.split_first_chunk::<8>()?;
        let (story, rest) = rest.split_first_chunk::<8>()?;
        Some(Record {
            id: u64::from_le_bytes(*id),
            story: u64::from_le_bytes(*story),
            signature: Signature::from_bytes(rest)?,
        })
    }
}

/// The stories known so far.
pub(crate) struct Stories {
    /// Articles in memory before a generation goes to disk.
    generation: usize,
    /// The articles read last.
    current: Vec<Record>,
    candidates: Candidates,
    /// Older generations, oldest first.
    spilled: Vec<Spilled>,
    /// Where the older generations are; `None` until the first is written.
    file: Option<SpillFile>,
}

/// A generation on disk.
struct Spilled {
    bloom: Bloom,
    /// Where its records start, and how many.
    records_at: u64,
    records: u32,
    /// Where its sorted `(band key, record)` pairs start, and how many.
    keys_at: u64,
    keys: usize,
    /// The key of every [`FENCE`]-th pair.
    fences: Vec<u32>,
}

/// The temporary file of the older generations, deleted when closed (its
/// name is removed as soon as it is open).
struct SpillFile {
    file: File,
    len: u64,
}

impl SpillFile {
    fn create() -> std::io::Result<SpillFile> {
        let path = std::env::temp_dir().join(format!(
            "logis-stories-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        std::fs::remove_file(&path)?;
        Ok(SpillFile { file, len: 0 })
    }

    fn append(&mut self, bytes: &[u8]) -> std::io::Result<u64> {
        let at = self.len;
        self.file.write_all(bytes)?;
        self.len += bytes.len() as u64;
        Ok(at)
    }

    fn read(&self, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        self.file.read_exact_at(&mut bytes, at)?;
        Ok(bytes)
    }
}

impl Default for Stories {
    fn default() -> Self {
        Stories::with_generation(GENERATION)
    }
}

impl Stories {
    /// Stories keeping `generation` articles in memory.
    fn with_generation(generation: usize) -> Stories {
        Stories {
            generation,
            current: Vec::new(),
            candidates: Candidates::default(),
            spilled: Vec::new(),
            file: None,
        }
    }

    /// Adds an article already indexed, with its story.
    pub(crate) fn add(&mut self, id: u64, signature: Signature, story: u64) {
        self.push(Record {
            id,
            story,
            signature,
        });
    }

    fn push(&mut self, record: Record) {
        if self.current.len() >= self.generation && self.spill().is_err() {
            // No room on disk: the oldest generation is forgotten rather
            // than memory grown (its copies then start stories of their
            // own).
            self.current.clear();
            self.candidates = Candidates::default();
        }
        self.candidates
            .insert(self.current.len() as u32, &record.signature);
        self.current.push(record);
    }

    /// The story of article `id`: that of the first article it is a copy
    /// of, else its own.
    pub(crate) fn story_of(&mut self, id: &str, signature: Option<Signature>) -> u64 {
        let id = story_key(id);
        let Some(signature) = signature else {
            return id;
        };
        let copies = |record: &Record| record.id != id && same_story(&record.signature, &signature);
        let older = self
            .spilled
            .iter()
            .find_map(|generation| self.first_on_disk(generation, &signature, &copies));
        let story = older
            .or_else(|| {
                self.candidates
                    .candidates(&signature)
                    .into_iter()
                    .map(|n| &self.current[n as usize])
                    .find(|r| copies(r))
                    .map(|r| r.story)
            })
            .unwrap_or(id);
        self.push(Record {
            id,
            story,
            signature,
        });
        story
    }

    /// The story of the first article of an older generation that
    /// `copies` accepts among those sharing a band with `signature`.
    fn first_on_disk(
        &self,
        generation: &Spilled,
        signature: &Signature,
        copies: &dyn Fn(&Record) -> bool,
    ) -> Option<u64> {
        let file = self.file.as_ref()?;
        let mut found: Vec<u32> = Vec::new();
        for key in signature.band_keys().map(Candidates::fold_key) {
            if !generation.bloom.may_hold(key) {
                continue;
            }
            let (from, to) = generation.pairs_with(key);
            let Ok(bytes) = file.read(generation.keys_at + 8 * from as u64, 8 * (to - from)) else {
                continue;
            };
            for pair in bytes.chunks_exact(8) {
                let (k, record) = pair.split_at(4);
                if k == key.to_le_bytes() {
                    found.extend(record.try_into().ok().map(u32::from_le_bytes));
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .filter(|&n| n < generation.records)
            .find_map(|n| {
                let at = generation.records_at + (n as usize * RECORD_BYTES) as u64;
                let record = Record::read(&file.read(at, RECORD_BYTES).ok()?)?;
                copies(&record).then_some(record.story)
            })
    }

    /// Writes the generation in memory to disk.
    fn spill(&mut self) -> std::io::Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(SpillFile::create()?),
        };
        let mut bytes = Vec::with_capacity(self.current.len() * RECORD_BYTES);
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(self.current.len() * BANDS);
        for (n, record) in self.current.iter().enumerate() {
            record.write(&mut bytes);
            pairs.extend(
                record
                    .signature
                    .band_keys()
                    .map(|key| (Candidates::fold_key(key), n as u32)),
            );
        }
        let records_at = file.append(&bytes)?;
        pairs.sort_unstable();
        let mut bloom = Bloom::new(pairs.len());
        bytes.clear();
        for &(key, record) in &pairs {
            bloom.insert(key);
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&record.to_le_bytes());
        }
        let keys_at = file.append(&bytes)?;
        self.spilled.push(Spilled {
            bloom,
            records_at,
            records: self.current.len() as u32,
            keys_at,
            keys: pairs.len(),
            fences: pairs.iter().step_by(FENCE).map(|&(key, _)| key).collect(),
        });
        self.current.clear();
        self.candidates = Candidates::default();
        Ok(())
    }

    /// Articles known, in memory and on disk.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.current.len()
            + self
                .spilled
                .iter()
                .map(|s| s.records as usize)
                .sum::<usize>()
    }
}

impl Spilled {
    /// The range of pairs that holds every pair of `key`.
    fn pairs_with(&self, key: u32) -> (usize, usize) {
        let below = self.fences.partition_point(|&f| f < key);
        let upto = self.fences.partition_point(|&f| f <= key);
        let from = below.saturating_sub(1) * FENCE;
        let to = (upto * FENCE).min(self.keys);
        (from, to.max(from))
    }
}

/// A Bloom filter of band keys.
struct Bloom {
    bits: Vec<u64>,
}

impl Bloom {
    fn new(keys: usize) -> Bloom {
        let words = (keys * BLOOM_BITS_PER_KEY).div_ceil(64).max(1);
        Bloom {
            bits: vec![0; words],
        }
    }

    /// The bit positions of `key` (double hashing).
    fn positions(&self, key: u32) -> impl Iterator<Item = usize> {
        let hash = u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let (h1, h2) = (hash >> 32, (hash & 0xFFFF_FFFF) | 1);
        let len = (self.bits.len() * 64) as u64;
        (0..u64::from(BLOOM_HASHES))
            .map(move |i| (h1.wrapping_add(i.wrapping_mul(h2)) % len) as usize)
    }

    fn insert(&mut self, key: u32) {
        let positions: Vec<usize> = self.positions(key).collect();
        for bit in positions {
            self.bits[bit / 64] |= 1 << (bit % 64);
        }
    }

    fn may_hold(&self, key: u32) -> bool {
        self.positions(key)
            .all(|bit| self.bits[bit / 64] & (1 << (bit % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;

    /// Invented articles: distinct texts, and copies of some of them.
    fn signature(n: usize, variant: usize) -> Signature {
        let mut text = String::new();
        for sentence in 0..12 {
            text.push_str(&format!(
                "Le bailleur numéro {n} livre {} logements rue {} en phase {sentence} du projet {n}. ",
                n * 7 + sentence,
                n % 97
            ));
        }
        if variant > 0 {
            text.push_str("Une phrase ajoutée par le site qui reprend le communiqué.");
        }
        Signature::of(&Analyzer::default().words(&text)).unwrap()
    }

    /// The promise: with generations on disk, an article joins the story of
    /// the first article it copies, however long ago it was read, as when
    /// everything is in memory.
    #[test]
    fn copies_find_their_story_in_older_generations() {
        let generation = 2_000;
        let mut stories = Stories::with_generation(generation);
        let originals = generation * 2 + 500;
        for n in 0..originals {
            let story = stories.story_of(&format!("a{n}"), Some(signature(n, 0)));
            assert_eq!(
                story,
                story_key(&format!("a{n}")),
                "a distinct article is its own story"
            );
        }
        assert_eq!(stories.spilled.len(), 2, "two generations on disk");
        assert_eq!(stories.len(), originals);
        for n in [3, generation + 11, originals - 2] {
            let story = stories.story_of(&format!("copy-of-{n}"), Some(signature(n, 1)));
            assert_eq!(story, story_key(&format!("a{n}")), "copy of a{n}");
        }
        assert_eq!(stories.story_of("short", None), story_key("short"));
    }

    #[test]
    fn a_bloom_filter_holds_what_it_was_given_and_little_else() {
        let mut bloom = Bloom::new(10_000);
        for key in 0..10_000u32 {
            bloom.insert(key.wrapping_mul(2_654_435_761));
        }
        assert!((0..10_000u32).all(|k| bloom.may_hold(k.wrapping_mul(2_654_435_761))));
        let false_positives = (0..10_000u32)
            .filter(|k| bloom.may_hold(k.wrapping_mul(2_654_435_761) ^ 0x5bd1_e995))
            .count();
        assert!(false_positives < 300, "{false_positives} false positives");
    }
}
