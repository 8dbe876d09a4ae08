//! Reading inputs: plain text, HTML and JSON lines, from files, folders or stdin.
//!
//! Every input becomes zero or more [`Article`]s plus [`Problem`]s naming what went wrong
//! (file, and line for JSON lines); one bad input or line never stops the others.
//!
//! - **Formats** by extension (`.txt`, `.html`/`.htm`, `.jsonl`/`.ndjson`, `.json`), otherwise
//!   sniffed from the content (HTML markup, JSON, or text). Folders are walked recursively in
//!   sorted order; they contribute the files with those extensions or with none, hidden ones
//!   skipped. Files named explicitly are read whatever their extension. `-` is stdin.
//! - **Text**: the first non-empty line (that is not web furniture) is the headline, the rest the
//!   body, paragraphs separated by a blank line.
//! - **Boilerplate** is dropped from every body by the general rules in [`boilerplate`]; lines
//!   repeated in three or more different articles of one folder (or one JSON file) count as the
//!   site's template, which is why [`read_all`] reads everything before finishing any article.
//! - **Datelines** are recognised and kept in the body ([`crate::doc::Dateline`]).
//! - **Ids**: the input's `id`; else its URL without scheme, `www.`, fragment, tracking
//!   parameters and trailing slash (`example.com/news/story`); else a slug of the headline plus
//!   the xxh3 hash of the text as read (`harbour-reopens-after-storm-1f0c…`). The file path is
//!   never part of an id: the same text read from two paths is the same article, and two
//!   different files of the same name are not.
//! - **Errors**: unreadable, binary, empty and oversized files and malformed JSON lines are
//!   errors; invalid UTF-8 is decoded (stray bytes as Windows-1252, legacy files by detection)
//!   with a warning; an unparseable publication date is a warning.

pub mod boilerplate;
pub mod dateline;
pub mod dates;
pub mod encoding;
pub mod html;
pub mod jsonl;
pub mod text;

use crate::doc::Article;
use boilerplate::Unit;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One input named on the command line, after folders are expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file named on the command line: read whatever it holds, an error when it is no article.
    Path(PathBuf),
    /// A file found while walking a folder: skipped with a warning when it is no article (binary).
    Found(PathBuf),
    Stdin,
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) | Input::Found(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input was read, with a caveat (e.g. decoded as Windows-1252).
    Warning,
    /// The input, or one record of it, was not read.
    Error,
}

/// Something wrong with an input: which file (and line), and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, `file:line` for a JSON line, `file[n]` for the n-th object of a JSON array,
    /// or `-` for stdin.
    pub source: String,
    pub message: String,
    pub severity: Severity,
}

impl Problem {
    fn error(source: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            source: source.into(),
            message: message.into(),
            severity: Severity::Error,
        }
    }

    fn warning(source: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            source: source.into(),
            message: message.into(),
            severity: Severity::Warning,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}: {}", self.source, self.message)
    }
}

/// What reading one input gave.
#[derive(Debug, Default)]
pub struct ReadResult {
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
}

/// Extensions a folder walk picks up (besides files without an extension).
const ARTICLE_EXTENSIONS: [&str; 8] = [
    "txt", "text", "html", "htm", "xhtml", "jsonl", "ndjson", "json",
];

/// Expands folders (recursively, in sorted order) into the files they hold; `-` is stdin.
pub fn collect_inputs(args: &[PathBuf]) -> (Vec<Input>, Vec<Problem>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if arg.is_dir() {
            let mut files = Vec::new();
            let mut visited = HashSet::new();
            walk(arg, &mut files, &mut problems, &mut visited);
            files.sort();
            inputs.extend(files.into_iter().map(Input::Found));
        } else if arg.exists() {
            inputs.push(Input::Path(arg.clone()));
        } else {
            problems.push(Problem::error(
                arg.display().to_string(),
                "no such file or folder",
            ));
        }
    }
    (inputs, problems)
}

fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    problems: &mut Vec<Problem>,
    visited: &mut HashSet<PathBuf>,
) {
    // Symbolic links may loop back to a folder already walked.
    if let Ok(canonical) = dir.canonicalize() {
        if !visited.insert(canonical) {
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem::error(
                dir.display().to_string(),
                format!("cannot read folder: {e}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, problems, visited);
        } else if let Some(ext) = path.extension().filter(|_| !is_article_file(&path)) {
            problems.push(Problem::warning(
                path.display().to_string(),
                format!(
                    "skipped: not an article (unknown extension .{}; articles are {})",
                    ext.to_string_lossy(),
                    ARTICLE_EXTENSIONS.map(|e| format!(".{e}")).join(" ")
                ),
            ));
        } else {
            files.push(path);
        }
    }
}

/// Whether a folder walk reads this file: an article extension, none at all (sniffed), or either
/// of these compressed with gzip.
fn is_article_file(path: &Path) -> bool {
    let path = gzip_inner(path).unwrap_or(path);
    path.extension().is_none_or(|e| {
        ARTICLE_EXTENSIONS.contains(&e.to_string_lossy().to_ascii_lowercase().as_str())
    })
}

/// `story.html` for `story.html.gz`: the name that tells the format of a gzip file's content.
fn gzip_inner(path: &Path) -> Option<&Path> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    (ext == "gz").then(|| Path::new(path.file_stem().unwrap_or_default()))
}

/// Size limits: whole files for text, HTML and JSON; single lines for JSON lines (which stream);
/// what a gzip file may decompress to; the text of one article.
#[derive(Debug, Clone, Copy)]
struct Limits {
    file_bytes: u64,
    line_bytes: usize,
    /// JSON lines stream, so a compressed feed may be larger than `file_bytes`; this bounds a
    /// zip bomb's cost in time, as `line_bytes` bounds it in memory.
    gzip_json_lines_bytes: u64,
    /// A news article is a few kilobytes; megabytes of text are a book or a dump, and would hold
    /// the tagger for minutes.
    article_bytes: usize,
}

const LIMITS: Limits = Limits {
    file_bytes: 64 << 20,
    line_bytes: 64 << 20,
    gzip_json_lines_bytes: 4 << 30,
    article_bytes: 2 << 20,
};

/// How many bytes of an input decide its format and whether it is binary.
const SNIFF_BYTES: usize = 8192;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Html,
    Json,
    JsonLines,
}

fn format_from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// Guesses the format from the first bytes: markup is HTML, `[` JSON, `{` JSON lines when the
/// first line is a whole object (else one pretty-printed JSON object), anything else text.
fn sniff(head: &[u8]) -> Format {
    let text = String::from_utf8_lossy(&head[..head.len().min(SNIFF_BYTES)]);
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let lower = start
        .get(..start.len().min(1024))
        .unwrap_or(start)
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || (lower.starts_with('<')
            && ["<html", "<head", "<body", "<p>", "<article"]
                .iter()
                .any(|t| lower.contains(t)))
    {
        Format::Html
    } else if start.starts_with('[') {
        Format::Json
    } else if start.starts_with('{') {
        let first_line = start.lines().next().unwrap_or_default();
        if serde_json::from_str::<serde_json::Value>(first_line).is_ok() {
            Format::JsonLines
        } else {
            Format::Json
        }
    } else {
        Format::Text
    }
}

/// An article as read, before boilerplate removal: the lines still hold everything.
#[derive(Debug)]
struct Draft {
    source: String,
    /// Articles of one group (folder, or JSON file) share a site template.
    group: String,
    id: Option<String>,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    author: Option<String>,
    units: Vec<Unit>,
    /// Plain text: the headline is the first line kept.
    title_from_first_line: bool,
    /// xxh3 of the title and text as read: the id when nothing better exists, and the test for
    /// "same article" when counting repeated lines.
    content_hash: u64,
}

impl Draft {
    fn new(source: String, group: String, units: Vec<Unit>) -> Draft {
        Draft {
            source,
            group,
            id: None,
            url: None,
            title: None,
            published: None,
            author: None,
            units,
            title_from_first_line: false,
            content_hash: 0,
        }
    }

    fn seal(mut self) -> Draft {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        if let Some(title) = &self.title {
            hasher.update(title.as_bytes());
            hasher.update(b"\n");
        }
        for unit in &self.units {
            hasher.update(unit.text.as_bytes());
            hasher.update(b"\n");
        }
        self.content_hash = hasher.digest();
        self
    }
}

/// Reads every article of one input.
pub fn read(input: &Input) -> ReadResult {
    read_all(std::slice::from_ref(input))
}

