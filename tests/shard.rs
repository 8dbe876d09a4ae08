//! `convert --shard I/N`: parts made apart, put together and settled by the corpus step, give
//! the single run.

use assert_cmd::Command;
use newsgraph::rdf::iri::Minter;
use newsgraph::Shard;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::store::Store;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn newsgraph() -> Command {
    Command::cargo_bin("newsgraph").expect("binary built")
}

/// The quads an in-memory store holds of N-Quads files (the store normalises some literals, so
/// both sides of a comparison go through one), after the corpus step when `settle` is set.
fn through_store(files: &[PathBuf], settle: bool) -> BTreeSet<String> {
    let store = Store::new().unwrap();
    for file in files {
        store.load_from_reader(RdfParser::from_format(RdfFormat::NQuads), std::fs::read(file).unwrap().as_slice()).unwrap();
    }
    if settle {
        newsgraph::resolve_corpus(&store, &Minter::default()).unwrap();
    }
    let mut out = Vec::new();
    store.dump_to_writer(RdfSerializer::from_format(RdfFormat::NQuads), &mut out).unwrap();
    String::from_utf8(out).unwrap().lines().map(str::to_string).collect()
}

/// An id of part `part` of 3, so the test does not depend on where the hash puts a name.
fn id_in_part(stem: &str, part: u64) -> String {
    (0..).map(|i| format!("{stem}-{i}")).find(|id| Shard::hash(id) % 3 == part).unwrap()
}

#[test]
fn three_parts_settled_by_the_corpus_step_equal_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    // a full name in part 0, the bare surname in part 1, a second spelling of one company in
    // part 2: the corpus step must see all parts to join and to unify
    let articles = [
        (id_in_part("full", 0), "Minister visits port", "Finance minister Margit Tellander visited the harbour of Velmora on Monday. \"We will rebuild it,\" Margit Tellander told reporters."),
        (id_in_part("bare", 1), "Budget vote delayed", "The budget vote was delayed on Tuesday. Mr Tellander said the parliament needed more time, and Mr Tellander did not give a new date."),
        (id_in_part("firm", 2), "Bank results", "Chief executive Jane Roe of ABN Amro said the bank grew."),
        (id_in_part("firm", 0), "Bank results", "Chief executive Jane Roe of ABN AMRO said the bank shrank."),
        (id_in_part("firm", 1), "Bank results", "Chief executive Jane Roe of ABN Amro said the bank held."),
    ];
    let jsonl: String = articles
        .iter()
        .map(|(id, title, body)| serde_json::json!({"id": id, "title": title, "body": body}).to_string() + "\n")
        .collect();
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, jsonl).unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");

    let single = dir.path().join("single.nq");
    newsgraph().arg("convert").arg(&input).arg(&examples).arg("-o").arg(&single).assert().success();
    let mut parts = Vec::new();
    for i in 0..3 {
        let part = dir.path().join(format!("part-{i}.nq"));
        newsgraph().arg("convert").arg(&input).arg(&examples).args(["--shard", &format!("{i}/3")]).arg("-o").arg(&part).assert().success();
        parts.push(part);
    }
    // each article graph in exactly one part
    let graphs = |file: &PathBuf| -> BTreeSet<String> {
        RdfParser::from_format(RdfFormat::NQuads).for_slice(&std::fs::read(file).unwrap()).map(|q| q.unwrap().graph_name.to_string()).collect()
    };
    let per_part: Vec<BTreeSet<String>> = parts.iter().map(graphs).collect();
    assert!(per_part.iter().all(|g| !g.is_empty()));
    assert_eq!(per_part.iter().map(BTreeSet::len).sum::<usize>(), graphs(&single).len());
    // the parts alone are not settled: the bare surname is a person of its own there
    let raw = through_store(&parts, false);
    assert!(raw.iter().any(|q| q.contains("/entity/person/") && q.contains("<http://schema.org/name> \"Tellander\"")));
    let settled = through_store(&parts, true);
    assert!(!settled.iter().any(|q| q.contains("<http://schema.org/name> \"Tellander\"")));
    assert_eq!(settled, through_store(&[single], false));
    // a rerun of a part overwrites it with the same bytes
    let first = std::fs::read(&parts[1]).unwrap();
    newsgraph().arg("convert").arg(&input).arg(&examples).args(["--shard", "1/3"]).arg("-o").arg(&parts[1]).assert().success();
    assert_eq!(std::fs::read(&parts[1]).unwrap(), first);
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    newsgraph().args(["convert", "-", "--shard", "3/3"]).assert().code(2);
    newsgraph().args(["convert", "-", "--shard", "1"]).assert().code(2);
}

/// `convert` to N-Quads streams without a store and runs the corpus step over its index: the
/// same quads as the store path (TriG is written from the store), the same bytes on 1 and 2 threads.
#[test]
fn streamed_nquads_equal_the_store_path_and_do_not_depend_on_threads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    let articles = [
        ("a", "Finance minister Margit Tellander visited the harbour of Velmora on Monday. \"We will rebuild it,\" Margit Tellander told reporters."),
        ("b", "The budget vote was delayed on Tuesday. Mr Tellander said the parliament needed more time, and Mr Tellander did not give a new date."),
        ("c", "Chief executive Jane Roe of ABN Amro said the bank grew."),
        ("d", "Chief executive Jane Roe of ABN AMRO said the bank shrank."),
        ("e", "Chief executive Jane Roe of ABN Amro said the bank held."),
        // an id read twice: the last one wins, as in a store
        ("e", "Chief executive Jane Roe of ABN Amro said the bank fell."),
    ];
    let jsonl: String = articles.iter().map(|(id, body)| serde_json::json!({"id": id, "title": "News", "body": body}).to_string() + "\n").collect();
    std::fs::write(&input, jsonl).unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut inputs = vec![input, examples];
    if let Some(bbc) = Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bbc/articles.jsonl")).filter(|p| p.exists()) {
        inputs.push(bbc);
    } else {
        eprintln!("../shared/data/bbc absent: the BBC corpus is left out of this test");
    }
    let run = |threads: &str, out: &Path| {
        newsgraph().env("RAYON_NUM_THREADS", threads).arg("convert").args(&inputs).arg("-o").arg(out).assert().success();
    };
    let (one, two, trig) = (dir.path().join("1.nq"), dir.path().join("2.nq"), dir.path().join("store.trig"));
    run("1", &one);
    run("2", &two);
    assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
    newsgraph().arg("convert").args(&inputs).arg("-o").arg(&trig).assert().success();
    let store = Store::new().unwrap();
    store.load_from_reader(RdfParser::from_format(RdfFormat::TriG), std::fs::read(&trig).unwrap().as_slice()).unwrap();
    let mut out = Vec::new();
    store.dump_to_writer(RdfSerializer::from_format(RdfFormat::NQuads), &mut out).unwrap();
    let from_store: BTreeSet<String> = String::from_utf8(out).unwrap().lines().map(str::to_string).collect();
    let streamed = through_store(&[one], false);
    assert!(streamed.iter().any(|q| q.contains("\"Margit Tellander\"")) && !streamed.iter().any(|q| q.contains("<http://schema.org/name> \"Tellander\"")));
    assert!(streamed.iter().any(|q| q.contains("bank fell")) && !streamed.iter().any(|q| q.contains("bank held")));
    assert_eq!(streamed.len(), from_store.len());
    assert_eq!(streamed, from_store);
}
