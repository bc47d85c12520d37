//! Cutting an article into passages, the unit of search results.
//!
//! Paragraphs (blocks separated by blank lines) are the base. Short
//! heading-like lines go with the block they introduce; list and data lines
//! (`- item`, `6 PLS 10 LU 16 PSLA`, `Livraison : 2022`) stay with the block
//! they complete; a paragraph ending with `:` keeps the list that follows.
//! Paragraphs longer than [`MAX_PASSAGE_BYTES`] are split at sentence
//! boundaries. A passage is a contiguous slice of the article text, so its
//! text is exactly as in the source. Photo captions (`data/passage-words.tsv`)
//! head the next paragraph but start no section.

use std::collections::HashSet;
use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

use crate::data::{self, DataFile, DataSet};

/// Passages longer than this are split at sentence boundaries...
pub const MAX_PASSAGE_BYTES: usize = 1500;
/// ...into pieces of about this size.
pub const TARGET_PASSAGE_BYTES: usize = 1000;
/// A single sentence longer than this is cut at a space (extraction noise,
/// text without punctuation).
const MAX_SENTENCE_BYTES: usize = 4000;

/// Longest line that can be a heading, in characters...
const MAX_HEADING_CHARS: usize = 100;
/// ...except at the very top of an article, where titles run longer.
const MAX_TITLE_CHARS: usize = 200;
/// Longest line that can be a data line (`1 841 m²`), in characters.
const MAX_DATA_CHARS: usize = 80;

/// A passage of an article: a byte range of its text and the heading it
/// falls under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Position of the passage in the article, from 0.
    pub ordinal: u32,
    /// Byte range of the passage in the article text: start...
    pub start: usize,
    /// ...and end.
    pub end: usize,
    /// The closest heading above or at the start of the passage.
    pub heading: Option<String>,
}

impl Passage {
    /// The passage's text, exactly as in the article.
    pub fn text<'a>(&self, article_text: &'a str) -> &'a str {
        &article_text[self.start..self.end]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// Short, no sentence ending: a title, a heading, a caption.
    Heading,
    /// A list item or a short line of figures: `- item`, `1 841 m²`,
    /// `Livraison : 2022`.
    Data,
    /// Running text.
    Prose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    /// One heading line (or several, like a title and a subtitle).
    Heading,
    /// Only data lines.
    Data,
    /// A heading line followed by running text (`ARRAS Rue Diderot` then
    /// its description).
    HeadedProse,
    /// Running text.
    Prose,
}

#[derive(Debug)]
struct Block {
    start: usize,
    end: usize,
    kind: BlockKind,
    /// The block's first line, when it is a heading.
    heading: Option<String>,
    /// The block ends with `:`: it introduces what follows.
    intro: bool,
}

/// Cuts `text` into passages, with the built-in data.
pub fn split(text: &str) -> Vec<Passage> {
    Splitter::built_in().split(text)
}

/// Cuts articles into passages, with the word lists of a [`DataSet`].
#[derive(Debug, Clone)]
pub struct Splitter {
    /// Folded words that make a heading a photo caption.
    caption_words: HashSet<String>,
}

impl Splitter {
    /// The splitter of the built-in data.
    pub fn built_in() -> &'static Splitter {
        static BUILT_IN: OnceLock<Splitter> = OnceLock::new();
        BUILT_IN.get_or_init(|| Splitter::new(DataSet::built_in()))
    }

    /// The splitter of `data`.
    pub fn new(data: &DataSet) -> Splitter {
        let caption_words = data::word_list(data.text(DataFile::PassageWords), "caption")
            .into_iter()
            .flatten()
            .collect();
        Splitter { caption_words }
    }

    /// Cuts `text` into passages.
    pub fn split(&self, text: &str) -> Vec<Passage> {
        let blocks = blocks(text);
        let mut builder = Builder::new(self);
        for (i, block) in blocks.iter().enumerate() {
            let next = blocks.get(i + 1).map(|b| b.kind);
            builder.push(block, next);
        }
        let mut passages = Vec::new();
        for (start, end, heading) in builder.finish() {
            split_long(text, start, end, heading, &mut passages);
        }
        for (ordinal, passage) in passages.iter_mut().enumerate() {
            passage.ordinal = ordinal as u32;
        }
        passages
    }

    /// A photo caption or credit: it heads the next block but no section.
    fn is_caption(&self, heading: &str) -> bool {
        heading.contains('©')
            || crate::analysis::fold(heading)
                .split(|c: char| !c.is_alphanumeric())
                .any(|t| self.caption_words.contains(t))
    }
}

