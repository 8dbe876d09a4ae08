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

/// An in-memory store loaded with N-Quads files.
fn loaded(files: &[PathBuf]) -> Store {
    let store = Store::new().unwrap();
    for file in files {
        store.load_from_reader(RdfParser::from_format(RdfFormat::NQuads), std::fs::read(file).unwrap().as_slice()).unwrap();
    }
    store
}

/// The quads of a store as N-Quads lines.
fn dump(store: &Store) -> BTreeSet<String> {
    let mut out = Vec::new();
    store.dump_to_writer(RdfSerializer::from_format(RdfFormat::NQuads), &mut out).unwrap();
    String::from_utf8(out).unwrap().lines().map(str::to_string).collect()
}

/// The quads an in-memory store holds of N-Quads files (the store normalises some literals, so
/// both sides of a comparison go through one), after the corpus step when `settle` is set.
fn through_store(files: &[PathBuf], settle: bool) -> BTreeSet<String> {
    let store = loaded(files);
    if settle {
        newsgraph::resolve_corpus(&store, &Minter::default()).unwrap();
    }
    dump(&store)
}

/// An id of part `part` of 3, so the test does not depend on where the hash puts a name.
fn id_in_part(stem: &str, part: u64) -> String {
    (0..).map(|i| format!("{stem}-{i}")).find(|id| Shard::hash(id) % 3 == part).unwrap()
}

/// Articles written for three parts, plus the repo's examples: a full name in part 0 and the bare
/// surname in part 1, a second spelling of one company in part 2, so the corpus step must see all
/// parts to join and to unify.
fn sharded_input(dir: &Path) -> Vec<PathBuf> {
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
    let input = dir.join("articles.jsonl");
    std::fs::write(&input, jsonl).unwrap();
    vec![input, Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")]
}

/// The article graphs a part holds.
fn graphs(file: &Path) -> BTreeSet<String> {
    RdfParser::from_format(RdfFormat::NQuads).for_slice(&std::fs::read(file).unwrap()).map(|q| q.unwrap().graph_name.to_string()).collect()
}

#[test]
fn three_parts_settled_by_the_corpus_step_equal_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = sharded_input(dir.path());

    let single = dir.path().join("single.nq");
    newsgraph().arg("convert").args(&inputs).arg("-o").arg(&single).assert().success();
    let mut parts = Vec::new();
    for i in 0..3 {
        let part = dir.path().join(format!("part-{i}.nq"));
        newsgraph().arg("convert").args(&inputs).args(["--shard", &format!("{i}/3")]).arg("-o").arg(&part).assert().success();
        parts.push(part);
    }
    // each article graph in exactly one part
    let per_part: Vec<BTreeSet<String>> = parts.iter().map(|p| graphs(p)).collect();
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
    newsgraph().arg("convert").args(&inputs).args(["--shard", "1/3"]).arg("-o").arg(&parts[1]).assert().success();
    assert_eq!(std::fs::read(&parts[1]).unwrap(), first);
}