/// Reads every input, in order. Rules that look across articles (lines repeated on one site)
/// see all the inputs at once.
pub fn read_all(inputs: &[Input]) -> ReadResult {
    read_all_with(inputs, LIMITS)
}

fn read_all_with(inputs: &[Input], limits: Limits) -> ReadResult {
    let read: Vec<(Vec<Draft>, Vec<Problem>)> = inputs
        .par_iter()
        .map(|input| read_drafts(input, limits))
        .collect();
    finish_all(read)
}

/// Reads the articles of one input held in memory, as a file named `name` would be read (its
/// extension, if any, chooses the format; else the content does). For callers that have the
/// bytes already (the Python package, the fuzz targets); problems name `name`.
pub fn read_bytes(name: &str, bytes: &[u8]) -> ReadResult {
    let mut problems = Vec::new();
    let format = format_from_extension(Path::new(name));
    let group = Path::new(name)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let drafts = read_stream(bytes, format, name, &group, LIMITS, &mut problems);
    finish_all(vec![(drafts, problems)])
}

/// Finishes the drafts of every input: boilerplate (with the lines repeated within each group),
/// headline, dateline, id; later articles with an id seen before are named.
fn finish_all(read: Vec<(Vec<Draft>, Vec<Problem>)>) -> ReadResult {
    let mut groups: BTreeMap<&str, Vec<&Draft>> = BTreeMap::new();
    for draft in read.iter().flat_map(|(drafts, _)| drafts) {
        groups.entry(draft.group.as_str()).or_default().push(draft);
    }
    let repeated: HashMap<&str, HashSet<String>> = groups
        .into_iter()
        .map(|(group, drafts)| {
            let lines = boilerplate::repeated_lines(
                drafts.iter().map(|d| (d.content_hash, d.units.as_slice())),
            );
            (group, lines)
        })
        .collect();
    let empty = HashSet::new();
    let finished: Vec<(Vec<Article>, Vec<Problem>)> = read
        .par_iter()
        .map(|(drafts, problems)| {
            // One JSON lines file holds thousands of articles: finish them in parallel too.
            let done: Vec<(Option<Article>, Vec<Problem>)> = drafts
                .par_iter()
                .map(|draft| {
                    let lines = repeated.get(draft.group.as_str()).unwrap_or(&empty);
                    let mut own = Vec::new();
                    (finish(draft, lines, &mut own), own)
                })
                .collect();
            let mut problems = problems.clone();
            let mut articles = Vec::with_capacity(done.len());
            for (article, own) in done {
                articles.extend(article);
                problems.extend(own);
            }
            problems.sort_by_key(|p| record_number(&p.source));
            (articles, problems)
        })
        .collect();
    let mut all = ReadResult::default();
    let mut first_source: HashMap<String, String> = HashMap::new();
    for (articles, problems) in finished {
        all.problems.extend(problems);
        for article in articles {
            if let Some(earlier) = first_source.get(&article.id) {
                all.problems.push(Problem::warning(
                    article.source.clone(),
                    format!(
                        "same article id `{}` as {earlier}; the later one replaces it",
                        article.id
                    ),
                ));
            } else {
                first_source.insert(article.id.clone(), article.source.clone());
            }
            all.articles.push(article);
        }
    }
    all
}

/// The line (`file:12`) or item (`file[3]`) a problem names, 0 for a whole file: problems of one
/// input are reported in file order.
fn record_number(source: &str) -> usize {
    let digits = source.strip_suffix(']').unwrap_or(source);
    let start = digits.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let separated = digits[..start].ends_with([':', '[']);
    if separated {
        digits[start..].parse().unwrap_or(0)
    } else {
        0
    }
}

/// Reads the drafts of one input, never panicking and never failing the others.
fn read_drafts(input: &Input, limits: Limits) -> (Vec<Draft>, Vec<Problem>) {
    let name = input.name();
    let mut problems = Vec::new();
    let drafts = match input {
        Input::Path(path) => read_path(path, &name, limits, &mut problems),
        Input::Found(path) => {
            let drafts = read_path(path, &name, limits, &mut problems);
            // A binary file in a folder is something else kept beside the articles, not a failure.
            for problem in &mut problems {
                if problem.source == name && problem.message == BINARY {
                    problem.severity = Severity::Warning;
                    problem.message = format!("skipped: not an article ({BINARY})");
                }
            }
            drafts
        }
        Input::Stdin => {
            let stdin = std::io::stdin();
            read_stream(stdin.lock(), None, &name, "-", limits, &mut problems)
        }
    };
    (drafts, problems)
}