/// The article's title: the first heading-like line at the top, preferring
/// one of three words or more over a one-word rubric (`Événement`).
pub fn title(text: &str) -> Option<String> {
    let mut first = None;
    for block in blocks(text) {
        match block.kind {
            BlockKind::Heading => {
                for line in lines(&text[block.start..block.end]) {
                    let heading = clean_heading(line);
                    if heading.split_whitespace().count() >= 3 {
                        return Some(heading);
                    }
                    first.get_or_insert(heading);
                }
            }
            BlockKind::HeadedProse => return first.or(block.heading),
            BlockKind::Data | BlockKind::Prose => break,
        }
    }
    first
}

struct Builder<'a> {
    splitter: &'a Splitter,
    /// Finished passages: start, end, heading.
    done: Vec<(usize, usize, Option<String>)>,
    /// The passage being built.
    current: Option<Current>,
    /// Heading blocks waiting for the content they introduce.
    pending: Vec<(usize, usize, Option<String>)>,
    /// The heading of the current section, for paragraphs without one.
    section: Option<String>,
    /// No content yet: headings here are the article's title, not sections.
    at_top: bool,
}

struct Current {
    start: usize,
    end: usize,
    heading: Option<String>,
    /// Data and list lines that follow belong to this passage.
    takes_data: bool,
    /// The passage ends with `:`; the next block belongs to it.
    intro: bool,
}

