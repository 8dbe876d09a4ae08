//! The tagger and the whole pipeline on arbitrary UTF-8 (first line the headline). Invariants: no
//! panic; every mention lies on char boundaries of the text; in the RDF, every phrase's
//! `nif:anchorOf` is the context's `nif:isString` between its character offsets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsgraph::rdf::{self, iri::Minter, vocab::nif};
use newsgraph::{Article, Pipeline};
use oxigraph::model::{NamedOrBlankNode, Term};
use std::collections::HashMap;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(Minter::default()))
}

fn literal(term: &Term) -> &str {
    match term {
        Term::Literal(l) => l.value(),
        other => panic!("expected a literal, got {other}"),
    }
}

fuzz_target!(
    // the tagger and knowledge base load once, before the first input's time limit starts
    init: {
        pipeline();
    },
    |text: &str| {
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    let article = Article {
        id: "fuzz".into(),
        title: Some(title.to_string()),
        body: body.to_string(),
        ..Article::default()
    };
    let doc = pipeline().analyse(article);
    for mention in &doc.mentions {
        assert!(doc.text.get(mention.span.clone()).is_some(), "mention {:?} off the text", mention.span);
        assert!(mention.span.start < mention.span.end, "empty mention");
        if let Some(e) = mention.entity {
            assert!(e < doc.entities.len(), "mention of a missing entity");
        }
    }
    let graph = rdf::map(&doc, &pipeline().minter);
    let mut by_subject: HashMap<NamedOrBlankNode, HashMap<&str, &Term>> = HashMap::new();
    for q in &graph.quads {
        by_subject.entry(q.subject.clone()).or_default().insert(q.predicate.as_str(), &q.object);
    }
    let context_text: Vec<char> = by_subject
        .values()
        .find_map(|p| p.get(nif::IS_STRING.as_str()).map(|t| literal(t).chars().collect()))
        .expect("the graph holds the context");
    for props in by_subject.values() {
        let Some(anchor) = props.get(nif::ANCHOR_OF.as_str()) else { continue };
        let begin: usize = literal(props[nif::BEGIN_INDEX.as_str()]).parse().unwrap();
        let end: usize = literal(props[nif::END_INDEX.as_str()]).parse().unwrap();
        let at_offsets: String = context_text[begin..end].iter().collect();
        assert_eq!(literal(anchor), at_offsets, "anchorOf differs from the text at {begin},{end}");
    }
});
