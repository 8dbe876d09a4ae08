//! End-to-end tests through the `newsgraph` binary on the example articles and fixtures.

use assert_cmd::Command;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Quad;
use predicates::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn newsgraph() -> Command {
    Command::cargo_bin("newsgraph").expect("binary built")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn shared() -> Option<PathBuf> {
    let dir = repo("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared is absent");
        None
    }
}

fn parse(bytes: &[u8], format: RdfFormat) -> Vec<Quad> {
    RdfParser::from_format(format)
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("output does not parse as {format}: {e}"))
}

/// The independent parser from raptor2-utils, when installed.
fn rapper_count(file: &Path, syntax: &str) -> Option<usize> {
    let out = std::process::Command::new("rapper").args(["-i", syntax, "-c"]).arg(file).output().ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "rapper rejects {}: {stderr}", file.display());
    let count = stderr.split("returned ").nth(1)?.split_whitespace().next()?.parse().ok()?;
    Some(count)
}

/// Rows of SPARQL CSV results (RFC 4180 quoting).
fn csv_rows(out: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(out);
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Runs a query over articles extracted in memory and returns its CSV rows, header first.
fn query_csv(input: &str, query: &str) -> Vec<Vec<String>> {
    let out = newsgraph().args(["query", "--results", "csv", "--input"]).arg(repo(input)).arg(query).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    csv_rows(&out.stdout)
}

#[test]
fn convert_examples_to_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut counts = Vec::new();
    for (ext, format, rapper) in [
        ("ttl", RdfFormat::Turtle, Some("turtle")),
        ("trig", RdfFormat::TriG, Some("trig")),
        ("nt", RdfFormat::NTriples, Some("ntriples")),
        ("nq", RdfFormat::NQuads, Some("nquads")),
        ("rdf", RdfFormat::RdfXml, Some("rdfxml")),
        ("jsonld", RdfFormat::from_extension("jsonld").unwrap(), None),
    ] {
        let out = dir.path().join(format!("graph.{ext}"));
        newsgraph().arg("convert").arg(repo("examples")).arg("-o").arg(&out).assert().success();
        let quads = parse(&std::fs::read(&out).unwrap(), format);
        let triples: BTreeSet<_> = quads.iter().map(|q| (q.subject.to_string(), q.predicate.to_string(), q.object.to_string())).collect();
        assert!(triples.len() > 300, "{ext}: only {} triples", triples.len());
        counts.push((ext, triples.len()));
        if let (Some(syntax), Some(n)) = (rapper, rapper.and_then(|s| rapper_count(&out, s))) {
            assert_eq!(n, quads.len(), "rapper and oxigraph disagree on {ext} ({syntax})");
        }
    }
    // every format carries the same triples
    assert!(counts.windows(2).all(|w| w[0].1 == w[1].1), "{counts:?}");
}

#[test]
fn awkward_names_give_output_other_parsers_read() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["ttl", "nq", "rdf"] {
        let out = dir.path().join(format!("awkward.{ext}"));
        newsgraph().arg("convert").arg(repo("tests/fixtures/awkward-names.txt")).arg("-o").arg(&out).assert().success();
        let bytes = std::fs::read(&out).unwrap();
        let quads = parse(&bytes, RdfFormat::from_extension(ext).unwrap());
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("Παπαδοπούλου"), "non-Latin names are kept");
        let syntax = match ext {
            "ttl" => "turtle",
            "nq" => "nquads",
            _ => "rdfxml",
        };
        if let Some(n) = rapper_count(&out, syntax) {
            assert_eq!(n, quads.len());
        }
    }
}

#[test]
fn one_node_per_person_and_mentions_carry_offsets() {
    let rows = query_csv("examples", repo("queries/mentions.rq").to_str().unwrap());
    assert_eq!(rows[0], ["entity", "name", "article", "begin", "end", "text"]);
    let varga: BTreeSet<_> = rows.iter().filter(|r| r[1] == "Helena Varga").map(|r| (r[0].clone(), r[5].clone())).collect();
    let iris: BTreeSet<_> = varga.iter().map(|(iri, _)| iri.clone()).collect();
    let surfaces: BTreeSet<_> = varga.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(iris.len(), 1, "{varga:?}");
    assert!(surfaces.contains("Helena Varga") && surfaces.contains("Varga"), "{surfaces:?}");
    // offsets point at the anchor text in the article's text
    let text = std::fs::read_to_string(repo("examples/harbour-talks.txt")).unwrap();
    let row = rows.iter().find(|r| r[5] == "Helena Varga").unwrap();
    let (begin, end): (usize, usize) = (row[3].parse().unwrap(), row[4].parse().unwrap());
    let title = text.lines().next().unwrap();
    let body_offset = title.chars().count() + 2;
    let body: String = text.splitn(2, '\n').nth(1).unwrap().trim_start().chars().collect();
    let found: String = body.chars().skip(begin - body_offset).take(end - begin).collect();
    assert_eq!(found, "Helena Varga");
}

