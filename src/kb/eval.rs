//! `newsgraph kb eval`: link precision and recall on a hand-made dev set.
//!
//! The dev set (`tests/linking/dev.tsv`) holds one row per named entity per article: article id,
//! surface form, type, and the gold id — a QID, `geonames:N`, both joined by `|`, `NIL` (no item),
//! `X` (an item of a type the bundled KB lacks: any bundled link is wrong) or `?` (unsure: skipped).
//!
//! Two modes: `oracle` links entities built from the gold rows themselves (the linker alone);
//! `pipeline` runs the whole analysis on the articles and scores the entity whose name or alias
//! matches each row (recognition and resolution errors included).

use super::normalise::alias_key;
use super::{Kb, KbEntry};
use crate::doc::{Article, Doc, Entity, EntityKind, KbLink};
use anyhow::{bail, Context};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One annotated entity.
#[derive(Debug, Clone)]
pub struct GoldRow {
    pub article: String,
    pub surface: String,
    pub kind: EntityKind,
    pub gold: Gold,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Gold {
    /// The entity's ids; a link is right when it carries one of them.
    Ids { wikidata: Option<String>, geonames: Option<u32> },
    /// Not in Wikidata, or not of a type the bundled KB has: any link is wrong.
    NoLink,
    /// Identity unsure: not scored.
    Unsure,
}

/// Reads a dev set; errors name the file and line.
pub fn read_dev_set(path: &Path) -> anyhow::Result<Vec<GoldRow>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{}:{}", path.display(), i + 1);
        let fields: Vec<&str> = line.split('\t').collect();
        let [article, surface, kind, gold] = fields.as_slice() else {
            bail!("{}: expected 4 tab-separated fields, found {}", at(), fields.len());
        };
        let kind = match *kind {
            "Person" => EntityKind::Person,
            "Organization" => EntityKind::Organization,
            "Place" => EntityKind::Place,
            "Event" => EntityKind::Event,
            other => bail!("{}: unknown type {other:?}", at()),
        };
        rows.push(GoldRow {
            article: article.to_string(),
            surface: surface.to_string(),
            kind,
            gold: parse_gold(gold).with_context(at)?,
        });
    }
    Ok(rows)
}

fn parse_gold(text: &str) -> anyhow::Result<Gold> {
    match text {
        "NIL" | "X" => return Ok(Gold::NoLink),
        "?" => return Ok(Gold::Unsure),
        _ => {}
    }
    let (mut wikidata, mut geonames) = (None, None);
    for part in text.split('|') {
        if let Some(number) = part.strip_prefix("geonames:") {
            geonames = Some(number.parse().with_context(|| format!("bad GeoNames id {part:?}"))?);
        } else if part.starts_with('Q') && part[1..].chars().all(|c| c.is_ascii_digit()) && part.len() > 1 {
            wikidata = Some(part.to_string());
        } else {
            bail!("bad gold id {part:?}");
        }
    }
    Ok(Gold::Ids { wikidata, geonames })
}

/// The scores and the mistakes behind them.
#[derive(Debug, Default)]
pub struct Scores {
    /// Scored rows (gold not `?`).
    pub rows: usize,
    /// Rows whose gold has ids.
    pub gold_links: usize,
    /// Rows whose gold ids the knowledge base holds.
    pub gold_links_in_kb: usize,
    /// Rows the system linked.
    pub linked: usize,
    pub correct: usize,
    /// Rows with no matching system entity (pipeline mode).
    pub not_found: usize,
    pub errors: Vec<String>,
    pub misses: Vec<String>,
}

