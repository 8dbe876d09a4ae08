use super::*;
use std::io::Write;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path
}

fn read_path_input(path: &Path) -> ReadResult {
    read(&Input::Path(path.to_path_buf()))
}

const STORY: &str = "Harbour reopens after storm\n\n\
LISBON (Lusa) - The harbour reopened on Thursday, three weeks after a storm wrecked its breakwater.\n\n\
Engineers worked around the clock to rebuild the sea wall, the harbour master said on Friday.\n\n\
Follow us on Mastodon for the latest updates\n\nLeave a Reply\n\nnine + 3 =";

#[test]
fn text_file_headline_body_dateline_and_furniture() {
    let dir = tempfile::tempdir().unwrap();
    let r = read_path_input(&write(dir.path(), "story.txt", STORY.as_bytes()));
    assert_eq!(r.problems, vec![]);
    let a = &r.articles[0];
    assert_eq!(a.title.as_deref(), Some("Harbour reopens after storm"));
    assert!(a.body.starts_with("LISBON (Lusa) - The harbour"));
    assert!(a.body.ends_with("said on Friday."), "{}", a.body);
    assert_eq!(a.body.matches("\n\n").count(), 1);
    let d = a.dateline.as_ref().unwrap();
    assert_eq!(&a.body[d.span.clone()], "LISBON (Lusa) -");
    assert!(a.id.starts_with("harbour-reopens-after-storm-"), "{}", a.id);
}

#[test]
fn same_text_from_two_paths_is_one_article_id() {
    let dir = tempfile::tempdir().unwrap();
    let a = read_path_input(&write(dir.path(), "a/one.txt", STORY.as_bytes()));
    let b = read_path_input(&write(dir.path(), "b/two.txt", STORY.as_bytes()));
    assert_eq!(a.articles[0].id, b.articles[0].id);
    let other = read_path_input(&write(
        dir.path(),
        "c/one.txt",
        b"Another story\n\nWith other text.",
    ));
    assert_ne!(a.articles[0].id, other.articles[0].id);
    // Reading both in one run flags the duplicate.
    let both = read_all(&[
        Input::Path(dir.path().join("a/one.txt")),
        Input::Path(dir.path().join("b/two.txt")),
    ]);
    assert_eq!(both.articles.len(), 2);
    assert!(both
        .problems
        .iter()
        .any(|p| p.severity == Severity::Warning && p.message.contains("same article id")));
}

#[test]
fn ids_from_input_url_or_content() {
    assert_eq!(
        article_id(Some(" business/001 "), Some("https://x.example/a"), None, 1),
        "business/001"
    );
    assert_eq!(
        article_id(
            None,
            Some("https://www.Example.com/news/story/?utm_source=tw&id=7#top"),
            None,
            1
        ),
        "example.com/news/story?id=7"
    );
    assert_eq!(
        article_id(None, Some("http://example.com/news/story/"), None, 1),
        article_id(None, Some("https://example.com/news/story"), None, 2)
    );
    assert_eq!(
        article_id(
            None,
            Some("/relative/path"),
            Some("Título: ¿Qué pasó?"),
            255
        ),
        "titulo-que-paso-00000000000000ff"
    );
    assert_eq!(
        article_id(None, None, Some("!!!"), 1),
        "article-0000000000000001"
    );
}

