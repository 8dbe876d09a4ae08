//! The RDF mapping: `Doc` → quads in the article's named graph.
//!
//! The graph of an article holds everything that article says: the article node, its text as a
//! NIF context, one `nif:Phrase` per entity mention (the provenance of every entity), and the
//! entities with their names, types and knowledge-base links. Offsets in RDF count characters
//! (Unicode code points), as SPARQL's `SUBSTR` does; the document model counts bytes.

pub mod facts;
pub mod iri;
pub mod sorted;
pub mod vocab;

/// The serializer of `format` with the vocabulary's prefixes: every RDF the project writes
/// (export, convert, CONSTRUCT answers) uses the same ones.
pub fn serializer(format: oxigraph::io::RdfFormat) -> anyhow::Result<oxigraph::io::RdfSerializer> {
    let mut serializer = oxigraph::io::RdfSerializer::from_format(format);
    for (prefix, iri) in vocab::PREFIXES {
        serializer = serializer.with_prefix(*prefix, *iri)?;
    }
    Ok(serializer)
}

use crate::doc::{Doc, EntityKind};
use iri::Minter;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use std::collections::BTreeSet;
use vocab::{geo, itsrdf, nif, owl, prov, rdf, rdfs, schema, xsd};

/// The article's quads, all in its named graph (whose name is the article IRI).
#[derive(Debug, Clone)]
pub struct ArticleGraph {
    pub graph: NamedNode,
    pub quads: Vec<Quad>,
}

/// Collects quads into one named graph.
pub struct GraphWriter {
    graph: GraphName,
    pub quads: Vec<Quad>,
}

impl GraphWriter {
    pub fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads.push(Quad::new(s, p, o, self.graph.clone()));
    }
}

/// Maps an analysed document to the quads of its named graph.
pub fn map(doc: &Doc, minter: &Minter) -> ArticleGraph {
    let article = minter.article(&doc.article);
    let mut out = GraphWriter { graph: GraphName::NamedNode(article.clone()), quads: Vec::with_capacity(256) };
    let chars = CharIndex::new(&doc.text);

    map_article(doc, minter, &article, &mut out);
    let context = minter.offsets(&article, 0, chars.of(doc.text.len()));
    out.add(context.clone(), rdf::TYPE, nif::CONTEXT);
    out.add(context.clone(), rdf::TYPE, nif::OFFSET_BASED_STRING);
    out.add(context.clone(), nif::IS_STRING, text_literal(&doc.text));
    out.add(context.clone(), nif::BEGIN_INDEX, index(0));
    out.add(context.clone(), nif::END_INDEX, index(chars.of(doc.text.len())));
    out.add(context.clone(), nif::SOURCE_URL, article.clone());

    let entity_iris: Vec<NamedNode> = doc.entities.iter().map(|e| minter.entity(e)).collect();
    for (entity, iri) in doc.entities.iter().zip(&entity_iris) {
        map_entity(entity, iri, &mut out);
        out.add(article.clone(), schema::MENTIONS, iri.clone());
    }

    let mut sentences_used = BTreeSet::new();
    for mention in &doc.mentions {
        let Some(e) = mention.entity else { continue };
        let (begin, end) = (chars.of(mention.span.start), chars.of(mention.span.end));
        let phrase = minter.offsets(&article, begin, end);
        out.add(phrase.clone(), rdf::TYPE, nif::PHRASE);
        out.add(phrase.clone(), rdf::TYPE, nif::OFFSET_BASED_STRING);
        out.add(phrase.clone(), nif::BEGIN_INDEX, index(begin));
        out.add(phrase.clone(), nif::END_INDEX, index(end));
        out.add(phrase.clone(), nif::ANCHOR_OF, text_literal(doc.mention_text(mention)));
        out.add(phrase.clone(), nif::REFERENCE_CONTEXT, context.clone());
        out.add(phrase.clone(), itsrdf::TA_IDENT_REF, entity_iris[e].clone());
        let class = if mention.kind == crate::doc::MentionKind::Nationality { vocab::ng::NATIONALITY } else { base_class(doc.entities[e].kind) };
        out.add(phrase.clone(), itsrdf::TA_CLASS_REF, class);
        if let Some(token) = doc.tokens.get(mention.tokens.start) {
            let sentence = &doc.sentences[token.sentence];
            let (sb, se) = (chars.of(sentence.span.start), chars.of(sentence.span.end));
            let sentence_iri = minter.offsets(&article, sb, se);
            out.add(phrase, nif::SENTENCE_PROPERTY, sentence_iri.clone());
            if sentences_used.insert(token.sentence) {
                out.add(sentence_iri.clone(), rdf::TYPE, nif::SENTENCE);
                out.add(sentence_iri.clone(), rdf::TYPE, nif::OFFSET_BASED_STRING);
                out.add(sentence_iri.clone(), nif::BEGIN_INDEX, index(sb));
                out.add(sentence_iri.clone(), nif::END_INDEX, index(se));
                out.add(sentence_iri, nif::REFERENCE_CONTEXT, context.clone());
            }
        }
    }
    map_times(doc, &chars, minter, &article, &context, &mut out);
    facts::map_facts(doc, minter, &article, &entity_iris, &mut out);
    // a sentence node may be written both as a mention's and as an event's evidence
    let mut seen = std::collections::HashSet::with_capacity(out.quads.len());
    let mut quads = out.quads;
    quads.retain(|q| seen.insert(q.clone()));
    ArticleGraph { graph: article, quads }
}

