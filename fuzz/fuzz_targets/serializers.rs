//! The RDF mapping and the six serializers on arbitrary article fields and entity names.
//! Invariant: what `store::export` writes re-parses with Oxigraph to the same quads (the same
//! triples for the formats without named graphs).
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use newsgraph::doc::{EntityKind, KbLink};
use newsgraph::rdf::{self, iri::Minter};
use newsgraph::{store, Article, Doc, Entity, Mention, MentionKind};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, Triple};
use std::collections::HashSet;

#[derive(Arbitrary, Debug)]
struct Input {
    id: String,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    author: Option<String>,
    body: String,
    entities: Vec<(u8, String, Vec<String>, Option<String>)>,
    mentions: Vec<(u16, u16, u8)>,
}

const KINDS: [EntityKind; 4] = [EntityKind::Person, EntityKind::Organization, EntityKind::Place, EntityKind::Event];

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn doc(input: Input) -> Doc {
    let mut doc = Doc::new(Article {
        id: input.id,
        url: input.url,
        title: input.title,
        published: input.published,
        author: input.author,
        body: input.body,
        source: "fuzz".into(),
        dateline: None,
    });
    for (kind, name, aliases, label) in input.entities.into_iter().take(8) {
        let link = label.map(|label| KbLink { id: format!("Q{}", kind), label: Some(label), ..KbLink::default() });
        doc.entities.push(Entity { kind: KINDS[kind as usize % 4], name, aliases, mentions: Vec::new(), link });
    }
    if !doc.entities.is_empty() {
        for (a, b, e) in input.mentions.into_iter().take(16) {
            let start = floor_boundary(&doc.text, a as usize);
            let end = floor_boundary(&doc.text, b as usize);
            if start >= end {
                continue;
            }
            let entity = e as usize % doc.entities.len();
            doc.mentions.push(Mention { span: start..end, tokens: 0..0, kind: MentionKind::Person, entity: Some(entity) });
        }
    }
    doc
}

fn formats() -> [RdfFormat; 6] {
    [
        RdfFormat::Turtle,
        RdfFormat::TriG,
        RdfFormat::NTriples,
        RdfFormat::NQuads,
        RdfFormat::RdfXml,
        RdfFormat::from_extension("jsonld").expect("JSON-LD"),
    ]
}

fuzz_target!(|input: Input| {
    let graph = rdf::map(&doc(input), &Minter::default());
    let store = store::memory().unwrap();
    store::ingest(&store, &[graph]).unwrap();
    let quads: HashSet<Quad> = store.iter().map(Result::unwrap).collect();
    let triples: HashSet<Triple> = quads.iter().map(|q| Triple::new(q.subject.clone(), q.predicate.clone(), q.object.clone())).collect();
    for format in formats() {
        let mut out = Vec::new();
        store::export(&store, format, &mut out).unwrap();
        let parsed: Result<HashSet<Quad>, _> = RdfParser::from_format(format).for_slice(&out).collect();
        let parsed = parsed.unwrap_or_else(|e| panic!("{format} output does not parse: {e}\n{}", String::from_utf8_lossy(&out)));
        if format.supports_datasets() {
            assert_eq!(parsed, quads, "{format} round trip changed the quads");
        } else {
            assert!(parsed.iter().all(|q| q.graph_name == GraphName::DefaultGraph));
            let back: HashSet<Triple> = parsed.into_iter().map(|q| Triple::new(q.subject, q.predicate, q.object)).collect();
            assert_eq!(back, triples, "{format} round trip changed the triples");
        }
    }
});