#[test]
fn json_lines_with_aliases_bad_lines_and_errors_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = concat!(
        "{\"id\": \"a1\", \"title\": \"First\", \"body\": \"One.\\n\\nTwo.\", \"published\": \"November 16, 2015\"}\n",
        "\n",
        "{\"headline\": \"Second\", \"text\": \"Body\", \"url\": \"https://news.example/second\", \"date\": \"someday\"}\n",
        "{not json}\n",
        "[1, 2]\n",
        "{\"title\": \"\", \"body\": \"  \"}\n",
        "{\"content\": \"Only a body.\", \"datePublished\": \"2015-11-16T08:00:00+11:00\"}"
    );
    let path = write(dir.path(), "feed.jsonl", data.as_bytes());
    let r = read_path_input(&path);
    let name = path.display().to_string();
    assert_eq!(r.articles.len(), 3);
    assert_eq!(r.articles[0].id, "a1");
    assert_eq!(r.articles[0].body, "One.\n\nTwo.");
    assert_eq!(r.articles[0].published.as_deref(), Some("2015-11-16"));
    assert_eq!(r.articles[0].source, format!("{name}:1"));
    assert_eq!(r.articles[1].id, "news.example/second");
    assert_eq!(r.articles[1].title.as_deref(), Some("Second"));
    assert_eq!(r.articles[1].published, None);
    assert_eq!(
        r.articles[2].published.as_deref(),
        Some("2015-11-16T08:00:00+11:00")
    );
    assert_eq!(r.articles[2].title, None);
    let errors: Vec<(&str, Severity)> = r
        .problems
        .iter()
        .map(|p| (p.source.as_str(), p.severity))
        .collect();
    let l = |n: usize| format!("{name}:{n}");
    assert_eq!(
        errors,
        vec![
            (l(3).as_str(), Severity::Warning),
            (l(4).as_str(), Severity::Error),
            (l(5).as_str(), Severity::Error),
            (l(6).as_str(), Severity::Error),
        ]
    );
}

#[test]
fn json_array_and_single_object_files() {
    let dir = tempfile::tempdir().unwrap();
    let arr = write(
        dir.path(),
        "a.json",
        br#"[{"title": "A", "body": "Alpha."}, 3, {"title": "B", "content": "Beta."}]"#,
    );
    let r = read_path_input(&arr);
    assert_eq!(
        r.articles
            .iter()
            .map(|a| a.title.clone().unwrap())
            .collect::<Vec<_>>(),
        ["A", "B"]
    );
    assert_eq!(r.problems.len(), 1);
    assert!(r.problems[0].source.ends_with("a.json[2]"));
    let one = write(
        dir.path(),
        "o.json",
        b"{\n  \"title\": \"Pretty\",\n  \"body\": \"Printed.\"\n}\n",
    );
    assert_eq!(
        read_path_input(&one).articles[0].title.as_deref(),
        Some("Pretty")
    );
    let lines = write(
        dir.path(),
        "l.json",
        b"{\"title\": \"L1\", \"body\": \"x.\"}\n{\"title\": \"L2\", \"body\": \"y.\"}\n",
    );
    assert_eq!(read_path_input(&lines).articles.len(), 2);
}

#[test]
fn unknown_extensions_are_sniffed() {
    let dir = tempfile::tempdir().unwrap();
    let html = write(dir.path(), "page.dat", b"<!DOCTYPE html><html><head><title>Sniffed page</title></head><body><p>The text of a page read without its extension, long enough to be kept as a paragraph.</p></body></html>");
    let r = read_path_input(&html);
    assert_eq!(
        r.articles[0].title.as_deref(),
        Some("Sniffed page"),
        "{:?}",
        r
    );
    let jl = write(
        dir.path(),
        "feed",
        b"{\"title\": \"J\", \"body\": \"x\"}\n{\"title\": \"K\", \"body\": \"y\"}\n",
    );
    assert_eq!(read_path_input(&jl).articles.len(), 2);
    let txt = write(dir.path(), "notes.md", b"A headline\n\nA body.");
    assert_eq!(read_path_input(&txt).articles[0].body, "A body.");
}

#[test]
fn bad_files_are_named_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\n \t\n", "empty file"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "binary file",
        ),
        ("empty.jsonl", b"\n\n", "empty file"),
    ];
    for (name, bytes, message) in cases {
        let r = read_path_input(&write(dir.path(), name, bytes));
        assert!(r.articles.is_empty(), "{name}");
        assert_eq!(r.problems.len(), 1, "{name}: {:?}", r.problems);
        assert_eq!(r.problems[0].severity, Severity::Error);
        assert_eq!(r.problems[0].message, message, "{name}");
    }
    let missing = read_path_input(&dir.path().join("missing.txt"));
    assert!(missing.problems[0].message.starts_with("cannot read"));
    let furniture_only = read_path_input(&write(
        dir.path(),
        "f.txt",
        b"Subscribe to our newsletter\n\nfour + 10 =",
    ));
    assert_eq!(
        furniture_only.problems[0].message,
        "empty article: no headline and no text"
    );
}

