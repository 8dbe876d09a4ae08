//! `convert` writes every syntax without a store: the same graph as the store path (`ingest` into
//! a store, then `export`), the same bytes on any number of threads, read back by Oxigraph.

use assert_cmd::Command;
use newsgraph::rdf::iri::Minter;
use newsgraph::{store, Pipeline};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::store::Store;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn newsgraph() -> Command {
    Command::cargo_bin("newsgraph").expect("binary built")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn bbc() -> Option<PathBuf> {
    let path = repo("../shared/data/bbc/articles.jsonl");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: ../shared/data/bbc is absent");
        None
    }
}

const FORMATS: [(&str, RdfFormat); 6] = [
    ("ttl", RdfFormat::Turtle),
    ("trig", RdfFormat::TriG),
    ("nt", RdfFormat::NTriples),
    ("nq", RdfFormat::NQuads),
    ("rdf", RdfFormat::RdfXml),
    ("jsonld", RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() }),
];

/// What the store path writes: the articles ingested into an in-memory store, then exported.
fn through_store(inputs: &[PathBuf], format: RdfFormat) -> Vec<u8> {
    let pipeline = Pipeline::new(Minter::default());
    let store = store::memory().unwrap();
    newsgraph::extract_into(&pipeline, inputs, &store, &|_| {}).unwrap();
    let mut out = Vec::new();
    store::export(&store, format, &mut out).unwrap();
    out
}

fn streamed(inputs: &[PathBuf], format: RdfFormat) -> Vec<u8> {
    let pipeline = Pipeline::new(Minter::default());
    let mut out = Vec::new();
    newsgraph::convert(&pipeline, inputs, None, format, &mut out, &|_| {}).unwrap();
    out
}

/// The quads of a document, as N-Quads lines (a set: the syntaxes order them differently).
fn quads(bytes: &[u8], format: RdfFormat) -> BTreeSet<String> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .map(|q| q.map(|q| q.to_string()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("output does not parse as {format}: {e}"))
}

/// An input where the corpus step has work: one person named in full and by surname in
/// different articles, an organization written two ways, an article id read twice.
fn small_corpus(dir: &Path) -> Vec<PathBuf> {
    let input = dir.join("articles.jsonl");
    let articles = [
        ("a", "Finance minister Margit Tellander visited the harbour of Velmora on Monday."),
        ("b", "The budget vote was delayed on Tuesday. Mr Tellander said the parliament needed more time."),
        ("c", "Chief executive Jane Roe of ABN Amro said the bank grew."),
        ("d", "Chief executive Jane Roe of ABN AMRO said the bank shrank."),
        ("e", "Chief executive Jane Roe of ABN Amro said the bank held."),
        ("e", "Chief executive Jane Roe of ABN Amro said the bank fell."),
    ];
    let jsonl: String =
        articles.iter().map(|(id, body)| serde_json::json!({"id": id, "title": "News", "body": body}).to_string() + "\n").collect();
    std::fs::write(&input, jsonl).unwrap();
    vec![input, repo("examples")]
}

#[test]
fn every_syntax_holds_what_the_store_path_exports() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = small_corpus(dir.path());
    for (ext, format) in FORMATS {
        let (stored, streamed) = (through_store(&inputs, format), streamed(&inputs, format));
        let quads_streamed = quads(&streamed, format);
        assert!(quads_streamed.len() > 300, "{ext}: only {} quads", quads_streamed.len());
        assert_eq!(quads(&stored, format), quads_streamed, "{ext}: not the store path's graph");
        if !format.supports_datasets() {
            // the union, each triple once, sorted as the store path sorts it
            assert_eq!(String::from_utf8(stored).unwrap(), String::from_utf8(streamed).unwrap(), "{ext}: not the store path's bytes");
        }
    }
    // the corpus step ran: the surname is joined, the later article "e" replaced the earlier
    let turtle = String::from_utf8(streamed(&inputs, RdfFormat::Turtle)).unwrap();
    assert!(turtle.contains("bank fell") && !turtle.contains("bank held"));
    let nt = quads(&streamed(&inputs, RdfFormat::NTriples), RdfFormat::NTriples);
    assert!(!nt.iter().any(|t| t.contains("<http://schema.org/name> \"Tellander\"")), "the bare surname is left");
}

#[test]
fn the_bbc_corpus_in_turtle_and_trig_is_the_store_paths() {
    let Some(bbc) = bbc() else { return };
    // the whole corpus: its union is several sorted runs on disk, merged
    let inputs = [bbc];
    let pipeline = Pipeline::new(Minter::default());
    let store = store::memory().unwrap();
    newsgraph::extract_into(&pipeline, &inputs, &store, &|_| {}).unwrap();
    let mut stored = Vec::new();
    store::export(&store, RdfFormat::Turtle, &mut stored).unwrap();
    let turtle = streamed(&inputs, RdfFormat::Turtle);
    assert!(turtle.len() > 10 << 20, "only {} bytes of Turtle", turtle.len());
    assert!(stored == turtle, "the BBC corpus in Turtle differs from the store path's");
    drop((stored, turtle));
    let mut stored = Vec::new();
    store::export(&store, RdfFormat::NQuads, &mut stored).unwrap();
    let trig = streamed(&inputs, RdfFormat::TriG);
    assert_eq!(quads(&stored, RdfFormat::NQuads), quads(&trig, RdfFormat::TriG));
}

#[test]
fn the_bytes_do_not_depend_on_the_thread_count_and_oxigraph_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = small_corpus(dir.path());
    if let Some(bbc) = bbc() {
        // a sample of the corpus, so batches run in parallel
        let sample: String = std::fs::read_to_string(bbc).unwrap().lines().take(400).map(|l| format!("{l}\n")).collect();
        let path = dir.path().join("bbc-sample.jsonl");
        std::fs::write(&path, sample).unwrap();
        inputs.push(path);
    }
    for (ext, format) in [("ttl", RdfFormat::Turtle), ("trig", RdfFormat::TriG), ("rdf", RdfFormat::RdfXml), ("jsonld", FORMATS[5].1)] {
        let run = |threads: &str| {
            let out = dir.path().join(format!("{threads}.{ext}"));
            newsgraph().env("RAYON_NUM_THREADS", threads).arg("convert").args(&inputs).arg("-o").arg(&out).assert().success();
            std::fs::read(out).unwrap()
        };
        let one = run("1");
        assert!(one == run("2"), "{ext}: the bytes differ between 1 and 2 threads");
        let store = Store::new().unwrap();
        store.load_from_reader(RdfParser::from_format(format), one.as_slice()).unwrap_or_else(|e| panic!("{ext}: {e}"));
        assert_eq!(store.len().unwrap(), quads(&one, format).len(), "{ext}");
        if format == RdfFormat::TriG {
            assert!(store.named_graphs().count() >= 6, "{ext}: one graph per article");
        }
    }
}
