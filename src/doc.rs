//! The document model. `article::read` makes an [`Article`]; every later stage reads the layers the
//! earlier ones wrote on the [`Doc`] and adds its own (tokens, mentions, entities, facts).
//!
//! All spans are byte offsets into [`Doc::text`], so `&doc.text[span.clone()]` is the covered text.
//! The RDF mapping converts them to character offsets for NIF.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A byte range into [`Doc::text`].
pub type Span = Range<usize>;

/// One article as read from the input, before any analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier: the input's own id, else derived from its URL, else from its content.
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    /// Publication date or date-time as an ISO 8601 lexical form (`2015-11-15` or
    /// `2015-11-15T10:30:00Z`), when the input gives one that parses.
    pub published: Option<String>,
    pub author: Option<String>,
    /// The dateline opening the body ("LONDON (Reuters) -", "LISBON, PORTUGAL - MARCH 4:").
    pub dateline: Option<Dateline>,
    /// Article text after boilerplate removal; paragraphs separated by blank lines.
    pub body: String,
    /// Where the article came from: a path, `path:line` for JSON lines, or `-` for stdin.
    pub source: String,
}

/// A dateline found at the start of the body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dateline {
    /// Byte range of the dateline within [`Article::body`].
    pub span: Span,
    /// The place as written ("LISBON, PORTUGAL"), if any.
    pub place: Option<String>,
    /// The date as written ("NOVEMBER 15"), if any.
    pub date_text: Option<String>,
    /// The date, resolved against the publication date when the year is missing.
    pub date: Option<String>,
}

impl Article {
    /// The publication date (day precision), if known.
    pub fn published_date(&self) -> Option<jiff::civil::Date> {
        let p = self.published.as_deref()?;
        p.get(..10)?.parse().ok()
    }
}

/// A sentence: its span and the range of its tokens in [`Doc::tokens`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
}

/// A token and its byte span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
    /// Index of the sentence that holds this token.
    pub sentence: usize,
}

/// What a mention refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MentionKind {
    Person,
    Organization,
    Place,
    Event,
    /// Names that are not one of the above (works, products, events the tagger calls MISC).
    Misc,
    /// A nationality or demonym ("Japanese", "Americans"): linked to its country, never a
    /// Place mention of it (CoNLL: MISC; OntoNotes: NORP).
    Nationality,
    Date,
    Duration,
    Number,
}

impl MentionKind {
    /// The entity kind for mentions that name an entity; `None` for dates, numbers and Misc.
    pub fn entity_kind(self) -> Option<EntityKind> {
        match self {
            MentionKind::Person => Some(EntityKind::Person),
            MentionKind::Organization => Some(EntityKind::Organization),
            MentionKind::Place => Some(EntityKind::Place),
            MentionKind::Event => Some(EntityKind::Event),
            _ => None,
        }
    }
}

/// A typed span of text found by the recogniser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub span: Span,
    /// Range of token indices covered by the mention.
    pub tokens: Range<usize>,
    pub kind: MentionKind,
    /// The entity this mention belongs to, set by `resolve`.
    pub entity: Option<usize>,
}

/// The kinds of node an entity becomes; they map to schema:Person, Organization, Place, Event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    Event,
}

impl EntityKind {
    /// The mention kind that names an entity of this kind.
    pub fn mention_kind(self) -> Option<MentionKind> {
        Some(match self {
            EntityKind::Person => MentionKind::Person,
            EntityKind::Organization => MentionKind::Organization,
            EntityKind::Place => MentionKind::Place,
            EntityKind::Event => MentionKind::Event,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Event => "event",
        }
    }
}

/// A link from an entity to the knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KbLink {
    /// The knowledge-base id the entity's IRI derives from: a Wikidata QID ("Q159"),
    /// `geonames:ID`, or a user KB's IRI.
    pub id: String,
    pub wikidata: Option<String>,
    pub geonames: Option<u32>,
    /// A finer class than the entity kind, e.g. "Country", "City", "PoliticalParty".
    pub class: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    /// The knowledge base's preferred label, used as canonical name when linked.
    pub label: Option<String>,
    /// How sure the linker is, from 0 to 1 (`ng:linkConfidence`).
    pub confidence: Option<f32>,
}

/// A real-world thing an article talks about: a cluster of mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub kind: EntityKind,
    /// Canonical name: the fullest form in the article, or the knowledge base's label.
    pub name: String,
    /// Every other surface form, sorted and unique.
    pub aliases: Vec<String>,
    /// Indices into [`Doc::mentions`].
    pub mentions: Vec<usize>,
    pub link: Option<KbLink>,
}

/// The analysed article.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Doc {
    pub article: Article,
    /// The analysed text: the headline, a blank line, then the body. All spans point into it.
    pub text: String,
    /// Byte offset where the body starts in `text`.
    pub body_start: usize,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    pub facts: crate::relate::Facts,
}

impl Doc {
    pub fn new(article: Article) -> Doc {
        let mut text = String::with_capacity(article.body.len() + 128);
        if let Some(title) = article.title.as_deref().filter(|t| !t.trim().is_empty()) {
            text.push_str(title.trim());
            text.push_str("\n\n");
        }
        let body_start = text.len();
        text.push_str(&article.body);
        Doc { article, text, body_start, ..Doc::default() }
    }

    /// The text of a span.
    pub fn slice(&self, span: &Span) -> &str {
        &self.text[span.clone()]
    }

    /// The text of a token.
    pub fn token_text(&self, i: usize) -> &str {
        &self.text[self.tokens[i].span.clone()]
    }

    /// The text of a mention.
    pub fn mention_text(&self, m: &Mention) -> &str {
        &self.text[m.span.clone()]
    }

    /// The span from the first to the last of a non-empty range of tokens.
    pub fn tokens_span(&self, tokens: Range<usize>) -> Span {
        self.tokens[tokens.start].span.start..self.tokens[tokens.end - 1].span.end
    }

    /// Initials of a multi-word name: first letters of its capitalised words, digits whole
    /// ("Group of 20" → "G20").
    pub fn initials(&self, tokens: Range<usize>) -> String {
        let mut out = String::new();
        for t in tokens {
            let word = self.token_text(t);
            if word.bytes().all(|b| b.is_ascii_digit()) {
                out.push_str(word);
            } else if let Some(c) = word.chars().next().filter(|c| c.is_uppercase()) {
                out.push(c);
            }
        }
        out
    }

    /// The span of the dateline within [`Doc::text`], if the article has one.
    pub fn dateline_span(&self) -> Option<Span> {
        let d = self.article.dateline.as_ref()?;
        Some(d.span.start + self.body_start..d.span.end + self.body_start)
    }
}

/// Whether a word is written as an acronym: two to seven capitals or digits, periods allowed
/// ("UN", "G20", "U.S.").
pub fn is_acronym(s: &str) -> bool {
    let letters: String = s.chars().filter(|c| *c != '.').collect();
    (2..=7).contains(&letters.chars().count())
        && letters.chars().next().is_some_and(char::is_uppercase)
        && !letters.chars().any(char::is_lowercase)
}
