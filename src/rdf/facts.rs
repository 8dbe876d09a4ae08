//! Facts → quads: events (typed `schema:Event` and an `ng:` class, with place, date, duration,
//! casualties, attendees, super-event and the sentence they were read from) and posts (W3C ORG:
//! `org:Post`, `org:holds`, `org:postIn`, `org:role`), all in the article's named graph.
//!
//! Only asserted events are mapped (see `relate::events` on modality).

use crate::doc::{Doc, Span};
use crate::relate::{Event, Post, PostOrg, TimeValue};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

/// Namespaces of the terms used here.
pub mod ns {
    pub const SCHEMA: &str = "http://schema.org/";
    pub const NG: &str = "https://newsgraph.example/ontology#";
    pub const SEM: &str = "http://semanticweb.cs.vu.nl/2009/11/sem/";
    pub const ORG: &str = "http://www.w3.org/ns/org#";
    pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
    pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
}

/// What the fact mapping needs from the article mapping: where IRIs live and how entities and
/// knowledge-base entries are named.
pub struct FactContext<'a> {
    /// The base IRI for minted nodes, ending in '/' or '#'.
    pub base: &'a str,
    /// The article's named graph.
    pub graph: &'a NamedNode,
    /// The article node; evidence phrases hang off it (`ARTICLE#char=B,E`).
    pub article: &'a NamedNode,
    /// The IRI of an entity of the document.
    pub entity: &'a dyn Fn(usize) -> Option<NamedNode>,
    /// The IRI of a knowledge-base entry by id (for demonym countries with no entity).
    pub kb_entry: &'a dyn Fn(&str) -> Option<NamedNode>,
}

fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

/// A short stable hash of a key, as 16 hex digits.
fn hash(key: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// The IRI of an event: `BASE event/TYPE-DATE-HASH`, the hash over its identity key.
pub fn event_iri(doc: &Doc, base: &str, event: &Event) -> NamedNode {
    let kind = event.kind.class_name().unwrap_or("Event").to_ascii_lowercase();
    let date = event.time.as_ref().and_then(|t| t.value).map(|v| v.lexical()).unwrap_or_else(|| "undated".into());
    NamedNode::new_unchecked(format!("{base}event/{kind}-{date}-{}", hash(&event.identity_key(doc))))
}

struct Out<'a> {
    graph: GraphName,
    quads: &'a mut Vec<Quad>,
}

impl Out<'_> {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads.push(Quad::new(NamedOrBlankNode::NamedNode(s.clone()), p.into_owned(), o.into(), self.graph.clone()));
    }
    fn add_iri(&mut self, s: &NamedNode, p: &NamedNode, o: impl Into<Term>) {
        self.add(s, p.as_ref(), o);
    }
}

/// The quads for the events and posts of a document.
pub fn map_facts(doc: &Doc, cx: &FactContext) -> Vec<Quad> {
    let mut quads = Vec::new();
    let mut out = Out { graph: GraphName::NamedNode(cx.graph.clone()), quads: &mut quads };
    let event_iris: Vec<NamedNode> = doc.facts.events.iter().map(|e| event_iri(doc, cx.base, e)).collect();
    for (event, node) in doc.facts.events.iter().zip(&event_iris) {
        if !event.asserted() {
            continue;
        }
        map_event(doc, cx, &mut out, event, node, &event_iris);
    }
    for post in &doc.facts.posts {
        map_post(doc, cx, &mut out, post);
    }
    // Several facts of one sentence share its evidence phrase, several posts one role.
    let mut seen = std::collections::HashSet::new();
    quads.retain(|q| seen.insert(q.clone()));
    quads
}