#[test]
fn size_limits() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        file_bytes: 1024,
        line_bytes: 64,
        ..LIMITS
    };
    let big = write(dir.path(), "big.txt", &vec![b'a'; 2048]);
    let r = read_all_with(&[Input::Path(big)], limits);
    assert!(
        r.problems[0].message.starts_with("file too large"),
        "{:?}",
        r.problems
    );
    let long_line = format!(
        "{{\"title\": \"{}\"}}\n{{\"title\": \"ok\", \"body\": \"fine\"}}\n",
        "x".repeat(100)
    );
    let jl = write(dir.path(), "big.jsonl", &long_line.repeat(20).into_bytes());
    let r = read_all_with(&[Input::Path(jl.clone())], limits);
    assert_eq!(
        r.articles.len(),
        20,
        "a JSON lines file streams past the file limit"
    );
    assert_eq!(
        r.problems
            .iter()
            .filter(|p| p.message.starts_with("line longer"))
            .count(),
        20
    );
    assert!(r.problems[0].source.ends_with("big.jsonl:1"));
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let r = read_path_input(&write(
        dir.path(),
        "latin.txt",
        b"Caf\xe9 prices\n\nA coffee costs \xa33 in the caf\xe9 now.",
    ));
    assert_eq!(r.articles[0].title.as_deref(), Some("Café prices"));
    assert_eq!(r.articles[0].body, "A coffee costs £3 in the café now.");
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].severity, Severity::Warning);
    let jl = write(
        dir.path(),
        "latin.jsonl",
        b"{\"title\": \"Caf\xe9\", \"body\": \"ok\"}\n",
    );
    let r = read_path_input(&jl);
    assert_eq!(r.articles[0].title.as_deref(), Some("Café"));
    assert!(r.problems[0].source.ends_with("latin.jsonl:1"));
}

#[test]
fn folders_are_walked_sorted_skipping_hidden_and_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "b.txt",
        "a/z.html",
        "a/y.jsonl",
        ".hidden.txt",
        ".git/x.txt",
        "photo.jpg",
        "noext",
    ] {
        write(dir.path(), name, b"x");
    }
    let (inputs, problems) = collect_inputs(&[
        dir.path().to_path_buf(),
        PathBuf::from("-"),
        dir.path().join("nope"),
    ]);
    let names: Vec<String> = inputs
        .iter()
        .map(|i| match i {
            Input::Path(p) | Input::Found(p) => p.strip_prefix(dir.path()).unwrap().display().to_string(),
            Input::Stdin => "-".into(),
        })
        .collect();
    assert_eq!(names, ["a/y.jsonl", "a/z.html", "b.txt", "noext", "-"]);
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].source, dir.path().join("photo.jpg").display().to_string());
    assert_eq!(problems[0].severity, Severity::Warning);
    assert!(problems[0].message.starts_with("skipped: not an article (unknown extension .jpg;"));
    assert_eq!(problems[1].message, "no such file or folder");
}

#[test]
fn template_lines_repeated_across_a_folder_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for (i, topic) in ["ferries", "fishing", "tides"].iter().enumerate() {
        let text = format!(
            "Story about {topic}\n\nThe Harbour Desk Weekly Digest\n\nThe council met on Monday to discuss {topic} and agreed on a plan for the coming year.\n\nMore detail number {i} followed in a second long paragraph of the story."
        );
        inputs.push(Input::Path(write(
            dir.path(),
            &format!("{i}.txt"),
            text.as_bytes(),
        )));
    }
    let r = read_all(&inputs);
    assert_eq!(r.articles.len(), 3);
    for a in &r.articles {
        assert!(!a.body.contains("Harbour Desk"), "{}", a.body);
        assert_eq!(a.body.matches("\n\n").count(), 1);
    }
    // One article alone keeps the line: nothing to compare it with.
    assert!(read(&inputs[0]).articles[0].body.contains("Harbour Desk"));
}