const BINARY: &str = "binary file";

fn read_path(path: &Path, name: &str, limits: Limits, problems: &mut Vec<Problem>) -> Vec<Draft> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            problems.push(Problem::error(name, format!("cannot read: {e}")));
            return Vec::new();
        }
    };
    match file.metadata() {
        Ok(m) if m.is_dir() => {
            problems.push(Problem::error(name, "is a folder"));
            return Vec::new();
        }
        Ok(m)
            if m.len() > limits.file_bytes
                && format_from_extension(gzip_inner(path).unwrap_or(path))
                    != Some(Format::JsonLines) =>
        {
            problems.push(Problem::error(name, too_large(m.len(), limits.file_bytes)));
            return Vec::new();
        }
        _ => {}
    }
    let group = path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if let Some(inner) = gzip_inner(path) {
        let format = format_from_extension(inner);
        let bound = if format == Some(Format::JsonLines) {
            limits.gzip_json_lines_bytes
        } else {
            limits.file_bytes
        };
        let decompressed = Bounded {
            inner: flate2::read::MultiGzDecoder::new(BufReader::new(file)),
            left: bound,
            bound,
        };
        return read_stream(decompressed, format, name, &group, limits, problems);
    }
    read_stream(
        file,
        format_from_extension(path),
        name,
        &group,
        limits,
        problems,
    )
}

/// A reader that fails once more than `bound` bytes came through: a gzip file's content is not
/// trusted to be the size its few compressed bytes suggest.
struct Bounded<R> {
    inner: R,
    left: u64,
    bound: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // one byte more tells a file of exactly `bound` bytes from a bigger one
            let n = self.inner.read(&mut [0u8; 1])?;
            if n == 0 {
                return Ok(0);
            }
            return Err(std::io::Error::other(format!(
                "decompresses to more than {} MiB, the limit for compressed input",
                self.bound >> 20
            )));
        }
        let len = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..len])?;
        self.left -= n as u64;
        Ok(n)
    }
}

fn too_large(size: u64, limit: u64) -> String {
    format!(
        "file too large ({} MiB; the limit is {} MiB)",
        size.div_ceil(1 << 20),
        limit >> 20
    )
}

/// Reads an input stream: sniffs its start, streams JSON lines, reads anything else whole.
fn read_stream(
    reader: impl Read,
    format: Option<Format>,
    name: &str,
    group: &str,
    limits: Limits,
    problems: &mut Vec<Problem>,
) -> Vec<Draft> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Err(e) = (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
    {
        problems.push(Problem::error(name, format!("cannot read: {e}")));
        return Vec::new();
    }
    if head.len() < SNIFF_BYTES && head.iter().all(u8::is_ascii_whitespace) {
        problems.push(Problem::error(name, "empty file"));
        return Vec::new();
    }
    if encoding::looks_binary(&head) {
        problems.push(Problem::error(name, BINARY));
        return Vec::new();
    }
    let format = format.unwrap_or_else(|| sniff(&head));
    let mut whole = std::io::Cursor::new(head).chain(reader);
    if format == Format::JsonLines {
        // A JSON file holding one object per line keeps its own file as its group.
        return read_json_lines(BufReader::new(whole), name, limits, problems);
    }
    let mut bytes = Vec::new();
    if let Err(e) = (&mut whole)
        .take(limits.file_bytes + 1)
        .read_to_end(&mut bytes)
    {
        problems.push(Problem::error(name, format!("cannot read: {e}")));
        return Vec::new();
    }
    if bytes.len() as u64 > limits.file_bytes {
        problems.push(Problem::error(
            name,
            format!(
                "file too large (the limit is {} MiB)",
                limits.file_bytes >> 20
            ),
        ));
        return Vec::new();
    }
    match format {
        Format::Html => read_html(&bytes, name, group, problems),
        Format::Json => read_json(&bytes, name, limits, problems),
        Format::Text | Format::JsonLines => read_text(&bytes, name, group, problems),
    }
}