impl<'a> Builder<'a> {
    fn new(splitter: &'a Splitter) -> Builder<'a> {
        Builder {
            splitter,
            done: Vec::new(),
            current: None,
            pending: Vec::new(),
            section: None,
            at_top: true,
        }
    }

    fn push(&mut self, block: &Block, next: Option<BlockKind>) {
        match block.kind {
            BlockKind::Data => {
                if self.pending.is_empty() {
                    if let Some(current) = self.current.as_mut().filter(|c| c.takes_data || c.intro)
                    {
                        current.end = block.end;
                        current.takes_data = true;
                        current.intro = block.intro;
                        return;
                    }
                }
                // Figures with nothing to complete head what follows
                // (`1 670 logements créés entre 2016 et 2020`).
                self.pending
                    .push((block.start, block.end, block.heading.clone()));
            }
            BlockKind::Heading => {
                let trailing = !matches!(next, Some(BlockKind::Prose));
                if let Some(current) = self
                    .current
                    .as_mut()
                    .filter(|c| self.pending.is_empty() && (c.intro || (c.takes_data && trailing)))
                {
                    current.end = block.end;
                    current.intro = block.intro;
                    return;
                }
                self.pending
                    .push((block.start, block.end, block.heading.clone()));
            }
            BlockKind::HeadedProse | BlockKind::Prose => {
                if block.kind == BlockKind::Prose && self.pending.is_empty() {
                    if let Some(current) = self.current.as_mut().filter(|c| c.intro) {
                        current.end = block.end;
                        current.intro = block.intro;
                        return;
                    }
                }
                self.flush();
                let start = self.pending.first().map_or(block.start, |p| p.0);
                if let Some(heading) = self.pending.last().and_then(|p| p.2.as_deref()) {
                    if !self.at_top && !self.splitter.is_caption(heading) {
                        self.section = Some(heading.to_string());
                    }
                }
                // The closest heading: the block's own first line, the
                // headings just above, the section's.
                let heading = block
                    .heading
                    .clone()
                    .or_else(|| self.pending.last().and_then(|p| p.2.clone()))
                    .or_else(|| self.section.clone());
                self.pending.clear();
                self.at_top = false;
                self.current = Some(Current {
                    start,
                    end: block.end,
                    heading,
                    takes_data: block.kind == BlockKind::HeadedProse,
                    intro: block.intro,
                });
            }
        }
    }

    fn flush(&mut self) {
        if let Some(current) = self.current.take() {
            self.done
                .push((current.start, current.end, current.heading));
        }
    }

    fn finish(mut self) -> Vec<(usize, usize, Option<String>)> {
        self.flush();
        if let (Some(first), Some(last)) = (self.pending.first(), self.pending.last()) {
            self.done.push((first.0, last.1, last.2.clone()));
        }
        self.done
    }
}

/// Splits a passage longer than [`MAX_PASSAGE_BYTES`] at sentence
/// boundaries into pieces of about [`TARGET_PASSAGE_BYTES`].
fn split_long(
    text: &str,
    start: usize,
    end: usize,
    heading: Option<String>,
    out: &mut Vec<Passage>,
) {
    let push = |out: &mut Vec<Passage>, s: usize, e: usize| {
        let (s, e) = trim(text, s, e);
        if s < e {
            out.push(Passage {
                ordinal: 0,
                start: s,
                end: e,
                heading: heading.clone(),
            });
        }
    };
    if end - start <= MAX_PASSAGE_BYTES {
        push(out, start, end);
        return;
    }
    let mut piece_start = start;
    for (offset, sentence) in text[start..end].split_sentence_bound_indices() {
        let sentence_start = start + offset;
        let sentence_end = sentence_start + sentence.len();
        if sentence_start > piece_start && sentence_end - piece_start > TARGET_PASSAGE_BYTES {
            push(out, piece_start, sentence_start);
            piece_start = sentence_start;
        }
        // Cut sentences that are too long on their own at a space.
        while sentence_end.saturating_sub(piece_start) > MAX_SENTENCE_BYTES {
            let limit = floor_char_boundary(text, piece_start + TARGET_PASSAGE_BYTES);
            let space = text[piece_start..limit]
                .rfind(char::is_whitespace)
                .map(|i| piece_start + i)
                .filter(|&c| c > piece_start);
            if let Some(cut) = space {
                push(out, piece_start, cut);
                piece_start = cut;
                continue;
            }
            // No space in a whole passage: a "word" that long is debris (a
            // data URI, a PDF stream) and is left out of every passage.
            let rest = &text[piece_start..end];
            let token_start = piece_start + (rest.len() - rest.trim_start().len());
            piece_start = text[token_start..end]
                .find(char::is_whitespace)
                .map_or(end, |i| token_start + i);
        }
    }
    push(out, piece_start, end);
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn trim(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &text[start..end];
    let trimmed_start = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    (start + trimmed_start, start + trimmed_start + trimmed.len())
}

/// Lines of `text` without their line ending (`\n`, `\r\n` or `\r`).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Blocks of consecutive non-blank lines, classified.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut block_lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            if !block_lines.is_empty() {
                blocks.push(classify(text, &block_lines, blocks.is_empty()));
                block_lines.clear();
            }
        } else {
            block_lines.push((offset, line));
        }
        offset += raw.len();
    }
    if !block_lines.is_empty() {
        blocks.push(classify(text, &block_lines, blocks.is_empty()));
    }
    blocks
}

