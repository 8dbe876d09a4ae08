//! `newsgraph load`: parts into an on-disk store, through the binary.
#![cfg(feature = "rocksdb")]

use assert_cmd::Command;
use oxigraph::io::{RdfFormat, RdfParser};
use predicates::prelude::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

fn newsgraph() -> Command {
    Command::cargo_bin("newsgraph").expect("binary built")
}

/// The quads of N-Quads bytes, as sorted strings.
fn quads(nquads: &[u8]) -> BTreeSet<String> {
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(nquads)
        .map(|q| q.expect("valid N-Quads").to_string())
        .collect()
}

fn exported(store: &Path) -> BTreeSet<String> {
    let out = newsgraph().arg("export").arg("--store").arg(store).args(["--format", "nquads"]).assert().success();
    quads(&out.get_output().stdout)
}

/// The graph IRI of one N-Quads line as newsgraph writes them (`… <graph> .`).
fn graph_of(line: &[u8]) -> &[u8] {
    let end = line.iter().rposition(|&b| b == b'>').expect("a graph IRI");
    let start = line[..end].iter().rposition(|&b| b == b'<').expect("a graph IRI");
    &line[start..=end]
}

fn gzip(path: &Path, bytes: &[u8]) {
    let mut encoder = flate2::write::GzEncoder::new(std::fs::File::create(path).unwrap(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap();
}

/// The example articles split into three parts the way a Spark job writes them: one plain, one
/// gzipped, one without extension in a job folder beside `_SUCCESS` and a `.crc` file.
#[test]
fn parts_load_into_one_store_equal_to_their_union() {
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = newsgraph().arg("convert").arg(&examples).args(["--format", "nquads"]).assert().success();
    let all = out.get_output().stdout.clone();
    let lines: Vec<&[u8]> = all.split_inclusive(|&b| b == b'\n').collect();
    // each article graph whole in one part, as the Spark job writes them
    let graphs: BTreeSet<&[u8]> = lines.iter().map(|l| graph_of(l)).collect();
    let part = |n: usize| -> Vec<u8> {
        let mine: BTreeSet<&&[u8]> = graphs.iter().skip(n).step_by(3).collect();
        lines.iter().filter(|l| mine.contains(&graph_of(l))).flat_map(|l| l.iter().copied()).collect()
    };
    assert!(graphs.len() >= 3);
    std::fs::write(dir.path().join("part-00000.nq"), part(0)).unwrap();
    gzip(&dir.path().join("part-00001.nq.gz"), &part(1));
    let job = dir.path().join("job");
    std::fs::create_dir(&job).unwrap();
    std::fs::write(job.join("part-00002"), part(2)).unwrap();
    std::fs::write(job.join("_SUCCESS"), "").unwrap();
    std::fs::write(job.join(".part-00002.crc"), "not RDF").unwrap();

    let store = dir.path().join("store");
    newsgraph()
        .arg("load")
        .arg("--store")
        .arg(&store)
        .arg(dir.path().join("part-00000.nq"))
        .arg(dir.path().join("part-00001.nq.gz"))
        .arg(&job)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("{} quads from 3 files", lines.len())));
    // the store writes the integer types derived from xsd:integer as xsd:integer; compare
    // with what a store holds of the single run
    let single = dir.path().join("single");
    newsgraph().arg("ingest").arg("--store").arg(&single).arg(&examples).assert().success();
    assert_eq!(exported(&store), exported(&single));
}