impl Scores {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.linked)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold_links)
    }
    pub fn recall_in_kb(&self) -> f64 {
        ratio(self.correct, self.gold_links_in_kb)
    }

    pub fn summary(&self) -> String {
        format!(
            "rows {}  gold links {} ({} in KB)  linked {}  correct {}  not found {}\n\
             precision {:.3}  recall {:.3}  recall on entities the KB holds {:.3}",
            self.rows,
            self.gold_links,
            self.gold_links_in_kb,
            self.linked,
            self.correct,
            self.not_found,
            self.precision(),
            self.recall(),
            self.recall_in_kb()
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Links entities built from the gold rows (one entity per row, named by its surface).
pub fn evaluate_oracle(rows: &[GoldRow], kb: &Kb) -> Scores {
    let mut by_article: BTreeMap<&str, Vec<&GoldRow>> = BTreeMap::new();
    for row in rows {
        by_article.entry(&row.article).or_default().push(row);
    }
    let mut scores = Scores::default();
    for (article, rows) in by_article {
        let mut doc = Doc::new(Article { id: article.to_string(), ..Article::default() });
        doc.entities = rows
            .iter()
            .map(|r| Entity { kind: r.kind, name: r.surface.clone(), aliases: Vec::new(), mentions: Vec::new(), link: None })
            .collect();
        crate::resolve::link::link(&mut doc, kb);
        for (row, entity) in rows.iter().zip(&doc.entities) {
            score(&mut scores, row, Some(entity.link.as_ref()), kb);
        }
    }
    scores
}

/// Runs the whole pipeline on the dev set's articles (read from a JSON lines file) and scores
/// the entity whose name or alias matches each row.
pub fn evaluate_pipeline(rows: &[GoldRow], articles: &Path, pipeline: &crate::Pipeline) -> anyhow::Result<Scores> {
    let wanted: BTreeSet<&str> = rows.iter().map(|r| r.article.as_str()).collect();
    let text = std::fs::read_to_string(articles).with_context(|| format!("reading {}", articles.display()))?;
    let mut docs: BTreeMap<String, Doc> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let record: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{}:{}: invalid JSON", articles.display(), i + 1))?;
        let Some(id) = record["id"].as_str().filter(|id| wanted.contains(id)) else { continue };
        let article = Article {
            id: id.to_string(),
            title: record["title"].as_str().map(str::to_string),
            body: record["body"].as_str().unwrap_or_default().to_string(),
            source: format!("{}:{}", articles.display(), i + 1),
            ..Article::default()
        };
        docs.insert(id.to_string(), pipeline.analyse(article));
    }
    let mut scores = Scores::default();
    for row in rows {
        let Some(doc) = docs.get(&row.article) else {
            bail!("article {} of the dev set is not in {}", row.article, articles.display());
        };
        let key = alias_key(&row.surface);
        let entity = doc
            .entities
            .iter()
            .find(|e| alias_key(&e.name) == key)
            .or_else(|| doc.entities.iter().find(|e| e.aliases.iter().any(|a| alias_key(a) == key)));
        let before = scores.misses.len();
        score(&mut scores, row, entity.map(|e| e.link.as_ref()), pipeline.kb);
        if let (Some(entity), Some(miss)) = (entity, scores.misses.get_mut(before)) {
            miss.push_str(&format!(" ({} {:?})", entity.kind.as_str(), entity.name));
        }
    }
    Ok(scores)
}

/// `found`: None when no system entity matched the row, Some(link) otherwise.
fn score(scores: &mut Scores, row: &GoldRow, found: Option<Option<&KbLink>>, kb: &Kb) {
    if row.gold == Gold::Unsure {
        return;
    }
    scores.rows += 1;
    let link = found.flatten();
    if let Gold::Ids { wikidata, geonames } = &row.gold {
        scores.gold_links += 1;
        let in_kb = wikidata.as_deref().is_some_and(|q| kb.get(q).is_some())
            || geonames.is_some_and(|g| kb.get(&format!("geonames:{g}")).is_some());
        if in_kb {
            scores.gold_links_in_kb += 1;
        }
        let right = link.is_some_and(|l| {
            (wikidata.is_some() && l.wikidata == *wikidata) || (geonames.is_some() && l.geonames == *geonames)
        });
        if right {
            scores.correct += 1;
        } else if link.is_none() && in_kb {
            let why = if found.is_none() { "no entity" } else { "unlinked" };
            scores.misses.push(format!("{}\t{}\t{why}", row.article, row.surface));
        }
    }
    if found.is_none() {
        scores.not_found += 1;
    }
    if let Some(link) = link {
        scores.linked += 1;
        let right = matches!(&row.gold, Gold::Ids { wikidata, geonames }
            if (wikidata.is_some() && link.wikidata == *wikidata) || (geonames.is_some() && link.geonames == *geonames));
        if !right {
            scores.errors.push(format!(
                "{}\t{}\t{:?}\tlinked to {} ({})",
                row.article,
                row.surface,
                row.gold,
                link.id,
                link.label.as_deref().unwrap_or("")
            ));
        }
    }
}

/// End-to-end linking scores on CoNLL-2003 with AIDA's gold links (`conll2003-wikidata-links`):
/// the tagger finds the names, the resolver links them, and a link counts when its token span and
/// its QID both match a gold mention. Gold mentions without a QID (NIL) are ignored, and so are
/// links on their spans.
#[derive(Debug, Default)]
pub struct ConllScores {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    /// By the gold mention's CoNLL tag ("PER", "ORG", "LOC", "MISC"): gold, correct.
    pub by_tag: BTreeMap<String, (usize, usize)>,
    pub errors: Vec<String>,
    pub misses: Vec<String>,
    /// Missed gold links by why they were missed (see [`MissReason`]), for error analysis.
    pub miss_reasons: BTreeMap<MissReason, usize>,
}

/// Why a gold link was missed, first cause first: the knowledge base lacks the entity; the
/// tagger found no mention with the gold span; the mention joined no entity; no name of the
/// entity finds the gold entry (an alias is missing); the entry is found but of another kind
/// than the entity (the type filter); the entry is a candidate of the right kind and the
/// linker chose nothing (rejected) or another entry (wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MissReason {
    NotInKb,
    Span,
    NoEntity,
    Alias,
    Type,
    Rejected,
    Wrong,
}

