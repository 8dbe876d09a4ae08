//! Scoring the whole recognition pipeline (tagger, rules, resolution) on hand-annotated news:
//! `tests/ner-news/news.jsonl`, whose articles are openings of BBC and TimeBank bodies referred
//! to by id and byte length (the texts stay in `../shared/data`).
//!
//! A prediction is a mention that ends up in an entity, typed as the graph types it: PER, ORG,
//! LOC by its entity's kind, NAT for a nationality word (its phrase is an `ng:Nationality`). Mentions left out of every entity are
//! not in the graph and are not scored. Gold may name a second acceptable type (`alt`) where
//! conventions differ (a national side: ORG or LOC). Matching is one to one, typed, on exact
//! spans and on overlapping spans.

use crate::doc::{Article, Doc};
use crate::Pipeline;
use anyhow::Context;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// The kinds scored: names (PER, ORG, LOC) and nationality words (NAT).
pub const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "NAT"];

#[derive(Debug, Clone, Deserialize)]
pub struct GoldName {
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub alt: Option<String>,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    /// `bbc/<category>/<n>` or `tbaq-timebank/<doc>`.
    pub id: String,
    /// `dev` or `heldout`.
    pub split: String,
    /// Length of the opening of the trimmed body that was annotated.
    pub bytes: usize,
    pub gold: Vec<GoldName>,
}

/// A typed span the pipeline predicts.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicted {
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
}

/// Counts for one type: true positives, gold and predicted names.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub gold: usize,
    pub predicted: usize,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.gold += other.gold;
        self.predicted += other.predicted;
    }
    /// In percent, as every `eval` command reports them.
    pub fn precision(&self) -> f64 {
        self.prf().0
    }
    pub fn recall(&self) -> f64 {
        self.prf().1
    }
    pub fn f1(&self) -> f64 {
        self.prf().2
    }
    fn prf(&self) -> (f64, f64, f64) {
        crate::ner::conll::prf(self.tp, self.predicted, self.gold)
    }
}

/// Scores of one run: per type, exact and overlapping spans, and untyped span recall.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub exact: HashMap<&'static str, Counts>,
    pub overlap: HashMap<&'static str, Counts>,
    /// Gold names (PER/ORG/LOC) that some prediction overlaps, whatever its type.
    pub spans_found: usize,
    pub spans_gold: usize,
    /// Mistakes for reading: (article, kind of mistake, text, gold type, predicted type).
    pub errors: Vec<String>,
}

impl Score {
    /// PER+ORG+LOC counts (NAT is reported on its own).
    pub fn names(&self, exact: bool) -> Counts {
        let table = if exact { &self.exact } else { &self.overlap };
        let mut c = Counts::default();
        for t in &TYPES[..3] {
            c.add(table.get(t).copied().unwrap_or_default());
        }
        c
    }

    pub fn report(&self) -> String {
        let mut s = String::new();
        let line = |s: &mut String, label: &str, e: Counts, o: Counts| {
            let _ = writeln!(
                s,
                "{label:<6} {:>5} {:>5}  exact P {:5.1} R {:5.1} F1 {:5.1}   overlap P {:5.1} R {:5.1} F1 {:5.1}",
                e.gold,
                e.predicted,
                e.precision(),
                e.recall(),
                e.f1(),
                o.precision(),
                o.recall(),
                o.f1()
            );
        };
        let _ = writeln!(s, "type    gold  pred");
        for t in TYPES {
            line(&mut s, t, self.exact.get(t).copied().unwrap_or_default(), self.overlap.get(t).copied().unwrap_or_default());
        }
        line(&mut s, "names", self.names(true), self.names(false));
        let _ = writeln!(s, "name span recall (untyped, overlap): {:.1} %", crate::ner::conll::prf(self.spans_found, 0, self.spans_gold).1);
        s
    }
}

/// Reads the gold file.
pub fn read_gold(path: &Path) -> anyhow::Result<Vec<GoldArticle>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).with_context(|| format!("{}:{}: bad gold line", path.display(), i + 1)))
        .collect()
}