fn map_event(doc: &Doc, cx: &FactContext, out: &mut Out, event: &Event, node: &NamedNode, event_iris: &[NamedNode]) {
    let schema = |l: &str| iri(ns::SCHEMA, l);
    let sem = |l: &str| iri(ns::SEM, l);
    let ng = |l: &str| iri(ns::NG, l);
    out.add(node, rdf::TYPE, schema("Event"));
    if let Some(class) = event.kind.class_name() {
        out.add(node, rdf::TYPE, ng(class));
    }
    out.add(node, rdfs::LABEL, Literal::new_simple_literal(&event.label));
    out.add_iri(node, &schema("name"), Literal::new_simple_literal(&event.label));
    if let Some(place) = event.place.and_then(|p| (cx.entity)(p)) {
        out.add_iri(node, &schema("location"), place.clone());
        out.add_iri(node, &sem("hasPlace"), place);
    }
    if let Some(time) = &event.time {
        match time.value {
            Some(value) => {
                let datatype = match value {
                    TimeValue::Date(_) => xsd::DATE,
                    TimeValue::YearMonth { .. } => xsd::G_YEAR_MONTH,
                    TimeValue::Year(_) => xsd::G_YEAR,
                };
                out.add_iri(node, &schema("startDate"), Literal::new_typed_literal(value.lexical(), datatype));
            }
            None => out.add_iri(node, &ng("timeText"), Literal::new_simple_literal(&time.text)),
        }
    }
    if let Some(d) = &event.duration {
        out.add_iri(node, &schema("duration"), Literal::new_typed_literal(&d.iso, xsd::DURATION));
        if let Some(minutes) = d.minutes {
            out.add_iri(node, &ng("durationMinutes"), Literal::new_typed_literal(minutes.to_string(), xsd::INTEGER));
        }
    }
    if let Some(c) = &event.casualties {
        out.add_iri(node, &ng("killed"), Literal::new_typed_literal(c.killed.to_string(), xsd::INTEGER));
        out.add_iri(node, &ng("killedIsMinimum"), Literal::from(c.minimum));
    }
    for participant in event.participants.iter().filter_map(|&p| (cx.entity)(p)) {
        out.add_iri(node, &schema("attendee"), participant.clone());
        out.add_iri(node, &sem("hasActor"), participant);
    }
    if let Some(sup) = event.super_event.and_then(|s| event_iris.get(s)).filter(|s| *s != node) {
        let asserted = event.super_event.and_then(|s| doc.facts.events.get(s)).is_some_and(Event::asserted);
        if asserted {
            out.add_iri(node, &schema("superEvent"), sup.clone());
        }
    }
    for trigger in &event.triggers {
        if let Some(evidence) = sentence_phrase(doc, cx, out, trigger) {
            out.add_iri(node, &ng("evidence"), evidence);
        }
    }
}

fn map_post(doc: &Doc, cx: &FactContext, out: &mut Out, post: &Post) {
    let org = |l: &str| iri(ns::ORG, l);
    let Some(person) = (cx.entity)(post.holder) else { return };
    let (holder, holder_key) = match &post.organization {
        PostOrg::Entity(e) => ((cx.entity)(*e), crate::relate::entity_key(doc, *e)),
        PostOrg::Country { kb_id, .. } => ((cx.kb_entry)(kb_id), format!("kb:{kb_id}")),
    };
    let Some(holder) = holder else { return };
    let role_slug = crate::relate::slug(&post.role);
    let key = format!("{}|{}|{}", crate::relate::entity_key(doc, post.holder), post.role, holder_key);
    let node = NamedNode::new_unchecked(format!("{}post/{role_slug}-{}", cx.base, hash(&key)));
    let role = NamedNode::new_unchecked(format!("{}role/{role_slug}", cx.base));
    out.add(&node, rdf::TYPE, org("Post"));
    let holder_name = match &post.organization {
        PostOrg::Entity(e) => doc.entities.get(*e).map(|x| x.name.clone()).unwrap_or_default(),
        PostOrg::Country { name, .. } => name.clone(),
    };
    out.add(&node, rdfs::LABEL, Literal::new_simple_literal(format!("{} of {holder_name}", post.role)));
    out.add_iri(&node, &org("postIn"), holder);
    out.add_iri(&node, &org("role"), role.clone());
    out.add_iri(&node, &org("heldBy"), person.clone());
    out.add_iri(&person, &org("holds"), node.clone());
    out.add(&role, rdf::TYPE, org("Role"));
    out.add(&role, rdfs::LABEL, Literal::new_simple_literal(&post.role));
    out.add_iri(&role, &iri(ns::SKOS, "prefLabel"), Literal::new_simple_literal(&post.role));
    if let Some(evidence) = sentence_phrase(doc, cx, out, &post.span) {
        out.add_iri(&node, &iri(ns::NG, "evidence"), evidence);
    }
}