fn decode_reporting(
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
    source: &str,
    problems: &mut Vec<Problem>,
) -> String {
    let decoded = encoding::decode(bytes, declared);
    if let Some(warning) = decoded.warning {
        problems.push(Problem::warning(source, warning));
    }
    decoded.text
}

fn read_text(bytes: &[u8], name: &str, group: &str, problems: &mut Vec<Problem>) -> Vec<Draft> {
    let text = encoding::clean_text(&decode_reporting(bytes, None, name, problems));
    let mut draft = Draft::new(
        name.to_string(),
        group.to_string(),
        text::units_of_text(&text),
    );
    draft.title_from_first_line = true;
    vec![draft.seal()]
}

fn read_html(bytes: &[u8], name: &str, group: &str, problems: &mut Vec<Problem>) -> Vec<Draft> {
    let html = decode_reporting(bytes, html::declared_charset(bytes), name, problems);
    let (meta, units) = html::read_page(&html);
    let units = units
        .into_iter()
        .map(|u| Unit {
            text: encoding::clean_text(&u.text),
            new_block: u.new_block,
        })
        .filter(|u| !u.text.is_empty())
        .collect();
    let mut draft = Draft::new(name.to_string(), group.to_string(), units);
    draft.title = meta.title.map(|t| encoding::clean_text(&t));
    draft.url = meta.url;
    draft.published = meta.published;
    draft.author = meta.author.map(|a| one_line(&a));
    vec![draft.seal()]
}

/// A name or label as one clean line of text.
fn one_line(text: &str) -> String {
    encoding::clean_text(text).trim().replace('\n', " ")
}

fn record_draft(record: jsonl::Record, source: String, group: &str) -> Draft {
    // Bodies escaped twice on the way into JSON carry the two characters `\n` for a newline.
    let body = if !record.body.contains('\n') && record.body.contains("\\n") {
        record.body.replace("\\r\\n", "\n").replace("\\n", "\n")
    } else {
        record.body
    };
    let body = encoding::clean_text(&body);
    let mut draft = Draft::new(source, group.to_string(), text::units_of_text(&body));
    draft.id = record.id;
    draft.url = record.url;
    draft.title = record
        .title
        .map(|t| encoding::clean_text(&t).replace('\n', " "));
    draft.published = record.published;
    draft.author = record.author.map(|a| one_line(&a));
    draft.seal()
}

fn read_json(bytes: &[u8], name: &str, limits: Limits, problems: &mut Vec<Problem>) -> Vec<Draft> {
    let text = decode_reporting(bytes, None, name, problems);
    let value: serde_json::Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(v) => v,
        Err(e) => {
            // Many ".json" files are really JSON lines.
            if sniff(bytes) == Format::JsonLines {
                return read_json_lines(BufReader::new(bytes), name, limits, problems);
            }
            problems.push(Problem::error(name, format!("malformed JSON: {e}")));
            return Vec::new();
        }
    };
    match value {
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let source = format!("{name}[{}]", i + 1);
                match jsonl::record(item) {
                    Ok(record) => Some(record_draft(record, source, name)),
                    Err(e) => {
                        problems.push(Problem::error(source, e));
                        None
                    }
                }
            })
            .collect(),
        other => match jsonl::record(&other) {
            Ok(record) => vec![record_draft(record, name.to_string(), name)],
            Err(e) => {
                problems.push(Problem::error(name, e));
                Vec::new()
            }
        },
    }
}

fn read_json_lines(
    mut reader: impl BufRead,
    name: &str,
    limits: Limits,
    problems: &mut Vec<Problem>,
) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut saw_content = false;
    loop {
        let (consumed, too_long) =
            match jsonl::read_line_limited(&mut reader, &mut buf, limits.line_bytes) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(Problem::error(
                        format!("{name}:{}", line_no + 1),
                        format!("cannot read: {e}"),
                    ));
                    break;
                }
            };
        if consumed == 0 {
            break;
        }
        line_no += 1;
        let source = format!("{name}:{line_no}");
        if too_long {
            saw_content = true;
            problems.push(Problem::error(
                source,
                format!("line longer than {} MiB", limits.line_bytes >> 20),
            ));
            continue;
        }
        let line = decode_reporting(&buf, None, &source, problems);
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() {
            continue;
        }
        saw_content = true;
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(value) => match jsonl::record(&value) {
                Ok(record) => drafts.push(record_draft(record, source, name)),
                Err(e) => problems.push(Problem::error(source, e)),
            },
            Err(e) => problems.push(Problem::error(source, format!("malformed JSON: {e}"))),
        }
    }
    if !saw_content {
        problems.push(Problem::error(name, "empty file"));
    }
    drafts
}

