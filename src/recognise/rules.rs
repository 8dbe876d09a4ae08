//! The rule recogniser: capitalisation, context cues and the knowledge base.
//!
//! It finds runs of capitalised tokens ("Bank of England", "al-Assad") and types them by, in
//! order: the knowledge base, a title or honorific before them ("Mr", "president"), an
//! organization head word ("… Party", "Ministry of …"), an acronym's shape, a place preposition
//! ("in", "at"), and finally the shape of a personal name. Where case carries no information
//! (the headline, which may be in Title Case, and all-caps lines such as datelines) only names the
//! knowledge base knows, or that the article also writes in running text, are kept.

use crate::doc::{Doc, Mention, MentionKind};
use crate::kb::Kb;
use std::collections::HashSet;
use std::ops::Range;

/// Person, Organization, Place and Misc mentions by rule.
pub fn names(doc: &Doc, kb: &Kb) -> Vec<Mention> {
    let mut candidates = Vec::new();
    let mut unreliable = Vec::new();
    let shouted = shouted_tokens(doc);
    for sentence in &doc.sentences {
        let headline = sentence.span.start < doc.body_start;
        for run in capitalised_runs(doc, sentence.tokens.clone(), &shouted) {
            unreliable.push(headline || run.clone().any(|t| shouted[t]));
            candidates.push(run);
        }
    }
    let in_running_text: HashSet<&str> = candidates
        .iter()
        .zip(&unreliable)
        .filter(|(_, u)| !**u)
        .map(|(r, _)| doc.slice(&doc.tokens_span(r.clone())))
        .collect();
    let mut mentions = Vec::new();
    for (run, unreliable) in candidates.into_iter().zip(unreliable) {
        let span = doc.tokens_span(run.clone());
        let surface = doc.slice(&span);
        let known = !kb.candidates(surface).is_empty();
        if unreliable && !known && !in_running_text.contains(surface) {
            continue;
        }
        if let Some(kind) = classify(doc, run.clone(), kb) {
            mentions.push(Mention { span, tokens: run, kind, entity: None });
        }
    }
    mentions
}

/// Demonyms and nationalities ("Russian", "Syrians"), typed Nationality; resolution links them
/// to the country.
pub fn demonyms(doc: &Doc, kb: &Kb) -> Vec<Mention> {
    (0..doc.tokens.len())
        .filter(|&t| starts_upper(doc.token_text(t)) && kb.demonym(doc.token_text(t)).is_some())
        .map(|t| Mention { span: doc.tokens[t].span.clone(), tokens: t..t + 1, kind: MentionKind::Nationality, entity: None })
        .collect()
}

/// A one-word name the tagger calls MISC (or a place) that is a demonym is a nationality word:
/// "Japanese" names no place, even when it stands alone for the people ("the Japanese").
pub fn type_nationalities(doc: &Doc, kb: &Kb, mentions: &mut [Mention]) {
    for m in mentions.iter_mut().filter(|m| m.tokens.len() == 1 && matches!(m.kind, MentionKind::Misc | MentionKind::Place)) {
        let text = doc.mention_text(m);
        // a place the knowledge base knows by this very word stays a place
        let a_place_too = m.kind == MentionKind::Place && !kb.candidates(text).is_empty();
        if starts_upper(text) && kb.demonym(text).is_some() && !a_place_too {
            m.kind = MentionKind::Nationality;
        }
    }
}

const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];
const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const RELATIVE_DAYS: &[&str] = &["yesterday", "today", "tomorrow", "tonight"];
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million", "millions",
    "billion", "billions", "dozen", "dozens",
];

