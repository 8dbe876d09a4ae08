//! Alias keys: the normalised form under which names are indexed and looked up.
//!
//! A key is the name's words, transliterated to ASCII (`deunicode`), lower-cased, with periods,
//! apostrophes and other punctuation removed inside words and hyphens, slashes and whitespace
//! separating words; a leading "the" and a trailing possessive are dropped. So "U.S.", "US" and
//! "the U.S.'s" share the key `us`; "Côte d'Ivoire" and "Cote d'Ivoire" share `cote divoire`;
//! "Winston-Salem" and "Winston Salem" share `winston salem`.

/// The key of a whole name ("the U.S.'s" → "us").
pub fn alias_key(surface: &str) -> String {
    let trimmed = strip_possessive(surface.trim());
    let mut words: Vec<String> = Vec::new();
    for raw in trimmed.split(is_word_separator) {
        let word = normalise_word(raw);
        if !word.is_empty() {
            words.push(word);
        }
    }
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words.join(" ")
}

/// The key of one token, for matching token sequences; empty for pure punctuation.
/// A token may still hold several words ("Winston-Salem"), which come out space-separated.
pub fn token_key(token: &str) -> String {
    let mut out = String::new();
    for raw in token.split(is_word_separator) {
        let word = normalise_word(raw);
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&word);
        }
    }
    out
}

/// True when the text has letters and none of them is lower-case ("US", "U.S.", "G20").
pub fn is_all_caps(text: &str) -> bool {
    let mut letters = false;
    for c in text.chars() {
        if c.is_lowercase() {
            return false;
        }
        letters |= c.is_alphabetic();
    }
    letters
}

/// An abbreviation alias ("US", "UN", "NATO", "G20"): written in capitals, so it may only match
/// a surface written in capitals too, never the common word ("us", "is", "who").
pub fn is_abbreviation(alias: &str) -> bool {
    is_all_caps(alias) && alias.chars().filter(|c| c.is_alphabetic()).count() <= 8
}

fn is_word_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—' | '/' | '_' | ',' | ';' | ':' | '(' | ')')
}

fn normalise_word(raw: &str) -> String {
    let ascii = deunicode::deunicode(raw);
    let word: String = ascii.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '&').map(|c| c.to_ascii_lowercase()).collect();
    british_to_american(word)
}

/// One spelling for words that British and American English write with -ise/-ize
/// ("Organisation", "Organization"): names are spelt either way in the news.
fn british_to_american(word: String) -> String {
    for (british, american) in [("isation", "ization"), ("isations", "izations")] {
        if let Some(stem) = word.strip_suffix(british).filter(|stem| stem.len() >= 3) {
            return format!("{stem}{american}");
        }
    }
    word
}

/// The name without a trailing possessive ("Russia's" → "Russia", "the Philippines'" → "the Philippines").
pub fn strip_possessive(s: &str) -> &str {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(stem) = s.strip_suffix(suffix) {
            return stem;
        }
    }
    // "the Philippines'" — a bare apostrophe after a plural.
    for suffix in ["s'", "s’"] {
        if s.ends_with(suffix) {
            return &s[..s.len() - suffix.len() + 1];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn british_and_american_spellings_share_a_key() {
        assert_eq!(alias_key("North Atlantic Treaty Organisation"), alias_key("North Atlantic Treaty Organization"));
        assert_eq!(alias_key("Organisations"), "organizations");
        assert_eq!(alias_key("Paradise"), "paradise");
    }

    #[test]
    fn keys_fold_case_diacritics_punctuation_and_articles() {
        assert_eq!(alias_key("U.S."), "us");
        assert_eq!(alias_key("US"), "us");
        assert_eq!(alias_key("the U.S.'s"), "us");
        assert_eq!(alias_key("The United States"), "united states");
        assert_eq!(alias_key("Côte d'Ivoire"), "cote divoire");
        assert_eq!(alias_key("Winston-Salem"), "winston salem");
        assert_eq!(alias_key("  São   Paulo "), "sao paulo");
        assert_eq!(alias_key("Russia’s"), "russia");
        assert_eq!(alias_key("the Philippines'"), "philippines");
        // "The" alone is a name's only word, not an article to drop.
        assert_eq!(alias_key("The"), "the");
    }

    #[test]
    fn token_keys_drop_pure_punctuation() {
        assert_eq!(token_key("."), "");
        assert_eq!(token_key("U.S."), "us");
        assert_eq!(token_key("Winston-Salem"), "winston salem");
    }

    #[test]
    fn abbreviations_are_capitals_only() {
        assert!(is_abbreviation("US"));
        assert!(is_abbreviation("G20"));
        assert!(!is_abbreviation("Us"));
        assert!(!is_abbreviation("PiS"));
        assert!(!is_abbreviation("20"));
    }
}
