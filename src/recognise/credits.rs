//! Photo credits and bylines: "(Reuters: Jane Roe/Pool)", "Photo: AFP/Getty Images", "(AP Photo/
//! Jane Roe)", "Credit: Jane Roe/Reuters". A tagger of running text reads their pieces as it
//! reads prose: "Pool" becomes an organization, "AP Photo" one name, "Roe/Pool" a person. Here a
//! credit is split at its separators ("/", ":", ",", "via"), the markers of how a picture was
//! made ("Pool", "Photo", "File", "Handout") are dropped, and each remaining piece is an
//! agency (Organization) or a photographer (Person).

use crate::doc::{is_acronym, Doc, Mention, MentionKind};
use std::ops::Range;

/// Words that open a credit when a colon follows them ("Photo:", "Picture:", "Credit:").
const CUES: &[&str] = &["photo", "photos", "photograph", "photographs", "picture", "pictures", "image", "images", "credit", "credits", "video"];

/// Words that say how a picture was made or handed out, never a name of their own.
const MARKERS: &[&str] = &[
    "photo", "photos", "photograph", "photographer", "picture", "pictures", "image", "pool", "file", "handout",
    "staff", "stringer", "supplied", "courtesy", "credit", "contributor", "video", "screengrab", "still", "via",
];

/// Photo and news agencies, lowercase, as credits name them (one or more words). A piece that is
/// not on this list and is not an acronym is read as a photographer when it looks like a name.
const AGENCIES: &[&str] = &[
    "reuters", "ap", "associated press", "afp", "agence france-presse", "getty images", "getty", "epa", "efe",
    "epa-efe", "pa", "pa media", "pa wire", "press association", "anadolu", "anadolu agency", "xinhua", "bloomberg",
    "shutterstock", "alamy", "sipa", "sipa usa", "kyodo", "yonhap", "tass", "ria novosti", "sputnik", "nurphoto",
    "sopa images", "lightrocket", "zuma", "zuma press", "zuma wire", "rex", "rex features", "aap", "corbis",
    "imagn", "wireimage", "filmmagic", "usa today sports", "ansa", "dpa", "picture alliance", "belga", "anp",
    "abaca", "aa", "ians", "pti", "ani", "bbc", "abc", "cnn", "nbc", "cbs", "nasa", "eyevine", "magnum photos",
    "redux", "polaris", "the new york times", "the washington post", "the guardian", "bloomberg news",
];

/// The most tokens a credit spans; longer bracketed text is prose.
const LONGEST_CREDIT: usize = 16;

/// Replaces the tagger's reading of every photo credit with the credit's agencies and
/// photographers; keeps `mentions` sorted and free of overlaps.
pub fn apply(doc: &Doc, mentions: &mut Vec<Mention>) {
    let credits: Vec<(Range<usize>, Vec<Mention>)> =
        credit_regions(doc).into_iter().filter_map(|(whole, content)| Some((whole, read_credit(doc, content)?))).collect();
    if credits.is_empty() {
        return;
    }
    mentions.retain(|m| !credits.iter().any(|(region, _)| m.tokens.start < region.end && region.start < m.tokens.end));
    mentions.extend(credits.into_iter().flat_map(|(_, found)| found));
    mentions.sort_by_key(|m| m.span.start);
}

/// Stretches of tokens that may be credits, whole (with brackets and cue) and their content:
/// after a cue and its colon up to the end of the line, sentence or bracket; and brackets whose
/// text has a "/" or ":" in it.
fn credit_regions(doc: &Doc) -> Vec<(Range<usize>, Range<usize>)> {
    let mut regions = Vec::new();
    for sentence in &doc.sentences {
        let tokens = sentence.tokens.clone();
        let mut i = tokens.start;
        while i < tokens.end {
            let word = doc.token_text(i);
            if word == "(" || word == "[" {
                let close = if word == "(" { ")" } else { "]" };
                let end = (i + 1..tokens.end.min(i + 2 + LONGEST_CREDIT)).find(|&j| doc.token_text(j) == close);
                if let Some(end) = end {
                    let inside = i + 1..end;
                    if inside.clone().any(|j| matches!(doc.token_text(j), "/" | ":")) || starts_with_cue(doc, inside.clone()) {
                        regions.push((i..end + 1, strip_cue(doc, inside)));
                        i = end + 1;
                        continue;
                    }
                }
            }
            let opens_line = i == tokens.start || line_break_before(doc, i) || matches!(doc.token_text(i - 1), "|" | "-" | "–" | "—");
            if opens_line && starts_with_cue(doc, i..tokens.end) {
                let start = i + 2;
                let end = (start..tokens.end).find(|&j| line_break_before(doc, j) || matches!(doc.token_text(j), ")" | "]" | "|")).unwrap_or(tokens.end);
                let end = if end > start && doc.token_text(end - 1) == "." { end - 1 } else { end };
                if end > start && end - start <= LONGEST_CREDIT {
                    regions.push((i..end, start..end));
                }
                i = end.max(i + 1);
                continue;
            }
            i += 1;
        }
    }
    regions
}

