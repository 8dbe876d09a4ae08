//! newsgraph turns news articles into an RDF knowledge graph.
//!
//! Data flows one way, each stage adding a layer to the [`Doc`]:
//! [`article`] reads inputs → [`segment`] splits sentences and tokens → [`recognise`] finds typed
//! mentions → [`resolve`] clusters them into entities and links them to the knowledge base →
//! [`relate`] extracts events and positions → [`rdf`] maps the document to quads → [`store`] keeps
//! them in Oxigraph, where [`query`] runs SPARQL and the store exports RDF.
//!
//! Everything up to [`rdf::map`] is a pure function of one article plus read-only models, so a
//! corpus can be processed in parallel, in any order, on any number of machines.

pub mod article;
pub mod doc;
pub mod kb;
pub mod ner;
pub mod push;
pub mod query;
pub mod rdf;
pub mod recognise;
pub mod relate;
pub mod resolve;
pub mod segment;
pub mod serve;
pub mod store;

pub use doc::{Article, Doc, Entity, EntityKind, Mention, MentionKind};

/// The analysis stages with the models they share, loaded once.
pub struct Pipeline {
    pub kb: &'static kb::Kb,
}

impl Pipeline {
    /// The pipeline with the bundled knowledge base and models.
    pub fn new() -> Pipeline {
        Pipeline { kb: kb::Kb::bundled() }
    }

    /// Runs every analysis stage on one article.
    pub fn analyse(&self, article: Article) -> Doc {
        let mut doc = Doc::new(article);
        segment::segment(&mut doc);
        doc.mentions = recognise::recognise(&doc, self.kb);
        resolve::resolve(&mut doc, self.kb);
        doc.facts = relate::relate(&doc);
        doc
    }
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new()
    }
}
