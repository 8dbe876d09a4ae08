//! The named-entity tagger through its public API and the `newsgraph ner` commands.

use assert_cmd::Command;
use newsgraph::doc::{Doc, Sentence, Token};
use newsgraph::ner::{self, conll};
use newsgraph::MentionKind;
use std::path::PathBuf;

/// A document segmented on spaces, one sentence per line.
fn segmented(text: &str) -> Doc {
    let mut doc = Doc {
        text: text.to_string(),
        ..Doc::default()
    };
    let mut offset = 0;
    for line in text.split('\n') {
        let first = doc.tokens.len();
        let mut position = offset;
        for word in line.split(' ') {
            if !word.is_empty() {
                doc.tokens.push(Token {
                    span: position..position + word.len(),
                    sentence: doc.sentences.len(),
                });
            }
            position += word.len() + 1;
        }
        doc.sentences.push(Sentence {
            span: offset..offset + line.len(),
            tokens: first..doc.tokens.len(),
        });
        offset += line.len() + 1;
    }
    doc
}

#[test]
fn bundled_model_tags_people_places_and_organisations_with_byte_spans() {
    let tagger = ner::bundled().expect("the binary embeds models/ner.bin");
    let doc = segmented("Angela Merkel met  Vladimir Putin in Moscow on Tuesday .\nThe European Union said it would respond .");
    let mentions = tagger.tag_doc(&doc);
    let found: Vec<(&str, MentionKind)> = mentions
        .iter()
        .map(|m| (doc.slice(&m.span), m.kind))
        .collect();
    assert!(
        found.contains(&("Angela Merkel", MentionKind::Person)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Vladimir Putin", MentionKind::Person)),
        "{found:?}"
    );
    assert!(found.contains(&("Moscow", MentionKind::Place)), "{found:?}");
    assert!(
        found.contains(&("European Union", MentionKind::Organization)),
        "{found:?}"
    );
    for m in &mentions {
        assert_eq!(m.span.start, doc.tokens[m.tokens.start].span.start);
        assert_eq!(m.span.end, doc.tokens[m.tokens.end - 1].span.end);
        assert_eq!(
            doc.tokens[m.tokens.start].sentence,
            doc.tokens[m.tokens.end - 1].sentence
        );
        assert!(m.entity.is_none());
    }
}

#[test]
fn headline_casing_and_curly_quotes_do_not_hide_names() {
    let tagger = ner::bundled().expect("bundled model");
    let doc = segmented(
        "PUTIN MEETS OBAMA IN PARIS\n\u{201C} We will not give in , \u{201D} President Obama told reporters in Paris on Monday .",
    );
    let mentions = tagger.tag_doc(&doc);
    let headline: Vec<&str> = mentions
        .iter()
        .filter(|m| doc.tokens[m.tokens.start].sentence == 0)
        .map(|m| doc.slice(&m.span))
        .collect();
    assert!(headline.contains(&"PARIS"), "{headline:?}");
    assert!(headline.contains(&"OBAMA"), "{headline:?}");
    let body: Vec<(&str, MentionKind)> = mentions
        .iter()
        .filter(|m| doc.tokens[m.tokens.start].sentence == 1)
        .map(|m| (doc.slice(&m.span), m.kind))
        .collect();
    assert!(body.contains(&("Obama", MentionKind::Person)), "{body:?}");
}

#[test]
fn empty_and_odd_documents_do_not_panic() {
    let tagger = ner::bundled().expect("bundled model");
    assert!(tagger.tag_doc(&Doc::default()).is_empty());
    let doc = segmented("\n\u{1F600} \u{0301} ... ''\n");
    let _ = tagger.tag_doc(&doc);
}

const TINY: &str = "-DOCSTART- -X- O O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER
visited VBD I-VP O
Brussels NNP I-NP I-LOC
. . O O

The DT I-NP O
European NNP I-NP I-ORG
Commission NNP I-NP I-ORG
met VBD I-VP O
German JJ I-NP I-MISC
farmers NNS I-NP O
. . O O
";

/// `ner eval` of a model file on a CoNLL file through the CLI: its report (the command must succeed).
fn eval_report(data: &std::path::Path, model: &std::path::Path) -> String {
    let output = Command::cargo_bin("newsgraph")
        .unwrap()
        .args(["ner", "eval", "--data"])
        .arg(data)
        .arg("--model")
        .arg(model)
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn training_is_deterministic_and_eval_prints_the_conlleval_report() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tiny.txt");
    std::fs::write(&data, TINY).unwrap();
    let train = |out: &str| {
        Command::cargo_bin("newsgraph")
            .unwrap()
            .args(["ner", "train", "--epochs", "3", "--train"])
            .arg(&data)
            .arg("--dev")
            .arg(&data)
            .arg("-o")
            .arg(dir.path().join(out))
            .assert()
            .success();
        std::fs::read(dir.path().join(out)).unwrap()
    };
    let (a, b) = (train("a.bin"), train("b.bin"));
    assert_eq!(a, b, "same data and seed give the same bytes");
    let report = eval_report(&data, &dir.path().join("a.bin"));
    let first = report.lines().next().unwrap();
    assert!(
        first.starts_with("accuracy: ")
            && first.contains("; precision: ")
            && first.contains("; FB1: "),
        "{report}"
    );
    assert!(report.contains("PER: precision:"), "{report}");
    assert!(report.contains("tokens/s"), "{report}");
}

#[test]
fn two_stage_training_is_deterministic_and_marks_the_model_file() {
    // Four copies of the tiny document, so each of two folds has documents to train on; a
    // name that repeats across sentences gives the second stage non-local features.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tiny4.txt");
    std::fs::write(&data, TINY.repeat(4)).unwrap();
    let train = |out: &str, extra: &[&str]| {
        Command::cargo_bin("newsgraph")
            .unwrap()
            .args(["ner", "train", "--epochs", "2", "--runs", "1", "--train"])
            .arg(&data)
            .arg("--dev")
            .arg(&data)
            .args(extra)
            .arg("-o")
            .arg(dir.path().join(out))
            .assert()
            .success();
        std::fs::read(dir.path().join(out)).unwrap()
    };
    let two = ["--two-stage", "--folds", "2"];
    let (a, b) = (train("a.bin", &two), train("b.bin", &two));
    assert_eq!(a, b, "same data and seed give the same bytes");
    let one = train("one.bin", &[]);
    // Version 4 ends with the two-stage flag; a one-stage model stays a version 3 file.
    assert_eq!((a[8], *a.last().unwrap()), (4, 1));
    assert_eq!(one[8], 3);
    let report = eval_report(&data, &dir.path().join("a.bin"));
    assert!(report.contains("PER: precision:"), "{report}");
}

fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/conll2003");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent", dir.display());
        None
    }
}

