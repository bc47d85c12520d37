//! Which commune a name shared by several communes names (`Senlis`, in
//! the Oise and in the Pas-de-Calais): the article's evidence decides, a
//! `(62)` or `(Pas-de-Calais)` right after the name first, then the
//! départements and régions the article names, its other communes and its
//! postal codes; then population. One name, one commune per article.
//!
//! The same evidence decides the readings that need it: a commune named
//! like a common word at the start of a sentence, a former commune, a
//! short form (`Clichy` is Clichy-sous-Bois in an article about the
//! Seine-Saint-Denis, `Fontenay` Fontenay-sous-Bois in one about the
//! Vaucluse).

use std::collections::{HashMap, HashSet};

use super::{CommuneEntry, Place, PlaceMention, Places, SMALL_COMMUNE};

/// How believable a commune reading of a name is where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Verdict {
    /// Not the commune.
    No,
    /// The commune only if the article names its département (`(84)`, the
    /// Vaucluse, another of its communes, a postal code): `Clichy` for
    /// Clichy-sous-Bois, `Tours` starting a sentence.
    Supported,
    /// The commune unless the article's places are all in other
    /// départements: a former commune after `à`.
    Consistent,
    /// The commune (a small one still needs the article's support).
    Yes,
}

/// A commune mention before disambiguation.
pub(super) struct Candidates {
    pub start: usize,
    pub end: usize,
    /// The matched name's key: one name, one commune per article.
    pub key: String,
    /// The name has homonyms in the gazetteer.
    pub homonyms: bool,
    /// The name is one commune's and specific (`Le Hohwald`, `du Hohwald`):
    /// it needs no support from the article, however small the commune.
    pub specific: bool,
    /// Current communes the name may refer to, here, and how believably.
    pub communes: Vec<(u32, Verdict)>,
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
        // Names without homonyms, read as communes without doubt, are
        // evidence for the others, not for themselves.
        let unambiguous: Vec<(&str, &CommuneEntry)> = pending
            .iter()
            .filter(|c| !c.homonyms)
            .filter_map(|c| {
                let mut yes = c.communes.iter().filter(|(_, v)| *v == Verdict::Yes);
                match (yes.next(), yes.next()) {
                    (Some(&(i, _)), None) => Some((c.key.as_str(), &self.communes[i as usize])),
                    _ => None,
                }
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
            let specific = same.iter().any(|o| o.specific);
            // Each commune with its best verdict over the name's mentions.
            let mut all: Vec<(u32, Verdict)> = same
                .iter()
                .flat_map(|o| o.communes.iter().copied())
                .collect();
            all.sort_unstable_by_key(|&(i, v)| (i, std::cmp::Reverse(v)));
            all.dedup_by_key(|(i, _)| *i);
            let evidence = !deps.is_empty() || !regs.is_empty();
            let supported = |e: &CommuneEntry| hinted(e) || deps.contains(e.departement);
            // A small commune outside the départements of the article's
            // other places is a word or a neighbourhood (`à Recouvrance`
            // in Brest, `bords de Loire` near Nantes).
            let believable = |&(i, verdict): &(u32, Verdict)| {
                let e = &self.communes[i as usize];
                match verdict {
                    Verdict::No => false,
                    Verdict::Supported => supported(e),
                    Verdict::Consistent => !evidence || supported(e),
                    Verdict::Yes => {
                        e.population >= SMALL_COMMUNE || !evidence || specific || supported(e)
                    }
                }
            };
            let best = all.iter().filter(|c| believable(c)).max_by_key(|&&(i, _)| {
                let e = &self.communes[i as usize];
                let score = 100 * u32::from(hinted(e))
                    + 10 * u32::from(deps.contains(e.departement))
                    + u32::from(regs.contains(e.region));
                (score, e.population)
            });
            choice.insert(c.key.as_str(), best.map(|&(i, _)| i));
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