/// Random bytes, truncated markup and JSON must never panic.
#[test]
fn fuzzed_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let seeds: [&[u8]; 6] = [
        b"<html><body><p>Text</p><script>{",
        b"{\"title\": \"x\", \"body\": \"\\ud800\"}\n{\"title\":",
        b"LONDON (Reuters) - \xff\xfe",
        b"four + 10 =",
        b"[{\"title\": [], \"body\": {}}]",
        "Ünïcödé — “quotes” ‘and’ 日本語\n\n".as_bytes(),
    ];
    let mut inputs = Vec::new();
    for i in 0..120 {
        let mut bytes = seeds[i % seeds.len()].to_vec();
        let extra = (next() % 300) as usize;
        for _ in 0..extra {
            let b = next() as u8;
            // Mostly text-like bytes, so the readers get past the binary check.
            let alphabet = b"ab <>{}\"\\\n:,-.[]0123 \xc3\xa9";
            bytes.push(if b.is_multiple_of(4) {
                b
            } else {
                alphabet[(b as usize) % alphabet.len()]
            });
        }
        if next() % 3 == 0 {
            let cut = (next() as usize) % (bytes.len() + 1);
            bytes.truncate(cut);
        }
        let ext = ["txt", "html", "jsonl", "json", "bin"][i % 5];
        inputs.push(Input::Path(write(
            dir.path(),
            &format!("f{i}.{ext}"),
            &bytes,
        )));
    }
    let r = read_all(&inputs);
    assert!(r.articles.len() + r.problems.len() >= inputs.len() / 2);
    for a in &r.articles {
        if let Some(d) = &a.dateline {
            assert!(a.body.get(d.span.clone()).is_some());
        }
    }
}

/// Stdin goes through `read_stream` without a format: it is sniffed.
#[test]
fn streams_without_extension_are_sniffed_like_stdin() {
    let sniffed = |bytes: &[u8]| {
        let mut problems = Vec::new();
        let drafts = read_stream(
            std::io::Cursor::new(bytes.to_vec()),
            None,
            "-",
            "-",
            LIMITS,
            &mut problems,
        );
        (drafts, problems)
    };
    let (drafts, problems) = sniffed(
        b"{\"title\": \"A\", \"body\": \"x\"}\n{\"title\": \"B\", \"body\": \"y\"}\n{oops\n",
    );
    assert_eq!(drafts.len(), 2);
    assert_eq!(problems[0].source, "-:3");
    let (drafts, _) =
        sniffed(b"  <html><head><title>T</title></head><body><p>Text.</p></body></html>");
    assert_eq!(drafts[0].title.as_deref(), Some("T"));
    let (drafts, _) = sniffed(b"Headline\n\nBody.");
    assert!(drafts[0].title_from_first_line);
    let (drafts, _) = sniffed(b"{\n \"title\": \"Pretty\",\n \"body\": \"x\"\n}");
    assert_eq!(drafts[0].title.as_deref(), Some("Pretty"));
    let (_, problems) = sniffed(b"");
    assert_eq!(problems[0].message, "empty file");
}

#[test]
fn literal_backslash_n_in_json_bodies_separates_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "esc.jsonl",
        br#"{"title": "T", "body": "One.\\n\\nTwo."}"#,
    );
    assert_eq!(read_path_input(&path).articles[0].body, "One.\n\nTwo.");
}

#[test]
fn a_file_deleted_between_listing_and_reading_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", b"First headline\n\nFirst body.");
    let b = write(dir.path(), "b.txt", b"Second headline\n\nSecond body.");
    let (inputs, problems) = collect_inputs(&[dir.path().to_path_buf()]);
    assert!(problems.is_empty());
    std::fs::remove_file(&b).unwrap();
    let r = read_all(&inputs);
    assert_eq!(r.articles.len(), 1);
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].source, b.display().to_string());
    assert_eq!(r.problems[0].severity, Severity::Error);
    assert!(r.problems[0].message.starts_with("cannot read"));
}

#[test]
fn gzip_content_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(b"A headline\n\n").unwrap();
    encoder.write_all(&b"word ".repeat(4000)).unwrap();
    let gz = write(dir.path(), "story.txt.gz", &encoder.finish().unwrap());
    let limits = Limits { file_bytes: 10_000, ..LIMITS };
    let r = read_all_with(&[Input::Path(gz.clone())], limits);
    assert!(r.articles.is_empty());
    assert_eq!(r.problems.len(), 1);
    assert!(r.problems[0].message.contains("decompresses to more than"), "{:?}", r.problems);
    let r = read_all_with(&[Input::Path(gz)], LIMITS);
    assert_eq!(r.articles.len(), 1);
    assert_eq!(r.articles[0].title.as_deref(), Some("A headline"));
}