/// The annotated text of every article: the opening of its trimmed body, from the shared data.
pub fn read_texts(data: &Path, articles: &[GoldArticle]) -> anyhow::Result<HashMap<String, String>> {
    let mut wanted: HashMap<&str, usize> = articles.iter().map(|a| (a.id.as_str(), a.bytes)).collect();
    let mut texts = HashMap::new();
    for (prefix, file) in [("bbc/", "bbc/articles.jsonl"), ("", "timebank/tbaq-timebank.prepared.jsonl")] {
        let path = data.join(file);
        let content = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        for line in content.lines() {
            #[derive(Deserialize)]
            struct Row {
                id: String,
                body: String,
            }
            let row: Row = serde_json::from_str(line).with_context(|| format!("bad line in {}", path.display()))?;
            let id = format!("{prefix}{}", row.id);
            if let Some(bytes) = wanted.remove(id.as_str()) {
                let body = row.body.trim();
                let text = body.get(..bytes).with_context(|| format!("{id}: the body is shorter than the gold's {bytes} bytes"))?;
                texts.insert(id, text.to_string());
            }
        }
    }
    if let Some(id) = wanted.keys().next() {
        anyhow::bail!("article {id} of the gold is not in {}", data.display());
    }
    Ok(texts)
}

/// The typed spans of an analysed document, as the graph states them.
pub fn predictions(doc: &Doc) -> Vec<Predicted> {
    let mut out = Vec::new();
    for m in &doc.mentions {
        let Some(e) = m.entity else { continue };
        // the graph types a mention by its entity: a demonym linked to its country is a Place
        let kind = match doc.entities[e].kind {
            _ if m.kind == crate::doc::MentionKind::Nationality => "NAT",
            crate::doc::EntityKind::Person => "PER",
            crate::doc::EntityKind::Organization => "ORG",
            crate::doc::EntityKind::Place => "LOC",
            crate::doc::EntityKind::Event => continue,
        };
        out.push(Predicted { start: m.span.start, end: m.span.end, kind });
    }
    out
}

/// Adds one article's matches to `score`.
pub fn score_article(id: &str, text: &str, gold: &[GoldName], predicted: &[Predicted], score: &mut Score) {
    for exact in [true, false] {
        let mut used = vec![false; gold.len()];
        // the type each gold name counts under: its alt type when a prediction took that reading
        let mut counted_as: Vec<&str> = gold.iter().map(|g| g.kind.as_str()).collect();
        let table = if exact { &mut score.exact } else { &mut score.overlap };
        let mut tps: Vec<&'static str> = Vec::new();
        for p in predicted {
            let same = |g: &GoldName| if exact { g.start == p.start && g.end == p.end } else { g.start < p.end && p.start < g.end };
            let typed = |g: &GoldName| g.kind == p.kind || g.alt.as_deref() == Some(p.kind);
            match (0..gold.len()).find(|&i| !used[i] && same(&gold[i]) && typed(&gold[i])) {
                Some(i) => {
                    used[i] = true;
                    counted_as[i] = p.kind;
                    tps.push(p.kind);
                }
                None if exact => {
                    let g = gold.iter().find(|g| g.start < p.end && p.start < g.end);
                    let what = g.map_or("spurious".to_string(), |g| format!("gold {} {:?}", g.kind, &text[g.start..g.end]));
                    score.errors.push(format!("{id}: predicted {} {:?} ({what})", p.kind, &text[p.start..p.end]));
                }
                None => {}
            }
        }
        for kind in TYPES {
            let c = table.entry(kind).or_default();
            c.predicted += predicted.iter().filter(|p| p.kind == kind).count();
            c.gold += counted_as.iter().filter(|k| **k == kind).count();
            c.tp += tps.iter().filter(|k| **k == kind).count();
        }
        if exact {
            for (g, used) in gold.iter().zip(&used) {
                if !used && !predicted.iter().any(|p| g.start < p.end && p.start < g.end) {
                    score.errors.push(format!("{id}: missed {} {:?}", g.kind, &text[g.start..g.end]));
                }
            }
        }
    }
    for g in gold.iter().filter(|g| g.kind != "NAT") {
        score.spans_gold += 1;
        score.spans_found += usize::from(predicted.iter().any(|p| g.start < p.end && p.start < g.end));
    }
}

