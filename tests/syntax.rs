//! Output is valid RDF for every input: articles whose names, headlines, authors, ids and URLs hold
//! quotes, brackets, backslashes, control characters, JSON escapes of surrogate pairs (and lone
//! surrogates), right-to-left text and combining marks, written in all six syntaxes.
//!
//! In-process, a property test checks that Oxigraph reads each syntax back to the same quads.
//! Against independent parsers, a fixed batch of such articles goes through `newsgraph convert` and
//! Raptor (`rapper`), rdflib and Apache Jena's RIOT must read every file to the same quads; each
//! parser that is missing is skipped with a message, unless NEWSGRAPH_REQUIRE_PARSERS=1 (which
//! `scripts/syntax-check.sh` sets after installing them).

use newsgraph::rdf::iri::Minter;
use newsgraph::{article, store, Pipeline};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Quad, Triple};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// Characters that have broken RDF writers: quoting, escaping, XML-forbidden, bidi, combining,
/// astral (a surrogate pair in JSON), noncharacters.
const AWKWARD: &[char] = &[
    '"', '\'', '<', '>', '{', '}', '[', ']', '(', ')', '\\', '&', ';', '#', '%', '^', '`', '|', '@', ':', '/', '?', '=',
    '\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}', '\t', '\r', '\n',
    '\u{200e}', '\u{200f}', '\u{202b}', '\u{202e}', '\u{2066}', '\u{2069}', 'א', 'ש', 'ع', 'ل', '\u{64b}',
    '\u{301}', '\u{308}', '\u{20dd}', '\u{fe0f}', '\u{200d}', '\u{2028}', '\u{2029}', '\u{feff}', '\u{fffe}', '\u{ffff}',
    '😀', '𝔄', '\u{10ffff}', '\u{e000}', 'é', 'ß', 'İ', 'ǅ', '中', '\u{a0}',
];

fn name_part() -> impl Strategy<Value = String> {
    let awkward = proptest::sample::select(AWKWARD);
    let letter = proptest::char::range('a', 'z');
    let piece = prop_oneof![3 => letter, 2 => awkward];
    ("[A-Z]", proptest::collection::vec(piece, 0..10)).prop_map(|(first, rest)| first + &rest.into_iter().collect::<String>())
}

