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
pub mod bench;
pub mod doc;
pub mod kb;
pub mod load;
pub mod ner;
pub mod network;
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

use article::{Problem, Severity};
use rayon::prelude::*;
use rdf::{iri::Minter, ArticleGraph};
use std::collections::HashSet;

/// The analysis stages with the models they share, loaded once.
pub struct Pipeline {
    pub kb: &'static kb::Kb,
    pub minter: Minter,
}

impl Pipeline {
    /// The pipeline with the bundled knowledge base and models, minting IRIs with `minter`.
    pub fn new(minter: Minter) -> Pipeline {
        Pipeline { kb: kb::Kb::bundled(), minter }
    }

    /// The pipeline with a knowledge base of the caller's (e.g. the bundled one plus a user's).
    pub fn with_kb(minter: Minter, kb: &'static kb::Kb) -> Pipeline {
        Pipeline { kb, minter }
    }

    /// Runs every analysis stage on one article.
    pub fn analyse(&self, article: Article) -> Doc {
        let mut doc = Doc::new(article);
        segment::segment(&mut doc);
        doc.mentions = recognise::recognise(&doc, self.kb);
        resolve::resolve(&mut doc, self.kb);
        doc.facts = relate::relate_with(&doc, self.kb);
        doc
    }

    /// Analyses one article and maps it to its named graph. A panic in a stage is caught and
    /// reported as an error of that article, so one article never takes a corpus down.
    pub fn graph(&self, article: Article) -> Result<ArticleGraph, Problem> {
        let source = article.source.clone();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rdf::map(&self.analyse(article), &self.minter)
        }))
        .map_err(|panic| Problem {
            source,
            message: format!(
                "internal error while analysing this article ({}); please report it",
                panic.downcast_ref::<&str>().copied().or(panic.downcast_ref::<String>().map(String::as_str)).unwrap_or("panic")
            ),
            severity: Severity::Error,
        })
    }
}

/// What an extraction run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub articles: usize,
    /// Distinct entity IRIs across all articles.
    pub entities: usize,
    pub quads: usize,
    pub problems: Vec<Problem>,
}

impl Summary {
    pub fn failed(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }
}

/// Articles analysed in parallel per store transaction.
pub const BATCH: usize = 256;

/// Reads `inputs`, analyses every article and writes each article's graph into `store`, one
/// transaction per batch. `progress` is told how many articles there are and each one done.
pub fn extract_into(
    pipeline: &Pipeline,
    inputs: &[std::path::PathBuf],
    store: &store::Store,
    progress: &dyn Fn(Progress),
) -> anyhow::Result<Summary> {
    let (inputs, mut problems) = article::collect_inputs(inputs);
    let read = article::read_all(&inputs);
    problems.extend(read.problems);
    progress(Progress::Total(read.articles.len()));
    let mut summary = Summary::default();
    let mut entities = HashSet::new();
    let mut articles = read.articles;
    while !articles.is_empty() {
        let rest = articles.split_off(articles.len().min(BATCH));
        let batch = std::mem::replace(&mut articles, rest);
        let n = batch.len();
        let results: Vec<_> = batch.into_par_iter().map(|a| pipeline.graph(a)).collect();
        let mut graphs = Vec::with_capacity(n);
        for result in results {
            match result {
                Ok(graph) => {
                    for q in &graph.quads {
                        if q.predicate == rdf::vocab::schema::MENTIONS {
                            entities.insert(q.object.to_string());
                        }
                    }
                    summary.quads += graph.quads.len();
                    graphs.push(graph);
                }
                Err(problem) => problems.push(problem),
            }
        }
        summary.articles += graphs.len();
        store::ingest(store, &graphs)?;
        progress(Progress::Done(n));
    }
    let joined = resolve_corpus(store, &pipeline.minter)?;
    summary.entities = entities.len() - joined.min(entities.len());
    summary.problems = problems;
    Ok(summary)
}

/// The corpus step over everything a store holds: one name per entity, bare surnames joined to
/// the one full name. `ingest` runs it after each batch of articles; after a bulk load of parts
/// (`newsgraph load`) it is run on its own. Returns how many bare-surname nodes were joined.
pub fn resolve_corpus(store: &oxigraph::store::Store, minter: &Minter) -> anyhow::Result<usize> {
    let person_prefix = minter.node(&["entity", "person", ""]);
    resolve::corpus::resolve_across_articles(store, person_prefix.as_str())
}

/// Progress reports from [`extract_into`].
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Total(usize),
    Done(usize),
}
