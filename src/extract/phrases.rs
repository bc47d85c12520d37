//! A map from word sequences to values, with longest-match lookup over a
//! text's words. Shared by the place and term gazetteers.

use rustc_hash::FxHashMap as HashMap;

/// Longest phrase, in words.
const MAX_WORDS: usize = 31;

/// Phrases (words joined by one space) and their values.
pub struct PhraseIndex<T> {
    by_key: HashMap<String, T>,
    /// By first word, the lengths (bit n = n words) phrases have: only those
    /// are tried, so most words cost one lookup.
    lengths: HashMap<String, u32>,
}

impl<T> Default for PhraseIndex<T> {
    fn default() -> Self {
        PhraseIndex {
            by_key: HashMap::default(),
            lengths: HashMap::default(),
        }
    }
}

impl<T: Default> PhraseIndex<T> {
    /// The value of a phrase, created empty if new.
    pub fn entry(&mut self, words: &[&str]) -> Option<&mut T> {
        if words.is_empty() || words.len() > MAX_WORDS {
            return None;
        }
        *self.lengths.entry(words[0].to_string()).or_insert(0) |= 1 << words.len();
        Some(self.by_key.entry(words.join(" ")).or_default())
    }
}

impl<T> PhraseIndex<T> {
    /// The value of a phrase, if any.
    pub fn get(&self, words: &[&str]) -> Option<&T> {
        self.by_key.get(&words.join(" "))
    }

    /// The phrases starting at word `i` of `keys`, longest first, whose
    /// values `accept` takes: (length, value). `buffer` is reused.
    pub fn matches_at<'a>(
        &'a self,
        keys: &[&str],
        i: usize,
        buffer: &mut String,
    ) -> impl Iterator<Item = (usize, &'a T)> + 'a {
        let mask = self.lengths.get(keys[i]).copied().unwrap_or(0);
        let available = if mask == 0 { 0 } else { keys.len() - i };
        let mut found = Vec::new();
        for len in (1..=available.min(MAX_WORDS)).rev() {
            if mask & (1 << len) == 0 {
                continue;
            }
            buffer.clear();
            for (n, key) in keys[i..i + len].iter().enumerate() {
                if n > 0 {
                    buffer.push(' ');
                }
                buffer.push_str(key);
            }
            if let Some(value) = self.by_key.get(buffer.as_str()) {
                found.push((len, value));
            }
        }
        found.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_first_and_only_existing_lengths() {
        let mut index: PhraseIndex<Vec<u32>> = PhraseIndex::default();
        index.entry(&["saint", "quentin"]).unwrap().push(1);
        index.entry(&["saint"]).unwrap().push(2);
        let keys = ["a", "saint", "quentin", "x"];
        let mut buffer = String::new();
        let found: Vec<(usize, Vec<u32>)> = index
            .matches_at(&keys, 1, &mut buffer)
            .map(|(n, v)| (n, v.clone()))
            .collect();
        assert_eq!(found, [(2, vec![1]), (1, vec![2])]);
        assert_eq!(index.matches_at(&keys, 0, &mut buffer).count(), 0);
        assert_eq!(index.get(&["saint"]), Some(&vec![2]));
    }
}
