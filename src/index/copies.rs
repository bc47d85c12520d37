//! Near-duplicate detection: the same press release republished by several
//! sites ("syndicated copies"), identical or lightly edited.
//!
//! An article is the set of its *shingles*, the runs of [`SHINGLE_WORDS`]
//! consecutive folded words. Two copies share most shingles; a few edits
//! (a reworded sentence, an added paragraph) only touch the shingles that
//! cross them. Five words is long enough that two articles written
//! independently on the same event share almost none (J ≤ 0.02 on the
//! labelled pairs), and short enough that a one-word edit costs only five
//! shingles.
//!
//! The set is summarised by a MinHash [`Signature`] of [`SLOTS`] values,
//! computed by *one permutation hashing* with optimal densification (Li,
//! Owen and Zhang, 2012; Shrivastava, 2017): each shingle is hashed once
//! (xxh3, 64 bits); the high bits of the hash choose one of [`SLOTS`] bins
//! and the low 32 bits are its value; each bin keeps its least value, and
//! an empty bin (short texts leave some) takes that of a bin chosen by a
//! fixed pseudo-random sequence of its own, the same for every article. Two
//! signatures then agree on a slot with probability the Jaccard index
//! `|A∩B| / |A∪B|` of their shingle sets, as with [`SLOTS`] independent
//! permutations (standard error at most `0.5/√128 ≈ 0.044`), for one hash
//! per shingle instead of [`SLOTS`]: at a million passages, classic MinHash
//! cost a fifth of indexing time. Only the low 8 bits of each slot are
//! kept (*b-bit* minwise hashing, Li and König, 2010): unequal values then
//! agree by chance with probability 2⁻⁸, which the estimate corrects
//! (`(agreeing − 2⁻⁸) / (1 − 2⁻⁸)`), for a quarter of the memory and
//! of the index's bytes of 32-bit slots.
//!
//! Jaccard alone punishes copies that differ in *length*: a copy truncated
//! to its first 65%, or wrapped in a site's boilerplate, has a Jaccard well
//! under its overlap. The signature therefore also keeps the number of
//! distinct shingles, from which the *containment* of the smaller set in
//! the larger follows: `|A∩B| = J·(|A|+|B|)/(1+J)`, divided by
//! `min(|A|,|B|)`. [`same_story`] decides on both: containment makes the
//! cut or wrapped copies match, a floor on Jaccard keeps a short text
//! quoted in a long one apart. The thresholds were set on the labelled
//! dev pairs of `bench/labelled/duplicates` (see the `duplicates` example
//! of `bench/`).
//!
//! Finding candidate pairs without comparing every pair is LSH banding:
//! the slots are cut into [`BANDS`] bands of [`ROWS`] rows and two
//! signatures are candidates when one band is equal ([`Candidates`]).
//!
//! Every word is kept, one-character ones too: they are mostly digits
//! (figures, which are what tells apart two articles written from one
//! template for different towns) and `a`/`à`/`y`, whose removal would not
//! make reworded sentences match anyway.

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::analysis::Word;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;

/// Values of a MinHash signature.
pub const SLOTS: usize = 128;

/// Rows (slots) per LSH band.
///
/// With `b` bands of `r` rows, a pair of Jaccard `s` becomes a candidate
/// with probability `1 − (1 − sʳ)ᵇ`, an S-curve whose steep part is near
/// `(1/b)^(1/r)`. With 32 × 4 it is near 0.42: a pair of J = 0.6 is found
/// 99% of the time, of 0.5 87%, of 0.4 56%, while articles that share
/// only a site's boilerplate (J ≈ 0.1) collide 0.3% of the time, so a
/// site's template does not make all its articles candidates of each
/// other. The least similar copies (a truncated copy against a wrapped
/// one, J ≈ 0.4) are thus sometimes missed as a pair, but each is usually
/// found with a third copy of the story (grouping is transitive).
/// 16 × 8 (steep near 0.71) would miss truncated or wrapped copies as a
/// rule; 64 × 2 (near 0.13) would make half the pairs of articles sharing
/// a footer candidates.
pub const ROWS: usize = 4;

/// LSH bands: `BANDS × ROWS = SLOTS`.
pub const BANDS: usize = SLOTS / ROWS;