/// Date expressions ("November 15, 2015", "15 Nov", "on Sunday", "yesterday") and numbers.
pub fn dates_and_numbers(doc: &Doc) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut t = 0;
    let lower = |i: usize| doc.token_text(i).trim_end_matches('.').to_lowercase();
    let is_day = |i: usize| i < doc.tokens.len() && day_number(doc.token_text(i));
    let is_year = |i: usize| i < doc.tokens.len() && year_number(doc.token_text(i));
    while t < doc.tokens.len() {
        let word = lower(t);
        let month = MONTHS.contains(&word.as_str()) && starts_upper(doc.token_text(t));
        // "May" and "March" are words too: a month needs a day or year beside it
        let ambiguous_month = matches!(word.as_str(), "may" | "march" | "mar");
        let mut end = t;
        if month && (!ambiguous_month || is_day(t + 1) || is_year(t + 1) || (t > 0 && is_day(t - 1))) {
            let start = if t > 0 && is_day(t - 1) { t - 1 } else { t };
            end = t + 1;
            if is_day(end) {
                end += 1;
            }
            if end < doc.tokens.len() && doc.token_text(end) == "," && is_year(end + 1) {
                end += 2;
            } else if is_year(end) {
                end += 1;
            }
            out.push(mention(doc, start..end, MentionKind::Date));
        } else if (WEEKDAYS.contains(&word.as_str()) && starts_upper(doc.token_text(t)))
            || RELATIVE_DAYS.contains(&word.as_str())
        {
            end = t + 1;
            out.push(mention(doc, t..end, MentionKind::Date));
        } else if is_year(t) && t > 0 && matches!(lower(t - 1).as_str(), "in" | "since" | "by" | "until" | "of") {
            end = t + 1;
            out.push(mention(doc, t..end, MentionKind::Date));
        } else if t + 1 < doc.tokens.len() && is_day(t) && MONTHS.contains(&lower(t + 1).as_str()) {
            // "15 November": the month's turn takes the day with it
        } else if doc.token_text(t).starts_with(|c: char| c.is_ascii_digit()) || NUMBER_WORDS.contains(&word.as_str()) {
            end = t + 1;
            while end < doc.tokens.len() && NUMBER_WORDS.contains(&lower(end).as_str()) {
                end += 1;
            }
            out.push(mention(doc, t..end, MentionKind::Number));
        }
        t = end.max(t + 1);
    }
    out
}

fn mention(doc: &Doc, tokens: Range<usize>, kind: MentionKind) -> Mention {
    let span = doc.tokens_span(tokens.clone());
    Mention { span, tokens, kind, entity: None }
}

fn day_number(s: &str) -> bool {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !digits.is_empty()
        && digits.len() <= 2
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

fn year_number(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|y| (1800..=2100).contains(&y))
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// A token that can be part of a name: capitalised ("Roe", "G20", "al-Assad" by its part after
/// the hyphen, "McDonald's"), an all-caps acronym, or a number after "of" ("Group of 20").
fn name_like(token: &str) -> bool {
    let first = token.chars().next().unwrap_or(' ');
    if first.is_uppercase() {
        return token.chars().any(char::is_alphabetic);
    }
    // lowercase particle joined by a hyphen to a capitalised part: "al-Assad", "bin-Salman"
    token.split_once('-').is_some_and(|(head, tail)| head.len() <= 3 && starts_upper(tail))
}

/// Lowercase words allowed inside a name: "Bank of England", "Charles de Gaulle".
const NAME_PARTICLES: &[&str] = &["of", "de", "du", "da", "del", "der", "den", "van", "von", "al", "bin", "la", "le", "y", "&"];

/// Words written with a capital at the start of a sentence or in headlines that are not names.
const COMMON_WORDS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his",
    "her", "their", "our", "my", "your", "there", "here", "but", "and", "or", "so", "yet", "if", "when", "while",
    "as", "after", "before", "since", "because", "although", "though", "however", "meanwhile", "also", "still",
    "in", "on", "at", "by", "for", "from", "with", "without", "about", "over", "under", "into", "of", "to", "up",
    "out", "what", "who", "why", "how", "where", "which", "one", "some", "many", "most", "all", "both", "each",
    "every", "no", "not", "nor", "other", "another", "such", "more", "less", "few", "last", "next", "first",
    "new", "now", "then", "than", "just", "even", "only", "is", "are", "was", "were", "be", "been", "has", "have",
    "had", "will", "would", "can", "could", "should", "may", "might", "must", "do", "does", "did", "said", "says",
    "according", "despite", "during", "until", "whilst", "whether", "once", "later", "earlier", "today",
    "yesterday", "tomorrow", "mr", "mrs", "ms", "dr", "sir", "read", "click", "share", "follow", "join",
    "sign", "subscribe", "related", "leave", "reply", "comment", "comments", "photo", "image", "video",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
];