fn classify(text: &str, block_lines: &[(usize, &str)], at_top: bool) -> Block {
    let (first_offset, first) = block_lines[0];
    let (last_offset, last) = block_lines[block_lines.len() - 1];
    let (start, end) = trim(text, first_offset, last_offset + last.len());
    let max_heading = if at_top {
        MAX_TITLE_CHARS
    } else {
        MAX_HEADING_CHARS
    };
    let kinds: Vec<LineKind> = block_lines
        .iter()
        .map(|(_, l)| line_kind(l, max_heading))
        .collect();
    let kind = if kinds.iter().all(|&k| k == LineKind::Data) {
        BlockKind::Data
    } else if kinds.iter().all(|&k| k == LineKind::Heading) {
        BlockKind::Heading
    } else if kinds[0] == LineKind::Heading && kinds[1] != LineKind::Heading {
        BlockKind::HeadedProse
    } else {
        BlockKind::Prose
    };
    // A lone data line may head what follows (`1 670 logements créés`).
    let heads = match kind {
        BlockKind::Heading | BlockKind::HeadedProse => true,
        BlockKind::Data => block_lines.len() == 1,
        BlockKind::Prose => false,
    };
    let heading = heads.then(|| clean_heading(first));
    Block {
        start,
        end,
        kind,
        heading,
        intro: last.trim_end().ends_with(':'),
    }
}

fn line_kind(line: &str, max_heading: usize) -> LineKind {
    let line = line.trim();
    let chars = line.chars().count();
    if is_data_line(line, chars) {
        return LineKind::Data;
    }
    // Markdown emphasis does not hide how a line ends (`*une phrase.*`).
    let bare = line.trim_end_matches(['*', '_', ' ']);
    let ends_sentence = bare.ends_with(['.', ',', ';', ':', '…']);
    let words = line.split_whitespace().count();
    if chars <= max_heading && words <= 30 && !ends_sentence {
        LineKind::Heading
    } else {
        LineKind::Prose
    }
}

/// List items and short lines of figures or `label : value` pairs.
fn is_data_line(line: &str, chars: usize) -> bool {
    const MARKERS: &[&str] = &["- ", "* ", "• ", "– ", "— ", "· ", "▪ ", "◦ ", "> "];
    if MARKERS.iter().any(|m| line.starts_with(m)) {
        return true;
    }
    if chars > MAX_DATA_CHARS {
        return false;
    }
    if line.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    match line.split_once(':') {
        Some((label, value)) => {
            let label = label.trim();
            let value = value.trim();
            !label.is_empty()
                && !value.is_empty()
                && label.chars().count() <= 40
                && value.chars().count() <= 40
        }
        None => false,
    }
}