/// Articles with fewer distinct shingles than this get no signature: too
/// little text to tell a copy from a look-alike (a 30-shingle text is a
/// short paragraph of 34 words).
pub const MIN_SHINGLES: u32 = 30;

/// [`same_story`]: estimated containment of the shorter article in the
/// longer at or above which they are copies. On the dev pairs of
/// `bench/labelled/duplicates`, copies have C ≥ 0.78 (a copy with two
/// sentences reworded against one with another title) and distinct
/// articles C ≤ 0.51 (the same landlord's template filled in for another
/// town); 0.65 is the middle of the gap, three standard errors of the
/// estimate or more from either side. It implies J ≥ 0.48 for texts of equal
/// length, and accepts every pair of J ≥ 0.5 whatever the lengths.
pub const COPY_CONTAINMENT: f64 = 0.65;

/// [`same_story`]: the least estimated Jaccard of copies, a bound on the
/// ratio of their lengths. A text of under a quarter of another's length
/// is not called a copy of it even when quoted whole (a short release
/// inside a long round-up). The dev copies have J ≥ 0.41 (a copy cut to
/// 65% against one wrapped in a site's boilerplate).
pub const MIN_JACCARD: f64 = 0.25;

/// Version of the byte form of [`Signature::to_bytes`]. Bump it whenever
/// the shingles, the hashes, the seeds or [`SLOTS`] change: signatures of
/// different versions cannot be compared.
const FORMAT_VERSION: u8 = 3;

/// The chance that two slots of different values agree, once cut to their
/// low 8 bits.
const CHANCE_AGREEMENT: f64 = 1.0 / 256.0;

/// Separator between the words of a shingle when hashing it, so that
/// `("ab", "c")` and `("a", "bc")` differ; folded words never contain it.
const SEPARATOR: u8 = 0x1f;

/// splitmix64's finaliser, for the densification sequences.
const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The MinHash signature of an article's shingles, with their number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Distinct shingles of the article.
    shingles: u32,
    /// Slot `i`: the low 8 bits of the least value of bin `i`, or of the
    /// bin it borrows from when empty.
    slots: [u8; SLOTS],
}

