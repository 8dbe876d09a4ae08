//! Reading inputs end to end: fixture files of every format, the seed articles and the BBC corpus
//! (the last two only when `../shared` is present).

use newsgraph::article::{collect_inputs, read, read_all, Input, Severity};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/article")
        .join(name)
}

fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

fn read_one(name: &str) -> newsgraph::Article {
    let r = read(&Input::Path(fixture(name)));
    assert!(
        r.problems.iter().all(|p| p.severity == Severity::Warning),
        "{:?}",
        r.problems
    );
    assert_eq!(r.articles.len(), 1);
    r.articles.into_iter().next().unwrap()
}

#[test]
fn scraped_text_loses_its_furniture_and_keeps_caption_and_dateline() {
    let a = read_one("scraped.txt");
    assert_eq!(
        a.title.as_deref(),
        Some("Ferry strike ends as unions and operator agree pay deal")
    );
    let paragraphs: Vec<&str> = a.body.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 5, "{paragraphs:#?}");
    assert!(paragraphs[0].ends_with("(Coastline Images: Marta Lindqvist/Pool)"));
    assert!(paragraphs[4].starts_with("About 12,000 passengers"));
    let d = a.dateline.expect("dateline");
    assert_eq!(
        &a.body[d.span.clone()],
        "PORTO NUEVO, Nov. 3 (Coast Wire) -"
    );
    assert_eq!(d.place.as_deref(), Some("PORTO NUEVO"));
    assert_eq!(d.date_text.as_deref(), Some("Nov. 3"));
    assert_eq!(d.date, None, "no year anywhere, so no date");
}

#[test]
fn captcha_glued_to_the_next_headline_is_cut_and_the_headline_kept() {
    let a = read_one("glued.txt");
    assert!(
        !a.body.contains("newsletter") && !a.body.contains('='),
        "{}",
        a.body
    );
    assert!(a.body.ends_with("Work will start in the spring, the mayor said.\n\nSecond headline from a badly scraped page"));
}

#[test]
fn windows_1252_text_is_decoded_with_a_warning() {
    let r = read(&Input::Path(fixture("latin1.txt")));
    assert_eq!(
        r.articles[0].title.as_deref(),
        Some("Café owners protest new tax")
    );
    assert!(r.articles[0].body.contains("new £2 tax"));
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].severity, Severity::Warning);
}

#[test]
fn html_page_metadata_and_main_text() {
    let a = read_one("page.html");
    assert_eq!(
        a.title.as_deref(),
        Some("Lighthouse keeper retires after forty years")
    );
    assert_eq!(a.published.as_deref(), Some("2019-06-14T08:00:00+02:00"));
    assert_eq!(a.author.as_deref(), Some("Tomas Berg"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://coastline.example/news/keeper-retires")
    );
    assert_eq!(a.id, "coastline.example/news/keeper-retires");
    assert!(a
        .body
        .contains("The last keeper of the Northcape lighthouse"));
    assert!(a
        .body
        .contains("Anders Holm at the top of the tower. (Photo: Tomas Berg)"));
    assert!(
        a.body
            .contains("read the sea like a book,\" he told the Courier."),
        "{}",
        a.body
    );
    for furniture in [
        "Weather",
        "cookies",
        "Accept all",
        "Most read",
        "Ferry fares",
        "rights reserved",
        "Contact us",
    ] {
        assert!(!a.body.contains(furniture), "{furniture} in {}", a.body);
    }
    let d = a.dateline.expect("dateline");
    assert_eq!(&a.body[d.span.clone()], "NORTHCAPE —");
}

#[test]
fn json_lines_fixture() {
    let r = read(&Input::Path(fixture("feed.jsonl")));
    assert_eq!(r.articles.len(), 3);
    let ids: Vec<&str> = r.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids[..2], ["coast/001", "coastline.example/news/timetable"]);
    assert!(ids[2].starts_with("article-"));
    assert_eq!(
        r.articles[0].published.as_deref(),
        Some("2015-11-03T07:15:00+00:00")
    );
    assert_eq!(r.articles[0].body, "BAYPORT - A storm damaged the town's pier overnight, the coastguard said.\n\nNobody was hurt.");
    assert_eq!(
        r.articles[0].dateline.as_ref().map(|d| d.span.clone()),
        Some(0..9)
    );
    assert_eq!(r.articles[2].published.as_deref(), Some("2015-11-03"));
    assert_eq!(r.problems.len(), 1);
    assert!(r.problems[0].source.ends_with("feed.jsonl:3"));
    assert_eq!(r.problems[0].severity, Severity::Error);
}