#[test]
fn a_file_that_does_not_parse_is_named_and_loads_nothing_while_the_others_load() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.nq");
    std::fs::write(&good, "<http://ex.org/a> <http://ex.org/p> \"1\" <http://ex.org/g1> .\n").unwrap();
    let bad = dir.path().join("bad.nq");
    std::fs::write(
        &bad,
        "<http://ex.org/b> <http://ex.org/p> \"2\" <http://ex.org/g2> .\n\
         <http://ex.org/b> <http://ex.org/p> \"3\" <http://ex.org/g2> .\n\
         <http://ex.org/b> <http://ex.org/p> \"unterminated <http://ex.org/g2> .\n",
    )
    .unwrap();
    let store = dir.path().join("store");
    newsgraph()
        .arg("load")
        .arg("--store")
        .arg(&store)
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("error: {}: ", bad.display())).and(predicate::str::contains("line 3")))
        .stderr(predicate::str::contains("1 quads from 1 file").and(predicate::str::contains("1 file failed")));
    assert_eq!(exported(&store), quads(b"<http://ex.org/a> <http://ex.org/p> \"1\" <http://ex.org/g1> .\n"));
    newsgraph()
        .arg("load")
        .arg("--store")
        .arg(&store)
        .arg(dir.path().join("missing.nq"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing.nq: no such file or folder"));
}

#[test]
fn loading_a_part_again_replaces_its_graphs() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("part.nq");
    let first = "<http://ex.org/a> <http://ex.org/p> \"old\" <http://ex.org/g1> .\n\
                 <http://ex.org/a> <http://ex.org/p> \"kept\" <http://ex.org/g2> .\n";
    std::fs::write(&part, first).unwrap();
    let store = dir.path().join("store");
    newsgraph().arg("load").arg("--store").arg(&store).arg(&part).assert().success();
    newsgraph().arg("load").arg("--store").arg(&store).arg(&part).assert().success();
    assert_eq!(exported(&store), quads(first.as_bytes()));
    let second = "<http://ex.org/a> <http://ex.org/p> \"new\" <http://ex.org/g1> .\n";
    std::fs::write(&part, second).unwrap();
    newsgraph()
        .arg("load")
        .arg("--store")
        .arg(&store)
        .arg(&part)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 graphs replaced"));
    let expected = "<http://ex.org/a> <http://ex.org/p> \"new\" <http://ex.org/g1> .\n\
                    <http://ex.org/a> <http://ex.org/p> \"kept\" <http://ex.org/g2> .\n";
    assert_eq!(exported(&store), quads(expected.as_bytes()));
}

/// Parts made apart, each by its own `convert`, then loaded and settled by `newsgraph corpus`,
/// give what one `ingest` of all the articles gives: the bare surname of one part is joined to
/// the full name of the other.
#[test]
fn the_corpus_step_after_a_load_gives_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full.txt");
    let bare = dir.path().join("bare.txt");
    std::fs::write(&full, "Minister visits port\n\nFinance minister Margit Tellander visited the harbour of Velmora on Monday. \"We will rebuild it,\" Margit Tellander told reporters.\n").unwrap();
    std::fs::write(&bare, "Budget vote delayed\n\nThe budget vote was delayed on Tuesday. Mr Tellander said the parliament needed more time, and Mr Tellander did not give a new date.\n").unwrap();
    let mut parts = Vec::new();
    for (n, input) in [&full, &bare].into_iter().enumerate() {
        let part = dir.path().join(format!("part-{n}.nq"));
        newsgraph().arg("convert").arg(input).arg("-o").arg(&part).assert().success();
        parts.push(part);
    }
    let store = dir.path().join("store");
    newsgraph().arg("load").arg("--store").arg(&store).args(&parts).assert().success();
    let loaded = exported(&store);
    let person = |quads: &BTreeSet<String>, name: &str| quads.iter().any(|q| q.contains("/entity/person/") && q.contains(&format!("<http://schema.org/name> \"{name}\"")));
    assert!(person(&loaded, "Tellander"), "the bare part has a person of its own before the corpus step");

    newsgraph().arg("corpus").arg("--store").arg(&store).assert().success().stderr(predicate::str::contains("1 bare surnames joined"));
    let settled = exported(&store);
    assert!(!person(&settled, "Tellander"));
    let single = dir.path().join("single");
    newsgraph().arg("ingest").arg("--store").arg(&single).arg(&full).arg(&bare).assert().success();
    assert_eq!(settled, exported(&single));
}
