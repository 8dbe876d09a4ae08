//! Facts → quads: events (typed `schema:Event` and an `ng:` class, with place, date, duration,
//! casualties, attendees, super-event and the sentence they were read from) and posts (W3C ORG:
//! `org:Post`, `org:holds`, `org:postIn`, `org:role`, and `ng:postIsFormer` / `ng:postIsActing`
//! for past and temporary holdings), all in the article's named graph.
//!
//! Only asserted events are mapped (see `relate::events` on modality). Event IRIs derive from
//! [`Event::identity_key`], so one event reported by two articles is one node.

use super::iri::Minter;
use super::vocab::{ng_events as ng, nif, org, rdf, rdfs, schema, sem, skos, xsd};
use super::GraphWriter;
use crate::doc::{Doc, Entity, EntityKind, KbLink, Span};
use crate::relate::{Event, EventType, Post, PostOrg, TimeValue};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef};

/// A short stable hash of a key, as 16 hex digits.
fn hash(key: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// The IRI of an event: `{base}event/{type}/{date|undated}/{hash of the identity key}`.
pub fn event_iri(doc: &Doc, minter: &Minter, event: &Event) -> NamedNode {
    let kind = event.kind.class_name().unwrap_or("Event").to_ascii_lowercase();
    let date = event.time.as_ref().and_then(|t| t.value).map(|v| v.lexical()).unwrap_or_else(|| "undated".into());
    minter.node(&["event", &kind, &date, &hash(&event.identity_key(doc))])
}

fn class(kind: EventType) -> Option<NamedNodeRef<'static>> {
    Some(match kind {
        EventType::Meeting => ng::MEETING,
        EventType::Summit => ng::SUMMIT,
        EventType::Visit => ng::VISIT,
        EventType::Attack => ng::ATTACK,
        EventType::Disaster => ng::DISASTER,
        EventType::Accident => ng::ACCIDENT,
        EventType::Election => ng::ELECTION,
        EventType::Agreement => ng::AGREEMENT,
        EventType::Conflict => ng::CONFLICT,
        EventType::LegalCase => ng::LEGAL_CASE,
        EventType::BusinessDeal => ng::BUSINESS_DEAL,
        EventType::Protest => ng::PROTEST,
        EventType::Strike => ng::STRIKE,
        EventType::SportsMatch => ng::SPORTS_MATCH,
        EventType::Ceremony => ng::CEREMONY,
        EventType::PolicyDecision => ng::POLICY_DECISION,
        EventType::Resignation => ng::RESIGNATION,
        EventType::Appointment => ng::APPOINTMENT,
        EventType::Other => return None,
    })
}

/// Adds the quads of a document's events and posts. `entity_iris[i]` is the IRI of entity `i`.
pub fn map_facts(doc: &Doc, minter: &Minter, article: &NamedNode, entity_iris: &[NamedNode], out: &mut GraphWriter) {
    let event_iris: Vec<NamedNode> = doc.facts.events.iter().map(|e| event_iri(doc, minter, e)).collect();
    let mut evidence = Evidence { doc, minter, article, written: Vec::new() };
    for (event, node) in doc.facts.events.iter().zip(&event_iris) {
        if event.asserted() {
            map_event(doc, entity_iris, &event_iris, &mut evidence, out, event, node);
        }
    }
    for post in &doc.facts.posts {
        map_post(doc, minter, entity_iris, &mut evidence, out, post);
    }
}