/// Runs the pipeline on the articles of `split` (`dev`, `heldout` or `all`) and scores it.
pub fn evaluate(gold_path: &Path, data: &Path, split: &str, pipeline: &Pipeline) -> anyhow::Result<Score> {
    let articles: Vec<GoldArticle> = read_gold(gold_path)?.into_iter().filter(|a| split == "all" || a.split == split).collect();
    anyhow::ensure!(!articles.is_empty(), "no article of split {split:?} in {}", gold_path.display());
    let texts = read_texts(data, &articles)?;
    let mut score = Score::default();
    for a in &articles {
        let text = &texts[&a.id];
        let doc = pipeline.analyse(Article { id: a.id.clone(), body: text.clone(), ..Article::default() });
        // the pipeline's offsets index its own text; it keeps the body as given
        anyhow::ensure!(doc.text == *text, "{}: the pipeline changed the text, offsets would not match", a.id);
        score_article(&a.id, text, &a.gold, &predictions(&doc), &mut score);
    }
    Ok(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(start: usize, end: usize, kind: &str, alt: Option<&str>) -> GoldName {
        GoldName { start, end, kind: kind.into(), alt: alt.map(Into::into), text: String::new() }
    }

    #[test]
    fn typed_exact_and_overlapping_matches() {
        // "Acme Corp sued France in Paris."
        let text = "Acme Corp sued France in Paris.";
        let g = [gold(0, 9, "ORG", None), gold(15, 21, "ORG", Some("LOC")), gold(25, 30, "LOC", None)];
        let p = [
            Predicted { start: 0, end: 4, kind: "ORG" },   // overlapping only
            Predicted { start: 15, end: 21, kind: "LOC" }, // the alt type
            Predicted { start: 25, end: 30, kind: "PER" }, // wrong type
        ];
        let mut s = Score::default();
        score_article("a", text, &g, &p, &mut s);
        let exact = s.names(true);
        assert_eq!((exact.tp, exact.gold, exact.predicted), (1, 3, 3));
        let overlap = s.names(false);
        assert_eq!((overlap.tp, overlap.gold, overlap.predicted), (2, 3, 3));
        // the alt reading counts the gold under LOC
        assert_eq!(s.exact["LOC"].gold, 2);
        assert_eq!(s.exact["ORG"].gold, 1);
        assert_eq!((s.spans_found, s.spans_gold), (3, 3));
        assert!((exact.f1() - 100.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn one_prediction_matches_one_gold_name() {
        let g = [gold(0, 4, "PER", None), gold(5, 8, "PER", None)];
        let p = [Predicted { start: 0, end: 8, kind: "PER" }];
        let mut s = Score::default();
        score_article("a", "Jane Roe", &g, &p, &mut s);
        assert_eq!(s.names(false).tp, 1);
        assert_eq!(s.names(true).tp, 0);
    }
}

/// `newsgraph ner-news`: the pipeline's typed P/R/F1 on the hand-annotated news set.
#[derive(Debug, clap::Args)]
pub struct NewsEvalArgs {
    /// The gold file.
    #[arg(default_value = "tests/ner-news/news.jsonl")]
    pub gold: std::path::PathBuf,
    /// The shared data folder holding bbc/ and timebank/.
    #[arg(long, default_value = "../shared/data")]
    pub data: std::path::PathBuf,
    /// Which half: dev, heldout (never tune on it) or all.
    #[arg(long, default_value = "dev")]
    pub split: String,
    /// Also list every mistake.
    #[arg(long)]
    pub errors: bool,
}

pub fn run(args: NewsEvalArgs) -> anyhow::Result<()> {
    let pipeline = Pipeline::new(crate::rdf::iri::Minter::default());
    let score = evaluate(&args.gold, &args.data, &args.split, &pipeline)?;
    if args.errors {
        for e in &score.errors {
            println!("{e}");
        }
    }
    print!("{}", score.report());
    Ok(())
}