/// Drops boilerplate, picks the headline, recognises the dateline and settles the id.
fn finish(
    draft: &Draft,
    repeated: &HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Option<Article> {
    let (mut units, _dropped) = boilerplate::remove(draft.units.clone(), repeated);
    let mut title = draft.title.clone().filter(|t| !t.trim().is_empty());
    if draft.title_from_first_line && !units.is_empty() {
        title = Some(units.remove(0).text);
    }
    if let Some(first) = units.first_mut() {
        first.new_block = true;
    }
    let body = text::assemble(&units);
    if body.len() > LIMITS.article_bytes {
        problems.push(Problem::error(
            &draft.source,
            format!(
                "article text too long ({} MiB; the limit is {} MiB)",
                body.len().div_ceil(1 << 20),
                LIMITS.article_bytes >> 20
            ),
        ));
        return None;
    }
    if title.is_none() && body.is_empty() {
        problems.push(Problem::error(
            &draft.source,
            "empty article: no headline and no text",
        ));
        return None;
    }
    if body.is_empty() {
        problems.push(Problem::warning(
            &draft.source,
            "article has a headline but no body text",
        ));
    }
    let published = draft.published.as_deref().and_then(|raw| {
        let normalised = dates::normalise_published(raw);
        if normalised.is_none() {
            problems.push(Problem::warning(
                &draft.source,
                format!("unreadable publication date `{raw}` ignored"),
            ));
        }
        normalised
    });
    let mut article = Article {
        id: article_id(
            draft.id.as_deref(),
            draft.url.as_deref(),
            title.as_deref(),
            draft.content_hash,
        ),
        url: draft.url.clone(),
        title,
        published,
        author: draft.author.clone(),
        dateline: None,
        body,
        source: draft.source.clone(),
    };
    article.dateline = dateline::find(
        &article.body,
        article.title.as_deref(),
        article.published_date(),
    );
    Some(article)
}

/// The longest slug taken from a headline for a content-derived id.
const SLUG_CHARS: usize = 60;

/// The article's stable id: given id, else from the URL, else headline slug plus content hash.
fn article_id(
    given: Option<&str>,
    url: Option<&str>,
    title: Option<&str>,
    content_hash: u64,
) -> String {
    // an id is a name: control characters and line breaks in it are noise (and RDF/XML would
    // turn a carriage return into a line feed)
    if let Some(id) = given.map(one_line).filter(|s| !s.is_empty()) {
        return id;
    }
    if let Some(id) = url.and_then(url_id) {
        return id;
    }
    let slug = slug(title.unwrap_or_default());
    let slug = if slug.is_empty() {
        "article".to_string()
    } else {
        slug
    };
    format!("{slug}-{content_hash:016x}")
}

/// An id from an http(s) URL: host (lower case, no `www.`), path and the query parameters that
/// are not tracking tags; no scheme, fragment or trailing slash. `http` and `https` versions of
/// one page get the same id.
fn url_id(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("HTTPS://"))
        .or_else(|| url.strip_prefix("HTTP://"))?;
    let rest = rest.split('#').next().unwrap_or_default();
    let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = location.split_once('/').unwrap_or((location, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if host.is_empty() {
        return None;
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let key = p.split('=').next().unwrap_or_default().to_ascii_lowercase();
            !p.is_empty()
                && !key.starts_with("utm_")
                && !["fbclid", "gclid", "ocid", "cmpid", "ref", "src"].contains(&key.as_str())
        })
        .collect();
    let mut id = format!("{host}/{}", path.trim_end_matches('/'));
    if id.ends_with('/') {
        id.pop();
    }
    if !kept.is_empty() {
        id.push('?');
        id.push_str(&kept.join("&"));
    }
    Some(id)
}

/// ASCII words of a headline joined by `-`, cut at a word boundary.
fn slug(title: &str) -> String {
    let ascii = deunicode::deunicode(title).to_ascii_lowercase();
    let mut slug = String::new();
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > SLUG_CHARS {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

#[cfg(test)]
mod tests;