/// A heading line as metadata: without Markdown `#`, trimmed, one space
/// between words.
fn clean_heading(line: &str) -> String {
    let line = line.trim().trim_start_matches('#');
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).iter().map(|p| p.text(text)).collect()
    }

    #[test]
    fn paragraphs_are_passages() {
        let text =
            "Premier paragraphe, avec une phrase.\n\nSecond paragraphe, avec une autre phrase.\n";
        assert_eq!(
            texts(text),
            [
                "Premier paragraphe, avec une phrase.",
                "Second paragraphe, avec une autre phrase."
            ]
        );
        let passages = split(text);
        assert_eq!(passages[0].ordinal, 0);
        assert_eq!(passages[1].ordinal, 1);
    }

    #[test]
    fn a_heading_goes_with_the_paragraph_it_introduces() {
        let text = "Un paragraphe d'introduction qui se termine.\n\nLe logement au cœur du partenariat\n\nL'entreprise s'engage à accorder un droit de préférence.";
        let passages = split(text);
        assert_eq!(passages.len(), 2);
        assert_eq!(
            passages[1].text(text),
            "Le logement au cœur du partenariat\n\nL'entreprise s'engage à accorder un droit de préférence."
        );
        assert_eq!(
            passages[1].heading.as_deref(),
            Some("Le logement au cœur du partenariat")
        );
        assert_eq!(passages[0].heading, None);
    }

    #[test]
    fn section_headings_carry_over_to_the_following_paragraphs() {
        let text = "Titre de l'article\n\nPremier paragraphe, sous le titre.\n\nUne section\n\nPremier paragraphe de la section.\n\nSecond paragraphe de la section.\n\nLILLE Rue Nationale\nUne opération de 20 logements sociaux, livrée en 2023.\n\nTroisième paragraphe de la section.";
        let passages = split(text);
        let headings: Vec<Option<&str>> = passages.iter().map(|p| p.heading.as_deref()).collect();
        assert_eq!(
            headings,
            [
                Some("Titre de l'article"),
                Some("Une section"),
                Some("Une section"),
                Some("LILLE Rue Nationale"),
                Some("Une section")
            ]
        );
    }

    #[test]
    fn captions_are_not_sections() {
        let text = "Une introduction.\n\nUne section\n\nUn paragraphe.\n\nLa résidence - Photo : J. Dupont\n\nUn paragraphe sous la photo.\n\nUn autre paragraphe.";
        let passages = split(text);
        assert_eq!(passages.len(), 4);
        assert_eq!(
            passages[2].heading.as_deref(),
            Some("La résidence - Photo : J. Dupont")
        );
        assert_eq!(passages[3].heading.as_deref(), Some("Une section"));
    }

    #[test]
    fn long_unpunctuated_lines_are_not_headings() {
        let item = "1 027 logements adaptés dans le parc existant et 228 créés pour les personnes âgées et les personnes handicapées";
        let text = format!("Un premier paragraphe qui se termine.\n\n{item}\n\nUn autre paragraphe qui se termine.");
        let passages = split(&text);
        assert_eq!(passages.len(), 3);
        assert_eq!(passages[1].text(&text), item);
        assert_eq!(passages[1].heading, None);
    }

    #[test]
    fn an_operation_keeps_its_figures() {
        let text = "Tour d'horizon des opérations à venir...\n\n\n\nNOYON Quai des Tilleuls\nRedynamisation de quartier via la création d'un ensemble immobilier de 30 logements collectifs.\n\n 6 PLS 10 LU 16 PSLA\n1 841 m²\n\n Démarrage travaux : 2020\n\n\n\nNOYON Rue de Paris\nReconversion d'un ancien dépôt de bus en un programme immobilier mixte.\n\n 8 maisons\n\n Bâtiments rénovés\n\n Livraison : 2020\n\n\n\nEn région Hauts-de-France, 15 communes sont aujourd'hui engagées dans la dynamique.";
        let passages = split(text);
        let t: Vec<&str> = passages.iter().map(|p| p.text(text)).collect();
        assert_eq!(t.len(), 4, "{t:#?}");
        assert!(t[1].starts_with("NOYON Quai des Tilleuls\nRedynamisation"));
        assert!(t[1].contains("6 PLS 10 LU 16 PSLA\n1 841 m²"));
        assert!(t[1].ends_with("Démarrage travaux : 2020"));
        assert_eq!(
            passages[1].heading.as_deref(),
            Some("NOYON Quai des Tilleuls")
        );
        assert!(t[2].starts_with("NOYON Rue de Paris"));
        assert!(t[2].contains("Bâtiments rénovés"));
        assert!(t[2].ends_with("Livraison : 2020"));
        assert!(t[3].starts_with("En région"));
        assert_eq!(passages[3].heading, None);
    }

    #[test]
    fn a_paragraph_ending_with_a_colon_keeps_its_list() {
        let text = "Le plan vise notamment :\n\n- préparer la transition,\n- repenser la densité urbaine,\n\nAu total, 5 milliards d'euros sont alloués sur 5 ans.";
        assert_eq!(
            texts(text),
            [
                "Le plan vise notamment :\n\n- préparer la transition,\n- repenser la densité urbaine,",
                "Au total, 5 milliards d'euros sont alloués sur 5 ans."
            ]
        );
    }

    #[test]
    fn figures_heading_a_paragraph_stay_with_it() {
        let text = "Il soutient l'office depuis plusieurs années.\n\n1 670 logements créés et 4 739 réhabilités entre 2016 et 2020\n\nEn 2016, le Département et l'office ont signé un contrat.";
        let passages = split(text);
        assert_eq!(passages.len(), 2);
        assert!(passages[1].text(text).starts_with("1 670 logements"));
        assert!(passages[1].text(text).ends_with("signé un contrat."));
    }

    #[test]
    fn consecutive_headings_go_with_the_next_paragraph() {
        let text = "Au total, 5 milliards d'euros sont alloués.\n\nClésence soutient 8 communes\n\nUNE REDYNAMISATION EN MARCHÉ !\n\nAvec pas moins de 15 communes engagées, le territoire fournit des opportunités.";
        let passages = split(text);
        assert_eq!(passages.len(), 2);
        assert!(passages[1].text(text).starts_with("Clésence soutient"));
        assert_eq!(
            passages[1].heading.as_deref(),
            Some("UNE REDYNAMISATION EN MARCHÉ !")
        );
    }

    #[test]
    fn headings_carry_over_to_the_pieces_of_a_long_paragraph() {
        let sentence = "Le bailleur social réhabilite des logements dans le quartier. ";
        let body = sentence.repeat(60);
        let text = format!("Un titre de section\n\n{body}");
        let passages = split(&text);
        assert!(passages.len() >= 3, "{}", passages.len());
        for p in &passages {
            assert!(p.end - p.start <= MAX_PASSAGE_BYTES);
            assert_eq!(p.heading.as_deref(), Some("Un titre de section"));
            assert!(
                p.text(&text).ends_with("quartier."),
                "cut inside a sentence"
            );
        }
        // Pieces cover the paragraph without loss.
        let joined: String = passages
            .iter()
            .map(|p| p.text(&text))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            joined.split_whitespace().count(),
            text.split_whitespace().count()
        );
    }

    #[test]
    fn a_sentence_without_end_is_cut_at_spaces() {
        let text = "mot ".repeat(5000);
        let passages = split(&text);
        assert!(passages.len() > 1);
        for p in &passages {
            assert!(p.end - p.start <= MAX_SENTENCE_BYTES);
            assert!(p.text(&text).starts_with("mot"));
            assert!(p.text(&text).ends_with("mot"));
        }
    }

    #[test]
    fn a_word_longer_than_a_passage_is_left_out() {
        let text = format!("Début du texte. {} Fin du texte.", "x".repeat(100_000));
        let passages = split(&text);
        let texts: Vec<&str> = passages.iter().map(|p| p.text(&text)).collect();
        assert_eq!(texts, ["Début du texte.", "Fin du texte."]);
        let text = format!("{}é", "ü".repeat(50_000));
        assert!(split(&text).is_empty());
    }

    #[test]
    fn crlf_and_odd_input() {
        assert!(split("").is_empty());
        assert!(split("\n\n  \n").is_empty());
        let text = "Titre de l'article\r\n\r\nUn paragraphe qui se termine.\r\n";
        assert_eq!(
            texts(text),
            ["Titre de l'article\r\n\r\nUn paragraphe qui se termine."]
        );
        assert_eq!(title(text).as_deref(), Some("Titre de l'article"));
    }

    #[test]
    fn titles() {
        assert_eq!(
            title("Événement\n\nLe groupe a tenu sa convention régionale\n\nLa convention annuelle a été l'occasion de réaffirmer l'engagement.").as_deref(),
            Some("Le groupe a tenu sa convention régionale")
        );
        assert_eq!(
            title("Le texte commence directement par une phrase.\n\nSuite."),
            None
        );
        assert_eq!(
            title("# Un titre Markdown\n\nDu texte.").as_deref(),
            Some("Un titre Markdown")
        );
        assert_eq!(
            title("Un titre suivi du texte\nLe texte est sur la ligne suivante, avec une phrase complète.").as_deref(),
            Some("Un titre suivi du texte")
        );
    }
}
