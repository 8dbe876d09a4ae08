//! The whole recognition pipeline scored on the hand-annotated news set (tests/ner-news/).
//! Needs ../shared/data (BBC and TimeBank texts); skips with a message without it. Only the dev
//! half is asserted here: the held-out half is for reporting, never for tuning.

use newsgraph::rdf::iri::Minter;
use newsgraph::recognise::news_eval::evaluate;
use newsgraph::Pipeline;
use std::path::Path;

#[test]
fn dev_half_typed_f1_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("../shared/data");
    if !data.join("bbc/articles.jsonl").exists() || !data.join("timebank/tbaq-timebank.prepared.jsonl").exists() {
        eprintln!("skipped: ../shared/data/bbc and ../shared/data/timebank are absent");
        return;
    }
    let pipeline = Pipeline::new(Minter::default());
    let score = evaluate(&root.join("tests/ner-news/news.jsonl"), &data, "dev", &pipeline).unwrap();
    println!("{}", score.report());
    let (exact, overlap) = (score.names(true), score.names(false));
    assert_eq!(exact.gold, 153, "the dev half's PER/ORG/LOC gold changed");
    // floors a little under the measured figures, so a regression fails
    assert!(overlap.f1() >= 88.5, "overlap F1 {:.1}", overlap.f1());
    assert!(exact.f1() >= 86.0, "exact F1 {:.1}", exact.f1());
    // nationality words are their own kind, not Place mentions of the country
    let nat = score.exact["NAT"];
    assert!(nat.recall() >= 45.0 && nat.precision() >= 90.0, "NAT {nat:?}");
}
