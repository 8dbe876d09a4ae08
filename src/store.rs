//! The Oxigraph store: open (in memory or RocksDB on disk), ingest article graphs, export.

use crate::rdf::sorted::{self, SortedTriples};
use crate::rdf::{self, ArticleGraph};
use anyhow::{bail, Context};
use oxigraph::io::RdfFormat;
use oxigraph::model::TripleRef;
pub use oxigraph::store::Store;
use std::io::Write;
use std::path::Path;

/// A fresh in-memory store.
pub fn memory() -> anyhow::Result<Store> {
    Store::new().context("cannot create an in-memory store")
}

/// Opens (creating if needed) the RocksDB store in `dir`.
#[cfg(feature = "rocksdb")]
pub fn open(dir: &Path) -> anyhow::Result<Store> {
    Store::open(dir).with_context(|| format!("cannot open the store in {}", dir.display()))
}

#[cfg(not(feature = "rocksdb"))]
pub fn open(dir: &Path) -> anyhow::Result<Store> {
    bail!("cannot open {}: this newsgraph was built without the on-disk store (cargo feature `rocksdb`)", dir.display())
}

/// Writes a batch of article graphs atomically: each article's named graph is replaced whole, so
/// re-ingesting an article leaves no duplicate and nothing stale, and an interrupted ingest loses at
/// most the batch in flight.
///
/// A batch of articles the store does not hold yet goes through the bulk loader, which commits
/// all its sorted files at once and is an order of magnitude faster on RocksDB than a transaction
/// (whose write index re-sorts every key it is given). A batch that replaces a graph, or names one
/// article twice, needs the transaction's delete-then-insert.
pub fn ingest(store: &Store, batch: &[ArticleGraph]) -> anyhow::Result<()> {
    if replaces_any(store, batch)? {
        let mut transaction = store.start_transaction()?;
        for graph in batch {
            transaction.remove_named_graph(&graph.graph)?;
            transaction.insert_named_graph(&graph.graph);
            transaction.extend(&graph.quads);
        }
        return transaction.commit().context("cannot commit the batch to the store");
    }
    let quads: usize = batch.iter().map(|g| g.quads.len()).sum();
    // one loader thread: the pipeline keeps the other cores busy. The memory setting sizes the
    // loader's chunk to this batch (its default preallocates room for a million quads).
    let mut loader = store.bulk_loader().with_num_threads(1).with_max_memory_size_in_megabytes(quads.div_ceil(1000).max(1));
    loader.load_quads(batch.iter().flat_map(|g| g.quads.iter().cloned()))?;
    loader.commit().context("cannot commit the batch to the store")
}

/// Whether writing `batch` must replace graphs: one of its graphs is in the store already, or the
/// batch holds one graph twice.
fn replaces_any(store: &Store, batch: &[ArticleGraph]) -> anyhow::Result<bool> {
    let mut seen = std::collections::HashSet::new();
    for graph in batch {
        if !seen.insert(&graph.graph) || store.contains_named_graph(&graph.graph)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The RDF format named by `--format`, else by the output file's extension, else Turtle.
pub fn export_format(name: Option<&str>, output: Option<&Path>) -> anyhow::Result<RdfFormat> {
    if let Some(name) = name {
        let format = match name.to_ascii_lowercase().as_str() {
            "turtle" | "ttl" => RdfFormat::Turtle,
            "trig" => RdfFormat::TriG,
            "ntriples" | "n-triples" | "nt" => RdfFormat::NTriples,
            "nquads" | "n-quads" | "nq" => RdfFormat::NQuads,
            "rdfxml" | "rdf/xml" | "rdf" | "xml" => RdfFormat::RdfXml,
            "jsonld" | "json-ld" => RdfFormat::from_extension("jsonld").context("JSON-LD is not supported")?,
            other => bail!("unknown format {other:?}; use turtle, trig, ntriples, nquads, rdfxml or jsonld"),
        };
        return Ok(format);
    }
    let Some(ext) = output.and_then(|p| p.extension()).and_then(|e| e.to_str()) else {
        return Ok(RdfFormat::Turtle);
    };
    match RdfFormat::from_extension(ext) {
        Some(RdfFormat::N3) | None => bail!("cannot tell the format from the extension .{ext}; give --format"),
        Some(format) => Ok(format),
    }
}

/// Serialises the whole store. Formats with named graphs keep one graph per article; the others
/// get the union of all article graphs, each triple once, sorted by its text so output is stable
/// (outside memory, in bounded runs: [`sorted`]).
pub fn export(store: &Store, format: RdfFormat, writer: impl Write) -> anyhow::Result<()> {
    let serializer = rdf::serializer(format)?;
    if format.supports_datasets() {
        store.dump_to_writer(serializer, writer)?;
        return Ok(());
    }
    let mut triples = SortedTriples::new(sorted::RUN_BUDGET);
    for quad in store.quads_for_pattern(None, None, None, None) {
        let quad = quad?;
        triples.push(TripleRef::from(quad.as_ref()))?;
    }
    sorted::write_union(triples, serializer, writer)
}