/// The NIF phrase of the sentence holding a span: `ARTICLE#char=B,E` with character offsets.
fn sentence_phrase(doc: &Doc, cx: &FactContext, out: &mut Out, span: &Span) -> Option<NamedNode> {
    let sentence = doc.sentences.iter().find(|s| s.span.start <= span.start && span.end <= s.span.end)?;
    let text = doc.text.get(sentence.span.clone())?;
    let begin = doc.text.get(..sentence.span.start)?.chars().count();
    let end = begin + text.chars().count();
    let node = NamedNode::new_unchecked(format!("{}#char={begin},{end}", cx.article.as_str()));
    let nif = |l: &str| iri(ns::NIF, l);
    out.add(&node, rdf::TYPE, nif("Phrase"));
    out.add_iri(&node, &nif("beginIndex"), Literal::new_typed_literal(begin.to_string(), xsd::NON_NEGATIVE_INTEGER));
    out.add_iri(&node, &nif("endIndex"), Literal::new_typed_literal(end.to_string(), xsd::NON_NEGATIVE_INTEGER));
    out.add_iri(&node, &nif("anchorOf"), Literal::new_simple_literal(text));
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{EntityKind, MentionKind};
    use crate::relate::testdoc::{doc, mark};

    fn mapped() -> (Doc, Vec<Quad>) {
        let mut d = doc(
            "Ruritanian president John Doe and Acme chief executive Ann Roe met in Zenda on Sunday.\nThe meeting lasted two hours.\nA bombing in Zenda killed at least 12 people on Friday.",
            Some("2015-11-15"),
        );
        mark(&mut d, "Ruritanian", MentionKind::Misc, Some(("Ruritania", EntityKind::Place)));
        mark(&mut d, "Acme", MentionKind::Organization, Some(("Acme", EntityKind::Organization)));
        mark(&mut d, "John Doe", MentionKind::Person, Some(("John Doe", EntityKind::Person)));
        mark(&mut d, "Ann Roe", MentionKind::Person, Some(("Ann Roe", EntityKind::Person)));
        mark(&mut d, "Zenda", MentionKind::Place, Some(("Zenda", EntityKind::Place)));
        d.facts = crate::relate::relate_with(&d, &crate::kb::Kb::default());
        let graph = NamedNode::new_unchecked("https://example.org/article/test");
        let article = graph.clone();
        let entity = |e: usize| Some(NamedNode::new_unchecked(format!("https://example.org/entity/{e}")));
        let kb_entry = |id: &str| Some(NamedNode::new_unchecked(format!("https://example.org/kb/{id}")));
        let cx = FactContext { base: "https://example.org/", graph: &graph, article: &article, entity: &entity, kb_entry: &kb_entry };
        let quads = map_facts(&d, &cx);
        (d, quads)
    }

    fn objects(quads: &[Quad], predicate: &str) -> Vec<String> {
        let mut v: Vec<String> = quads.iter().filter(|q| q.predicate.as_str() == predicate).map(|q| q.object.to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn events_map_with_typed_literals() {
        let (_, quads) = mapped();
        assert!(quads.iter().all(|q| q.graph_name.to_string() == "<https://example.org/article/test>"));
        let types = objects(&quads, rdf::TYPE.as_str());
        assert!(types.contains(&format!("<{}Meeting>", ns::NG)), "{types:?}");
        assert!(types.contains(&format!("<{}Attack>", ns::NG)), "{types:?}");
        assert_eq!(objects(&quads, &format!("{}startDate", ns::SCHEMA)), [
            "\"2015-11-13\"^^<http://www.w3.org/2001/XMLSchema#date>",
            "\"2015-11-15\"^^<http://www.w3.org/2001/XMLSchema#date>"
        ]);
        assert_eq!(objects(&quads, &format!("{}duration", ns::SCHEMA)), ["\"PT2H\"^^<http://www.w3.org/2001/XMLSchema#duration>"]);
        assert_eq!(objects(&quads, &format!("{}durationMinutes", ns::NG)), ["\"120\"^^<http://www.w3.org/2001/XMLSchema#integer>"]);
        assert_eq!(objects(&quads, &format!("{}killed", ns::NG)), ["\"12\"^^<http://www.w3.org/2001/XMLSchema#integer>"]);
        assert_eq!(objects(&quads, &format!("{}killedIsMinimum", ns::NG)), ["\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>"]);
        assert_eq!(objects(&quads, &format!("{}attendee", ns::SCHEMA)).len(), 2);
    }

    #[test]
    fn posts_map_to_w3c_org() {
        let (_, quads) = mapped();
        let holds = objects(&quads, &format!("{}holds", ns::ORG));
        assert_eq!(holds.len(), 2, "{holds:?}");
        let roles = objects(&quads, &format!("{}prefLabel", ns::SKOS));
        assert_eq!(roles, ["\"chief executive\"", "\"president\""]);
        assert_eq!(objects(&quads, &format!("{}postIn", ns::ORG)), ["<https://example.org/entity/0>", "<https://example.org/entity/1>"]);
    }

    #[test]
    fn mapping_is_deterministic() {
        let (_, a) = mapped();
        let (_, b) = mapped();
        assert_eq!(a, b);
    }
}