impl MissReason {
    fn as_str(self) -> &'static str {
        match self {
            MissReason::NotInKb => "not in KB",
            MissReason::Span => "span",
            MissReason::NoEntity => "no entity",
            MissReason::Alias => "alias",
            MissReason::Type => "type",
            MissReason::Rejected => "rejected",
            MissReason::Wrong => "wrong",
        }
    }
}

/// Why the gold link `qid` on `span` of `doc` was missed (the caller knows it was).
fn miss_reason(doc: &Doc, span: &std::ops::Range<usize>, qid: &str, kb: &Kb) -> MissReason {
    let Some(gold) = kb.get(qid) else { return MissReason::NotInKb };
    let Some(mention) = doc.mentions.iter().find(|m| m.tokens == *span) else { return MissReason::Span };
    let Some(entity) = mention.entity.and_then(|e| doc.entities.get(e)) else { return MissReason::NoEntity };
    if entity.link.is_some() {
        return MissReason::Wrong;
    }
    let names = std::iter::once(entity.name.as_str())
        .chain(entity.aliases.iter().map(String::as_str))
        .chain(std::iter::once(doc.mention_text(mention)));
    let found: Vec<KbEntry<'_>> = names.flat_map(|n| kb.candidates(n)).filter(|e| e.id == gold.id).collect();
    match found.first() {
        None => MissReason::Alias,
        Some(e) if e.kind != entity.kind => MissReason::Type,
        Some(_) => MissReason::Rejected,
    }
}

impl ConllScores {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    pub fn summary(&self) -> String {
        let mut out = format!(
            "gold links {}  predicted {}  correct {}\nprecision {:.3}  recall {:.3}  F1 {:.1}\n",
            self.gold,
            self.predicted,
            self.correct,
            self.precision(),
            self.recall(),
            100.0 * self.f1()
        );
        for (tag, (gold, correct)) in &self.by_tag {
            out.push_str(&format!("  {tag:<5} gold {gold:>5}  recall {:.3}\n", ratio(*correct, *gold)));
        }
        let reasons: Vec<String> = self.miss_reasons.iter().map(|(r, n)| format!("{} {n}", r.as_str())).collect();
        out.push_str(&format!("missed: {}\n", reasons.join(", ")));
        out
    }
}

/// One gold row of the links file.
struct GoldLink {
    doc: usize,
    span: std::ops::Range<usize>,
    qid: Option<String>,
    mention: String,
    tag: String,
}