/// Titles and roles that announce a person's name after them ("president Jane Roe").
const PERSON_CUES: &[&str] = &[
    "president", "minister", "chancellor", "senator", "governor", "mayor", "leader", "chief", "spokesman",
    "spokeswoman", "spokesperson", "secretary", "ambassador", "envoy", "adviser", "advisor", "director",
    "executive", "chairman", "chairwoman", "boss", "coach", "manager", "captain", "star", "actor", "actress",
    "singer", "player", "striker", "midfielder", "defender", "goalkeeper", "champion", "judge", "officer",
    "commander", "general", "king", "queen", "prince", "princess", "premier", "mr", "mrs", "ms", "dr", "sir",
    "dame", "lord", "lady", "professor", "prof", "analyst", "economist", "founder", "author", "writer",
    "director-general", "head", "colleague", "rival", "deputy", "mp", "mep",
];

/// Head words of organization names.
const ORG_HEADS: &[&str] = &[
    "inc", "corp", "corporation", "ltd", "plc", "llc", "co", "company", "group", "holdings", "bank", "party",
    "council", "ministry", "department", "agency", "association", "union", "university", "college", "committee",
    "commission", "court", "organisation", "organization", "office", "institute", "foundation", "federation",
    "league", "club", "fc", "united", "city", "airlines", "airways", "motors", "industries", "technologies",
    "systems", "software", "bureau", "service", "services", "authority", "board", "assembly", "parliament",
    "congress", "senate", "government", "army", "navy", "police", "network", "news", "times", "post", "press",
    "television", "tv", "radio", "records", "studios", "pictures", "entertainment", "telecom", "energy", "oil",
    "fund", "trust", "society", "centre", "center", "church", "academy", "school", "hospital", "brigade",
    "front", "movement", "alliance", "coalition", "forces", "reserve", "exchange", "magazine",
];

/// Words before a name that make it a place ("in Vienna", "near Ankara").
const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "near", "from", "across", "outside", "inside", "around", "throughout", "towards"];

/// Tokens written in capitals next to other words in capitals ("LISBON, PORTUGAL - MARCH 4"):
/// there case says nothing about names. A lone acronym ("NATO") is not shouted.
fn shouted_tokens(doc: &Doc) -> Vec<bool> {
    let caps = |t: usize| {
        let w = doc.token_text(t);
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
    };
    let words: Vec<usize> = (0..doc.tokens.len()).filter(|&t| doc.token_text(t).chars().any(char::is_alphabetic)).collect();
    let mut shouted = vec![false; doc.tokens.len()];
    for (i, &t) in words.iter().enumerate() {
        let same_sentence = |j: usize| doc.tokens[words[j]].sentence == doc.tokens[t].sentence;
        let neighbour_caps = (i > 0 && same_sentence(i - 1) && caps(words[i - 1]))
            || (i + 1 < words.len() && same_sentence(i + 1) && caps(words[i + 1]));
        shouted[t] = caps(t) && neighbour_caps;
    }
    shouted
}

/// Maximal runs of name-like tokens in a sentence, without leading common words.
fn capitalised_runs(doc: &Doc, sentence: Range<usize>, shouted: &[bool]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut t = sentence.start;
    while t < sentence.end {
        let text = doc.token_text(t);
        let common = COMMON_WORDS.contains(&text.to_lowercase().as_str());
        if !name_like(text) || common {
            t += 1;
            continue;
        }
        let start = t;
        let mut end = t + 1;
        loop {
            let next_joins = end < sentence.end && shouted[end] == shouted[start];
            if next_joins && name_like(doc.token_text(end)) && !COMMON_WORDS.contains(&doc.token_text(end).to_lowercase().as_str()) {
                end += 1;
            } else if end + 1 < sentence.end
                && NAME_PARTICLES.contains(&doc.token_text(end))
                && (name_like(doc.token_text(end + 1)) || doc.token_text(end + 1).bytes().all(|b| b.is_ascii_digit()))
            {
                end += 2;
            } else {
                break;
            }
        }
        runs.push(start..end);
        t = end;
    }
    runs
}