#[test]
fn bundled_model_reaches_its_dev_score() {
    let Some(dir) = shared_data() else { return };
    let docs = conll::read_file(&dir.join("dev.txt")).unwrap();
    let (counts, tokens, _) = ner::evaluate(ner::bundled().unwrap(), &docs, true);
    assert_eq!(tokens, 51_362);
    assert!(counts.f1() > 91.0, "dev FB1 {:.2}", counts.f1());
}

#[test]
fn known_word_tables_change_no_mention() {
    // The tagger builds its known-word tables only after many tokens; both paths must agree.
    let tagger = ner::bundled().unwrap();
    let doc = segmented("Angela Merkel met Vladimir Putin in Moscow on Tuesday .\nSHARES IN ACME CORP FELL 5 PCT IN LONDON\nthe european union said it would respond to Ruritania 's Ministry of Trade .");
    for consistency in [true, false] {
        assert_eq!(tagger.tag_with_known_words(&doc, consistency), tagger.tag_without_known_words(&doc, consistency));
    }
    let Some(dir) = shared_data() else { return };
    let docs = conll::read_file(&dir.join("dev.txt")).unwrap();
    let mut mentions = 0;
    for document in &docs {
        let doc = ner::conll_doc(document);
        let fast = tagger.tag_with_known_words(&doc, true);
        assert_eq!(fast, tagger.tag_without_known_words(&doc, true));
        mentions += fast.len();
    }
    assert!(mentions > 5_000, "{mentions} mentions on CoNLL dev");
}

