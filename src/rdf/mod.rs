//! The RDF mapping: every IRI of the vocabulary in one place, IRI minting, and `Doc` → quads.

pub mod facts;

use crate::doc::Doc;
use oxigraph::model::{NamedNode, Quad};

/// The article's quads, all in its named graph.
pub struct ArticleGraph {
    pub graph: NamedNode,
    pub quads: Vec<Quad>,
}

/// Where minted IRIs live.
#[derive(Debug, Clone)]
pub struct Base(pub String);

impl Default for Base {
    fn default() -> Self {
        Base("https://newsgraph.example/".into())
    }
}

pub fn map(_doc: &Doc, _base: &Base) -> anyhow::Result<ArticleGraph> {
    anyhow::bail!("rdf mapping is not implemented yet")
}
