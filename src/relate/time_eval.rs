//! `newsgraph eval times`: TempEval-3 Task A figures of the time layer on TimeML corpora.
//!
//! Spans are matched strictly (same begin and end) and relaxed (overlapping, one system
//! expression per gold one); value accuracy is the share of relaxed matches whose normalised
//! value equals the gold one, and value F1 = relaxed F1 × value accuracy, as TempEval-3 reports it.
//! Input is either TimeML files (`--tml DIR`, one part per folder holding `.tml` files) or the
//! prepared JSON-lines form with its gold file (`--data DIR`, `*.prepared.jsonl` +
//! `*.gold.json`).

use crate::doc::{Article, Doc};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `newsgraph eval …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// TempEval-3 Task A (time expressions): strict and relaxed span F1, value F1, per part.
    #[command(after_help = "Examples:\n  newsgraph eval times --data ../shared/data/timebank\n  \
        newsgraph eval times --tml ../shared/data/timebank/TBAQ-cleaned")]
    Times {
        /// A folder of TimeML files; each folder holding .tml files is one part.
        #[arg(long, conflicts_with = "data")]
        tml: Option<PathBuf>,
        /// A folder with `<part>.prepared.jsonl` and `<part>.gold.json` files.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Only the parts whose name contains this.
        #[arg(long)]
        part: Option<String>,
        /// Print up to this many mistakes (missed, spurious, wrong value) per part.
        #[arg(long, default_value_t = 0)]
        errors: usize,
    },
}

pub fn run(command: EvalCommand) -> Result<()> {
    match command {
        EvalCommand::Times { tml, data, part, errors } => {
            let parts = match (tml, data) {
                (Some(dir), _) => read_tml_parts(&dir)?,
                (None, Some(dir)) => read_prepared_parts(&dir)?,
                (None, None) => bail!("give --tml DIR or --data DIR"),
            };
            println!("{:<12} {:>5} {:>6} {:>6}  {:>6} {:>6} {:>6}  {:>6} {:>6} {:>6}  {:>7} {:>7} {:>7}", "part", "docs", "gold", "found", "str.P", "str.R", "str.F1", "rel.P", "rel.R", "rel.F1", "val.acc", "val.F1", "typ.acc");
            for (name, docs) in parts.iter().filter(|(n, _)| part.as_deref().is_none_or(|p| n.contains(p))) {
                let score = score_part(docs, errors);
                println!(
                    "{:<12} {:>5} {:>6} {:>6}  {:>6.2} {:>6.2} {:>6.2}  {:>6.2} {:>6.2} {:>6.2}  {:>7.2} {:>7.2} {:>7.2}",
                    name,
                    docs.len(),
                    score.gold,
                    score.found,
                    100.0 * score.strict_p(),
                    100.0 * score.strict_r(),
                    100.0 * score.strict_f1(),
                    100.0 * score.relaxed_p(),
                    100.0 * score.relaxed_r(),
                    100.0 * score.relaxed_f1(),
                    100.0 * score.value_accuracy(),
                    100.0 * score.value_f1(),
                    100.0 * score.type_accuracy(),
                );
            }
            Ok(())
        }
    }
}

/// One gold time expression, offsets in characters of the text.
#[derive(Debug, Clone)]
pub struct GoldTime {
    pub begin: usize,
    pub end: usize,
    pub text: String,
    pub kind: String,
    pub value: String,
}

/// One evaluation document.
#[derive(Debug, Clone)]
pub struct EvalDoc {
    pub id: String,
    /// The document creation time (the anchor).
    pub dct: Option<String>,
    pub text: String,
    pub times: Vec<GoldTime>,
}

/// Counts over a part.
#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    pub gold: usize,
    pub found: usize,
    pub strict: usize,
    pub relaxed: usize,
    pub value_right: usize,
    pub type_right: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Score {
    pub fn strict_p(&self) -> f64 {
        ratio(self.strict, self.found)
    }
    pub fn strict_r(&self) -> f64 {
        ratio(self.strict, self.gold)
    }
    pub fn strict_f1(&self) -> f64 {
        f1(self.strict_p(), self.strict_r())
    }
    pub fn relaxed_p(&self) -> f64 {
        ratio(self.relaxed, self.found)
    }
    pub fn relaxed_r(&self) -> f64 {
        ratio(self.relaxed, self.gold)
    }
    pub fn relaxed_f1(&self) -> f64 {
        f1(self.relaxed_p(), self.relaxed_r())
    }
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.value_right, self.relaxed)
    }
    pub fn value_f1(&self) -> f64 {
        self.relaxed_f1() * self.value_accuracy()
    }
    pub fn type_accuracy(&self) -> f64 {
        ratio(self.type_right, self.relaxed)
    }
}

/// The time expressions the pipeline finds in a text: (begin, end in characters, text, type, value).
pub fn system_times(id: &str, text: &str, dct: Option<&str>) -> Vec<(usize, usize, String, String, String)> {
    let article = Article { id: id.to_string(), body: text.to_string(), published: dct.map(str::to_string), ..Default::default() };
    let mut doc = Doc::new(article);
    crate::segment::segment(&mut doc);
    let times = super::find_all_times(&doc);
    let base = doc.body_start;
    let mut chars_before = Vec::with_capacity(doc.text.len() + 1);
    let mut count = 0;
    for (i, _) in doc.text.char_indices() {
        chars_before.resize(i + 1, count);
        count += 1;
    }
    chars_before.resize(doc.text.len() + 1, count);
    let body_chars = chars_before[base];
    times
        .into_iter()
        .filter(|t| t.span.start >= base)
        .map(|t| (chars_before[t.span.start] - body_chars, chars_before[t.span.end] - body_chars, t.text, t.kind.as_str().to_string(), t.timex))
        .collect()
}

/// Scores a part; prints up to `errors` mistakes.
pub fn score_part(docs: &[EvalDoc], errors: usize) -> Score {
    let mut s = Score::default();
    let mut shown = 0;
    for d in docs {
        let sys = system_times(&d.id, &d.text, d.dct.as_deref());
        s.gold += d.times.len();
        s.found += sys.len();
        let mut used = vec![false; sys.len()];
        for g in &d.times {
            if sys.iter().any(|x| x.0 == g.begin && x.1 == g.end) {
                s.strict += 1;
            }
            let hit = (0..sys.len()).find(|&i| !used[i] && sys[i].0 < g.end && g.begin < sys[i].1);
            match hit {
                Some(i) => {
                    used[i] = true;
                    s.relaxed += 1;
                    if sys[i].4 == g.value {
                        s.value_right += 1;
                    } else if shown < errors {
                        shown += 1;
                        println!("VALUE {} dct={} {:?}/{} gold {:?} {} {}", d.id, d.dct.as_deref().unwrap_or("-"), sys[i].2, sys[i].4, g.text, g.kind, g.value);
                    }
                    if sys[i].3 == g.kind {
                        s.type_right += 1;
                    }
                }
                None if shown < errors => {
                    shown += 1;
                    println!("MISS  {} {:?} {} {}", d.id, g.text, g.kind, g.value);
                }
                None => {}
            }
        }
        for (i, x) in sys.iter().enumerate() {
            if !used[i] && shown < errors {
                shown += 1;
                println!("EXTRA {} {:?} {} {}", d.id, x.2, x.3, x.4);
            }
        }
    }
    s
}

/// Parts of the prepared form: each `<part>.prepared.jsonl` with its `<part>.gold.json`.
pub fn read_prepared_parts(dir: &Path) -> Result<BTreeMap<String, Vec<EvalDoc>>> {
    let mut parts = BTreeMap::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".prepared.jsonl")) else { continue };
        let gold_path = dir.join(format!("{name}.gold.json"));
        let gold: serde_json::Value = serde_json::from_slice(&std::fs::read(&gold_path).with_context(|| format!("reading {}", gold_path.display()))?)?;
        let mut by_doc: BTreeMap<String, Vec<GoldTime>> = BTreeMap::new();
        for t in gold["times"].as_array().context("gold file without times")? {
            let field = |k: &str| t[k].as_str().unwrap_or("").to_string();
            by_doc.entry(field("doc")).or_default().push(GoldTime {
                begin: t["begin"].as_u64().unwrap_or(0) as usize,
                end: t["end"].as_u64().unwrap_or(0) as usize,
                text: field("text"),
                kind: field("type"),
                value: field("value"),
            });
        }
        let mut docs = Vec::new();
        for line in std::fs::read_to_string(&path)?.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let id = v["id"].as_str().unwrap_or("").to_string();
            let mut times = by_doc.remove(&id).unwrap_or_default();
            times.sort_by_key(|t| t.begin);
            docs.push(EvalDoc { dct: v["published"].as_str().map(str::to_string), text: v["body"].as_str().unwrap_or("").to_string(), times, id });
        }
        let short = name.rsplit('-').next().unwrap_or(name).to_string();
        parts.insert(short, docs);
    }
    if parts.is_empty() {
        bail!("no *.prepared.jsonl in {}", dir.display());
    }
    Ok(parts)
}

/// Parts of a TimeML tree: every folder holding `.tml` files is one part, named by the folder.
pub fn read_tml_parts(dir: &Path) -> Result<BTreeMap<String, Vec<EvalDoc>>> {
    let mut files = Vec::new();
    collect_tml(dir, &mut files)?;
    files.sort();
    let mut parts: BTreeMap<String, Vec<EvalDoc>> = BTreeMap::new();
    for f in files {
        let part = f.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("tml").to_ascii_lowercase();
        let xml = std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
        let id = f.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        parts.entry(part).or_default().push(parse_tml(&id, &xml).with_context(|| format!("parsing {}", f.display()))?);
    }
    if parts.is_empty() {
        bail!("no .tml files under {}", dir.display());
    }
    Ok(parts)
}

fn collect_tml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_tml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "tml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The value of attribute `name` in the inside of a tag (`TIMEX3 tid="t1" value="1998"`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')?;
    Some(decode_entities(&tag[at..at + end]))
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// A TimeML document: the DCT value, the `<TEXT>` content without tags (entities decoded) and its
/// TIMEX3 expressions with character offsets into it.
pub fn parse_tml(id: &str, xml: &str) -> Result<EvalDoc> {
    let dct = xml.find("<DCT>").and_then(|at| {
        let rest = &xml[at..];
        let tag_start = rest.find("<TIMEX3")?;
        let tag_end = rest[tag_start..].find('>')?;
        attribute(&rest[tag_start..tag_start + tag_end], "value")
    });
    let start = xml.find("<TEXT>").context("no <TEXT>")? + "<TEXT>".len();
    let end = xml[start..].find("</TEXT>").context("no </TEXT>")? + start;
    let inner = &xml[start..end];
    let mut text = String::new();
    let mut chars = 0usize;
    let mut open: Option<(usize, String, String)> = None;
    let mut times = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(lt) => {
                let piece = decode_entities(&rest[..lt]);
                chars += piece.chars().count();
                text.push_str(&piece);
                let gt = rest[lt..].find('>').context("unclosed tag")? + lt;
                let tag = &rest[lt + 1..gt];
                if tag.starts_with("TIMEX3") {
                    open = Some((chars, attribute(tag, "type").unwrap_or_default(), attribute(tag, "value").unwrap_or_default()));
                } else if tag.starts_with("/TIMEX3") {
                    if let Some((begin, kind, value)) = open.take() {
                        let t: String = text.chars().skip(begin).collect();
                        times.push(GoldTime { begin, end: chars, text: t, kind, value });
                    }
                }
                rest = &rest[gt + 1..];
            }
            None => {
                let piece = decode_entities(rest);
                text.push_str(&piece);
                rest = "";
            }
        }
    }
    Ok(EvalDoc { id: id.to_string(), dct, text, times })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeml_parses_with_character_offsets() {
        let xml = r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-27" functionInDocument="CREATION_TIME">02/27/98</TIMEX3></DCT>
<TEXT>Prices &amp; wages rose <TIMEX3 tid="t1" type="DATE" value="1998-02-26">yesterday</TIMEX3>, <EVENT eid="e1">after</EVENT> <TIMEX3 tid="t2" type="DURATION" value="P2W">two weeks</TIMEX3>.</TEXT></TimeML>"#;
        let d = parse_tml("x", xml).unwrap();
        assert_eq!(d.dct.as_deref(), Some("1998-02-27"));
        assert_eq!(d.text, "Prices & wages rose yesterday, after two weeks.");
        assert_eq!(d.times.len(), 2);
        assert_eq!((d.times[0].begin, d.times[0].end, d.times[0].text.as_str()), (20, 29, "yesterday"));
        assert_eq!((d.times[1].kind.as_str(), d.times[1].value.as_str(), d.times[1].text.as_str()), ("DURATION", "P2W", "two weeks"));
    }

    #[test]
    fn scores_count_strict_relaxed_and_values() {
        let d = EvalDoc {
            id: "x".into(),
            dct: Some("1998-02-27".into()),
            text: "Prices climbed on Thursday and will fall for two weeks.".into(),
            times: vec![
                GoldTime { begin: 18, end: 26, text: "Thursday".into(), kind: "DATE".into(), value: "1998-02-26".into() },
                GoldTime { begin: 41, end: 54, text: "for two weeks".into(), kind: "DURATION".into(), value: "P3W".into() },
            ],
        };
        let s = score_part(&[d], 0);
        assert_eq!((s.gold, s.found, s.strict, s.relaxed, s.value_right, s.type_right), (2, 2, 1, 2, 1, 2));
        assert!((s.value_f1() - 0.5).abs() < 1e-9);
    }
}
