//! Acronym definitions: "Capitalised Words (CW)" names one thing twice, and the acronym then
//! stands for it wherever the article repeats it (Schwartz & Hearst 2003, for news). The tagger
//! knows acronyms only from its training years, so a new one ("the Ruritanian Liberation Front
//! (RLF)") and its later bare uses are found here; all mentions of the long and the short form
//! take one type (see [`definition_kind`]).

use crate::doc::{is_acronym, Doc, Mention, MentionKind};
use std::ops::Range;

/// Words that may stand inside a long form without giving the acronym a letter.
const LINKING_WORDS: &[&str] = &["of", "and", "for", "the", "de", "du", "des", "la", "le", "on", "in", "&"];

/// Heads of long forms that name organizations whatever the tagger says.
const ORGANIZATION_HEADS: &[&str] = &[
    "agency", "alliance", "army", "association", "authority", "bank", "board", "bureau", "commission", "committee",
    "company", "congress", "corporation", "council", "court", "federation", "forces", "front", "fund", "group",
    "institute", "league", "ministry", "movement", "office", "organisation", "organization", "parliament", "party",
    "service", "society", "union",
];

/// Heads of long forms that name a post or a thing, not a named entity ("Chief Executive Officer (CEO)").
const NOT_NAME_HEADS: &[&str] = &[
    "officer", "executive", "president", "director", "secretary", "minister", "member", "members", "chairman",
    "manager", "governor", "general", "index", "product", "rate", "tax", "offering", "scheme", "system", "programme",
    "program", "test", "certificate", "syndrome", "disease", "virus",
];

/// Adds and retypes the mentions of acronyms the article defines; keeps `mentions` free of overlaps.
///
/// A definition counts when its long form is evidently a name: the tagger found it, or the
/// acronym, somewhere in the article, or one of its words heads organizations ("Bank of …", "… Front").
pub fn apply(doc: &Doc, mentions: &mut Vec<Mention>) {
    for (long, short) in definitions(doc) {
        let long_words = words(doc, long.clone());
        let short_text = doc.token_text(short);
        let head = long_words.last().map(|w| w.to_lowercase()).unwrap_or_default();
        if NOT_NAME_HEADS.contains(&head.as_str()) {
            continue;
        }
        let tagged_somewhere = mentions.iter().any(|m| m.tokens == long || same_words(doc, m.tokens.clone(), &long_words) || same_words(doc, m.tokens.clone(), &[short_text]));
        let organization_word = long_words.iter().any(|w| ORGANIZATION_HEADS.contains(&w.to_lowercase().as_str()));
        if !tagged_somewhere && !organization_word {
            continue;
        }
        let kind = definition_kind(doc, mentions, &long, short_text);
        let mut targets: Vec<Range<usize>> = vec![long.clone(), short..short + 1];
        for sentence in &doc.sentences {
            for i in sentence.tokens.clone() {
                if doc.token_text(i) == short_text && in_running_text(doc, i) {
                    targets.push(i..i + 1);
                }
                let end = i + long_words.len();
                if end <= sentence.tokens.end && same_words(doc, i..end, &long_words) {
                    targets.push(i..end);
                }
            }
        }
        for tokens in targets {
            set_mention(doc, mentions, tokens, kind);
        }
    }
    mentions.sort_by_key(|m| m.span.start);
}

/// The type of a defined acronym: the tagger's for the long form at the definition, else the one
/// it gives the acronym most often, else Organization. Misc does not count: a defined acronym
/// names a thing that acts, and the tagger's Misc there is a guess between types.
fn definition_kind(doc: &Doc, mentions: &[Mention], long: &Range<usize>, short_text: &str) -> MentionKind {
    let typed = |m: &&Mention| matches!(m.kind, MentionKind::Person | MentionKind::Organization | MentionKind::Place);
    if let Some(m) = mentions.iter().filter(typed).find(|m| m.tokens == *long) {
        return m.kind;
    }
    let votes = |kind| mentions.iter().filter(typed).filter(|m| m.kind == kind && doc.mention_text(m) == short_text).count();
    // Organization wins ties
    [MentionKind::Organization, MentionKind::Place, MentionKind::Person]
        .into_iter()
        .rev()
        .max_by_key(|&kind| votes(kind))
        .unwrap_or(MentionKind::Organization)
}

/// (long form, acronym token) for each "Long Form ( LF )" in the article.
fn definitions(doc: &Doc) -> Vec<(Range<usize>, usize)> {
    let mut found = Vec::new();
    for sentence in &doc.sentences {
        let tokens = sentence.tokens.clone();
        for open in tokens.clone() {
            let (short, close) = (open + 1, open + 2);
            if close >= tokens.end || doc.token_text(open) != "(" || doc.token_text(close) != ")" {
                continue;
            }
            // a plural ("MPs") spells the singular
            let acronym = doc.token_text(short);
            let acronym = acronym.strip_suffix('s').unwrap_or(acronym);
            if !is_acronym(acronym) || !in_running_text(doc, open.saturating_sub(1)) {
                continue;
            }
            if let Some(start) = long_form_start(doc, tokens.start, open, acronym) {
                found.push((start..open, short));
            }
        }
    }
    found
}