#[test]
fn the_same_entity_in_two_articles_is_one_node() {
    let rows = query_csv("examples/wire.jsonl", repo("queries/article-entities.rq").to_str().unwrap());
    let acme: BTreeSet<_> = rows.iter().filter(|r| r.last().is_some_and(|n| n.starts_with("Acme"))).map(|r| (r[0].clone(), r[2].clone())).collect();
    let articles: BTreeSet<_> = acme.iter().map(|r| &r.0).collect();
    let entities: BTreeSet<_> = acme.iter().map(|r| &r.1).collect();
    assert_eq!(articles.len(), 2, "{acme:?}");
    assert_eq!(entities.len(), 1, "{acme:?}");
}

#[test]
fn every_named_query_runs_and_returns_its_columns() {
    let expected = [
        ("entities", "entity,type,name,mentions,nationalityMentions"),
        ("aliases", "entity,name,alias"),
        ("article-entities", "article,headline,entity,type,name"),
        ("positions", "person,personName,role,holder,holderName,former,acting"),
        ("events", "event,eventType,label,place,placeName,date,durationMinutes,killed,killedQualifier,injured,missing"),
        ("participants", "event,label,participant,participantName"),
        ("links", "entity,name,kb"),
        ("mentions", "entity,name,article,begin,end,text"),
    ];
    for (name, header) in expected {
        let query = repo(&format!("queries/{name}.rq"));
        assert!(query.is_file(), "queries/{name}.rq is missing");
        let out = newsgraph().args(["query", "-r", "csv", "--input"]).arg(repo("examples")).arg(&query).output().unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.lines().next(), Some(header), "{name}");
    }
    let rows = query_csv("examples", repo("queries/entities.rq").to_str().unwrap());
    let types: BTreeSet<_> = rows[1..].iter().map(|r| r[1].as_str()).collect();
    assert!(types.iter().all(|t| ["http://schema.org/Person", "http://schema.org/Organization", "http://schema.org/Place", "http://schema.org/Event"].contains(t)), "{types:?}");
    let entities: Vec<_> = rows[1..].iter().map(|r| &r[0]).collect();
    assert_eq!(entities.len(), entities.iter().collect::<BTreeSet<_>>().len(), "one row per entity");
}

#[test]
fn query_result_formats_and_kinds() {
    let ask = "ASK { ?p a schema:Person }";
    newsgraph().args(["query", "-r", "json", "--input"]).arg(repo("examples")).arg(ask).assert().success().stdout(predicate::str::contains("\"boolean\":true"));
    let select = "SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name } ORDER BY ?name LIMIT 2";
    for (format, marker) in [("tsv", "?name"), ("xml", "<sparql"), ("json", "\"vars\""), ("table", "| ") ] {
        let assert = newsgraph().args(["query", "-r", format, "--input"]).arg(repo("examples")).arg(select).assert().success();
        if format != "table" {
            assert.stdout(predicate::str::contains(marker));
        }
    }
    let construct = "CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }";
    let out = newsgraph().args(["query", "--input"]).arg(repo("examples")).arg(construct).output().unwrap();
    assert!(out.status.success());
    assert!(!parse(&out.stdout, RdfFormat::Turtle).is_empty());
}

#[test]
fn a_query_syntax_error_names_line_and_column() {
    newsgraph()
        .args(["query", "--input"])
        .arg(repo("examples/wire.jsonl"))
        .arg("SELECT ?x\nWHERE { ?x ?y }")
        .assert()
        .failure()
        .stderr(predicate::str::contains("2:").and(predicate::str::contains("syntax error")));
}

#[test]
fn bad_inputs_are_named_and_the_rest_still_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<u8>>()).unwrap();
    let missing = dir.path().join("missing.txt");
    let out = dir.path().join("out.nq");
    let assert = newsgraph()
        .arg("convert")
        .arg(repo("tests/fixtures/partly-broken.jsonl"))
        .arg(&binary)
        .arg(&missing)
        .arg(repo("examples/harbour-talks.txt"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("partly-broken.jsonl:2"), "{stderr}");
    assert!(stderr.contains("photo.txt"), "{stderr}");
    assert!(stderr.contains("missing.txt"), "{stderr}");
    let nq = std::fs::read_to_string(&out).unwrap();
    for id in ["ok-1>", "ok-2>", "harbour-states-agree"] {
        assert!(nq.contains(&format!("/article/{id}")), "article {id} missing");
    }
}

#[test]
fn usage_errors_exit_with_2() {
    newsgraph().arg("convert").assert().code(2);
    newsgraph().args(["export", "--store"]).assert().code(2);
    newsgraph().args(["convert", "--format", "nonsense"]).arg(repo("examples")).assert().code(1).stderr(predicate::str::contains("unknown format"));
}

#[test]
fn stdin_is_an_input() {
    newsgraph()
        .args(["convert", "-", "--format", "nt"])
        .write_stdin("Ministers meet in Oslo\n\nForeign minister Jane Roe met John Doe in Oslo on Monday.\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Jane Roe"));
}

