//! Reading inputs: plain text, HTML and JSON lines, from files, folders or stdin.

use crate::doc::Article;
use std::path::PathBuf;

/// One input named on the command line, after folders are expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
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
    /// The file, `file:line` for a JSON line, or `-` for stdin.
    pub source: String,
    pub message: String,
    pub severity: Severity,
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

/// Expands folders (recursively, in sorted order) into the files they hold; `-` is stdin.
pub fn collect_inputs(args: &[PathBuf]) -> (Vec<Input>, Vec<Problem>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if arg.is_dir() {
            let mut files = Vec::new();
            walk(arg, &mut files, &mut problems);
            files.sort();
            inputs.extend(files.into_iter().map(Input::Path));
        } else if arg.exists() {
            inputs.push(Input::Path(arg.clone()));
        } else {
            problems.push(Problem {
                source: arg.display().to_string(),
                message: "no such file or folder".into(),
                severity: Severity::Error,
            });
        }
    }
    (inputs, problems)
}

fn walk(dir: &std::path::Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem {
                source: dir.display().to_string(),
                message: format!("cannot read folder: {e}"),
                severity: Severity::Error,
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, problems);
        } else {
            files.push(path);
        }
    }
}

/// Reads every article of one input. Placeholder until the full reader lands: JSON lines with
/// `id`/`title`/`body`, anything else as plain text with the first line as headline.
pub fn read(input: &Input) -> ReadResult {
    let name = input.name();
    let mut result = ReadResult::default();
    let bytes = match input {
        Input::Path(p) => std::fs::read(p),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
        }
    };
    let text = match bytes.map(String::from_utf8) {
        Ok(Ok(t)) => t,
        Ok(Err(_)) => {
            result.problems.push(Problem { source: name, message: "not UTF-8".into(), severity: Severity::Error });
            return result;
        }
        Err(e) => {
            result.problems.push(Problem { source: name, message: e.to_string(), severity: Severity::Error });
            return result;
        }
    };
    if name.ends_with(".jsonl") {
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    result.problems.push(Problem {
                        source: format!("{name}:{}", i + 1),
                        message: e.to_string(),
                        severity: Severity::Error,
                    });
                    continue;
                }
            };
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            result.articles.push(Article {
                id: field("id").unwrap_or_else(|| format!("{name}:{}", i + 1)),
                title: field("title"),
                body: field("body").unwrap_or_default(),
                source: format!("{name}:{}", i + 1),
                ..Article::default()
            });
        }
    } else {
        let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
        let title = lines.next().map(|l| l.trim().to_string());
        let body = lines.collect::<Vec<_>>().join("\n").trim().to_string();
        let id = std::path::Path::new(&name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or(name.clone());
        result.articles.push(Article { id, title, body, source: name, ..Article::default() });
    }
    result
}

/// Reads every input, in order. Rules that look across articles (lines repeated on one site)
/// see all the inputs at once.
pub fn read_all(inputs: &[Input]) -> ReadResult {
    let mut all = ReadResult::default();
    for input in inputs {
        let r = read(input);
        all.articles.extend(r.articles);
        all.problems.extend(r.problems);
    }
    all
}