fn map_event(doc: &Doc, entity_iris: &[NamedNode], event_iris: &[NamedNode], evidence: &mut Evidence, out: &mut GraphWriter, event: &Event, node: &NamedNode) {
    out.add(node.clone(), rdf::TYPE, schema::EVENT);
    if let Some(class) = class(event.kind) {
        out.add(node.clone(), rdf::TYPE, class);
    }
    out.add(node.clone(), rdfs::LABEL, Literal::new_simple_literal(&event.label));
    out.add(node.clone(), schema::NAME, Literal::new_simple_literal(&event.label));
    if let Some(place) = event.place.and_then(|p| entity_iris.get(p)) {
        out.add(node.clone(), schema::LOCATION, place.clone());
        out.add(node.clone(), sem::HAS_PLACE, place.clone());
    }
    if let Some(time) = &event.time {
        match time.value {
            Some(value) => {
                let datatype = match value {
                    TimeValue::Date(_) => xsd::DATE,
                    TimeValue::YearMonth { .. } => xsd::G_YEAR_MONTH,
                    TimeValue::Year(_) => xsd::G_YEAR,
                };
                out.add(node.clone(), schema::START_DATE, Literal::new_typed_literal(value.lexical(), datatype));
            }
            None => out.add(node.clone(), ng::TIME_TEXT, Literal::new_simple_literal(&time.text)),
        }
    }
    if let Some(d) = &event.duration {
        out.add(node.clone(), schema::DURATION, Literal::new_typed_literal(&d.iso, xsd::DURATION));
        if let Some(minutes) = d.minutes {
            out.add(node.clone(), ng::DURATION_MINUTES, Literal::new_typed_literal(minutes.to_string(), xsd::INTEGER));
        }
    }
    if let Some(c) = &event.casualties {
        out.add(node.clone(), ng::KILLED, Literal::new_typed_literal(c.killed.to_string(), xsd::INTEGER));
        out.add(node.clone(), ng::KILLED_IS_MINIMUM, Literal::from(c.minimum));
        if let Some(q) = &c.qualifier {
            out.add(node.clone(), ng::KILLED_QUALIFIER, Literal::new_simple_literal(q));
        }
    }
    for (toll, count, minimum, qualifier) in [(&event.injured, ng::INJURED, ng::INJURED_IS_MINIMUM, ng::INJURED_QUALIFIER), (&event.missing, ng::MISSING, ng::MISSING_IS_MINIMUM, ng::MISSING_QUALIFIER)] {
        if let Some(t) = toll {
            out.add(node.clone(), count, Literal::new_typed_literal(t.count.to_string(), xsd::INTEGER));
            out.add(node.clone(), minimum, Literal::from(t.minimum));
            if let Some(q) = &t.qualifier {
                out.add(node.clone(), qualifier, Literal::new_simple_literal(q));
            }
        }
    }
    if event.time.is_none() {
        if let Some(reason) = &event.undated_reason {
            out.add(node.clone(), ng::UNDATED_REASON, Literal::new_simple_literal(reason));
        }
    }
    for participant in event.participants.iter().filter_map(|&p| entity_iris.get(p)) {
        out.add(node.clone(), schema::ATTENDEE, participant.clone());
        out.add(node.clone(), sem::HAS_ACTOR, participant.clone());
    }
    let sup = event.super_event.filter(|&s| doc.facts.events.get(s).is_some_and(Event::asserted)).and_then(|s| event_iris.get(s));
    if let Some(sup) = sup.filter(|s| *s != node) {
        out.add(node.clone(), schema::SUPER_EVENT, sup.clone());
    }
    for trigger in &event.triggers {
        if let Some(sentence) = evidence.sentence(out, trigger) {
            out.add(node.clone(), ng::EVIDENCE, sentence);
        }
    }
}

fn map_post(doc: &Doc, minter: &Minter, entity_iris: &[NamedNode], evidence: &mut Evidence, out: &mut GraphWriter, post: &Post) {
    let Some(person) = entity_iris.get(post.holder) else { return };
    let (holder, holder_name) = match &post.organization {
        PostOrg::Entity(e) => (entity_iris.get(*e).cloned(), doc.entities.get(*e).map(|x| x.name.clone()).unwrap_or_default()),
        PostOrg::Country { kb_id, name } => (Some(kb_entity_iri(minter, kb_id, name)), name.clone()),
    };
    let Some(holder) = holder else { return };
    let role_slug = super::iri::slug(&post.role);
    // A past or acting holding is another node than the current one, so an article saying
    // "former chairman X" and one saying "chairman X" do not make one post both past and present.
    let status = match (post.former, post.acting) {
        (false, false) => String::new(),
        (former, acting) => format!("|former={former}|acting={acting}"),
    };
    let node = minter.node(&["post", &role_slug, &hash(&format!("{}|{}|{}{status}", person.as_str(), post.role, holder.as_str()))]);
    let role = minter.node(&["role", &role_slug]);
    out.add(node.clone(), rdf::TYPE, org::POST);
    out.add(node.clone(), rdfs::LABEL, Literal::new_simple_literal(format!("{} of {holder_name}", post.role)));
    out.add(node.clone(), org::POST_IN, holder);
    out.add(node.clone(), org::ROLE_PROPERTY, role.clone());
    out.add(node.clone(), org::HELD_BY, person.clone());
    out.add(node.clone(), ng::POST_IS_FORMER, Literal::from(post.former));
    out.add(node.clone(), ng::POST_IS_ACTING, Literal::from(post.acting));
    out.add(person.clone(), org::HOLDS, node.clone());
    if evidence.first_role_use(&role) {
        out.add(role.clone(), rdf::TYPE, org::ROLE);
        out.add(role.clone(), rdfs::LABEL, Literal::new_simple_literal(&post.role));
        out.add(role, skos::PREF_LABEL, Literal::new_simple_literal(&post.role));
    }
    if let Some(sentence) = evidence.sentence(out, &post.span) {
        out.add(node, ng::EVIDENCE, sentence);
    }
}

/// The IRI of a country known only from the knowledge base, as the entity mapping names linked
/// entities.
fn kb_entity_iri(minter: &Minter, kb_id: &str, name: &str) -> NamedNode {
    let link = KbLink { id: kb_id.to_string(), ..KbLink::default() };
    minter.entity(&Entity { kind: EntityKind::Place, name: name.to_string(), aliases: Vec::new(), mentions: Vec::new(), link: Some(link) })
}