/// Reads the rows of `split` from a `conll2003_wikidata_links.tsv`; errors name the line.
fn read_links(path: &Path, split: &str) -> anyhow::Result<Vec<GoldLink>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().with_context(|| format!("{}: empty file", path.display()))?;
    let columns: Vec<&str> = header.split('\t').collect();
    let column = |name: &str| columns.iter().position(|c| *c == name).with_context(|| format!("{}: no column {name}", path.display()));
    let (c_split, c_doc, c_start, c_end) = (column("split")?, column("doc")?, column("doc_tok_start")?, column("doc_tok_end")?);
    let (c_mention, c_qid, c_tags) = (column("mention")?, column("qid")?, column("conll_tags")?);
    let mut out = Vec::new();
    for (i, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let at = || format!("{}:{}", path.display(), i + 1);
        let field = |c: usize| fields.get(c).copied().with_context(|| format!("{}: too few fields", at()));
        if field(c_split)? != split {
            continue;
        }
        let number = |c: usize| -> anyhow::Result<usize> { field(c)?.parse().with_context(|| format!("{}: not a number", at())) };
        let qid = field(c_qid)?;
        let tag = field(c_tags)?.split('|').next().unwrap_or("").trim_start_matches("I-").trim_start_matches("B-").to_string();
        out.push(GoldLink {
            doc: number(c_doc)?,
            span: number(c_start)?..number(c_end)?,
            qid: (qid != "NIL" && !qid.is_empty()).then(|| qid.to_string()),
            mention: field(c_mention)?.to_string(),
            tag,
        });
    }
    Ok(out)
}

/// Links every document of a CoNLL file with the bundled tagger and `kb`, and scores the links
/// against the gold rows of `split` ("dev" or "test").
pub fn evaluate_conll(conll: &Path, links: &Path, split: &str, kb: &Kb) -> anyhow::Result<ConllScores> {
    let documents = crate::ner::conll::read_file(conll)?;
    let gold = read_links(links, split)?;
    if gold.is_empty() {
        bail!("{} has no rows of split {split:?}", links.display());
    }
    if let Some(row) = gold.iter().find(|g| g.doc >= documents.len()) {
        bail!("{} names document {} of {split}, but {} has {}", links.display(), row.doc, conll.display(), documents.len());
    }
    let mut gold_by_span: BTreeMap<(usize, usize, usize), &GoldLink> = BTreeMap::new();
    for row in &gold {
        gold_by_span.insert((row.doc, row.span.start, row.span.end), row);
    }
    let mut scores = ConllScores::default();
    let mut found: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
    let mut reasons: BTreeMap<(usize, usize, usize), MissReason> = BTreeMap::new();
    for (d, document) in documents.iter().enumerate() {
        let mut doc = crate::ner::conll_doc(document);
        doc.mentions = crate::recognise::recognise(&doc, kb);
        crate::resolve::resolve(&mut doc, kb);
        for row in gold.iter().filter(|g| g.doc == d) {
            if let Some(qid) = &row.qid {
                reasons.insert((d, row.span.start, row.span.end), miss_reason(&doc, &row.span, qid, kb));
            }
        }
        for mention in &doc.mentions {
            let Some(link) = mention.entity.and_then(|e| doc.entities[e].link.as_ref()) else { continue };
            let Some(qid) = &link.wikidata else { continue };
            let key = (d, mention.tokens.start, mention.tokens.end);
            match gold_by_span.get(&key) {
                Some(row) if row.qid.is_none() => continue,
                Some(row) if row.qid.as_deref() == Some(qid.as_str()) => {
                    scores.correct += 1;
                    found.insert(key);
                }
                Some(row) => scores.errors.push(format!(
                    "{d}\t{}\t{}\tgold {} → linked {qid} ({})",
                    row.mention,
                    row.tag,
                    row.qid.as_deref().unwrap_or("NIL"),
                    link.label.as_deref().unwrap_or("")
                )),
                None => scores.errors.push(format!(
                    "{d}\t{}\t-\tno gold span → linked {qid} ({})",
                    doc.mention_text(mention),
                    link.label.as_deref().unwrap_or("")
                )),
            }
            scores.predicted += 1;
        }
    }
    for row in gold.iter().filter(|g| g.qid.is_some()) {
        scores.gold += 1;
        let hit = found.contains(&(row.doc, row.span.start, row.span.end));
        let entry = scores.by_tag.entry(row.tag.clone()).or_default();
        entry.0 += 1;
        if hit {
            entry.1 += 1;
        } else {
            let reason = reasons.get(&(row.doc, row.span.start, row.span.end)).copied().unwrap_or(MissReason::NotInKb);
            *scores.miss_reasons.entry(reason).or_default() += 1;
            scores.misses.push(format!(
                "{}\t{}\t{}\t{}\t{}",
                row.doc,
                row.mention,
                row.tag,
                row.qid.as_deref().unwrap_or(""),
                reason.as_str()
            ));
        }
    }
    Ok(scores)
}
