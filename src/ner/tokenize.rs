//! A small CoNLL/PTB-like word splitter for text that has no tokens yet: gazetteer entries and
//! the unlabeled corpora the word clusters are computed from. Run-time documents arrive
//! segmented by the pipeline's segmenter.

const LEADING: &[char] = &[
    '(', '[', '{', '"', '\'', '\u{2018}', '\u{201C}', '$', '£', '€', '¥',
];
const TRAILING: &[char] = &[
    ')', ']', '}', '"', '\'', '\u{2019}', '\u{201D}', ',', ';', ':', '!', '?', '%',
];

/// Splits text into words: whitespace, then leading and trailing punctuation, currency symbols,
/// a sentence-final period (abbreviations like "U.S." and "Mr." keep theirs) and possessive 's.
pub fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for chunk in text.split_whitespace() {
        split_chunk(chunk, &mut out);
    }
    out
}

fn split_chunk<'a>(mut chunk: &'a str, out: &mut Vec<&'a str>) {
    while let Some(c) = chunk.chars().next().filter(|c| LEADING.contains(c)) {
        if chunk.len() == c.len_utf8() {
            break;
        }
        out.push(&chunk[..c.len_utf8()]);
        chunk = &chunk[c.len_utf8()..];
    }
    let mut tail = Vec::new();
    while let Some(c) = chunk.chars().next_back() {
        if chunk.len() == c.len_utf8() {
            break;
        }
        let body = &chunk[..chunk.len() - c.len_utf8()];
        let split = TRAILING.contains(&c) || (c == '.' && !is_abbreviation(body));
        if !split {
            break;
        }
        tail.push(&chunk[body.len()..]);
        chunk = body;
    }
    for suffix in ["'s", "\u{2019}s", "n't"] {
        if chunk.len() > suffix.len() && chunk.ends_with(suffix) {
            let (word, s) = chunk.split_at(chunk.len() - suffix.len());
            out.push(word);
            out.push(s);
            chunk = "";
            break;
        }
    }
    if !chunk.is_empty() {
        out.push(chunk);
    }
    out.extend(tail.into_iter().rev());
}

/// "U.S", "Mr", "St", "Inc": a period after these belongs to the word.
fn is_abbreviation(body: &str) -> bool {
    body.contains('.') || (body.len() <= 3 && body.chars().next().is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_conll() {
        assert_eq!(
            words("Mr. Smith's firm (U.S.) earned $1.13bn, \u{201C}up 5%\u{201D}. Done."),
            [
                "Mr.", "Smith", "'s", "firm", "(", "U.S.", ")", "earned", "$", "1.13bn", ",",
                "\u{201C}", "up", "5", "%", "\u{201D}", ".", "Done", "."
            ]
        );
        assert_eq!(words("al-Assad didn't"), ["al-Assad", "did", "n't"]);
    }
}
