//! Sentence and token segmentation with byte offsets into [`Doc::text`].
//!
//! Tokens follow the conventions of the CoNLL/Penn Treebank data the tagger learns from:
//! punctuation and quotes are tokens of their own, the possessive "'s" and clitics ("n't", "'re")
//! are split off, while abbreviations ("U.S.", "Mr."), hyphenated names ("al-Assad") and numbers
//! ("1.13bn", "3,000") stay whole. Sentences end at final punctuation before a capital, and at
//! every line break: headlines, captions and datelines are lines of their own in news text.

use crate::doc::{Doc, Sentence, Token};
use std::ops::Range;

/// Fills `doc.tokens` and `doc.sentences` from `doc.text`.
pub fn segment(doc: &mut Doc) {
    let spans = tokenize(&doc.text);
    let sentences = split_sentences(&doc.text, &spans);
    doc.tokens.clear();
    doc.sentences.clear();
    for (i, range) in sentences.into_iter().enumerate() {
        let span = spans[range.start].start..spans[range.end - 1].end;
        doc.tokens.extend(spans[range.clone()].iter().map(|s| Token { span: s.clone(), sentence: i }));
        doc.sentences.push(Sentence { span, tokens: range });
    }
}

/// Abbreviations that keep their final period ("Mr.", "Jan.", "Corp."); compared lowercased.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "rep", "sen",
    "gov", "pres", "rev", "st", "jr", "sr", "inc", "corp", "ltd", "co", "plc", "bros", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu",
    "thur", "thurs", "fri", "sat", "sun", "vs", "etc", "no", "nos", "vol", "approx", "est", "dept", "univ",
    "ave", "blvd", "mt", "ft", "hon", "messrs", "mme", "mlle",
];

/// Abbreviations that precede a name, so a capital after them never starts a sentence.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "rep", "sen",
    "gov", "pres", "rev", "st", "hon", "messrs", "mme", "mlle",
];

/// Clitics split off the word before them, Penn Treebank style.
const CLITICS: &[&str] = &["'s", "'re", "'ve", "'ll", "'m", "'d"];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Splits text into token byte spans.
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = char_at(text, i);
        if c.is_whitespace() || c.is_control() || c == '\u{feff}' || c == '\u{200b}' {
            i += c.len_utf8();
        } else if is_word_char(c) {
            let end = scan_word(text, i);
            push_word(text, i..end, &mut tokens);
            i = end;
        } else if c == '.' && bytes.get(i + 1) == Some(&b'.') {
            let end = i + text[i..].bytes().take_while(|&b| b == b'.').count();
            tokens.push(i..end);
            i = end;
        } else if c == '-' && bytes.get(i + 1) == Some(&b'-') {
            let end = i + text[i..].bytes().take_while(|&b| b == b'-').count();
            tokens.push(i..end);
            i = end;
        } else {
            tokens.push(i..i + c.len_utf8());
            i += c.len_utf8();
        }
    }
    tokens
}

fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

/// The end of the word starting at `start`: letters and digits joined by hyphens, apostrophes,
/// and the periods and commas inside numbers and abbreviations.
fn scan_word(text: &str, start: usize) -> usize {
    // Dotted abbreviations: "U.S.", "e.g.", "a.m."
    if let Some(end) = dotted_abbreviation(text, start) {
        return end;
    }
    let mut end = start;
    let mut chars = text[start..].char_indices().peekable();
    let mut prev = ' ';
    while let Some((off, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let joins = match c {
            _ if is_word_char(c) => true,
            '-' | '‐' | '‑' | '&' => next.is_some_and(is_word_char) && is_word_char(prev),
            '.' | ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
            _ if is_apostrophe(c) => next.is_some_and(char::is_alphabetic) && is_word_char(prev),
            _ => false,
        };
        if !joins {
            break;
        }
        end = start + off + c.len_utf8();
        prev = c;
    }
    // An abbreviation keeps its period: "Mr.", "Jan.", or a single initial "J."
    if text[end..].starts_with('.') {
        let word = &text[start..end];
        let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        if initial || ABBREVIATIONS.contains(&word.to_lowercase().as_str()) {
            end += 1;
        }
    }
    end
}

/// "U.S.", "U.N.", "e.g.": two or more single letters each followed by a period.
fn dotted_abbreviation(text: &str, start: usize) -> Option<usize> {
    let mut end = start;
    let mut letters = 0;
    let mut chars = text[start..].chars();
    loop {
        match (chars.next(), chars.clone().next()) {
            (Some(l), Some('.')) if l.is_alphabetic() => {
                chars.next();
                end += l.len_utf8() + 1;
                letters += 1;
            }
            _ => break,
        }
        if chars.clone().next().is_some_and(|c| is_word_char(c)) {
            // the next letter must again be a single letter followed by a period
            let mut look = chars.clone();
            look.next();
            if look.next() != Some('.') {
                break;
            }
        } else {
            break;
        }
    }
    (letters >= 2).then_some(end)
}

/// Pushes a word, splitting off clitics ("'s", "n't") the way the Penn Treebank does.
fn push_word(text: &str, span: Range<usize>, tokens: &mut Vec<Range<usize>>) {
    let word = &text[span.clone()];
    let lower = word.to_lowercase().replace(['’', 'ʼ'], "'");
    if lower.len() > 3 && lower.ends_with("n't") {
        let split = span.start + word.char_indices().rev().nth(2).map_or(0, |(i, _)| i);
        tokens.push(span.start..split);
        tokens.push(split..span.end);
        return;
    }
    for clitic in CLITICS {
        if lower.len() > clitic.len() && lower.ends_with(clitic) {
            let apostrophe = word.char_indices().rev().nth(clitic.chars().count() - 1).map_or(0, |(i, _)| i);
            tokens.push(span.start..span.start + apostrophe);
            tokens.push(span.start + apostrophe..span.end);
            return;
        }
    }
    tokens.push(span);
}

/// Groups tokens into sentences; returns ranges of token indices.
fn split_sentences(text: &str, tokens: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let tok = &text[tokens[i].clone()];
        let mut end = i + 1;
        let mut boundary = false;
        if matches!(tok, "." | "!" | "?" | "…") || tok.starts_with("..") {
            // closing quotes and brackets belong to the sentence they close
            while end < tokens.len()
                && tokens[end].start == tokens[end - 1].end
                && matches!(&text[tokens[end].clone()], "\"" | "”" | "’" | "'" | ")" | "]" | "»")
            {
                end += 1;
            }
            boundary = end == tokens.len() || starts_sentence(&text[tokens[end].clone()]);
        } else if tok.len() > 1 && tok.ends_with('.') && end < tokens.len() {
            // "in the U.S. The ..." ends a sentence; "Mr. Smith" never does.
            let stem = tok.trim_end_matches('.').to_lowercase();
            let next = &text[tokens[end].clone()];
            boundary = !TITLE_ABBREVIATIONS.contains(&stem.as_str())
                && !(tok.chars().count() == 2)
                && SENTENCE_STARTERS.contains(&next);
        }
        if !boundary && end < tokens.len() {
            boundary = text[tokens[end - 1].end..tokens[end].start].contains('\n');
        }
        if boundary || end == tokens.len() {
            sentences.push(start..end);
            start = end;
        }
        i = end;
    }
    sentences
}

