//! Recognition: typed mentions of people, organizations, places and nationalities, and the date
//! and number expressions that must never become entities.
//!
//! Names come from the statistical tagger when a model is embedded ([`crate::ner::bundled`]),
//! else from the rules in [`rules`]. Either way, rules here add what no tagger of CoNLL data
//! gives: dates and numbers, demonyms typed for linking to their country, the removal of
//! honorifics from person spans ("Ms Roe" names "Roe"), photo credits read as agencies and
//! photographers ([`credits`]), and the US state abbreviations of datelines ([`states`]).

mod acronyms;
mod codes;
mod context;
mod credits;
pub mod news_eval;
pub mod rules;
mod states;

use crate::doc::{Doc, Mention, MentionKind};
use crate::kb::Kb;

/// Every mention in a segmented document, sorted by position, without overlaps.
pub fn recognise(doc: &Doc, kb: &Kb) -> Vec<Mention> {
    let mut mentions = match crate::ner::bundled() {
        Some(tagger) => tagger.tag_doc(doc),
        None => rules::names(doc, kb),
    };
    for m in &mut mentions {
        trim_unbalanced_brackets(doc, m);
        strip_honorifics(doc, m);
    }
    mentions.retain(|m| !m.tokens.is_empty() && (m.span.start >= doc.body_start || headline_name_holds(doc, kb, m)));
    acronyms::apply(doc, &mut mentions);
    codes::drop_codes(doc, &mut mentions);
    context::retype(doc, kb, &mut mentions);
    credits::apply(doc, &mut mentions);
    states::apply(doc, kb, &mut mentions);
    rules::type_nationalities(doc, kb, &mut mentions);
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

/// A name the tagger finds in the headline stands when the knowledge base knows it or the body
/// writes it (whole, or its last word): headlines capitalise words at will ("Leaders Unite in
/// Talks"), and the body names whoever the headline is about.
fn headline_name_holds(doc: &Doc, kb: &Kb, m: &Mention) -> bool {
    let text = doc.mention_text(m);
    let body = doc.text.get(doc.body_start..).unwrap_or("");
    let last_word = doc.token_text(m.tokens.end - 1);
    !kb.candidates(text).is_empty()
        || contains_words(body, text)
        || (m.tokens.len() > 1 && last_word.chars().count() > 2 && contains_words(body, last_word))
}

/// Whether `words` stands in `text` between word boundaries ("Unite" is not in "United").
fn contains_words(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A name never holds half a bracket pair: in "(Jane) Roe" or "Acme (Europe" the tagger's span
/// crosses a bracket, and the name is the part outside the brackets: after a closing one, before an
/// opening one (in-article coreference restores "Jane Roe" from its other mentions).
fn trim_unbalanced_brackets(doc: &Doc, m: &mut Mention) {
    while let Some(cut) = unbalanced_bracket(doc, m.tokens.clone()) {
        let (left, right) = (m.tokens.start..cut, cut + 1..m.tokens.end);
        let closing = matches!(doc.token_text(cut), ")" | "]" | "}");
        m.tokens = if (closing && !right.is_empty()) || left.is_empty() { right } else { left };
    }
    if !m.tokens.is_empty() {
        m.span = doc.tokens_span(m.tokens.clone());
    }
}

/// The first token of `tokens` that is a bracket without its partner inside `tokens`.
fn unbalanced_bracket(doc: &Doc, tokens: std::ops::Range<usize>) -> Option<usize> {
    let mut open: Vec<(usize, char)> = Vec::new();
    for i in tokens {
        match doc.token_text(i) {
            "(" => open.push((i, ')')),
            "[" => open.push((i, ']')),
            "{" => open.push((i, '}')),
            close @ (")" | "]" | "}") => match open.pop() {
                Some((_, expected)) if close.starts_with(expected) => {}
                Some((at, _)) => return Some(at),
                None => return Some(i),
            },
            _ => {}
        }
    }
    open.first().map(|&(at, _)| at)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Article;

    /// The text of a person mention over `from..to` (token indices) once brackets are trimmed.
    fn trimmed(text: &str, from: usize, to: usize) -> String {
        let mut doc = Doc::new(Article { body: text.into(), ..Article::default() });
        crate::segment::segment(&mut doc);
        let mut m = Mention { span: doc.tokens_span(from..to), tokens: from..to, kind: MentionKind::Person, entity: None };
        trim_unbalanced_brackets(&doc, &mut m);
        doc.mention_text(&m).to_string()
    }

    #[test]
    fn headline_names_need_the_body_or_the_knowledge_base() {
        let doc = {
            let article = Article {
                title: Some("Roe and Doe Unite over Ruritania".into()),
                body: "Jane Roe met Mr Doe of the United Front in the capital.".into(),
                ..Article::default()
            };
            let mut doc = Doc::new(article);
            crate::segment::segment(&mut doc);
            doc
        };
        let kb = Kb::default();
        let mention = |word: &str| {
            let i = (0..doc.tokens.len()).find(|&i| doc.token_text(i) == word).unwrap();
            Mention { span: doc.tokens[i].span.clone(), tokens: i..i + 1, kind: MentionKind::Organization, entity: None }
        };
        assert!(headline_name_holds(&doc, &kb, &mention("Roe")));
        assert!(headline_name_holds(&doc, &kb, &mention("Doe")));
        assert!(!headline_name_holds(&doc, &kb, &mention("Unite")));
    }

    #[test]
    fn demonyms_are_nationality_mentions_linked_to_their_country() {
        let pipeline = crate::Pipeline::new(crate::rdf::iri::Minter::default());
        let doc = pipeline.analyse(Article { body: "Japanese officials met American bankers in Tokyo.".into(), ..Article::default() });
        let kind_of = |word: &str| doc.mentions.iter().find(|m| doc.mention_text(m) == word).map(|m| (m.kind, m.entity));
        let (kind, entity) = kind_of("Japanese").expect("Japanese is a mention");
        assert_eq!(kind, MentionKind::Nationality);
        let country = &doc.entities[entity.expect("linked to its country")];
        assert_eq!(country.kind, crate::doc::EntityKind::Place);
        assert_eq!(kind_of("American").map(|k| k.0), Some(MentionKind::Nationality));
        assert_eq!(kind_of("Tokyo").map(|k| k.0), Some(MentionKind::Place));
        // the graph types the phrase as a nationality, not a Place mention
        let graph = crate::rdf::map(&doc, &pipeline.minter);
        let nationality = crate::rdf::vocab::ng::NATIONALITY;
        assert_eq!(graph.quads.iter().filter(|q| q.object == nationality.into()).count(), 2);
    }

    #[test]
    fn names_never_hold_half_a_bracket_pair() {
        // tokens: With ( Jane ) Roe on , ...
        assert_eq!(trimmed("With (Jane) Roe on, the pace rose.", 2, 5), "Roe");
        assert_eq!(trimmed("With (Jane Mary) Roe on, the pace rose.", 2, 6), "Roe");
        assert_eq!(trimmed("Acme Widgets (Europe said so.", 0, 4), "Acme Widgets");
        // a balanced pair inside a name stays
        assert_eq!(trimmed("Acme (Europe) Ltd said so.", 0, 5), "Acme (Europe) Ltd");
        assert_eq!(trimmed("Jane Roe said so.", 0, 2), "Jane Roe");
    }
}