/// The time layer: one `nif:Phrase` per time expression, typed `ng:TimeExpression` and by its
/// TIMEX3 type, with its TimeML value and, when it names a day, month or year, a typed literal.
fn map_times(doc: &Doc, chars: &CharIndex, minter: &Minter, article: &NamedNode, context: &NamedNode, out: &mut GraphWriter) {
    use crate::relate::{TimeValue, TimexType};
    use vocab::ng_time;
    for t in &doc.facts.times {
        let (begin, end) = (chars.of(t.span.start), chars.of(t.span.end));
        let phrase = minter.offsets(article, begin, end);
        out.add(phrase.clone(), rdf::TYPE, nif::PHRASE);
        out.add(phrase.clone(), rdf::TYPE, nif::OFFSET_BASED_STRING);
        out.add(phrase.clone(), rdf::TYPE, ng_time::TIME_EXPRESSION);
        let class = match t.kind {
            TimexType::Date => ng_time::DATE_EXPRESSION,
            TimexType::Time => ng_time::TIME_OF_DAY_EXPRESSION,
            TimexType::Duration => ng_time::DURATION_EXPRESSION,
            TimexType::Set => ng_time::SET_EXPRESSION,
        };
        out.add(phrase.clone(), rdf::TYPE, class);
        out.add(phrase.clone(), nif::BEGIN_INDEX, index(begin));
        out.add(phrase.clone(), nif::END_INDEX, index(end));
        out.add(phrase.clone(), nif::ANCHOR_OF, text_literal(doc.text.get(t.span.clone()).unwrap_or(&t.text)));
        out.add(phrase.clone(), nif::REFERENCE_CONTEXT, context.clone());
        out.add(phrase.clone(), ng_time::TIMEX_TYPE, Literal::new_simple_literal(t.kind.as_str()));
        if !t.timex.is_empty() {
            out.add(phrase.clone(), ng_time::TIMEX_VALUE, Literal::new_simple_literal(&t.timex));
        }
        if let Some(v) = t.value {
            let datatype = match v {
                TimeValue::Date(_) => xsd::DATE,
                TimeValue::YearMonth { .. } => xsd::G_YEAR_MONTH,
                TimeValue::Year(_) => xsd::G_YEAR,
            };
            out.add(phrase, ng_time::TIME_VALUE, Literal::new_typed_literal(v.lexical(), datatype));
        }
    }
}

fn map_article(doc: &Doc, minter: &Minter, article: &NamedNode, out: &mut GraphWriter) {
    let a = &doc.article;
    out.add(article.clone(), rdf::TYPE, schema::NEWS_ARTICLE);
    out.add(article.clone(), schema::IDENTIFIER, text_literal(&a.id));
    if let Some(title) = a.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        out.add(article.clone(), schema::HEADLINE, text_literal(title));
    }
    if let Some(date) = a.published.as_deref().and_then(date_literal) {
        out.add(article.clone(), schema::DATE_PUBLISHED, date);
    }
    if let Some(author) = &a.author {
        out.add(article.clone(), schema::AUTHOR, text_literal(author));
    }
    if let Some(url) = a.url.as_deref().and_then(|u| iri_string::types::IriAbsoluteStr::new(u).ok()) {
        if let Ok(url) = NamedNode::new(url.as_str()) {
            out.add(article.clone(), schema::URL, url.clone());
            out.add(article.clone(), prov::WAS_DERIVED_FROM, url);
        }
    }
    let agent = minter.node(&["agent", "newsgraph", env!("CARGO_PKG_VERSION")]);
    out.add(article.clone(), prov::WAS_ATTRIBUTED_TO, agent.clone());
    out.add(agent.clone(), rdf::TYPE, prov::SOFTWARE_AGENT);
    out.add(agent, rdfs::LABEL, text_literal(concat!("newsgraph ", env!("CARGO_PKG_VERSION"))));
}

