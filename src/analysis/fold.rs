//! Step 4 of the analysis: case and accent folding. Lower case, accents and
//! ligatures folded (`Cœur` → `coeur`, `COMPIÈGNE` → `compiegne`), typographic
//! apostrophes made plain. Folding comes *before* stemming, so a word and its
//! unaccented spelling always give the same term; it also makes the keys of
//! facet values ([`facet_key`]).

use unicode_normalization::char::decompose_compatible;

/// Lower-cases and folds accents and ligatures: `Cœur` → `coeur`,
/// `COMPIÈGNE` → `compiegne`, `’` → `'`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] into `out`, which is emptied first and keeps its allocation.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            fold_char(lower, out);
        }
    }
}

fn fold_char(c: char, out: &mut String) {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
        'ç' => out.push('c'),
        'é' | 'è' | 'ê' | 'ë' => out.push('e'),
        'î' | 'ï' | 'í' | 'ì' => out.push('i'),
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
        'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
        'ÿ' | 'ý' => out.push('y'),
        'ñ' => out.push('n'),
        'œ' => out.push_str("oe"),
        'æ' => out.push_str("ae"),
        'ß' => out.push_str("ss"),
        'ø' => out.push('o'),
        '’' | 'ʼ' | '‘' => out.push('\''),
        _ => {
            // Anything else: compatibility decomposition without the
            // combining marks (`ł` stays, `ő` → `o`, `ﬁ` → `fi`, `²` → `2`).
            let mut pushed = false;
            // Symbols that stay upper case (`🅐`) are dropped: ordinary
            // terms are lower case, acronym terms alone are not.
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase().filter(|l| !l.is_uppercase()));
                }
                pushed = true;
            });
            if !pushed {
                out.push(c);
            }
        }
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The folded key of a facet value (`Saint-Quentin` → `saint quentin`): the
/// whole value as one term, hyphens, apostrophes and runs of spaces made one
/// space, so that `--commune saint-quentin` finds `Saint-Quentin`.
pub fn facet_key(value: &str) -> String {
    let folded = fold(value);
    folded
        .split(|c: char| c.is_whitespace() || c == '-' || c == '\'')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_ligatures() {
        assert_eq!(fold("COMPIÈGNE Compiègne"), "compiegne compiegne");
        assert_eq!(fold("Cœur CŒUR"), "coeur coeur");
        assert_eq!(fold("Île-de-France"), "ile-de-france");
        assert_eq!(fold("Ça"), "ca");
        assert_eq!(fold("ÆSOPE straße"), "aesope strasse");
        assert_eq!(fold("l’Oise"), "l'oise");
        assert_eq!(fold("m² ﬁn ő"), "m2 fin o");
        assert_eq!(fold("🅐"), "");
    }

    #[test]
    fn facet_keys_fold_the_whole_value() {
        assert_eq!(facet_key("Saint-Quentin"), "saint quentin");
        assert_eq!(facet_key(" SAINT  QUENTIN "), "saint quentin");
        assert_eq!(facet_key("Action Cœur de Ville"), "action coeur de ville");
        assert_eq!(
            facet_key("Office public de l’habitat"),
            "office public de l habitat"
        );
    }
}