#[test]
fn a_sites_template_line_goes_and_ids_are_stable() {
    let (inputs, problems) = collect_inputs(&[fixture("site")]);
    assert!(problems.is_empty());
    assert_eq!(inputs.len(), 3);
    let first = read_all(&inputs);
    assert_eq!(first.articles.len(), 3);
    for a in &first.articles {
        assert!(!a.body.contains("Coastline Desk"), "{}", a.body);
        assert!(!a.body.contains("Photo gallery"), "{}", a.body);
        assert!(
            a.body.contains("Officials said more changes would follow"),
            "long shared sentences stay"
        );
    }
    let again = read_all(&inputs);
    let ids = |r: &newsgraph::article::ReadResult| {
        r.articles.iter().map(|a| a.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), ids(&again));
    assert_eq!(
        ids(&first)[0],
        "tide-tables-change-for-winter-".to_string() + &ids(&first)[0][30..]
    );
}

#[test]
fn seed_articles() {
    let Some(seeds) = shared("seeds") else { return };
    let (inputs, _) = collect_inputs(&[seeds]);
    let r = read_all(&inputs);
    assert!(
        r.problems.iter().all(|p| p.severity == Severity::Warning),
        "{:?}",
        r.problems
    );
    let by_title = |start: &str| {
        r.articles
            .iter()
            .find(|a| a.title.as_deref().is_some_and(|t| t.starts_with(start)))
            .unwrap()
    };
    let first = by_title("Obama, Putin find common ground");
    assert!(first
        .body
        .starts_with("US president Barack Obama talks with Russian president Vladimir Putin"));
    assert!(
        first.body.contains("(Reuters: Cem Oksuz/Pool)"),
        "captions stay"
    );
    assert!(
        first.body.ends_with("the same day as the Paris attacks."),
        "{}",
        &first.body[first.body.len() - 300..]
    );
    for furniture in [
        "Twitter",
        "Newsletter",
        "Related",
        "Reply",
        "email",
        "four + 10",
    ] {
        assert!(!first.body.contains(furniture), "{furniture}");
    }
    let second = by_title("Putin and Obama hold talks");
    let d = second.dateline.as_ref().expect("dateline");
    assert_eq!(
        &second.body[d.span.clone()],
        "ANTALYA, TURKEY - NOVEMBER 15:"
    );
    assert_eq!(d.date.as_deref(), Some("2015-11-15"));
}

#[test]
fn bbc_corpus_reads_without_errors_or_lost_text() {
    let Some(path) = shared("data/bbc/articles.jsonl") else {
        return;
    };
    let started = std::time::Instant::now();
    let r = read(&Input::Path(path.clone()));
    eprintln!(
        "BBC: read {} articles in {:.2?}",
        r.articles.len(),
        started.elapsed()
    );
    assert_eq!(r.articles.len(), 2225);
    assert!(
        r.problems.iter().all(|p| p.severity == Severity::Warning),
        "{:?}",
        &r.problems[..r.problems.len().min(5)]
    );
    // The corpus is clean news text: boilerplate rules must leave (almost) all of its words.
    let raw = std::fs::read_to_string(&path).unwrap();
    let raw_words: usize = raw
        .lines()
        .map(|l| {
            let record: serde_json::Value = serde_json::from_str(l).unwrap();
            record["body"].as_str().unwrap().split_whitespace().count()
        })
        .sum();
    let kept_words: usize = r.articles.iter().map(|a| a.body.split_whitespace().count()).sum();
    eprintln!("BBC: {raw_words} words in, {kept_words} out");
    assert!(kept_words <= raw_words);
    assert!((raw_words - kept_words) * 10_000 <= raw_words, "{} words dropped", raw_words - kept_words);
}