#[test]
fn seed_articles_make_one_node_per_person() {
    let Some(shared) = shared() else { return };
    let rows = query_csv(shared.join("seeds").to_str().unwrap(), repo("queries/mentions.rq").to_str().unwrap());
    for (surname, full) in [("Obama", "Barack Obama"), ("Putin", "Vladimir Putin")] {
        let iris: BTreeSet<_> = rows.iter().filter(|r| r[5].ends_with(surname)).map(|r| r[0].clone()).collect();
        let articles: BTreeSet<_> = rows.iter().filter(|r| r[5].ends_with(surname)).map(|r| r[2].clone()).collect();
        assert_eq!(iris.len(), 1, "{surname}: {iris:?}");
        assert_eq!(articles.len(), 2, "{surname} in both articles");
        assert!(rows.iter().any(|r| r[5] == full && iris.contains(&r[0])));
    }
}

#[cfg(feature = "rocksdb")]
fn sorted_lines(path: &Path) -> Vec<String> {
    let mut lines: Vec<String> = std::fs::read_to_string(path).unwrap().lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// Exports the store to `out` and returns its lines, sorted.
#[cfg(feature = "rocksdb")]
fn export_sorted(store: &Path, out: &Path) -> Vec<String> {
    newsgraph().args(["export", "--store"]).arg(store).arg("-o").arg(out).assert().success();
    sorted_lines(out)
}

#[cfg(feature = "rocksdb")]
#[test]
fn re_ingesting_changes_nothing_and_replaces_stale_facts() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kg");
    let export = |name: &str| export_sorted(&store, &dir.path().join(name));
    newsgraph().args(["ingest", "--store"]).arg(&store).arg(repo("examples")).assert().success();
    let first = export("first.nq");
    newsgraph().args(["ingest", "--store"]).arg(&store).arg(repo("examples")).assert().success();
    assert_eq!(first, export("second.nq"), "re-ingesting changed the store");

    let changed = dir.path().join("wire.jsonl");
    std::fs::write(&changed, "{\"id\": \"wire-0001\", \"title\": \"Correction\", \"body\": \"Jane Roe met John Doe in Oslo.\"}\n").unwrap();
    newsgraph().args(["ingest", "--store"]).arg(&store).arg(&changed).assert().success();
    let third = export("third.nq");
    assert!(!third.iter().any(|l| l.contains("/article/wire-0001>") && l.contains("Nordlys")), "stale facts remain");
    assert!(third.iter().any(|l| l.contains("/article/wire-0001>") && l.contains("Correction")));
}

/// The on-disk store (bulk-loaded for new articles, transactions for replaced ones) holds exactly
/// what the in-memory one does, also when one run names an article twice.
#[cfg(feature = "rocksdb")]
#[test]
fn the_disk_store_holds_what_convert_writes() {
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("twice.jsonl");
    std::fs::write(
        &twice,
        "{\"id\": \"dup-1\", \"title\": \"First\", \"body\": \"Jane Roe met John Doe in Oslo on Monday.\"}\n\
         {\"id\": \"dup-1\", \"title\": \"Correction\", \"body\": \"Jane Roe met Mary Major in Bergen on Monday.\"}\n",
    )
    .unwrap();
    let store = dir.path().join("kg");
    newsgraph().args(["ingest", "--store"]).arg(&store).arg(repo("examples")).arg(&twice).assert().success();
    let on_disk = export_sorted(&store, &dir.path().join("store.nq"));
    let converted = dir.path().join("memory.nq");
    newsgraph().arg("convert").arg(repo("examples")).arg(&twice).arg("-o").arg(&converted).assert().success();
    assert_eq!(on_disk, sorted_lines(&converted), "disk and memory stores differ");
    assert!(on_disk.iter().any(|l| l.contains("Correction")));
    assert!(!on_disk.iter().any(|l| l.contains("John Doe") || l.contains("\"First\"")), "the first version remains");
}

#[test]
fn a_user_knowledge_base_names_its_entities() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("newsroom.jsonl");
    std::fs::write(
        &kb,
        "{\"id\": \"https://newsroom.example/id/acme\", \"label\": \"Acme Holdings\", \"aliases\": [\"Acme\"], \"type\": \"organization\", \"country\": \"US\"}\n",
    )
    .unwrap();
    let out = newsgraph()
        .args(["query", "-r", "csv", "--kb"])
        .arg(&kb)
        .arg("--input")
        .arg(repo("examples/wire.jsonl"))
        .arg(repo("queries/entities.rq"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = csv_rows(&out.stdout);
    assert!(rows.iter().any(|r| r[0] == "https://newsroom.example/id/acme" && r[2] == "Acme Holdings"), "{rows:?}");
    newsgraph().args(["convert", "--kb"]).arg(dir.path().join("missing.jsonl")).arg(repo("examples/wire.jsonl")).assert().code(1);
}