/// Whether `tokens` open with a cue and a colon ("Photo:", "Picture credit:").
fn starts_with_cue(doc: &Doc, tokens: Range<usize>) -> bool {
    tokens.len() > 2
        && CUES.contains(&doc.token_text(tokens.start).to_lowercase().as_str())
        && doc.token_text(tokens.start + 1) == ":"
}

/// `tokens` without an opening "Photo:".
fn strip_cue(doc: &Doc, tokens: Range<usize>) -> Range<usize> {
    if starts_with_cue(doc, tokens.clone()) {
        tokens.start + 2..tokens.end
    } else {
        tokens
    }
}

fn line_break_before(doc: &Doc, i: usize) -> bool {
    i > 0 && doc.text[doc.tokens[i - 1].span.end..doc.tokens[i].span.start].contains('\n')
}

/// The agencies and photographers of a credit, or `None` when the region reads as prose (a piece
/// with a lowercase word, or one too long for a name): then the tagger's reading stands.
fn read_credit(doc: &Doc, region: Range<usize>) -> Option<Vec<Mention>> {
    let mut found = Vec::new();
    let mut agencies = 0;
    for piece in pieces(doc, region) {
        let piece = without_markers(doc, piece);
        if piece.is_empty() {
            continue;
        }
        let words: Vec<&str> = piece.clone().map(|j| doc.token_text(j)).collect();
        let kind = if is_agency(&words) {
            agencies += 1;
            MentionKind::Organization
        } else if looks_like_a_person(&words) {
            MentionKind::Person
        } else {
            return None;
        };
        found.push(Mention { span: doc.tokens_span(piece.clone()), tokens: piece, kind, entity: None });
    }
    // a credit names who took or handed out the picture: without an agency or a marker it may
    // be a bracketed aside ("(Roe/Doe)"), which the tagger reads as well as we do
    (agencies > 0).then_some(found)
}

/// The pieces of a credit between its separators.
fn pieces(doc: &Doc, region: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = region.start;
    for j in region.clone() {
        let word = doc.token_text(j);
        if matches!(word, "/" | ":" | "," | ";" | "|" | "via" | "for") {
            out.push(start..j);
            start = j + 1;
        }
    }
    out.push(start..region.end);
    out.into_iter().filter(|p| !p.is_empty()).collect()
}

/// A piece without its markers at either end ("AP Photo" → "AP", "File Photo" → nothing).
fn without_markers(doc: &Doc, mut piece: Range<usize>) -> Range<usize> {
    let is_marker = |j: usize| MARKERS.contains(&doc.token_text(j).to_lowercase().as_str()) || matches!(doc.token_text(j), "-" | "." | "'s");
    while !piece.is_empty() && is_marker(piece.start) {
        piece.start += 1;
    }
    while !piece.is_empty() && is_marker(piece.end - 1) {
        piece.end -= 1;
    }
    piece
}

fn is_agency(words: &[&str]) -> bool {
    let joined = words.join(" ").to_lowercase();
    AGENCIES.contains(&joined.as_str()) || (words.len() == 1 && is_acronym(words[0]))
}

