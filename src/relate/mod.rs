//! Relations between entities: events with their arguments, positions held, normalised times.
//!
//! Everything here reads the layers earlier stages wrote (sentences, tokens, mentions, entities)
//! and adds [`Facts`]. Times, durations and casualty counts are found by this stage itself from
//! the sentence text, so it does not depend on the recogniser's Date/Duration/Number mentions.

pub mod events;
pub mod positions;
pub mod quantity;
pub mod time;
pub mod time_eval;

use crate::doc::{Doc, EntityKind, Span};
use serde::{Deserialize, Serialize};

pub use events::{Event, EventType, Modality};
pub use positions::{Post, PostOrg};
pub use quantity::{Casualties, Duration, Toll, TollKind};
pub use time::{TimeExpr, TimeValue, TimexType};

/// Facts extracted from one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// Every time expression, resolved where the text and the anchor allow.
    pub times: Vec<TimeExpr>,
    /// Events, asserted or not (see [`Event::modality`]); only asserted ones become RDF.
    pub events: Vec<Event>,
    /// Positions held by people.
    pub posts: Vec<Post>,
}

/// Extracts the facts an article states.
pub fn relate(doc: &Doc) -> Facts {
    relate_with(doc, crate::kb::Kb::bundled())
}

/// [`relate`] with an explicit knowledge base (for demonyms without an entity).
pub fn relate_with(doc: &Doc, kb: &crate::kb::Kb) -> Facts {
    let view = View::new(doc);
    let times = find_all_times(doc);
    let posts = positions::find_posts(&view, kb);
    let events = events::find_events(&view, &times);
    Facts { times, events, posts }
}

/// The time layer of a document: every time expression of its sentences, in text order, resolved
/// against its publication (else dateline) date.
pub fn find_all_times(doc: &Doc) -> Vec<TimeExpr> {
    let anchor = time::anchor_date(&doc.article);
    let mut discourse = time::Discourse::default();
    let mut times = Vec::new();
    for s in &doc.sentences {
        let Some(text) = doc.text.get(s.span.clone()) else { continue };
        times.extend(time::find_times_in(text, s.span.start, anchor, &mut discourse));
    }
    times
}

/// A normalised key for an entity, stable across articles: its knowledge-base id when linked,
/// else its kind and its canonical name folded to ASCII lowercase words joined by '-'.
pub fn entity_key(doc: &Doc, entity: usize) -> String {
    let Some(e) = doc.entities.get(entity) else { return String::new() };
    match &e.link {
        Some(link) => format!("kb:{}", link.id),
        None => format!("{}:{}", e.kind.as_str(), slug(&e.name)),
    }
}

/// ASCII lowercase words joined by '-': "Group of 20" → "group-of-20".
pub fn slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
}

/// Token-level view of a document shared by the extractors: lowercase token texts and which
/// mention covers each token.
pub(crate) struct View<'a> {
    pub doc: &'a Doc,
    pub lower: Vec<String>,
    pub mention_at: Vec<Option<usize>>,
}

impl<'a> View<'a> {
    pub fn new(doc: &'a Doc) -> View<'a> {
        let lower = doc.tokens.iter().map(|t| doc.text.get(t.span.clone()).unwrap_or("").to_lowercase()).collect();
        let mut mention_at = vec![None; doc.tokens.len()];
        for (i, m) in doc.mentions.iter().enumerate() {
            for t in m.tokens.clone() {
                if let Some(slot) = mention_at.get_mut(t) {
                    *slot = Some(i);
                }
            }
        }
        View { doc, lower, mention_at }
    }

    pub fn text(&self, token: usize) -> &str {
        self.doc.tokens.get(token).and_then(|t| self.doc.text.get(t.span.clone())).unwrap_or("")
    }

    pub fn lower(&self, token: usize) -> &str {
        self.lower.get(token).map(String::as_str).unwrap_or("")
    }

    /// The entity kind of the mention at a token, with the mention index and its entity.
    pub fn entity_at(&self, token: usize) -> Option<(usize, usize, EntityKind)> {
        let m = self.mention_at.get(token).copied().flatten()?;
        let e = self.doc.mentions[m].entity?;
        Some((m, e, self.doc.entities.get(e)?.kind))
    }

    /// The token range of the sentence holding a token.
    pub fn sentence_tokens(&self, sentence: usize) -> std::ops::Range<usize> {
        self.doc.sentences.get(sentence).map(|s| s.tokens.clone()).unwrap_or(0..0)
    }

    /// The byte span from the start of one token to the end of another.
    pub fn span(&self, first: usize, last: usize) -> Span {
        let start = self.doc.tokens.get(first).map(|t| t.span.start).unwrap_or(0);
        let end = self.doc.tokens.get(last).map(|t| t.span.end).unwrap_or(start);
        start..end
    }

    /// Whether the token is a possessive marker ("'s", "’s", a lone apostrophe).
    pub fn is_possessive(&self, token: usize) -> bool {
        matches!(self.lower(token), "'s" | "’s" | "'" | "’")
    }

    /// Whether the text right after a mention is a possessive marker (tokenisers differ on
    /// whether "Doe's" is one token or two).
    pub fn possessive_after(&self, mention: usize) -> bool {
        let end = self.doc.mentions[mention].span.end;
        let rest = self.doc.text.get(end..).unwrap_or("");
        rest.starts_with("'s") || rest.starts_with("’s") || rest.starts_with("' ") || rest.starts_with("’ ")
    }
}

#[cfg(test)]
pub(crate) mod testdoc {
    //! Hand-built documents for unit tests: a tiny tokenizer and mention marking by surface text.

