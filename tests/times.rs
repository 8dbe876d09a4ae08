//! The time layer end to end: `convert` writes every time expression as a typed `nif:Phrase` with
//! its TIMEX3 value, `queries/times.rq` lists them, and `eval times` scores TimeBank/AQUAINT.

use assert_cmd::Command;
use oxigraph::io::{RdfFormat, RdfParser};
use std::path::PathBuf;

fn newsgraph() -> Command {
    Command::cargo_bin("newsgraph").expect("binary built")
}

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// An article of our own, published on Sunday 15 November 2015.
const ARTICLE: &str = r#"{"id": "times-test", "title": "Talks resume", "published": "2015-11-15", "body": "Negotiators met on Friday for 35 minutes. They meet every week and are now close to a deal after four years of talks."}"#;

#[test]
fn convert_writes_time_phrases_with_values() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.jsonl");
    std::fs::write(&input, ARTICLE).unwrap();
    let out = newsgraph().args(["convert", "--format", "nquads"]).arg(&input).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::NQuads).for_slice(&out.stdout).map(|q| q.unwrap()).collect();
    let value_of = |anchor: &str, predicate: &str| -> Option<String> {
        let phrase = quads.iter().find(|q| q.predicate.as_str().ends_with("#anchorOf") && q.object.to_string() == format!("\"{anchor}\""))?.subject.clone();
        quads.iter().find(|q| q.subject == phrase && q.predicate.as_str() == predicate).map(|q| q.object.to_string())
    };
    let ng = |local: &str| format!("https://newsgraph.example/ns#{local}");
    // "on Friday" in a past-tense sentence of a Sunday article is the Friday before
    assert_eq!(value_of("Friday", &ng("timexValue")).as_deref(), Some("\"2015-11-13\""));
    assert_eq!(value_of("Friday", &ng("timeValue")).as_deref(), Some("\"2015-11-13\"^^<http://www.w3.org/2001/XMLSchema#date>"));
    assert_eq!(value_of("35 minutes", &ng("timexValue")).as_deref(), Some("\"PT35M\""));
    assert_eq!(value_of("35 minutes", &ng("timexType")).as_deref(), Some("\"DURATION\""));
    assert_eq!(value_of("every week", &ng("timexType")).as_deref(), Some("\"SET\""));
    assert_eq!(value_of("now", &ng("timexValue")).as_deref(), Some("\"PRESENT_REF\""));
    assert_eq!(value_of("four years", &ng("timexValue")).as_deref(), Some("\"P4Y\""));
    // durations carry no calendar literal
    assert_eq!(value_of("four years", &ng("timeValue")), None);

    // the named query lists them with offsets, in text order
    let out = newsgraph().args(["query", "--results", "csv", "--input"]).arg(&input).arg(repo("queries/times.rq")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8_lossy(&out.stdout);
    let mut lines = csv.lines();
    assert_eq!(lines.next().map(str::trim), Some("article,begin,end,text,type,value,calendar"));
    let friday = lines.find(|l| l.contains(",Friday,")).expect("Friday row");
    // the title "Talks resume" and a blank line come first: 14 characters
    assert!(friday.contains(",33,39,Friday,DATE,2015-11-13,2015-11-13"), "{friday}");
}

/// TempEval-3 Task A on the TimeBank and AQUAINT data prepared in `../shared`.
#[test]
fn eval_times_on_timebank() {
    let data = repo("../shared/data/timebank");
    if !data.join("tbaq-aquaint.prepared.jsonl").is_file() {
        println!("SKIP eval_times_on_timebank: ../shared/data/timebank is absent");
        return;
    }
    let out = newsgraph().args(["eval", "times", "--data"]).arg(&data).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for part in ["aquaint", "timebank"] {
        let row = text.lines().find(|l| l.starts_with(part)).unwrap_or_else(|| panic!("no {part} row in\n{text}"));
        let cols: Vec<f64> = row.split_whitespace().skip(1).filter_map(|c| c.parse().ok()).collect();
        let (relaxed_f1, value_f1) = (cols[8], cols[10]);
        // floors well under the figures in docs/times.md, so a broken layer fails
        assert!(relaxed_f1 > 80.0 && value_f1 > 65.0, "{part}: {row}");
    }
}
