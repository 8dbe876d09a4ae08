//! `newsgraph bench`: throughput of each stage and of the whole run on a corpus, and peak memory.
//! Figures are measured on the machine at hand, never asserted in tests.

use crate::article;
use crate::rdf::iri::Minter;
use crate::{rdf, recognise, relate, resolve, segment, store, Doc, Pipeline};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Options of `newsgraph bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Articles to measure on (e.g. ../shared/data/bbc/articles.jsonl).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let (inputs, problems) = article::collect_inputs(&args.inputs);
    let read = article::read_all(&inputs);
    let read_time = started.elapsed();
    let articles = read.articles;
    let n = articles.len();
    let bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    println!("corpus: {n} articles, {:.1} MB of text, {} input problems", bytes as f64 / 1e6, problems.len() + read.problems.len());
    println!("{:<28} {:>10} {:>14} {:>16}", "stage (one thread)", "seconds", "articles/s", "units/s");
    line("read", read_time, n, None);

    let pipeline = Pipeline::new(Minter::default());
    let kb = pipeline.kb;
    let mut docs: Vec<Doc> = articles.iter().cloned().map(Doc::new).collect();
    let t = Instant::now();
    docs.iter_mut().for_each(segment::segment);
    let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    line("segment", t.elapsed(), n, Some((tokens, "tokens")));

    let t = Instant::now();
    for doc in &mut docs {
        doc.mentions = recognise::recognise(doc, kb);
    }
    line("recognise", t.elapsed(), n, Some((tokens, "tokens")));
    if let Some(tagger) = crate::ner::bundled() {
        let t = Instant::now();
        let found: usize = docs.iter().map(|doc| tagger.tag_doc(doc).len()).sum();
        line("  of which the tagger", t.elapsed(), n, Some((tokens, "tokens")));
        println!("{:<28} {found} names", "");
    }

    let t = Instant::now();
    docs.iter_mut().for_each(|d| resolve::resolve(d, kb));
    let entities: usize = docs.iter().map(|d| d.entities.len()).sum();
    line("resolve + link", t.elapsed(), n, Some((entities, "entities")));

    let t = Instant::now();
    for doc in &mut docs {
        doc.facts = relate::relate_with(doc, kb);
    }
    line("relate", t.elapsed(), n, None);

    let t = Instant::now();
    let graphs: Vec<_> = docs.iter().map(|d| rdf::map(d, &pipeline.minter)).collect();
    let quads: usize = graphs.iter().map(|g| g.quads.len()).sum();
    line("map to RDF", t.elapsed(), n, Some((quads, "triples")));

    let memory = store::memory()?;
    line("store (in memory)", time_ingest(&memory, &graphs)?, n, Some((quads, "triples")));
    let peak_in_memory = peak_memory_kib();
    #[cfg(feature = "rocksdb")]
    {
        let dir = tempfile::tempdir()?;
        let disk = store::open(dir.path())?;
        line("store (RocksDB, new graphs)", time_ingest(&disk, &graphs)?, n, Some((quads, "triples")));
        line("store (RocksDB, replacing)", time_ingest(&disk, &graphs)?, n, Some((quads, "triples")));
    }
    drop(graphs);
    drop(docs);

    let threads = rayon::current_num_threads();
    let t = Instant::now();
    let parallel: usize = articles.into_par_iter().map(|a| pipeline.graph(a).map(|g| g.quads.len()).unwrap_or(0)).sum();
    println!();
    println!("whole pipeline on {threads} threads (read excluded, store excluded):");
    line("analyse + map", t.elapsed(), n, Some((parallel, "triples")));
    println!();
    println!("store: {} quads in {} graphs", memory.len()?, memory.named_graphs().count());
    if let Some(kib) = peak_in_memory {
        println!("peak memory (VmHWM) up to the in-memory store: {:.0} MiB", kib as f64 / 1024.0);
    }
    if let Some(kib) = peak_memory_kib() {
        println!("peak memory (VmHWM) with RocksDB's caches: {:.0} MiB", kib as f64 / 1024.0);
    }
    Ok(())
}

/// How long ingesting `graphs` into `store` takes, batch by batch as `ingest` does.
fn time_ingest(store: &store::Store, graphs: &[rdf::ArticleGraph]) -> anyhow::Result<Duration> {
    let t = Instant::now();
    for batch in graphs.chunks(crate::BATCH) {
        store::ingest(store, batch)?;
    }
    Ok(t.elapsed())
}

fn line(stage: &str, elapsed: Duration, articles: usize, units: Option<(usize, &str)>) {
    let secs = elapsed.as_secs_f64().max(1e-9);
    let units = units.map(|(u, name)| format!("{:.0} {name}/s", u as f64 / secs)).unwrap_or_default();
    println!("{stage:<28} {secs:>10.3} {:>14.0} {units:>16}", articles as f64 / secs);
}

/// Peak resident memory of this process, from /proc (Linux only).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}