fn map_entity(entity: &crate::doc::Entity, iri: &NamedNode, out: &mut GraphWriter) {
    out.add(iri.clone(), rdf::TYPE, base_class(entity.kind));
    out.add(iri.clone(), schema::NAME, text_literal(&entity.name));
    for alias in &entity.aliases {
        out.add(iri.clone(), schema::ALTERNATE_NAME, text_literal(alias));
    }
    let Some(link) = &entity.link else { return };
    if let Some(class) = link.class.as_deref().and_then(finer_class) {
        out.add(iri.clone(), rdf::TYPE, class);
    }
    if let Some(qid) = &link.wikidata {
        if let Ok(wd) = NamedNode::new(format!("{}{qid}", vocab::WD)) {
            out.add(iri.clone(), owl::SAME_AS, wd);
        }
    }
    if let Some(id) = link.geonames {
        out.add(iri.clone(), owl::SAME_AS, NamedNode::new_unchecked(format!("{}{id}/", vocab::GEONAMES)));
    }
    if let Some(confidence) = link.confidence {
        out.add(iri.clone(), vocab::ng::LINK_CONFIDENCE, Literal::new_typed_literal(decimal_text(confidence), xsd::DECIMAL));
    }
    if let (Some(lat), Some(long)) = (link.lat, link.long) {
        out.add(iri.clone(), geo::LAT, Literal::new_typed_literal(format!("{lat}"), xsd::DECIMAL));
        out.add(iri.clone(), geo::LONG, Literal::new_typed_literal(format!("{long}"), xsd::DECIMAL));
    }
}

/// The schema.org class of an entity kind: what `entities.rq` reports as `?type`.
pub fn base_class(kind: EntityKind) -> NamedNodeRef<'static> {
    match kind {
        EntityKind::Person => schema::PERSON,
        EntityKind::Organization => schema::ORGANIZATION,
        EntityKind::Place => schema::PLACE,
        EntityKind::Event => schema::EVENT,
    }
}

fn finer_class(class: &str) -> Option<NamedNodeRef<'static>> {
    Some(match class {
        "Country" => schema::COUNTRY,
        "City" => schema::CITY,
        "Continent" => schema::CONTINENT,
        "State" => schema::STATE,
        "PoliticalParty" => vocab::ng::POLITICAL_PARTY,
        "InternationalOrganization" => vocab::ng::INTERNATIONAL_ORGANIZATION,
        _ => return None,
    })
}

/// A plain literal that every syntax can carry: characters XML 1.0 forbids even escaped (C0
/// controls other than tab and line breaks, U+FFFE and U+FFFF, which Raptor refuses in every
/// syntax) become spaces, one for one, so offsets stay valid.
pub fn text_literal(value: &str) -> Literal {
    let forbidden = |c: char| {
        c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0x20 || matches!(c, '\u{7f}' | '\u{fffe}' | '\u{ffff}')
    };
    if value.contains(forbidden) {
        Literal::new_simple_literal(value.replace(forbidden, " "))
    } else {
        Literal::new_simple_literal(value)
    }
}

/// Two decimals in the form Oxigraph stores a decimal ("0.9", "1"), so that streamed output and
/// store exports write the same bytes.
fn decimal_text(value: f32) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// NIF declares offsets `xsd:nonNegativeInteger`, but Oxigraph keeps every derived integer type as
/// `xsd:integer`: writing that at once makes `convert`'s streamed N-Quads and every store export agree.
fn index(i: usize) -> Literal {
    Literal::new_typed_literal(i.to_string(), xsd::INTEGER)
}

/// `xsd:date` or `xsd:dateTime` for a publication date that parses as one, else nothing.
pub fn date_literal(value: &str) -> Option<Literal> {
    if value.len() == 10 {
        value.parse::<jiff::civil::Date>().ok()?;
        return Some(Literal::new_typed_literal(value, xsd::DATE));
    }
    let valid = value.parse::<jiff::Timestamp>().is_ok() || value.parse::<jiff::civil::DateTime>().is_ok();
    valid.then(|| Literal::new_typed_literal(value, xsd::DATE_TIME))
}

/// Byte offset → character offset.
struct CharIndex {
    chars_before: Vec<u32>,
}

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        let mut chars_before = vec![0u32; text.len() + 1];
        let mut count = 0u32;
        let mut last = 0;
        for (b, _) in text.char_indices() {
            chars_before[last..=b].fill(count);
            count += 1;
            last = b + 1;
        }
        chars_before[last..].fill(count);
        CharIndex { chars_before }
    }

    fn of(&self, byte: usize) -> usize {
        self.chars_before[byte.min(self.chars_before.len() - 1)] as usize
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_are_written_as_oxigraph_stores_them() {
        let got: Vec<String> = [0.9, 0.95, 1.0, 10.0, 0.0, 0.804].into_iter().map(super::decimal_text).collect();
        assert_eq!(got, ["0.9", "0.95", "1", "10", "0", "0.8"]);
    }

    use super::*;

    #[test]
    fn char_index_counts_code_points() {
        let idx = CharIndex::new("aé€😀b");
        assert_eq!([idx.of(0), idx.of(1), idx.of(3), idx.of(6), idx.of(10), idx.of(11)], [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn publication_dates_are_typed_only_when_valid() {
        assert_eq!(date_literal("2015-11-16").unwrap().datatype(), xsd::DATE);
        assert_eq!(date_literal("2015-11-16T08:00:00+11:00").unwrap().datatype(), xsd::DATE_TIME);
        assert!(date_literal("2015-13-45").is_none());
        assert!(date_literal("yesterday").is_none());
    }
}
