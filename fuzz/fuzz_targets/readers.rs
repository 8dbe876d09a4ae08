//! The text, HTML and JSON-lines readers on arbitrary bytes: the first byte picks the file name's
//! extension (or none, so the content is sniffed). Invariants: no panic; every article and every
//! problem names the input it came from; no article is empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsgraph::article;

const NAMES: &[&str] = &["in.txt", "in.html", "in.jsonl", "in.json", "in"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    let read = article::read_bytes(name, bytes);
    for problem in &read.problems {
        assert!(problem.source.starts_with(name), "problem without its source: {problem}");
    }
    for article in &read.articles {
        assert!(article.source.starts_with(name));
        assert!(!article.id.is_empty());
        assert!(article.title.is_some() || !article.body.is_empty(), "empty article read");
        if let Some(dateline) = &article.dateline {
            assert!(article.body.get(dateline.span.clone()).is_some(), "dateline span off the body");
        }
    }
});