    use crate::doc::*;

    /// Builds a Doc from text: one sentence per line, tokens are words, numbers and single
    /// punctuation marks, with "'s" kept as its own token.
    pub fn doc(text: &str, published: Option<&str>) -> Doc {
        let article = Article { id: "test".into(), body: text.into(), published: published.map(str::to_string), ..Default::default() };
        let mut d = Doc::new(article);
        let text = d.text.clone();
        let mut start_of_line = 0;
        for line in text.split_inclusive('\n') {
            let sentence = d.sentences.len();
            let first = d.tokens.len();
            let mut i = 0;
            let bytes: Vec<(usize, char)> = line.char_indices().collect();
            while i < bytes.len() {
                let (pos, c) = bytes[i];
                if c.is_whitespace() {
                    i += 1;
                    continue;
                }
                let mut j = i + 1;
                if c == '\'' || c == '’' {
                    if bytes.get(j).map(|b| b.1) == Some('s') && bytes.get(j + 1).is_none_or(|b| !b.1.is_alphanumeric()) {
                        j += 1;
                    }
                } else if c.is_alphanumeric() {
                    while j < bytes.len() && (bytes[j].1.is_alphanumeric() || (bytes[j].1 == '-' || bytes[j].1 == '.') && bytes.get(j + 1).is_some_and(|b| b.1.is_alphanumeric())) {
                        j += 1;
                    }
                }
                let end = bytes.get(j).map(|b| b.0).unwrap_or(line.len());
                d.tokens.push(Token { span: start_of_line + pos..start_of_line + end, sentence });
                i = j;
            }
            if d.tokens.len() > first {
                let span = d.tokens[first].span.start..d.tokens[d.tokens.len() - 1].span.end;
                d.sentences.push(Sentence { span, tokens: first..d.tokens.len() });
            }
            start_of_line += line.len();
        }
        d
    }

    /// Marks every occurrence of `surface` as a mention of the entity named `entity` (created on
    /// first use with `kind`); Misc mentions may point to an entity of another kind (demonyms).
    pub fn mark(d: &mut Doc, surface: &str, kind: MentionKind, entity: Option<(&str, EntityKind)>) {
        let mut from = 0;
        while let Some(found) = d.text[from..].find(surface) {
            let start = from + found;
            let end = start + surface.len();
            from = end;
            let before_ok = d.text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after_ok = d.text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if !before_ok || !after_ok {
                continue;
            }
            let tokens: Vec<usize> = (0..d.tokens.len()).filter(|&t| d.tokens[t].span.start >= start && d.tokens[t].span.end <= end).collect();
            let (Some(&first), Some(&last)) = (tokens.first(), tokens.last()) else { continue };
            let entity_index = entity.map(|(name, ekind)| match d.entities.iter().position(|e| e.name == name) {
                Some(i) => i,
                None => {
                    d.entities.push(Entity { kind: ekind, name: name.into(), aliases: vec![], mentions: vec![], link: None });
                    d.entities.len() - 1
                }
            });
            let m = d.mentions.len();
            if let Some(e) = entity_index {
                d.entities[e].mentions.push(m);
            }
            d.mentions.push(Mention { span: start..end, tokens: first..last + 1, kind, entity: entity_index });
        }
        d.mentions.sort_by_key(|m| m.span.start);
        // Keep entity mention lists pointing at the sorted positions.
        for e in &mut d.entities {
            e.mentions.clear();
        }
        for (i, m) in d.mentions.iter().enumerate() {
            if let Some(e) = m.entity {
                d.entities[e].mentions.push(i);
            }
        }
    }
}
