//! US state abbreviations after a place: "FRESNO, Calif. (AP) —" in a dateline, "a farm near
//! Fresno, Calif., burned" in text. The abbreviation is a Place mention, and the knowledge base
//! finds the state for it (see [`crate::kb::us_states`]). Several abbreviations are words too
//! ("Wash.", "Ind.", "Miss."), so none is read alone: only after "Place," (comma and a place
//! before it), and the ambiguous ones only where the place is vouched for (the dateline, a
//! place the tagger found, or one the knowledge base knows in the US).

use crate::doc::{Doc, Mention, MentionKind};
use crate::kb::{us_states, Kb};
use std::ops::Range;

/// Types the state abbreviations that follow a place as Place mentions; keeps `mentions` free of
/// overlaps and sorted.
pub fn apply(doc: &Doc, kb: &Kb, mentions: &mut Vec<Mention>) {
    let dateline = doc.dateline_span();
    let mut i = 2;
    while i < doc.tokens.len() {
        let Some((end, abbreviation)) = abbreviation_at(doc, i) else {
            i += 1;
            continue;
        };
        let comma = i - 1;
        let in_dateline = dateline.as_ref().is_some_and(|d| d.start <= doc.tokens[comma].span.start && doc.tokens[i].span.end <= d.end);
        let place_before = place_ending_at(doc, kb, mentions, comma, in_dateline, abbreviation.ambiguous);
        if doc.tokens[i].span.start >= doc.body_start && doc.token_text(comma) == "," && place_before {
            set_place(doc, mentions, i..end);
            i = end;
        } else {
            i += 1;
        }
    }
    mentions.sort_by_key(|m| m.span.start);
}

/// The state abbreviation written by the tokens from `start` (adjacent tokens, no space between:
/// "Calif" "." or "N.Y."), with the token after it.
fn abbreviation_at(doc: &Doc, start: usize) -> Option<(usize, us_states::StateAbbreviation)> {
    let first = doc.token_text(start);
    if !first.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let mut end = start + 1;
    let mut found = None;
    loop {
        let written = &doc.text[doc.tokens[start].span.start..doc.tokens[end - 1].span.end];
        if written.len() > us_states::LONGEST {
            break;
        }
        if let Some(abbreviation) = us_states::expand(written) {
            found = Some((end, abbreviation));
        }
        if end >= doc.tokens.len() || doc.tokens[end].span.start != doc.tokens[end - 1].span.end {
            break;
        }
        end += 1;
    }
    // "Calif.-based" is an adjective, and "Ind.-" no abbreviation: a word must not go on
    let (end, abbreviation) = found?;
    let next_joined = end < doc.tokens.len() && doc.tokens[end].span.start == doc.tokens[end - 1].span.end;
    if next_joined && doc.token_text(end).starts_with(|c: char| c.is_alphanumeric() || c == '-') {
        return None;
    }
    Some((end, abbreviation))
}

/// Whether a place ends before the comma at `comma`: a capitalised word, and, for an ambiguous
/// abbreviation outside a dateline, a Place mention there or a US place the knowledge base knows.
fn place_ending_at(doc: &Doc, kb: &Kb, mentions: &[Mention], comma: usize, in_dateline: bool, ambiguous: bool) -> bool {
    let Some(last) = comma.checked_sub(1) else { return false };
    if !doc.token_text(last).starts_with(char::is_uppercase) {
        return false;
    }
    if in_dateline || !ambiguous {
        return true;
    }
    if let Some(m) = mentions.iter().find(|m| m.tokens.end == comma) {
        if m.kind == MentionKind::Place {
            return true;
        }
        return kb.candidates(doc.mention_text(m)).iter().any(|e| e.kind == crate::doc::EntityKind::Place && e.country == Some("US"));
    }
    kb.candidates(doc.token_text(last)).iter().any(|e| e.kind == crate::doc::EntityKind::Place && e.country == Some("US"))
}

/// Makes `tokens` one Place mention; a mention it overlaps keeps what lies before it (the city
/// of "Fresno, Calif" when the tagger read both as one name), else is dropped.
fn set_place(doc: &Doc, mentions: &mut Vec<Mention>, tokens: Range<usize>) {
    let mut kept = Vec::with_capacity(mentions.len() + 1);
    for mut m in mentions.drain(..) {
        if m.tokens.end <= tokens.start || m.tokens.start >= tokens.end {
            kept.push(m);
            continue;
        }
        let mut end = tokens.start;
        while end > m.tokens.start && matches!(doc.token_text(end - 1), "," | ".") {
            end -= 1;
        }
        if end > m.tokens.start {
            m.tokens.end = end;
            m.span = doc.tokens_span(m.tokens.clone());
            kept.push(m);
        }
    }
    kept.push(Mention { span: doc.tokens_span(tokens.clone()), tokens, kind: MentionKind::Place, entity: None });
    *mentions = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Article, Dateline};

    /// The Place mentions `apply` leaves on `body` (the first `dateline` bytes a dateline), with
    /// the tagger's mentions as the bundled model gives them.
    fn places(body: &str, dateline: usize) -> Vec<String> {
        let article = Article {
            body: body.into(),
            dateline: (dateline > 0).then(|| Dateline { span: 0..dateline, ..Dateline::default() }),
            ..Article::default()
        };
        let mut doc = Doc::new(article);
        crate::segment::segment(&mut doc);
        let mut mentions = Vec::new();
        apply(&doc, &Kb::default(), &mut mentions);
        mentions.iter().filter(|m| m.kind == MentionKind::Place).map(|m| doc.mention_text(m).to_string()).collect()
    }

    #[test]
    fn abbreviations_after_a_place_are_places() {
        assert_eq!(places("A farm near Oakvale, Calif., burned on Monday.", 0), ["Calif."]);
        assert_eq!(places("She moved to Brookton, N.Y. last year.", 0), ["N.Y."]);
        assert_eq!(places("He grew up in Millbrook, W.Va. and left.", 0), ["W.Va."]);
        // sentence-final: the full stop is the abbreviation's period
        assert_eq!(places("The plant is in Dunmore, Fla. It closed.", 0), ["Fla."]);
        // in a dateline an ambiguous one needs no more than the city before it
        assert_eq!(places("PINEHURST, Wash. (AP) - The ferry sank.", 17), ["Wash."]);
    }

    #[test]
    fn words_that_abbreviate_states_are_left_alone_elsewhere() {
        // no place before them, or no comma
        assert!(places("Wash. the car first, then Ind. the list.", 0).is_empty());
        assert!(places("They met Jane Roe, Miss. Roe's sister.", 0).is_empty());
        assert!(places("Calif. is not how a sentence starts.", 0).is_empty());
        // an ambiguous one after an unknown capitalised word outside a dateline
        assert!(places("Ask Roe, Wash. the dishes.", 0).is_empty());
        // an adjective
        assert!(places("Oakvale, Calif.-based firms grew.", 0).is_empty());
    }
}