/// The hashes of the distinct shingles of `words`, sorted.
fn shingle_hashes(words: &[Word]) -> Vec<u64> {
    let mut hashes = Vec::with_capacity(words.len().saturating_sub(SHINGLE_WORDS - 1));
    let mut buffer = Vec::with_capacity(16 * SHINGLE_WORDS);
    for window in words.windows(SHINGLE_WORDS) {
        buffer.clear();
        for word in window {
            buffer.extend_from_slice(word.folded.as_bytes());
            buffer.push(SEPARATOR);
        }
        hashes.push(xxh3_64(&buffer));
    }
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// The value an empty bin takes: that of the first filled bin in its own
/// fixed pseudo-random sequence of bins (optimal densification). `None`
/// only when every bin is empty.
fn borrowed(bin: usize, least: &[Option<u32>; SLOTS]) -> Option<u32> {
    if least.iter().all(Option::is_none) {
        return None;
    }
    let mut state = mix64(0x6c6f_6769_735f_6470 ^ bin as u64);
    loop {
        state = mix64(state.wrapping_add(0x9e37_79b9_7f4a_7c15));
        if let Some(value) = least[(((state >> 32) * SLOTS as u64) >> 32) as usize] {
            return Some(value);
        }
    }
}

impl Signature {
    /// Byte length of [`Signature::to_bytes`]: version, shingle count,
    /// slots.
    pub const BYTES: usize = 1 + 4 + SLOTS;

    /// The signature of an article's analysed words (see
    /// [`crate::analysis::Analyzer::words`]); `None` when it has fewer than
    /// [`MIN_SHINGLES`] distinct shingles.
    pub fn of(words: &[Word]) -> Option<Signature> {
        let hashes = shingle_hashes(words);
        let shingles = u32::try_from(hashes.len()).unwrap_or(u32::MAX);
        if shingles < MIN_SHINGLES {
            return None;
        }
        let mut least: [Option<u32>; SLOTS] = [None; SLOTS];
        for &hash in &hashes {
            // High bits: the bin (multiply-shift); low bits: the value.
            let bin = (((hash >> 32) * SLOTS as u64) >> 32) as usize;
            let value = hash as u32;
            least[bin] = Some(least[bin].map_or(value, |v| v.min(value)));
        }
        let mut slots = [0; SLOTS];
        for (bin, slot) in slots.iter_mut().enumerate() {
            let value = least[bin].or_else(|| borrowed(bin, &least))?;
            *slot = value as u8;
        }
        Some(Signature { shingles, slots })
    }

    /// Estimated Jaccard index of the two shingle sets: the fraction of
    /// equal slots, less the agreements of chance.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let equal = self
            .slots
            .iter()
            .zip(&other.slots)
            .filter(|(a, b)| a == b)
            .count();
        let agreeing = equal as f64 / SLOTS as f64;
        ((agreeing - CHANCE_AGREEMENT) / (1.0 - CHANCE_AGREEMENT)).clamp(0.0, 1.0)
    }

    /// Estimated containment of the smaller shingle set in the larger,
    /// from the Jaccard estimate `J` and the sizes:
    /// `J·(|A|+|B|) / ((1+J)·min(|A|,|B|))`, clamped to `[0, 1]`.
    pub fn containment(&self, other: &Signature) -> f64 {
        let j = self.jaccard(other);
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        let smaller = a.min(b);
        if smaller <= 0.0 {
            return 0.0;
        }
        (j * (a + b) / ((1.0 + j) * smaller)).clamp(0.0, 1.0)
    }

    /// Number of distinct shingles of the article.
    pub fn shingles(&self) -> u32 {
        self.shingles
    }

    /// The [`BANDS`] LSH keys of the signature: each hashes one band's
    /// [`ROWS`] slots, seeded with the band's index so that equal values in
    /// different bands do not collide.
    pub fn band_keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.slots
            .chunks_exact(ROWS)
            .enumerate()
            .map(|(band, rows)| xxh3_64_with_seed(rows, band as u64))
    }

    /// The byte form, for a bytes field of the index: a version byte, the
    /// shingle count (little-endian) and the slots (133 bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(Signature::BYTES);
        bytes.push(FORMAT_VERSION);
        bytes.extend_from_slice(&self.shingles.to_le_bytes());
        bytes.extend_from_slice(&self.slots);
        bytes
    }

    /// The signature of [`Signature::to_bytes`]; `None` for bytes of
    /// another version or length, or that no article could give.
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        let (&version, rest) = bytes.split_first()?;
        if version != FORMAT_VERSION || rest.len() != Signature::BYTES - 1 {
            return None;
        }
        let (count, rest) = rest.split_first_chunk::<4>()?;
        let shingles = u32::from_le_bytes(*count);
        if shingles < MIN_SHINGLES {
            return None;
        }
        let slots: [u8; SLOTS] = rest.try_into().ok()?;
        Some(Signature { shingles, slots })
    }
}

/// Whether two articles are copies of one story: both have at least
/// [`MIN_SHINGLES`] shingles, their estimated Jaccard is at least
/// [`MIN_JACCARD`] and the estimated containment of the shorter in the
/// longer at least [`COPY_CONTAINMENT`]. Symmetric.
pub fn same_story(a: &Signature, b: &Signature) -> bool {
    a.shingles.min(b.shingles) >= MIN_SHINGLES
        && a.jaccard(b) >= MIN_JACCARD
        && a.containment(b) >= COPY_CONTAINMENT
}

/// The key of the story an article starts: a hash of its id. A copy takes
/// the key of the story it joins; search collapses results by it.
pub fn story_key(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}

/// An in-memory LSH table: from band key to the articles having it. Two
/// signatures sharing one band are candidates, to be confirmed by
/// [`same_story`].
///
/// It is compact, since it holds every article of an archive (32 keys
/// each): keys are folded to 32 bits (a collision only adds a candidate,
/// which [`same_story`] then refuses), and the articles under one key are a
/// chain through a flat array rather than a vector per key: about 12 bytes
/// per key and article instead of 60.
#[derive(Debug, Default)]
pub struct Candidates {
    /// The last node filed under each key.
    heads: FxHashMap<u32, u32>,
    /// By node (insertion × [`BANDS`] + band): the previous node under the
    /// same key, or [`NO_NODE`].
    next: Vec<u32>,
    /// By insertion: the article inserted.
    articles: Vec<u32>,
}

/// The end of a chain.
const NO_NODE: u32 = u32::MAX;

impl Candidates {
    /// An empty table.
    pub fn new() -> Candidates {
        Candidates::default()
    }

