//! `newsgraph bench`: throughput of each stage and of the whole run on a corpus, and peak memory.
//! Figures are measured on the machine at hand, never asserted in tests.

use crate::article;
use crate::rdf::iri::Minter;
use crate::{rdf, recognise, relate, resolve, segment, store, Doc, Pipeline};
use oxigraph::io::RdfFormat;
use rayon::prelude::*;
use std::io::Write;
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

    // start-up: what a one-article run pays before its first token (first use in this process)
    let t = Instant::now();
    let pipeline = Pipeline::new(Minter::default());
    let kb_load = t.elapsed();
    let t = Instant::now();
    let tagger_loaded = crate::ner::bundled().is_some();
    let tagger_load = t.elapsed();
    println!(
        "start-up: knowledge base {:.1} ms, tagger {:.1} ms{}",
        kb_load.as_secs_f64() * 1e3,
        tagger_load.as_secs_f64() * 1e3,
        if tagger_loaded { "" } else { " (no bundled model)" }
    );
    // the tagger's known-word tables: built once a run has tagged enough tokens to gain from them
    if let Some(tagger) = crate::ner::bundled() {
        let t = Instant::now();
        tagger.prepare_known_words();
        println!(
            "tagger known-word tables: {:.1} ms (built after {} tokens, not at start-up)",
            t.elapsed().as_secs_f64() * 1e3,
            crate::ner::model::KNOWN_WORDS_AFTER
        );
    }
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

    println!();
    println!("per thread count (convert: read, analyse, corpus step and write to nowhere, no store):");
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
        pool.install(|| -> anyhow::Result<()> {
            let t = Instant::now();
            let parallel: usize = articles.clone().into_par_iter().map(|a| pipeline.graph(a).map(|g| g.quads.len()).unwrap_or(0)).sum();
            line(&format!("{threads} thread(s): analyse + map"), t.elapsed(), n, Some((parallel, "triples")));
            for (name, format) in [("N-Quads", RdfFormat::NQuads), ("Turtle", RdfFormat::Turtle)] {
                let t = Instant::now();
                let summary = crate::convert(&pipeline, &args.inputs, None, format, &mut std::io::sink(), &|_| {})?;
                line(&format!("{threads} thread(s): convert {name}"), t.elapsed(), n, Some((summary.quads, "triples")));
            }
            Ok(())
        })?;
    }
    drop(articles);
    println!();
    println!("store: {} quads in {} graphs", memory.len()?, memory.named_graphs().count());
    if let Some(kib) = peak_in_memory {
        println!("peak memory (VmHWM) up to the in-memory store: {:.0} MiB", kib as f64 / 1024.0);
    }
    if let Some(kib) = peak_memory_kib() {
        println!("peak memory (VmHWM) of this process, all of the above: {:.0} MiB", kib as f64 / 1024.0);
    }
    flat_memory(&args.inputs)?;
    Ok(())
}

/// Peak memory of whole `convert` processes on the corpus and on the corpus four times over
/// (each copy's ids made distinct, so every copy is a new article): the ratio shows whether
/// memory grows with the corpus. Inputs that are not JSON lines are left out of the copies.
fn flat_memory(inputs: &[PathBuf]) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let dir = tempfile::tempdir()?;
    let (files, _) = article::collect_inputs(inputs);
    let single = dir.path().join("single.jsonl");
    let fourfold = dir.path().join("fourfold.jsonl");
    let (mut one, mut four) = (std::io::BufWriter::new(std::fs::File::create(&single)?), std::io::BufWriter::new(std::fs::File::create(&fourfold)?));
    let mut lines = Vec::new();
    let paths = files.iter().filter_map(|f| match f {
        article::Input::Path(p) | article::Input::Found(p) => Some(p),
        article::Input::Stdin => None,
    });
    for file in paths.filter(|f| f.extension().is_some_and(|e| e == "jsonl")) {
        for line in std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(file)?)) {
            let line = line?;
            if serde_json::from_str::<serde_json::Value>(&line).is_ok_and(|v| v.get("id").is_some_and(|id| id.is_string())) {
                lines.push(line);
            }
        }
    }
    if lines.is_empty() {
        println!("flat-memory check: skipped (it needs JSON-lines inputs with ids)");
        return Ok(());
    }
    for line in &lines {
        writeln!(one, "{line}")?;
    }
    for copy in 0..4 {
        for line in &lines {
            let mut article: serde_json::Value = serde_json::from_str(line)?;
            let id = article["id"].as_str().unwrap_or_default().to_string();
            article["id"] = serde_json::Value::String(format!("{id}-copy{copy}"));
            writeln!(four, "{article}")?;
        }
    }
    drop((one.into_inner()?, four.into_inner()?));
    println!();
    println!("flat-memory check: peak RSS of whole `convert` processes ({} articles, then 4 copies with distinct ids):", lines.len());
    for ext in ["nq", "ttl"] {
        let mut peaks = Vec::new();
        for input in [&single, &fourfold] {
            let t = Instant::now();
            let out = dir.path().join(format!("out.{ext}"));
            let mut child = std::process::Command::new(&exe)
                .arg("convert")
                .arg(input)
                .arg("-o")
                .arg(&out)
                .stderr(std::process::Stdio::null())
                .spawn()?;
            let peak = watch_peak(&mut child)?;
            peaks.push((peak, t.elapsed()));
            let _ = std::fs::remove_file(&out);
        }
        let mib = |kib: u64| kib as f64 / 1024.0;
        println!(
            "  convert -o X.{ext}: {:.0} MiB in {:.2} s, 4x: {:.0} MiB in {:.2} s; ratio {:.2} (target <= 1.30)",
            mib(peaks[0].0),
            peaks[0].1.as_secs_f64(),
            mib(peaks[1].0),
            peaks[1].1.as_secs_f64(),
            peaks[1].0 as f64 / peaks[0].0.max(1) as f64
        );
    }
    Ok(())
}

/// The child's peak resident memory (VmHWM, monotonic), read from /proc until it exits.
fn watch_peak(child: &mut std::process::Child) -> anyhow::Result<u64> {
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Some(kib) = std::fs::read_to_string(&status).ok().as_deref().and_then(vm_hwm_kib) {
            peak = peak.max(kib);
        }
        if let Some(exit) = child.try_wait()? {
            anyhow::ensure!(exit.success(), "convert failed in the flat-memory check ({exit})");
            return Ok(peak);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn vm_hwm_kib(status: &str) -> Option<u64> {
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
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
    vm_hwm_kib(&std::fs::read_to_string("/proc/self/status").ok()?)
}