/// Sentence nodes used as evidence, each described once.
struct Evidence<'a> {
    doc: &'a Doc,
    minter: &'a Minter,
    article: &'a NamedNode,
    written: Vec<NamedNode>,
}

impl Evidence<'_> {
    fn first_role_use(&mut self, role: &NamedNode) -> bool {
        if self.written.contains(role) {
            return false;
        }
        self.written.push(role.clone());
        true
    }

    /// The `nif:Sentence` holding a span (`ARTICLE#char=B,E`, character offsets, as the mention
    /// mapping names sentences), described in the graph on first use.
    fn sentence(&mut self, out: &mut GraphWriter, span: &Span) -> Option<NamedNode> {
        let doc = self.doc;
        let sentence = doc.sentences.iter().find(|s| s.span.start <= span.start && span.end <= s.span.end)?;
        let chars = |byte: usize| doc.text.get(..byte).map(|t| t.chars().count());
        let (begin, end) = (chars(sentence.span.start)?, chars(sentence.span.end)?);
        let node = self.minter.offsets(self.article, begin, end);
        if !self.written.contains(&node) {
            self.written.push(node.clone());
            let context = self.minter.offsets(self.article, 0, chars(doc.text.len())?);
            out.add(node.clone(), rdf::TYPE, nif::SENTENCE);
            out.add(node.clone(), rdf::TYPE, nif::OFFSET_BASED_STRING);
            out.add(node.clone(), nif::BEGIN_INDEX, Literal::new_typed_literal(begin.to_string(), xsd::INTEGER));
            out.add(node.clone(), nif::END_INDEX, Literal::new_typed_literal(end.to_string(), xsd::INTEGER));
            out.add(node.clone(), nif::REFERENCE_CONTEXT, context);
        }
        Some(node)
    }
}

#[cfg(test)]
mod tests {
    use crate::doc::{Doc, EntityKind, MentionKind};
    use crate::rdf::iri::Minter;
    use crate::rdf::vocab::{ng_events, org, rdf, schema, skos};
    use crate::relate::testdoc::{doc, mark};
    use oxigraph::model::Quad;

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
        let quads = crate::rdf::map(&d, &Minter::default()).quads;
        (d, quads)
    }

    fn objects(quads: &[Quad], predicate: &str) -> Vec<String> {
        let mut v: Vec<String> = quads.iter().filter(|q| q.predicate.as_str() == predicate).map(|q| q.object.to_string()).collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn events_map_with_typed_literals() {
        let (_, quads) = mapped();
        assert!(quads.iter().all(|q| q.graph_name.to_string() == "<https://newsgraph.example/article/test>"));
        let types = objects(&quads, rdf::TYPE.as_str());
        assert!(types.contains(&ng_events::MEETING.to_string()), "{types:?}");
        assert!(types.contains(&ng_events::ATTACK.to_string()), "{types:?}");
        assert_eq!(objects(&quads, schema::START_DATE.as_str()), [
            "\"2015-11-13\"^^<http://www.w3.org/2001/XMLSchema#date>",
            "\"2015-11-15\"^^<http://www.w3.org/2001/XMLSchema#date>"
        ]);
        assert_eq!(objects(&quads, schema::DURATION.as_str()), ["\"PT2H\"^^<http://www.w3.org/2001/XMLSchema#duration>"]);
        assert_eq!(objects(&quads, ng_events::DURATION_MINUTES.as_str()), ["\"120\"^^<http://www.w3.org/2001/XMLSchema#integer>"]);
        assert_eq!(objects(&quads, ng_events::KILLED.as_str()), ["\"12\"^^<http://www.w3.org/2001/XMLSchema#integer>"]);
        assert_eq!(objects(&quads, ng_events::KILLED_IS_MINIMUM.as_str()), ["\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>"]);
        assert_eq!(objects(&quads, schema::ATTENDEE.as_str()), ["<https://newsgraph.example/entity/person/ann-roe>", "<https://newsgraph.example/entity/person/john-doe>"]);
        assert_eq!(objects(&quads, schema::LOCATION.as_str()), ["<https://newsgraph.example/entity/place/zenda>"]);
        let evidence = objects(&quads, ng_events::EVIDENCE.as_str());
        assert!(evidence.iter().all(|e| e.starts_with("<https://newsgraph.example/article/test#char=")), "{evidence:?}");
    }

    #[test]
    fn posts_map_to_w3c_org() {
        let (_, quads) = mapped();
        assert_eq!(objects(&quads, org::HOLDS.as_str()).len(), 2);
        assert_eq!(objects(&quads, skos::PREF_LABEL.as_str()), ["\"chief executive\"", "\"president\""]);
        assert_eq!(objects(&quads, org::POST_IN.as_str()), ["<https://newsgraph.example/entity/organization/acme>", "<https://newsgraph.example/entity/place/ruritania>"]);
    }

    #[test]
    fn mapping_is_deterministic() {
        let (_, a) = mapped();
        let (_, b) = mapped();
        assert_eq!(a, b);
    }
}