/// Where the long form ending before `open` starts: the shortest run of capitalised words
/// (linking words and numbers between them) whose initials spell the acronym ("Group of 20" for
/// "G20"; "&" in the acronym stands for a linking word).
fn long_form_start(doc: &Doc, sentence_start: usize, open: usize, acronym: &str) -> Option<usize> {
    let wanted: String = acronym.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut start = open;
    while start > sentence_start {
        start -= 1;
        let word = doc.token_text(start);
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        let filler = word.bytes().all(|b| b.is_ascii_digit()) || LINKING_WORDS.contains(&word.to_lowercase().as_str());
        if !capitalised && !filler {
            return None;
        }
        let initials = doc.initials(start..open);
        if capitalised && initials == wanted {
            return Some(start);
        }
        if initials.len() >= wanted.len() {
            return None;
        }
    }
    None
}

/// A token outside all-caps stretches (headlines, datelines, captions in capitals), where an
/// all-caps word is an acronym and not shouting: a neighbouring word has a lowercase letter.
fn in_running_text(doc: &Doc, i: usize) -> bool {
    (i.saturating_sub(3)..(i + 4).min(doc.tokens.len())).filter(|&j| j != i).any(|j| doc.token_text(j).chars().any(char::is_lowercase))
}

fn words(doc: &Doc, tokens: Range<usize>) -> Vec<&str> {
    tokens.map(|j| doc.token_text(j)).collect()
}

/// Whether `tokens` are these words.
fn same_words(doc: &Doc, tokens: Range<usize>, words: &[&str]) -> bool {
    tokens.len() == words.len() && tokens.zip(words).all(|(j, w)| doc.token_text(j) == *w)
}

/// Makes `tokens` one mention of `kind`, dropping the mentions it overlaps.
fn set_mention(doc: &Doc, mentions: &mut Vec<Mention>, tokens: Range<usize>, kind: MentionKind) {
    if let Some(m) = mentions.iter_mut().find(|m| m.tokens == tokens) {
        m.kind = kind;
        return;
    }
    mentions.retain(|m| m.tokens.end <= tokens.start || m.tokens.start >= tokens.end);
    mentions.push(Mention { span: doc.tokens_span(tokens.clone()), tokens, kind, entity: None });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Article;

    /// The mentions `apply` leaves, as if the tagger had found only the `nth` occurrence of
    /// `tagged` and typed it Place.
    fn found(text: &str, tagged: Option<(&str, usize)>) -> Vec<(String, MentionKind)> {
        let mut doc = Doc::new(Article { body: text.into(), ..Article::default() });
        crate::segment::segment(&mut doc);
        let mut mentions: Vec<Mention> = Vec::new();
        if let Some((at, t)) = tagged.and_then(|(t, nth)| text.match_indices(t).nth(nth)) {
            let inside: Vec<usize> = (0..doc.tokens.len()).filter(|&i| doc.tokens[i].span.start >= at && doc.tokens[i].span.end <= at + t.len()).collect();
            let tokens = inside[0]..inside[inside.len() - 1] + 1;
            mentions.push(Mention { span: doc.tokens_span(tokens.clone()), tokens, kind: MentionKind::Place, entity: None });
        }
        apply(&doc, &mut mentions);
        mentions.iter().map(|m| (doc.mention_text(m).to_string(), m.kind)).collect()
    }

    #[test]
    fn a_defined_acronym_and_its_later_uses_are_one_type() {
        use MentionKind::Organization as Org;
        let got = found("Fighters of the Ruritanian Liberation Front (RLF) crossed the river. The RLF said it held the town. RLF fighters left.", None);
        assert_eq!(
            got,
            [("Ruritanian Liberation Front".into(), Org), ("RLF".into(), Org), ("RLF".into(), Org), ("RLF".into(), Org)]
        );
        let got = found("Leaders of the Group of 20 (G20) met. The G20 agreed.", None);
        assert_eq!(got, [("Group of 20".into(), Org), ("G20".into(), Org), ("G20".into(), Org)]);
        // the tagger's stray type elsewhere gives way to the definition's; bare uses join
        let got = found("Raids on Northern Crescent bases went on. The attacks on Northern Crescent (NC) fighters grew, and NC has held out.", Some(("Northern Crescent", 0)));
        assert_eq!(got, [("Northern Crescent".into(), Org), ("Northern Crescent".into(), Org), ("NC".into(), Org), ("NC".into(), Org)]);
        // a Misc long form takes the type the tagger gives the acronym
        let got = found("Ministers of the Northern Treaty Alliance (NTA) met. NTA said so.", Some(("NTA", 1)));
        assert_eq!(got, [("Northern Treaty Alliance".into(), MentionKind::Place), ("NTA".into(), MentionKind::Place), ("NTA".into(), MentionKind::Place)]);
    }

    #[test]
    fn brackets_that_define_nothing_add_nothing() {
        assert!(found("He met the Chief Executive Officer (CEO) of nothing in particular (NB) today.", None).is_empty());
        assert!(found("Jane Roe (Labour) won. She said (IT) was fine.", None).is_empty());
        // an untagged long form needs an organization's head word: a concept is not a name
        assert!(found("The Gross Domestic Product (GDP) grew and Quarterly Sales Figures (QSF) fell.", None).is_empty());
        // shouting is not an acronym
        assert!(found("POLICE SAY IT IS OVER (IS) TODAY", None).is_empty());
    }
}