/// Rows of a named query over one invented article (title line, blank line, body) through the
/// CLI, as TSV fields with the quotes and angle brackets of SPARQL terms removed.
fn query_article(body: &str, query: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("article.txt");
    std::fs::write(&input, format!("Ferry service resumes after the storm\n\n{body}\n")).unwrap();
    let query = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("queries").join(query);
    let out = Command::cargo_bin("newsgraph").unwrap().args(["query", "--results", "tsv", "--input"]).arg(&input).arg(&query).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let clean = |field: &str| {
        let field = field.trim_matches(|c| c == '<' || c == '>');
        field.strip_prefix('"').and_then(|f| f.split('"').next()).unwrap_or(field).to_string()
    };
    String::from_utf8(out.stdout).unwrap().lines().skip(1).map(|line| line.split('\t').map(clean).collect()).collect()
}

/// (mention text, entity type, entity IRI) of every mention of an invented article.
fn typed_mentions(body: &str) -> Vec<(String, String, String)> {
    let types: std::collections::HashMap<String, String> =
        query_article(body, "entities.rq").into_iter().map(|row| (row[0].clone(), row[1].clone())).collect();
    query_article(body, "mentions.rq")
        .into_iter()
        .map(|row| (row[5].clone(), types.get(&row[0]).cloned().unwrap_or_default(), row[0].clone()))
        .collect()
}

const CREDITS_ARTICLE: &str = "DUNMORE, Fla. (AP) — Ferry service resumed on Tuesday after the storm, the harbour \
master Lena Marsh said.\n\nA crew repairs the pier at Dunmore (AP Photo/Tomasz Wierzba)\n\nThe ministers met in \
the capital on Monday (Reuters: Ikaika Brandt/Pool).\n\nPhoto: AFP/Getty Images\n\nMarsh said the ferry to \
Oakvale, Calif., would sail again next week. In the race, Ind. candidates did well.";

#[test]
fn photo_credits_keep_agencies_and_photographers_through_the_cli() {
    let mentions = typed_mentions(CREDITS_ARTICLE);
    let has = |text: &str, kind: &str| mentions.iter().any(|(t, k, _)| t == text && k.ends_with(kind));
    for (text, kind) in [("Tomasz Wierzba", "Person"), ("Ikaika Brandt", "Person"), ("Reuters", "Organization"), ("AFP", "Organization"), ("Getty Images", "Organization")] {
        assert!(has(text, kind), "{text} should be a {kind} mention: {mentions:?}");
    }
    // the pool marker and the "Photo" of a credit are no names; "Getty" is no person
    assert!(!mentions.iter().any(|(t, _, _)| t == "Pool" || t.contains("Photo") || t.contains('/')), "{mentions:?}");
    assert!(!has("Getty", "Person") && !has("Images", "Organization"), "{mentions:?}");
}

#[test]
fn state_abbreviations_after_a_place_are_linked_to_their_state_through_the_cli() {
    let mentions = typed_mentions(CREDITS_ARTICLE);
    let links: Vec<(String, String)> = query_article(CREDITS_ARTICLE, "links.rq").into_iter().map(|row| (row[0].clone(), row[2].clone())).collect();
    let linked_to = |text: &str| -> Vec<String> {
        let entities: Vec<&String> = mentions.iter().filter(|(t, _, _)| t == text).map(|(_, _, e)| e).collect();
        links.iter().filter(|(e, _)| entities.contains(&e)).map(|(_, kb)| kb.clone()).collect()
    };
    // the dateline's "Fla." and the "City, Calif." of the text are the states (Wikidata Q812 and
    // Q99, GeoNames 4155751 and 5332921)
    let florida = ["http://www.wikidata.org/entity/Q812", "https://sws.geonames.org/4155751/"];
    let california = ["http://www.wikidata.org/entity/Q99", "https://sws.geonames.org/5332921/"];
    for (text, state) in [("Fla.", florida), ("Calif.", california)] {
        assert!(mentions.iter().any(|(t, k, _)| t == text && k.ends_with("Place")), "{text} should be a Place: {mentions:?}");
        let links = linked_to(text);
        assert!(!links.is_empty() && links.iter().all(|kb| state.contains(&kb.as_str())), "{text} should link to {state:?}: {links:?}");
    }
    // "Ind." after no place is not Indiana
    assert!(!mentions.iter().any(|(t, _, _)| t == "Ind."), "{mentions:?}");
}