/// Words that open sentences far more often than they follow an abbreviation.
const SENTENCE_STARTERS: &[&str] = &[
    "The", "A", "An", "It", "He", "She", "They", "We", "I", "But", "And", "In", "On", "At", "This",
    "That", "These", "Those", "There", "His", "Her", "Their", "Its", "However", "Meanwhile", "After",
    "Before", "When", "While", "If", "As", "Mr", "Mrs", "Ms", "Dr",
];

fn starts_sentence(token: &str) -> bool {
    token.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '—' | '–' | '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Article;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|s| &text[s]).collect()
    }

    #[test]
    fn offsets_round_trip_on_awkward_text() {
        let text = "Mr. al-Assad’s “deal” — worth £600m (1.13bn) — hit the U.S. on Jan. 5; don't.";
        let spans = tokenize(text);
        for s in &spans {
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            assert!(!text[s.clone()].trim().is_empty());
        }
        assert_eq!(
            words(text),
            [
                "Mr.", "al-Assad", "’s", "“", "deal", "”", "—", "worth", "£", "600m", "(", "1.13bn", ")", "—",
                "hit", "the", "U.S.", "on", "Jan.", "5", ";", "do", "n't", "."
            ]
        );
    }

    #[test]
    fn numbers_stay_whole() {
        assert_eq!(words("3,000 people, 2.5% and $1.2bn."), ["3,000", "people", ",", "2.5", "%", "and", "$", "1.2bn", "."]);
    }

    #[test]
    fn possessive_plural_and_names_with_apostrophes() {
        assert_eq!(words("the leaders' O'Brien's"), ["the", "leaders", "'", "O'Brien", "'s"]);
    }

    #[test]
    fn diacritics_and_non_latin_scripts() {
        assert_eq!(words("Erdoğan met Zelenskyy in Kyiv, Москва."), ["Erdoğan", "met", "Zelenskyy", "in", "Kyiv", ",", "Москва", "."]);
        // decomposed é (e + combining acute) stays in one token
        assert_eq!(words("Jose\u{301} said"), ["Jose\u{301}", "said"]);
    }

    fn sentences(text: &str) -> Vec<String> {
        let mut doc = Doc::new(Article { body: text.into(), ..Article::default() });
        segment(&mut doc);
        doc.sentences.iter().map(|s| doc.text[s.span.clone()].to_string()).collect()
    }

    #[test]
    fn sentences_respect_abbreviations_quotes_and_lines() {
        assert_eq!(
            sentences("Mr. Smith went to the U.S. on Jan. 5. He left.\n“It worked,” she said. “Yes.” Then"),
            ["Mr. Smith went to the U.S. on Jan. 5.", "He left.", "“It worked,” she said.", "“Yes.”", "Then"]
        );
        assert_eq!(sentences("It grew in the U.S. The rest fell."), ["It grew in the U.S.", "The rest fell."]);
        assert_eq!(sentences("A headline without a stop\n\nBody text here."), ["A headline without a stop", "Body text here."]);
    }

    #[test]
    fn tokens_point_into_the_title_and_body() {
        let mut doc = Doc::new(Article { title: Some("Talks end".into()), body: "They met.".into(), ..Article::default() });
        segment(&mut doc);
        let all: Vec<_> = (0..doc.tokens.len()).map(|i| doc.token_text(i)).collect();
        assert_eq!(all, ["Talks", "end", "They", "met", "."]);
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.tokens[2].sentence, 1);
    }
}
