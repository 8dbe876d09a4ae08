//! The segmenter on arbitrary UTF-8. Invariants: every token's byte range is non-empty, lies
//! inside the text, on char boundaries, after the previous token; sentences cover their tokens in
//! order and every token names the sentence that holds it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsgraph::{segment, Article, Doc};

fuzz_target!(|text: &str| {
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    let mut doc = Doc::new(Article {
        id: "fuzz".into(),
        title: Some(title.to_string()),
        body: body.to_string(),
        ..Article::default()
    });
    segment::segment(&mut doc);
    let mut end = 0;
    for (i, token) in doc.tokens.iter().enumerate() {
        let span = &token.span;
        assert!(span.start < span.end, "empty token {i}: {span:?}");
        assert!(span.start >= end, "token {i} {span:?} overlaps the one before (ends at {end})");
        assert!(doc.text.get(span.clone()).is_some(), "token {i} {span:?} off a char boundary or the text");
        end = span.end;
        let sentence = &doc.sentences[token.sentence];
        assert!(sentence.tokens.contains(&i), "token {i} not in its sentence");
    }
    let mut next = 0;
    for sentence in &doc.sentences {
        assert_eq!(sentence.tokens.start, next, "sentences skip or repeat tokens");
        assert!(sentence.tokens.start < sentence.tokens.end, "empty sentence");
        next = sentence.tokens.end;
        let first = &doc.tokens[sentence.tokens.start].span;
        let last = &doc.tokens[sentence.tokens.end - 1].span;
        assert_eq!(sentence.span, first.start..last.end);
    }
    assert_eq!(next, doc.tokens.len());
    // and the tokenizer alone agrees with what segment kept
    let spans = segment::tokenize(&doc.text);
    assert_eq!(spans.len(), doc.tokens.len());
});