/// Two to four capitalised words, with initials and name particles ("Jane Q. Roe", "Ana de
/// Roe"), or one capitalised word (a photographer known by one name, or an agency that is not
/// on the list: the piece is a name either way, and one word is more often a person in credits).
fn looks_like_a_person(words: &[&str]) -> bool {
    const PARTICLES: &[&str] = &["de", "da", "van", "von", "der", "del", "al", "el", "bin", "le", "la", "du", "di", "."];
    (1..=5).contains(&words.len())
        && words.first().is_some_and(|w| w.starts_with(char::is_uppercase))
        && words.last().is_some_and(|w| w.starts_with(char::is_uppercase))
        && words.iter().all(|w| w.starts_with(char::is_uppercase) || PARTICLES.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Article;

    /// What `apply` leaves when the tagger had read every capitalised word as its own
    /// organization (the worst reading a credit gets).
    fn credited(text: &str) -> Vec<(String, MentionKind)> {
        let mut doc = Doc::new(Article { body: text.into(), ..Article::default() });
        crate::segment::segment(&mut doc);
        let mut mentions: Vec<Mention> = (0..doc.tokens.len())
            .filter(|&i| doc.token_text(i).starts_with(char::is_uppercase))
            .map(|i| Mention { span: doc.tokens[i].span.clone(), tokens: i..i + 1, kind: MentionKind::Organization, entity: None })
            .collect();
        apply(&doc, &mut mentions);
        mentions.iter().map(|m| (doc.mention_text(m).to_string(), m.kind)).collect()
    }

    fn has(found: &[(String, MentionKind)], text: &str, kind: MentionKind) -> bool {
        found.iter().any(|(t, k)| t == text && *k == kind)
    }

    fn names(found: &[(String, MentionKind)]) -> Vec<&str> {
        found.iter().map(|(t, _)| t.as_str()).collect()
    }

    #[test]
    fn agencies_and_photographers_stay_and_markers_go() {
        use MentionKind::{Organization as Org, Person as Per};
        let got = credited("Talks resumed on Friday (Reuters: Jane Okafor/Pool) in the capital.");
        assert!(has(&got, "Reuters", Org) && has(&got, "Jane Okafor", Per), "{got:?}");
        assert!(!names(&got).contains(&"Pool"), "{got:?}");
        let got = credited("The bridge after the flood (AP Photo/Marek Duval).");
        assert!(has(&got, "AP", Org) && has(&got, "Marek Duval", Per), "{got:?}");
        assert!(!names(&got).iter().any(|n| n.contains("Photo")), "{got:?}");
        let got = credited("Crowds filled the square.\nPhoto: AFP/Getty Images\nThe march went on.");
        assert!(has(&got, "AFP", Org) && has(&got, "Getty Images", Org), "{got:?}");
        assert!(!names(&got).contains(&"Photo") && !names(&got).contains(&"Getty"), "{got:?}");
        let got = credited("Credit: Lina Varga/Reuters\nThe mayor spoke.");
        assert!(has(&got, "Lina Varga", Per) && has(&got, "Reuters", Org), "{got:?}");
        let got = credited("A rescue worker (File photo: Tomas Ek/EPA-EFE) at the site.");
        assert!(has(&got, "Tomas Ek", Per) && has(&got, "EPA-EFE", Org), "{got:?}");
        let got = credited("Firefighters at work (Dan Ruiz/AFP via Getty Images) on Sunday.");
        assert!(has(&got, "Dan Ruiz", Per) && has(&got, "AFP", Org) && has(&got, "Getty Images", Org), "{got:?}");
        // the prose around a credit keeps the tagger's reading
        assert!(has(&got, "Firefighters", Org) && has(&got, "Sunday", Org), "{got:?}");
    }

    #[test]
    fn brackets_that_are_not_credits_keep_the_tagger_reading() {
        // no agency: an aside, a party label, a ratio
        let got = credited("Jane Roe (Labour/Co-op) won the seat (Roe/Doe said so).");
        assert!(names(&got).contains(&"Labour") && names(&got).contains(&"Roe"), "{got:?}");
        // lowercase prose in brackets
        let got = credited("He left (photo: the crowd at the Gate/AFP) early.");
        assert!(names(&got).contains(&"Gate"), "{got:?}");
        // a cue word in running text
        assert_eq!(names(&credited("The Photo Agency said: Roe won.")), ["The", "Photo", "Agency", "Roe"]);
    }
}
