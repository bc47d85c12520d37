//! Which commune a name shared by several communes names (`Senlis`, in
//! the Oise and in the Pas-de-Calais): the article's evidence decides, a
//! `(62)` or `(Pas-de-Calais)` right after the name first, then the
//! départements and régions the article names, its other communes and its
//! postal codes; then population. One name, one commune per article.

use std::collections::{HashMap, HashSet};

use super::{CommuneEntry, Place, PlaceMention, Places, SMALL_COMMUNE};

/// A commune mention before disambiguation.
pub(super) struct Candidates {
    pub start: usize,
    pub end: usize,
    /// The matched name's key: one name, one commune per article.
    pub key: String,
    /// The name has homonyms in the gazetteer.
    pub homonyms: bool,
    /// Current communes the name may refer to, here.
    pub communes: Vec<u32>,
    /// Départements hinted right after the name (`(60)`, `(Oise)`).
    pub hint: Option<&'static str>,
}

impl Places {
    /// Chooses one commune per ambiguous mention from the evidence in the
    /// text, then by population.
    pub(super) fn resolve(
        &self,
        text: &str,
        mut pending: Vec<Candidates>,
        mentions: &mut Vec<PlaceMention>,
    ) {
        let mut departements: HashSet<&str> = HashSet::new();
        let mut regions: HashSet<&str> = HashSet::new();
        for m in mentions.iter() {
            match &m.place {
                Place::Departement(code) => {
                    departements.insert(code);
                    if let Some(d) = self.departement(code) {
                        regions.insert(d.region);
                    }
                }
                Place::Region(code) => {
                    regions.insert(code);
                }
                Place::Commune(_) => {}
            }
        }
        for code in self.postal_departements(text) {
            departements.insert(code);
        }
        for c in pending.iter_mut() {
            c.hint = self.hint_after(text, c.end);
        }
        // Names without homonyms are evidence for the others, not for
        // themselves.
        let unambiguous: Vec<(&str, &CommuneEntry)> = pending
            .iter()
            .filter(|c| !c.homonyms)
            .filter_map(|c| {
                c.communes
                    .first()
                    .map(|&i| (c.key.as_str(), &self.communes[i as usize]))
            })
            .collect();
        // One commune per name and article: the candidates of all its
        // mentions compete together.
        let mut choice: HashMap<&str, Option<u32>> = HashMap::new();
        for c in &pending {
            if choice.contains_key(c.key.as_str()) {
                continue;
            }
            let mut deps = departements.clone();
            let mut regs = regions.clone();
            for (key, e) in &unambiguous {
                if *key != c.key {
                    deps.insert(e.departement);
                    regs.insert(e.region);
                }
            }
            let same: Vec<&Candidates> = pending.iter().filter(|o| o.key == c.key).collect();
            let hinted = |e: &CommuneEntry| same.iter().any(|o| o.hint == Some(e.departement));
            let mut all: Vec<u32> = same
                .iter()
                .flat_map(|o| o.communes.iter().copied())
                .collect();
            all.sort_unstable();
            all.dedup();
            let best = all.into_iter().max_by_key(|&i| {
                let e = &self.communes[i as usize];
                let score = 100 * u32::from(hinted(e))
                    + 10 * u32::from(deps.contains(e.departement))
                    + u32::from(regs.contains(e.region));
                (score, e.population)
            });
            // A small commune outside the départements of the article's
            // other places is a word or a neighbourhood (`à Recouvrance`
            // in Brest, `bords de Loire` near Nantes).
            let evidence = !deps.is_empty() || !regs.is_empty();
            let best = best.filter(|&i| {
                let e = &self.communes[i as usize];
                e.population >= SMALL_COMMUNE
                    || !evidence
                    || hinted(e)
                    || deps.contains(e.departement)
            });
            choice.insert(c.key.as_str(), best);
        }
        for c in &pending {
            if let Some(Some(best)) = choice.get(c.key.as_str()) {
                mentions.push(PlaceMention {
                    start: c.start,
                    end: c.end,
                    place: Place::Commune(*best),
                });
            }
        }
    }

    /// A département given in brackets right after a name: `(60)`,
    /// `(Oise)`, `(2A)`.
    fn hint_after(&self, text: &str, end: usize) -> Option<&'static str> {
        let rest = text[end..].trim_start();
        let inner = rest.strip_prefix('(')?;
        let close = inner.find(')')?;
        let inner = inner[..close].trim();
        if inner.len() > 40 {
            return None;
        }
        self.departement_named(inner).map(|d| d.code)
    }
}

impl Places {
    /// Départements of the postal codes in the text (5 digits, not a year).
    fn postal_departements(&self, text: &str) -> Vec<&'static str> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i + 5 <= bytes.len() {
            let digits = bytes[i..i + 5].iter().all(u8::is_ascii_digit);
            let bounded = (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
                && (i + 5 == bytes.len() || !bytes[i + 5].is_ascii_alphanumeric());
            if digits && bounded {
                let code = &text[i..i + 5];
                let dep = if code.starts_with("97") {
                    &code[..3]
                } else {
                    &code[..2]
                };
                if let Some(d) = self.departement(dep) {
                    out.push(d.code);
                }
                i += 5;
            } else {
                i += 1;
            }
        }
        out
    }
}
