//! Recognition: typed mentions of people, organizations, places and nationalities, and the date
//! and number expressions that must never become entities.
//!
//! Names come from the statistical tagger when a model is embedded ([`crate::ner::bundled`]),
//! else from the rules in [`rules`]. Either way, rules here add what no tagger of CoNLL data
//! gives: dates and numbers, demonyms typed for linking to their country, and the removal of
//! honorifics from person spans ("Ms Roe" names "Roe").

pub mod rules;

use crate::doc::{Doc, Mention, MentionKind};
use crate::kb::Kb;

/// Every mention in a segmented document, sorted by position, without overlaps.
pub fn recognise(doc: &Doc, kb: &Kb) -> Vec<Mention> {
    let mut mentions = match crate::ner::bundled() {
        Some(tagger) => tagger.tag_doc(doc),
        None => rules::names(doc, kb),
    };
    for m in &mut mentions {
        strip_honorifics(doc, m);
    }
    mentions.retain(|m| !m.tokens.is_empty());
    mentions.extend(rules::demonyms(doc, kb));
    mentions.extend(rules::dates_and_numbers(doc));
    // names come first and win over the rule-found extras they overlap
    let mut taken = vec![false; doc.tokens.len()];
    let mut kept = Vec::with_capacity(mentions.len());
    for m in mentions {
        if !m.tokens.clone().any(|t| taken[t]) {
            taken[m.tokens.clone()].fill(true);
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| m.span.start);
    kept
}

/// Honorifics and titles that precede a person's name but are not part of it.
pub const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor", "mr.", "mrs.", "ms.",
    "dr.", "prof.", "president", "pres.", "senator", "sen.", "rep.", "gov.", "governor", "minister", "chancellor",
    "king", "queen", "prince", "princess", "pope", "general", "gen.", "judge", "justice", "secretary",
    "ambassador", "premier", "mayor", "sheikh", "rev.", "reverend", "father", "cardinal", "archbishop",
    "bishop", "chairman", "chairwoman", "coach", "captain", "capt.", "colonel", "col.", "lt.", "sergeant",
];

/// Honorifics that only ever precede a person's name.
const PERSONAL_HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mr.", "mrs.", "ms.", "dr."];

/// "Mr Doe" names "Doe", a person, whatever the tagger typed the span as.
fn strip_honorifics(doc: &Doc, m: &mut Mention) {
    let first = doc.token_text(m.tokens.start).to_lowercase();
    if m.tokens.len() > 1 && PERSONAL_HONORIFICS.contains(&first.as_str()) {
        m.kind = MentionKind::Person;
    }
    if m.kind != MentionKind::Person {
        return;
    }
    while m.tokens.len() > 1 && HONORIFICS.contains(&doc.token_text(m.tokens.start).to_lowercase().as_str()) {
        m.tokens.start += 1;
    }
    if let Some(first) = doc.tokens.get(m.tokens.start) {
        m.span.start = first.span.start;
    }
}
