//! Bad input through the command line: each case is named on stderr, the other inputs still
//! make it into the graph, and the exit code says whether an input failed (1) or not (0).

use assert_cmd::Command;
use std::io::Write;
use std::path::{Path, PathBuf};

fn newsgraph() -> Command {
    Command::cargo_bin("newsgraph").expect("binary built")
}

const GOOD: &str = "Harbour reopens after storm\n\nThe port authority of Valmora said on Monday that the harbour had reopened after the storm.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: impl FnOnce(&mut dyn Write)) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    bytes(&mut encoder);
    encoder.finish().unwrap()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn convert(args: &[&Path]) -> Run {
    let out = newsgraph().arg("convert").args(args).args(["--format", "nquads"]).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The stderr line that names `path`, asserting there is one.
fn line_naming<'a>(run: &'a Run, path: &Path) -> &'a str {
    let name = path.display().to_string();
    run.stderr
        .lines()
        .find(|l| l.contains(&name))
        .unwrap_or_else(|| panic!("nothing names {name} in:\n{}", run.stderr))
}

fn good_article_went_through(run: &Run) {
    assert!(run.stdout.contains("\"Harbour reopens after storm\""), "the good article is missing:\n{}", run.stderr);
}

#[test]
fn files_that_are_no_articles_in_a_folder_are_skipped_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", GOOD.as_bytes());
    let photo = write(dir.path(), "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00");
    let binary = write(dir.path(), "sub/image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00");
    let run = convert(&[dir.path()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    good_article_went_through(&run);
    let line = line_naming(&run, &photo);
    assert!(line.starts_with("warning:") && line.contains("skipped: not an article (unknown extension .jpg"), "{line}");
    let line = line_naming(&run, &binary);
    assert!(line.starts_with("warning:") && line.contains("skipped: not an article (binary file)"), "{line}");
    // named on the command line, a binary file is an input that failed
    let run = convert(&[&binary, &dir.path().join("good.txt")]);
    assert_eq!(run.code, 1);
    assert!(line_naming(&run, &binary).starts_with("error:"));
    good_article_went_through(&run);
}

#[test]
fn a_json_line_of_50_mb_is_named_and_the_other_lines_go_through() {
    let dir = tempfile::tempdir().unwrap();
    let mut feed = String::from(r#"{"id": "a1", "title": "Harbour reopens after storm", "body": "The port authority said the harbour had reopened."}"#);
    feed.push('\n');
    feed.push_str(r#"{"id": "huge", "title": "A dump", "body": ""#);
    let words = "lorem ipsum dolor sit amet. ";
    feed.push_str(&words.repeat(50_000_000 / words.len()));
    feed.push_str("\"}\n");
    feed.push_str(r#"{"id": "a3", "title": "Ferries resume", "body": "Ferries resumed on Tuesday."}"#);
    feed.push('\n');
    let path = write(dir.path(), "feed.jsonl", feed.as_bytes());
    let run = convert(&[&path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    good_article_went_through(&run);
    assert!(run.stdout.contains("\"Ferries resume\""));
    let line = line_naming(&run, &path.with_extension("jsonl:2"));
    assert!(line.starts_with("error:") && line.contains("article text too long (48 MiB; the limit is 2 MiB)"), "{line}");
}

#[test]
fn html_nested_100_000_levels_deep_does_not_take_the_run_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut page = String::from("<!DOCTYPE html><html><head><title>Deep</title></head><body>");
    page.push_str(&"<div>".repeat(100_000));
    page.push_str("<p>Text at the bottom of the well.</p>");
    page.push_str(&"</div>".repeat(100_000));
    page.push_str("</body></html>");
    let deep = write(dir.path(), "deep.html", page.as_bytes());
    let good = write(dir.path(), "good.txt", GOOD.as_bytes());
    let run = convert(&[&deep, &good]);
    good_article_went_through(&run);
    // either read (its headline) or named as failed; never a crash
    if run.code == 0 {
        assert!(run.stdout.contains("\"Deep\""), "{}", run.stderr);
    } else {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(line_naming(&run, &deep).starts_with("error:"));
    }
}

#[test]
fn an_html_page_declaring_one_encoding_and_using_another_is_read_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let page = |charset: &str, body: &[u8]| {
        let mut bytes = format!("<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>Harbour reopens after storm</title></head><body><p>").into_bytes();
        bytes.extend_from_slice(body);
        bytes.extend_from_slice(b" said the harbour of the city had reopened after the storm on Monday.</p></body></html>");
        bytes
    };
    let says_latin1 = write(dir.path(), "says-latin1.html", &page("iso-8859-1", "The mayor of Zürich".as_bytes()));
    let says_utf8 = write(dir.path(), "says-utf8.html", &page("utf-8", b"The mayor of Z\xfcrich"));
    for path in [&says_latin1, &says_utf8] {
        let run = convert(&[path]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("The mayor of Zürich"), "{}: mis-decoded", path.display());
        let line = line_naming(&run, path);
        assert!(line.starts_with("warning:") && line.contains("declares"), "{line}");
    }
}

#[test]
fn gzip_inputs_are_read_and_a_zip_bomb_is_cut_off_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let page = "<!DOCTYPE html><html><head><title>Harbour reopens after storm</title></head><body><p>The port authority said on Monday that the harbour had reopened after the storm.</p></body></html>";
    write(dir.path(), "news/story.html.gz", &gzip(|w| w.write_all(page.as_bytes()).unwrap()));
    let feed = r#"{"id": "f1", "title": "Ferries resume", "body": "Ferries resumed on Tuesday."}"#;
    write(dir.path(), "news/feed.jsonl.gz", &gzip(|w| w.write_all(feed.as_bytes()).unwrap()));
    // 200 MB of markup in about 200 KB
    let bomb = write(
        dir.path(),
        "news/bomb.html.gz",
        &gzip(|w| {
            w.write_all(b"<!DOCTYPE html><html><body>").unwrap();
            let chunk = "<p>a</p>".repeat(1 << 17);
            for _ in 0..200 {
                w.write_all(chunk.as_bytes()).unwrap();
            }
        }),
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 << 20);
    let corrupt = write(dir.path(), "news/corrupt.txt.gz", b"\x1f\x8b\x08\x00garbage that is no deflate stream");
    let run = convert(&[&dir.path().join("news")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    good_article_went_through(&run);
    assert!(run.stdout.contains("\"Ferries resume\""));
    let line = line_naming(&run, &bomb);
    assert!(line.starts_with("error:") && line.contains("decompresses to more than 64 MiB"), "{line}");
    assert!(line_naming(&run, &corrupt).starts_with("error:"));
}

#[test]
fn a_file_gone_before_it_is_read_is_named_and_the_rest_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", GOOD.as_bytes());
    // a link whose file was deleted after the folder was listed looks the same to the reader
    let gone = dir.path().join("gone.txt");
    std::os::unix::fs::symlink(dir.path().join("deleted.txt"), &gone).unwrap();
    let run = convert(&[dir.path()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    good_article_went_through(&run);
    let line = line_naming(&run, &gone);
    assert!(line.starts_with("error:") && line.contains("cannot read"), "{line}");
}