/// The kind of a candidate name, or `None` to drop it.
fn classify(doc: &Doc, run: Range<usize>, kb: &Kb) -> Option<MentionKind> {
    let span = doc.tokens_span(run.clone());
    let surface = doc.slice(&span);
    let prev = (run.start > 0).then(|| doc.token_text(run.start - 1).to_lowercase());
    let prev = prev.as_deref().map(|p| p.trim_end_matches('.'));
    let sentence_start = doc.tokens[run.start].sentence != doc.tokens.get(run.start.wrapping_sub(1)).map_or(usize::MAX, |t| t.sentence)
        || prev.is_some_and(|p| matches!(p, ":" | "-" | "—" | "–" | "\"" | "“" | "(" | "‘"));
    if let Some(entry) = kb.candidates(surface).first() {
        return entry.kind.mention_kind();
    }
    let words: Vec<&str> = run.clone().map(|t| doc.token_text(t)).collect();
    let last = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    if ORG_HEADS.contains(&last.trim_end_matches('.')) || words.iter().skip(1).any(|w| *w == "of") && ORG_HEADS.contains(&words[0].to_lowercase().as_str()) {
        return Some(MentionKind::Organization);
    }
    if prev.is_some_and(|p| PERSON_CUES.contains(&p)) {
        return Some(MentionKind::Person);
    }
    let acronym = words.len() == 1 && surface.len() >= 2 && surface.len() <= 6 && !surface.chars().any(char::is_lowercase);
    if acronym {
        return Some(MentionKind::Organization);
    }
    if prev.is_some_and(|p| PLACE_PREPOSITIONS.contains(&p)) && words.len() <= 3 {
        return Some(MentionKind::Place);
    }
    let alphabetic = words.iter().all(|w| w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.')));
    if words.len() >= 2 && words.len() <= 4 && alphabetic {
        return Some(MentionKind::Person);
    }
    // a lone capitalised word mid-sentence: resolution keeps it if it names someone the article
    // names in full, or a country by its demonym
    (words.len() == 1 && !sentence_start).then_some(MentionKind::Misc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Article;

    fn analyse(text: &str) -> Vec<(String, MentionKind)> {
        let mut doc = Doc::new(Article { body: text.into(), ..Article::default() });
        crate::segment::segment(&mut doc);
        let kb = Kb::default();
        let mut ms = names(&doc, &kb);
        ms.extend(dates_and_numbers(&doc));
        ms.sort_by_key(|m| m.span.start);
        ms.iter().map(|m| (doc.mention_text(m).to_string(), m.kind)).collect()
    }

    #[test]
    fn cues_type_names() {
        use MentionKind::*;
        let got = analyse("Foreign minister Jane Roe met Mr Smith of the Bank of Ruritania in Vienna on Monday, 3 March 2014.");
        assert_eq!(
            got,
            [
                ("Jane Roe".into(), Person),
                ("Smith".into(), Person),
                ("Bank of Ruritania".into(), Organization),
                ("Vienna".into(), Place),
                ("Monday".into(), Date),
                ("3 March 2014".into(), Date),
            ]
        );
    }

    #[test]
    fn sentence_initial_words_and_caps_lines_are_not_names() {
        let got = analyse("SOME CITY - MAY 5: Leaders attend a dinner\n\nThe talks ended. Officials said 12 people left.");
        let names: Vec<_> = got.iter().filter(|(_, k)| !matches!(k, MentionKind::Date | MentionKind::Number)).collect();
        assert!(names.is_empty(), "{names:?}");
        assert!(got.contains(&("12".into(), MentionKind::Number)));
    }
}