/// The map side (`convert --shard I/N --index`) and the reduce (`corpus --reduce … --apply …`)
/// give, without any store, the quads of the single run; a gzipped part comes back gzipped.
#[test]
fn three_parts_reduced_with_their_indexes_equal_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = sharded_input(dir.path());
    let single = dir.path().join("single.nq");
    newsgraph().arg("convert").args(&inputs).arg("-o").arg(&single).assert().success();
    let raw = dir.path().join("raw");
    std::fs::create_dir(&raw).unwrap();
    let (mut parts, mut indexes) = (Vec::new(), Vec::new());
    for i in 0..3 {
        let (part, index) = (raw.join(format!("part-{i}.nq")), raw.join(format!("part-{i}.idx")));
        newsgraph().arg("convert").args(&inputs).args(["--shard", &format!("{i}/3")]).arg("-o").arg(&part).arg("--index").arg(&index).assert().success();
        parts.push(part);
        indexes.push(index);
    }
    // a rerun of a part rewrites its index with the same bytes
    let first = std::fs::read(&indexes[2]).unwrap();
    newsgraph().arg("convert").args(&inputs).args(["--shard", "2/3", "-o"]).arg(&parts[2]).arg("--index").arg(&indexes[2]).assert().success();
    assert_eq!(std::fs::read(&indexes[2]).unwrap(), first);
    // part 2 as a Spark job with --gzip would write it
    let gzipped = raw.join("part-2.nq.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &std::fs::read(&parts[2]).unwrap()).unwrap();
    std::fs::write(&gzipped, gz.finish().unwrap()).unwrap();
    std::fs::remove_file(&parts[2]).unwrap();
    parts[2] = gzipped;

    let settled = dir.path().join("settled");
    let output = newsgraph().args(["corpus", "--reduce"]).args(&indexes).arg("--apply").args(&parts).arg("--out-dir").arg(&settled).assert().success();
    let said = String::from_utf8_lossy(&output.get_output().stderr).to_string();
    assert!(said.contains("1 bare surnames joined"), "{said}");
    let gz_out = std::fs::read(settled.join("part-2.nq.gz")).unwrap();
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gz_out.as_slice()), &mut plain).unwrap();
    std::fs::write(settled.join("part-2.nq"), plain).unwrap();
    std::fs::remove_file(settled.join("part-2.nq.gz")).unwrap();
    let reduced: Vec<PathBuf> = (0..3).map(|i| settled.join(format!("part-{i}.nq"))).collect();
    // each part keeps its own graphs
    let raw_parts: Vec<PathBuf> = (0..2).map(|i| raw.join(format!("part-{i}.nq"))).collect();
    assert_eq!(graphs(&reduced[0]), graphs(&raw_parts[0]));
    assert_eq!(graphs(&reduced[1]), graphs(&raw_parts[1]));

    let union = through_store(&reduced, false);
    let unsettled = through_store(&raw_parts, false);
    assert!(unsettled.iter().any(|q| q.contains("/entity/person/") && q.contains("<http://schema.org/name> \"Tellander\"")));
    assert!(!union.iter().any(|q| q.contains("<http://schema.org/name> \"Tellander\"")), "the bare surname is joined");
    assert_eq!(union, through_store(&[single], false));

    // the raw parts stay: the reduce refuses to write over them
    newsgraph().args(["corpus", "--reduce"]).args(&indexes).arg("--apply").arg(&raw_parts[0]).arg("--out-dir").arg(&raw).assert().code(1);
    // an index of another format or version is refused with its file named
    std::fs::write(&indexes[1], "{\"format\":\"newsgraph-corpus-index\",\"version\":9}\n").unwrap();
    let failed = newsgraph().args(["corpus", "--reduce"]).args(&indexes).arg("--apply").arg(&parts[0]).arg("--out-dir").arg(dir.path().join("x")).assert().code(1);
    let said = String::from_utf8_lossy(&failed.get_output().stderr).to_string();
    assert!(said.contains("part-1.idx") && said.contains("version"), "{said}");
    // --index needs a shard and N-Quads
    newsgraph().arg("convert").args(&inputs).arg("--index").arg(dir.path().join("i.idx")).assert().code(2);
    newsgraph().arg("convert").args(&inputs).args(["--shard", "0/3", "-o"]).arg(dir.path().join("p.ttl")).arg("--index").arg(dir.path().join("i.idx")).assert().code(1);
}

/// queries/corpus-names.ru then queries/corpus-surnames.ru, run by Oxigraph on a store loaded with
/// the raw parts, give the store that the corpus step of `corpus --store` gives, and a second run
/// changes nothing.
#[test]
fn the_corpus_step_as_sparql_update_gives_the_store_of_corpus_store() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = sharded_input(dir.path());
    let mut parts = Vec::new();
    for i in 0..3 {
        let part = dir.path().join(format!("part-{i}.nq"));
        newsgraph().arg("convert").args(&inputs).args(["--shard", &format!("{i}/3")]).arg("-o").arg(&part).assert().success();
        parts.push(part);
    }
    let queries = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let update = |store: &Store| {
        for file in ["corpus-names.ru", "corpus-surnames.ru"] {
            store.update(std::fs::read_to_string(queries.join(file)).unwrap().as_str()).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
    };
    let store = loaded(&parts);
    let raw = dump(&store);
    update(&store);
    let updated = dump(&store);
    let settled = through_store(&parts, true);
    assert_ne!(raw, settled, "the parts need the corpus step");
    assert!(updated.iter().any(|q| q.contains("<http://schema.org/alternateName> \"Tellander\"")), "the surname is joined");
    assert!(updated.iter().any(|q| q.contains("<http://schema.org/alternateName> \"ABN AMRO\"")), "one name for the firm");
    let (only_update, only_step): (Vec<_>, Vec<_>) = (updated.difference(&settled).collect(), settled.difference(&updated).collect());
    assert!(only_update.is_empty() && only_step.is_empty(), "only after the update: {only_update:#?}\nonly after corpus --store: {only_step:#?}");
    update(&store);
    assert_eq!(dump(&store), updated, "a second run changes nothing");
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
    let from_store = dump(&store);
    let streamed = through_store(&[one], false);
    assert!(streamed.iter().any(|q| q.contains("\"Margit Tellander\"")) && !streamed.iter().any(|q| q.contains("<http://schema.org/name> \"Tellander\"")));
    assert!(streamed.iter().any(|q| q.contains("bank fell")) && !streamed.iter().any(|q| q.contains("bank held")));
    assert_eq!(streamed.len(), from_store.len());
    assert_eq!(streamed, from_store);
}