    /// Files `article` under the band keys of its signature.
    pub fn insert(&mut self, article: u32, sig: &Signature) {
        let insertion = self.articles.len();
        self.articles.push(article);
        for (band, key) in sig.band_keys().enumerate() {
            let node = (insertion * BANDS + band) as u32;
            let previous = self.heads.insert(Candidates::fold_key(key), node);
            self.next.push(previous.unwrap_or(NO_NODE));
        }
    }

    /// The articles sharing at least one band with `sig`, sorted, each
    /// once (including the article of `sig` itself if it was inserted).
    pub fn candidates(&self, sig: &Signature) -> Vec<u32> {
        let mut found = Vec::new();
        for key in sig.band_keys() {
            let mut node = self
                .heads
                .get(&Candidates::fold_key(key))
                .copied()
                .unwrap_or(NO_NODE);
            while node != NO_NODE {
                found.push(self.articles[node as usize / BANDS]);
                node = self.next[node as usize];
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

impl Candidates {
    /// A band key folded to 32 bits.
    pub(crate) fn fold_key(key: u64) -> u32 {
        (key ^ (key >> 32)) as u32
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::analysis::Analyzer;

    /// A press release, as its first site publishes it.
    const STORY: &str = "\
Rouvray-sur-Oise : 48 logements sociaux livrés dans l'ancien quartier de la gare

Le bailleur social Oise Habitat Solidaire a remis jeudi les clés des 48 premiers \
logements de la résidence Les Tilleuls, construite sur l'emprise de l'ancienne halle \
ferroviaire de Rouvray-sur-Oise. L'opération, lancée en 2021, compte 30 logements \
locatifs sociaux financés en PLUS et PLAI et 18 logements en accession sociale à la \
propriété sous le régime du bail réel solidaire.

Le chantier a été conduit par l'agence d'architecture Meunier et Associés, qui a \
privilégié une structure en bois et une isolation en paille pour atteindre le niveau \
RE2020 seuil 2028. Les logements, du T2 au T5, disposent tous d'un balcon ou d'un \
jardin privatif, et les loyers s'échelonnent de 6,10 à 8,40 euros par mètre carré \
selon le financement.

Le coût total de l'opération s'élève à 9,6 millions d'euros hors taxes. La commune a \
cédé le terrain à l'euro symbolique, la communauté d'agglomération a apporté une \
subvention de 420 000 euros et la Banque des Territoires a accordé des prêts sur \
quarante ans. Le département a financé l'aménagement des espaces verts et d'un jardin \
partagé ouvert aux habitants du quartier.

« Cette résidence montre qu'on peut construire sobre, beau et abordable au cœur d'une \
ville moyenne », a déclaré la maire, Sophie Garnier, lors de l'inauguration. Elle a \
rappelé que près de 1 200 ménages attendent un logement social dans la commune, dont \
un tiers depuis plus de deux ans.

Une seconde tranche de 36 logements, dont une résidence pour seniors, doit démarrer au \
printemps prochain sur la parcelle voisine. Les candidatures pour l'accession sociale \
sont ouvertes jusqu'au 15 mars auprès de l'organisme foncier solidaire de l'Oise.";

    /// What a news site wraps around the articles it republishes.
    const SITE_HEADER: &str = "\
Actualités › Logement › Hauts-de-France. Publié le 14 février 2024 à 08h12, mis à \
jour à 09h40. Partager sur Facebook, LinkedIn ou par courriel. Temps de lecture : 3 minutes.";

    const SITE_FOOTER: &str = "\
Vous aimez nos articles ? Abonnez-vous à notre lettre d'information gratuite pour \
recevoir chaque matin l'essentiel de l'actualité du logement et de l'immobilier dans \
votre région. Lire aussi : les aides à la rénovation énergétique en 2024, tout ce qui \
change pour les propriétaires bailleurs.";

    /// The "about" block a landlord puts under all its press releases.
    const ABOUT: &str = "\
À propos d'Oise Habitat Solidaire. Créé en 1952, Oise Habitat Solidaire est un office \
public de l'habitat qui gère plus de 14 000 logements répartis dans 120 communes du \
département. Il loge près de 32 000 personnes et met en chantier chaque année environ \
400 logements neufs, en location comme en accession. Il emploie 310 collaborateurs dans \
six agences de proximité. Contact presse : Julie Marchand, 03 44 12 34 56.";

    /// Another press release of the same landlord.
    const OTHER: &str = "\
Beauvaisis : Oise Habitat Solidaire lance la réhabilitation thermique de la tour Argentine

Le bailleur engage ce mois-ci les travaux de rénovation énergétique des 112 appartements \
de la tour Argentine, un immeuble de quatorze étages construit en 1968 sur le plateau \
Saint-Jean. Le programme prévoit l'isolation des façades par l'extérieur, le \
remplacement de toutes les menuiseries, une nouvelle ventilation mécanique et le \
raccordement au réseau de chaleur urbain alimenté par une chaufferie biomasse.

Selon le diagnostic réalisé l'an dernier, la consommation d'énergie primaire de \
l'immeuble devrait passer de 310 à 95 kilowattheures par mètre carré et par an, ce qui \
ferait gagner à la tour trois classes sur l'étiquette énergétique. Les locataires \
pourraient économiser en moyenne 38 euros par mois sur leurs charges de chauffage.

Les travaux, d'un montant de 7,2 millions d'euros, seront réalisés en site occupé \
pendant dix-huit mois. Une médiatrice sera présente deux jours par semaine dans un local \
du rez-de-chaussée pour répondre aux questions des habitants et organiser les \
interventions dans les logements. Les familles les plus fragiles pourront être relogées \
temporairement dans un appartement témoin pendant les travaux les plus bruyants.

Le financement associe les fonds propres du bailleur, un prêt de la Banque des \
Territoires et une aide du fonds européen de développement régional. Aucune hausse de \
loyer ne sera appliquée à l'issue du chantier, a précisé la direction lors de la \
réunion publique organisée mardi soir au centre social du quartier, qui a réuni une \
centaine de locataires inquiets du bruit et de la poussière.";

    /// [`STORY`] as the landlord's template filled in for another town:
    /// the same sentences, other names and figures, another quote.
    fn for_another_town(story: &str) -> String {
        [
            ("Rouvray-sur-Oise", "Méru-la-Forêt"),
            ("48", "26"),
            ("jeudi", "mardi"),
            ("Les Tilleuls", "Les Charmes"),
            ("halle ferroviaire", "sucrerie"),
            ("la gare", "la sucrerie"),
            ("2021", "2022"),
            ("30 logements", "16 logements"),
            ("18 logements", "10 logements"),
            ("Meunier et Associés", "Durand Architectes"),
            ("2028", "2025"),
            ("T5", "T4"),
            ("6,10", "5,80"),
            ("8,40", "7,90"),
            ("9,6", "5,1"),
            ("420 000", "250 000"),
            ("quarante", "trente"),
            (
                "Cette résidence montre qu'on peut construire sobre, beau et abordable au cœur d'une \
                 ville moyenne",
                "Nos jeunes ménages n'avaient plus de quoi se loger sur la commune",
            ),
            ("la maire, Sophie Garnier", "le maire, Marc Lefebvre"),
            ("Elle a", "Il a"),
            ("1 200", "240"),
            ("36", "20"),
            ("15 mars", "30 avril"),
        ]
        .iter()
        .fold(story.to_string(), |text, (from, to)| text.replace(from, to))
    }

    fn words(text: &str) -> Vec<Word> {
        Analyzer::default().words(text)
    }

    fn sig(text: &str) -> Signature {
        match Signature::of(&words(text)) {
            Some(sig) => sig,
            None => panic!("no signature for {text:?}"),
        }
    }

    /// The text without the paragraph starting with `start`.
    fn without_paragraph(text: &str, start: &str) -> String {
        text.split("\n\n")
            .filter(|p| !p.starts_with(start))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The first `fraction` of the text's words.
    fn truncated(text: &str, fraction: f64) -> String {
        let words = words(text);
        let keep = (words.len() as f64 * fraction) as usize;
        text[..words[keep - 1].to].to_string()
    }

    /// The exact Jaccard index of the shingle sets, from the words
    /// themselves rather than their hashes.
    fn exact_jaccard(a: &[Word], b: &[Word]) -> f64 {
        let set = |words: &[Word]| -> HashSet<Vec<String>> {
            words
                .windows(SHINGLE_WORDS)
                .map(|w| w.iter().map(|w| w.folded.clone()).collect())
                .collect()
        };
        let (a, b) = (set(a), set(b));
        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
    }

    #[test]
    fn identical_texts_have_jaccard_one() {
        let (a, b) = (sig(STORY), sig(STORY));
        assert_eq!(a.jaccard(&b), 1.0);
        assert_eq!(a.containment(&b), 1.0);
        assert!(same_story(&a, &b));
    }

    #[test]
    fn edited_copies_are_the_same_story() {
        let story = sig(STORY);
        let body = STORY.split_once("\n\n").map_or(STORY, |(_, body)| body);
        let copies = [
            (
                "wrapped in boilerplate",
                format!("{SITE_HEADER}\n\n{STORY}\n\n{SITE_FOOTER}"),
            ),
            (
                "another title",
                format!("Logement social : la résidence Les Tilleuls accueille ses premiers locataires\n\n{body}"),
            ),
            ("a paragraph removed", without_paragraph(STORY, "« Cette")),
            ("truncated to 65%", truncated(STORY, 0.65)),
            (
                "wrapped, another title, cut to 75%",
                format!(
                    "{SITE_HEADER}\n\nRouvray : la résidence des Tilleuls inaugurée\n\n{}\n\n{SITE_FOOTER}",
                    truncated(body, 0.75)
                ),
            ),
            (
                "reworded sentences",
                STORY
                    .replace(
                        "Le coût total de l'opération s'élève à 9,6 millions d'euros hors taxes.",
                        "Au total, l'opération a coûté 9,6 millions d'euros HT.",
                    )
                    .replace(
                        "Elle a rappelé que près de 1 200 ménages attendent",
                        "Selon elle, quelque 1 200 foyers attendent",
                    ),
            ),
        ];
        for (edit, copy) in copies {
            let copy = sig(&copy);
            assert!(
                same_story(&story, &copy) && same_story(&copy, &story),
                "{edit}: J = {:.2}, C = {:.2}",
                story.jaccard(&copy),
                story.containment(&copy)
            );
        }
    }

    #[test]
    fn shared_boilerplate_is_not_a_copy() {
        let a = sig(&format!("{STORY}\n\n{ABOUT}"));
        let b = sig(&format!("{OTHER}\n\n{ABOUT}"));
        assert!(
            !same_story(&a, &b),
            "J = {:.2}, C = {:.2}",
            a.jaccard(&b),
            a.containment(&b)
        );
        let a = sig(&format!("{SITE_HEADER}\n\n{STORY}\n\n{SITE_FOOTER}"));
        let b = sig(&format!("{SITE_HEADER}\n\n{OTHER}\n\n{SITE_FOOTER}"));
        assert!(!same_story(&a, &b));
    }

    #[test]
    fn a_template_filled_in_for_another_town_is_not_a_copy() {
        let town = for_another_town(STORY);
        assert_ne!(town, STORY);
        for (a, b) in [
            (STORY.to_string(), town.clone()),
            (format!("{STORY}\n\n{ABOUT}"), format!("{town}\n\n{ABOUT}")),
        ] {
            let (a, b) = (sig(&a), sig(&b));
            assert!(
                !same_story(&a, &b),
                "J = {:.2}, C = {:.2}",
                a.jaccard(&b),
                a.containment(&b)
            );
        }
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert_eq!(Signature::of(&[]), None);
        assert_eq!(
            Signature::of(&words("48 logements livrés à Rouvray.")),
            None
        );
        // The first 33 words of the story make 29 shingles, 34 make 30.
        let story = words(STORY);
        assert_eq!(Signature::of(&story[..33]), None);
        assert!(Signature::of(&story[..34]).is_some_and(|s| s.shingles() == MIN_SHINGLES));
        // Repeating a sentence adds no distinct shingles.
        let repeated = "la maison est à vendre. ".repeat(20);
        assert_eq!(Signature::of(&words(&repeated)), None);
    }

    #[test]
    fn bytes_round_trip_and_bad_bytes_are_refused() {
        let story = sig(STORY);
        let bytes = story.to_bytes();
        assert_eq!(bytes.len(), Signature::BYTES);
        assert_eq!(Signature::from_bytes(&bytes), Some(story.clone()));
        assert_eq!(Signature::from_bytes(&[]), None);
        assert_eq!(Signature::from_bytes(&bytes[..Signature::BYTES - 1]), None);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Signature::from_bytes(&longer), None);
        let mut version = bytes.clone();
        version[0] = FORMAT_VERSION + 1;
        assert_eq!(Signature::from_bytes(&version), None);
        let mut few = bytes.clone();
        few[1..5].copy_from_slice(&(MIN_SHINGLES - 1).to_le_bytes());
        assert_eq!(Signature::from_bytes(&few), None);
    }

    #[test]
    fn candidates_find_copies_only() {
        let mut table = Candidates::new();
        table.insert(1, &sig(STORY));
        table.insert(2, &sig(&format!("{OTHER}\n\n{ABOUT}")));
        let mut random = Random(7);
        for article in 3..200 {
            table.insert(article, &sig(&random.text(200)));
        }
        let copy = sig(&format!("{SITE_HEADER}\n\n{}", truncated(STORY, 0.8)));
        assert_eq!(table.candidates(&copy), [1]);
        let other = sig(&format!("{SITE_HEADER}\n\n{OTHER}\n\n{SITE_FOOTER}"));
        assert_eq!(table.candidates(&other), [2]);
        assert!(table.candidates(&sig(&random.text(300))).is_empty());
    }

    /// The twin of the compact table: the same candidates as a plain map
    /// from full 64-bit key to the articles having it.
    #[test]
    fn the_compact_table_finds_what_a_plain_map_finds() {
        let mut random = Random(11);
        let mut texts: Vec<String> = (0..300).map(|_| random.text(150)).collect();
        // Copies, so that chains are longer than one.
        for i in 0..60 {
            let copy = truncated(&texts[i], 0.7).to_string();
            texts.push(copy);
        }
        let signatures: Vec<Signature> = texts.iter().map(|t| sig(t)).collect();
        let mut table = Candidates::new();
        let mut plain: std::collections::HashMap<u64, Vec<u32>> = Default::default();
        for (article, signature) in signatures.iter().enumerate() {
            table.insert(article as u32, signature);
            for key in signature.band_keys() {
                plain.entry(key).or_default().push(article as u32);
            }
        }
        for signature in &signatures {
            let mut expected: Vec<u32> = signature
                .band_keys()
                .filter_map(|key| plain.get(&key))
                .flatten()
                .copied()
                .collect();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(table.candidates(signature), expected);
        }
    }

    /// xorshift64*: random texts for the estimates' test.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        /// `n` words drawn from a vocabulary of 300.
        fn text(&mut self, n: usize) -> String {
            (0..n)
                .map(|_| format!("mot{}", self.below(300)))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }

    #[test]
    fn jaccard_estimates_are_close_to_the_exact_jaccard() {
        let mut random = Random(0x5eed);
        let (mut errors, mut exacts) = (Vec::new(), Vec::new());
        for round in 0..24 {
            let length = 150 + random.below(500);
            let base = random.text(length);
            // Some words replaced, a prefix added, a tail cut off.
            let mut variant: Vec<String> = base.split(' ').map(str::to_string).collect();
            let edits = random.below(1 + variant.len() / (2 + round % 6));
            for _ in 0..edits {
                let at = random.below(variant.len());
                variant[at] = format!("autre{}", random.below(1000));
            }
            let cut = variant.len() - random.below(variant.len() / 2);
            let prefix = random.below(100);
            let variant = format!("{} {}", random.text(prefix), variant[..cut].join(" "));
            let exact = exact_jaccard(&words(&base), &words(&variant));
            let estimate = sig(&base).jaccard(&sig(&variant));
            assert!(
                (exact - estimate).abs() <= 0.15,
                "round {round}: exact {exact:.3}, estimate {estimate:.3}"
            );
            errors.push((exact - estimate).abs());
            exacts.push(exact);
        }
        // The pairs span the range, and the estimates are unbiased enough
        // that their mean error is near the standard error (≤ 0.044).
        let spread = exacts
            .iter()
            .fold((1.0f64, 0.0f64), |(lo, hi), &j| (lo.min(j), hi.max(j)));
        assert!(
            spread.0 < 0.2 && spread.1 > 0.6,
            "exact Jaccards in {spread:?}"
        );
        let mean = errors.iter().sum::<f64>() / errors.len() as f64;
        assert!(mean < 0.05, "mean error {mean:.3}");
    }
}