/// A JSON string literal of `text`, each character written as itself or as a `\u` escape
/// (astral ones as a surrogate pair), as JSON lines in the wild do.
fn json_string(text: &str, escapes: &[bool]) -> String {
    let mut out = String::from("\"");
    for (i, c) in text.chars().enumerate() {
        let escape = escapes.get(i % escapes.len().max(1)).copied().unwrap_or(false);
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || escape => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[derive(Debug, Clone)]
struct Case {
    first: String,
    last: String,
    org: String,
    headline: String,
    escapes: Vec<bool>,
    lone_surrogate: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (name_part(), name_part(), name_part(), name_part(), proptest::collection::vec(any::<bool>(), 1..8), proptest::bool::weighted(0.1))
        .prop_map(|(first, last, org, headline, escapes, lone_surrogate)| Case { first, last, org, headline, escapes, lone_surrogate })
}

impl Case {
    /// One JSON line: the names in the id, URL, headline, author and in sentences the tagger reads
    /// as a person and an organization.
    fn json_line(&self, n: usize) -> String {
        let person = format!("{} {}", self.first, self.last);
        let body = format!(
            "President {person} of {} Corp said on Monday that talks in Paris would go on.\n\n{} told reporters: \"{}\" {person} left.",
            self.org, self.last, self.headline
        );
        let id = format!("case-{n}/{}", self.last);
        let url = format!("https://news.example/{}?q={}#{}", self.first, self.org, self.last);
        let string = |s: &str| json_string(s, &self.escapes);
        let mut line = format!(
            "{{\"id\": {}, \"url\": {}, \"title\": {}, \"author\": {}, \"body\": {}}}",
            string(&id),
            string(&url),
            string(&format!("{} {}", self.headline, self.org)),
            string(&person),
            string(&body)
        );
        if self.lone_surrogate {
            line = line.replacen("\"body\": \"", "\"body\": \"\\ud800", 1);
        }
        line
    }
}

fn formats() -> [(RdfFormat, &'static str); 6] {
    [
        (RdfFormat::Turtle, "ttl"),
        (RdfFormat::TriG, "trig"),
        (RdfFormat::NTriples, "nt"),
        (RdfFormat::NQuads, "nq"),
        (RdfFormat::RdfXml, "rdf"),
        (RdfFormat::from_extension("jsonld").unwrap(), "jsonld"),
    ]
}

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(Minter::default()))
}

fn parse(bytes: &[u8], format: RdfFormat) -> Result<HashSet<Quad>, String> {
    RdfParser::from_format(format).for_slice(bytes).collect::<Result<_, _>>().map_err(|e| e.to_string())
}

fn triples(quads: &HashSet<Quad>) -> HashSet<Triple> {
    quads.iter().map(|q| Triple::new(q.subject.clone(), q.predicate.clone(), q.object.clone())).collect()
}

/// What a reader made of `output` compared with the dataset: the same quads (same triples for the
/// formats without graphs), else a description of the difference.
fn same(format: RdfFormat, expected: &HashSet<Quad>, parsed: &HashSet<Quad>) -> Result<(), String> {
    let equal = if format.supports_datasets() {
        parsed == expected
    } else {
        // readers put the triples in their default graph, whatever they name it
        triples(parsed) == triples(expected)
    };
    if equal {
        return Ok(());
    }
    let (want, got) = (triples(expected), triples(parsed));
    let missing: Vec<String> = want.difference(&got).take(3).map(|t| t.to_string()).collect();
    let extra: Vec<String> = got.difference(&want).take(3).map(|t| t.to_string()).collect();
    Err(format!("{} quads read, {} expected; missing {missing:?}; extra {extra:?}", parsed.len(), expected.len()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_syntax_reads_back_to_the_same_quads(case in case()) {
        let line = case.json_line(0);
        let read = article::read_bytes("case.jsonl", line.as_bytes());
        if case.lone_surrogate {
            // not JSON: named as the line's error, nothing written
            prop_assert!(read.articles.is_empty());
            prop_assert!(read.problems.iter().any(|p| p.source == "case.jsonl:1"), "{:?}", read.problems);
            return Ok(());
        }
        prop_assert_eq!(read.articles.len(), 1, "{:?}", read.problems);
        let graph = pipeline().graph(read.articles.into_iter().next().unwrap()).map_err(|p| TestCaseError::fail(p.to_string()))?;
        let store = store::memory().unwrap();
        store::ingest(&store, &[graph]).unwrap();
        let dataset: HashSet<Quad> = store.iter().map(Result::unwrap).collect();
        for (format, _) in formats() {
            let mut out = Vec::new();
            store::export(&store, format, &mut out).unwrap();
            let parsed = parse(&out, format).map_err(|e| TestCaseError::fail(format!("{format} does not parse: {e}\n{}", String::from_utf8_lossy(&out))))?;
            same(format, &dataset, &parsed).map_err(|e| TestCaseError::fail(format!("{format}: {e}")))?;
        }
    }
}

/// A parser that reads `file` and writes N-Quads (or N-Triples) on stdout, or `None` when it is not
/// installed.
struct Reader {
    name: &'static str,
    command: fn(&Path, &str) -> Command,
    /// Whether it reads this extension.
    reads: fn(&str) -> bool,
}

fn rapper(file: &Path, ext: &str) -> Command {
    let syntax = match ext {
        "ttl" => "turtle",
        "trig" => "trig",
        "nt" => "ntriples",
        "nq" => "nquads",
        _ => "rdfxml",
    };
    let mut command = Command::new("rapper");
    command.args(["-q", "-i", syntax, "-o", "nquads"]).arg(file);
    command
}

fn rdflib(file: &Path, ext: &str) -> Command {
    let python = std::env::var("NEWSGRAPH_RDFLIB_PYTHON").unwrap_or_else(|_| "python3".into());
    let format = match ext {
        "ttl" => "turtle",
        "trig" => "trig",
        "nt" => "nt",
        "nq" => "nquads",
        "rdf" => "xml",
        _ => "json-ld",
    };
    let mut command = Command::new(python);
    command
        .args(["-c", "import sys, rdflib; d = rdflib.Dataset(); d.parse(sys.argv[1], format=sys.argv[2]); sys.stdout.buffer.write(d.serialize(format='nquads', encoding='utf-8'))"])
        .arg(file)
        .arg(format);
    command
}

/// Jena's `riot` on the class path that `scripts/syntax-check.sh` puts in NEWSGRAPH_JENA_CLASSPATH.
/// JSON-LD goes through Jena's JSON-LD 1.0 reader (jsonld-java): its 1.1 reader (Titanium) needs a
/// Jakarta JSON provider that Debian does not package.
fn riot(file: &Path, ext: &str) -> Command {
    let classpath = std::env::var("NEWSGRAPH_JENA_CLASSPATH").unwrap_or_default();
    let mut command = Command::new(if classpath.is_empty() { "riot-needs-NEWSGRAPH_JENA_CLASSPATH" } else { "java" });
    command.args(["-cp", &classpath, "riotcmd.riot", "--output=nquads"]);
    if ext == "jsonld" {
        command.arg("--syntax=jsonld10");
    }
    command.arg(file);
    command
}

/// Whether a reader's run failed: its exit code, except riot's 1 for warnings alone (it warns of
/// literals not in Unicode NFC, which RDF allows).
fn rejected(reader: &Reader, out: &std::process::Output) -> bool {
    let warned_only = reader.name == "riot" && out.status.code() == Some(1) && {
        let said = String::from_utf8_lossy(&out.stderr);
        !said.contains("ERROR") && !said.contains("Exception")
    };
    !out.status.success() && !warned_only
}

fn available(reader: &Reader, probe: &Path) -> bool {
    (reader.command)(probe, "nt").output().is_ok_and(|o| o.status.success())
}

#[test]
fn rapper_rdflib_and_jena_read_every_syntax_to_the_same_quads() {
    let require = std::env::var("NEWSGRAPH_REQUIRE_PARSERS").is_ok_and(|v| v == "1");
    let dir = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut lines = Vec::new();
    while lines.len() < 300 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        if !case.lone_surrogate {
            lines.push(case.json_line(lines.len()));
        }
    }
    let input = dir.path().join("awkward.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let probe = dir.path().join("probe.nt");
    std::fs::write(&probe, "<http://a.example/s> <http://a.example/p> \"o\" .\n").unwrap();

    let mut files = Vec::new();
    for (format, ext) in formats() {
        let out = dir.path().join(format!("awkward.{ext}"));
        let run = Command::new(env!("CARGO_BIN_EXE_newsgraph")).arg("convert").arg(&input).arg("-o").arg(&out).output().unwrap();
        assert!(run.status.success(), "convert to .{ext}: {}", String::from_utf8_lossy(&run.stderr));
        files.push((format, ext, out));
    }
    if let Ok(keep) = std::env::var("NEWSGRAPH_SYNTAX_KEEP") {
        for (_, _, file) in &files {
            std::fs::copy(file, Path::new(&keep).join(file.file_name().unwrap())).unwrap();
        }
    }
    let dataset = parse(&std::fs::read(&files[3].2).unwrap(), RdfFormat::NQuads).unwrap();
    assert!(dataset.len() > 300 * 20, "only {} quads", dataset.len());
    for (format, _, file) in &files {
        let parsed = parse(&std::fs::read(file).unwrap(), *format).unwrap_or_else(|e| panic!("Oxigraph cannot read {format}: {e}"));
        same(*format, &dataset, &parsed).unwrap_or_else(|e| panic!("Oxigraph, {format}: {e}"));
    }
    let readers = [
        Reader { name: "rapper", command: rapper, reads: |ext| ext != "jsonld" },
        Reader { name: "rdflib", command: rdflib, reads: |_| true },
        Reader { name: "riot", command: riot, reads: |_| true },
    ];
    let mut failures = Vec::new();
    for reader in &readers {
        if !available(reader, &probe) {
            assert!(!require, "{} is not installed (scripts/syntax-check.sh installs it)", reader.name);
            eprintln!("skipped: {} is not installed (scripts/syntax-check.sh installs it)", reader.name);
            continue;
        }
        for (format, ext, file) in files.iter().filter(|(_, ext, _)| (reader.reads)(ext)) {
            let out = (reader.command)(file, ext).output().unwrap();
            if rejected(reader, &out) {
                let said = if out.stderr.is_empty() { &out.stdout } else { &out.stderr };
                let said: Vec<String> = String::from_utf8_lossy(said).lines().take(5).map(String::from).collect();
                failures.push(format!("{} rejects .{ext} (exit {:?}): {}", reader.name, out.status.code(), said.join(" | ")));
                continue;
            }
            match parse(&out.stdout, RdfFormat::NQuads) {
                Ok(parsed) => {
                    if let Err(e) = same(*format, &dataset, &parsed) {
                        failures.push(format!("{} reads .{ext} differently: {e}", reader.name));
                    } else {
                        eprintln!("{} reads .{ext}: {} quads, the same", reader.name, parsed.len());
                    }
                }
                Err(e) => failures.push(format!("{}'s N-Quads of .{ext} do not parse: {e}", reader.name)),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
