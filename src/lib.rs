//! newsgraph turns news articles into an RDF knowledge graph.
//!
//! Data flows one way, each stage adding a layer to the [`Doc`]:
//! [`article`] reads inputs → [`segment`] splits sentences and tokens → [`recognise`] finds typed
//! mentions → [`resolve`] clusters them into entities and links them to the knowledge base →
//! [`relate`] extracts events and positions → [`rdf`] maps the document to quads → [`store`] keeps
//! them in Oxigraph, where [`query`] runs SPARQL and the store exports RDF.
//!
//! Everything up to [`rdf::map`] is a pure function of one article plus read-only models, so a
//! corpus can be processed in parallel, in any order, on any number of machines.

pub mod article;
pub mod bench;
pub mod doc;
pub mod kb;
pub mod load;
pub mod ner;
pub mod network;
pub mod push;
pub mod query;
pub mod rdf;
pub mod recognise;
pub mod relate;
pub mod resolve;
pub mod segment;
pub mod serve;
pub mod store;

pub use doc::{Article, Doc, Entity, EntityKind, Mention, MentionKind};

use article::{Problem, Severity};
use rayon::prelude::*;
use rdf::{iri::Minter, ArticleGraph};
use std::collections::HashSet;

/// The analysis stages with the models they share, loaded once.
pub struct Pipeline {
    pub kb: &'static kb::Kb,
    pub minter: Minter,
}

impl Pipeline {
    /// The pipeline with the bundled knowledge base and models, minting IRIs with `minter`.
    pub fn new(minter: Minter) -> Pipeline {
        Pipeline { kb: kb::Kb::bundled(), minter }
    }

    /// The pipeline with a knowledge base of the caller's (e.g. the bundled one plus a user's).
    pub fn with_kb(minter: Minter, kb: &'static kb::Kb) -> Pipeline {
        Pipeline { kb, minter }
    }

    /// Runs every analysis stage on one article.
    pub fn analyse(&self, article: Article) -> Doc {
        let mut doc = Doc::new(article);
        segment::segment(&mut doc);
        doc.mentions = recognise::recognise(&doc, self.kb);
        resolve::resolve(&mut doc, self.kb);
        doc.facts = relate::relate_with(&doc, self.kb);
        doc
    }

    /// Analyses one article and maps it to its named graph. A panic in a stage is caught and
    /// reported as an error of that article, so one article never takes a corpus down.
    pub fn graph(&self, article: Article) -> Result<ArticleGraph, Problem> {
        let source = article.source.clone();
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rdf::map(&self.analyse(article), &self.minter)
        }))
        .map_err(|panic| Problem {
            source,
            message: format!(
                "internal error while analysing this article ({}); please report it",
                panic.downcast_ref::<&str>().copied().or(panic.downcast_ref::<String>().map(String::as_str)).unwrap_or("panic")
            ),
            severity: Severity::Error,
        })
    }
}

/// What an extraction run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub articles: usize,
    /// Distinct entity IRIs across all articles.
    pub entities: usize,
    pub quads: usize,
    pub problems: Vec<Problem>,
}

impl Summary {
    pub fn failed(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }
}

/// Articles analysed in parallel per store transaction.
pub const BATCH: usize = 256;

/// Articles analysed in parallel at a time by [`convert`]: enough to keep the threads busy, few
/// enough that the batch's graphs (about 40 MB for [`BATCH`] articles) do not set the peak memory.
pub const CONVERT_BATCH: usize = 64;

/// Reads `inputs`, analyses every article and writes each article's graph into `store`, one
/// transaction per batch. `progress` is told how many articles there are and each one done.
pub fn extract_into(
    pipeline: &Pipeline,
    inputs: &[std::path::PathBuf],
    store: &store::Store,
    progress: &dyn Fn(Progress),
) -> anyhow::Result<Summary> {
    extract_shard_into(pipeline, inputs, None, store, progress)
}

/// [`extract_into`] for one part of a sharded run: only the articles of `shard` are kept, and the
/// corpus step is left out, because its decisions depend on the whole corpus (name counts over
/// all graphs, namesakes anywhere): it runs once over the union of the parts (`newsgraph corpus`).
/// With `shard` absent this is [`extract_into`].
pub fn extract_shard_into(
    pipeline: &Pipeline,
    inputs: &[std::path::PathBuf],
    shard: Option<Shard>,
    store: &store::Store,
    progress: &dyn Fn(Progress),
) -> anyhow::Result<Summary> {
    let (mut articles, mut problems) = read_articles(inputs, shard);
    progress(Progress::Total(articles.len()));
    let mut summary = Summary::default();
    let mut entities = HashSet::new();
    while !articles.is_empty() {
        let rest = articles.split_off(articles.len().min(BATCH));
        let batch = std::mem::replace(&mut articles, rest);
        let n = batch.len();
        let results: Vec<_> = batch.into_par_iter().map(|a| pipeline.graph(a)).collect();
        let mut graphs = Vec::with_capacity(n);
        for result in results {
            match result {
                Ok(graph) => {
                    for q in &graph.quads {
                        if q.predicate == rdf::vocab::schema::MENTIONS {
                            entities.insert(q.object.to_string());
                        }
                    }
                    summary.quads += graph.quads.len();
                    graphs.push(graph);
                }
                Err(problem) => problems.push(problem),
            }
        }
        summary.articles += graphs.len();
        store::ingest(store, &graphs)?;
        progress(Progress::Done(n));
    }
    let joined = if shard.is_some() { 0 } else { resolve_corpus(store, &pipeline.minter)? };
    summary.entities = entities.len() - joined.min(entities.len());
    summary.problems = problems;
    Ok(summary)
}

/// The articles of `inputs` (of `shard` only, when given) and the problems met reading them.
fn read_articles(inputs: &[std::path::PathBuf], shard: Option<Shard>) -> (Vec<Article>, Vec<Problem>) {
    let (inputs, mut problems) = article::collect_inputs(inputs);
    let read = article::read_all(&inputs);
    problems.extend(read.problems);
    let mut articles = read.articles;
    if let Some(shard) = shard {
        articles.retain(|a| shard.keeps(&a.id));
    }
    (articles, problems)
}

/// The corpus step over everything a store holds: one name per entity, bare surnames joined to
/// the one full name. `ingest` runs it after each batch of articles; after a bulk load of parts
/// (`newsgraph load`) it is run on its own. Returns how many bare-surname nodes were joined.
pub fn resolve_corpus(store: &oxigraph::store::Store, minter: &Minter) -> anyhow::Result<usize> {
    let person_prefix = minter.node(&["entity", "person", ""]);
    resolve::corpus::resolve_across_articles(store, person_prefix.as_str())
}

/// `convert` without a store: each article's graph is spilled to a temporary file as it is made
/// while the corpus index (names and IRIs) grows, then the corpus step's rewrites are applied
/// graph by graph as the spill is streamed to `writer` in `format`. Memory holds the articles'
/// text, one batch of graphs and the index, never the whole graph. Graphs come out in input
/// order, so the bytes do not depend on the thread count. An article id read twice keeps its last
/// occurrence, as in a store where the later graph replaces the earlier. With `shard`, only its
/// articles, and no corpus step (see [`extract_shard_into`]) and no index.
///
/// What is written means what `ingest` + `export` of the same input give (see [`Written`]).
pub fn convert(
    pipeline: &Pipeline,
    inputs: &[std::path::PathBuf],
    shard: Option<Shard>,
    format: oxigraph::io::RdfFormat,
    writer: &mut dyn std::io::Write,
    progress: &dyn Fn(Progress),
) -> anyhow::Result<Summary> {
    let index = shard.is_none();
    convert_with(pipeline, inputs, shard, index, format, writer, progress).map(|(summary, _)| summary)
}

/// [`convert`], also returning the corpus index of the graphs it made, before the corpus step:
/// with `shard`, the map side of the corpus step for this part (`convert --shard I/N --index`),
/// to be summed with the other parts' by [`reduce_parts`].
pub fn convert_indexed(
    pipeline: &Pipeline,
    inputs: &[std::path::PathBuf],
    shard: Option<Shard>,
    format: oxigraph::io::RdfFormat,
    writer: &mut dyn std::io::Write,
    progress: &dyn Fn(Progress),
) -> anyhow::Result<(Summary, resolve::index::CorpusIndex)> {
    convert_with(pipeline, inputs, shard, true, format, writer, progress)
}

/// One article's graph as the first pass of `convert` keeps it. The worker that analysed the
/// article makes all of it, so the main thread only sums and writes: on 2 cores, serial work
/// there between batches leaves the other core idle.
struct Made {
    quads: usize,
    /// the graph's N-Quads text: spilled when the corpus step follows, else written as it is
    /// when the output is N-Quads
    text: Vec<u8>,
    /// the graph itself, only for a part written in another syntax
    graph: Option<Vec<oxigraph::model::Quad>>,
    /// the graph's part of the corpus index, when one is built
    index: Option<resolve::index::CorpusIndex>,
    /// what the corpus step's rewrites could change in the graph, when the step follows
    keys: Option<resolve::index::GraphKeys>,
    /// hashes of the entities the article mentions (128 bits: a collision would miscount one
    /// entity in the summary, with odds far below any other failure)
    entities: Vec<u128>,
}

fn made(quads: Vec<oxigraph::model::Quad>, settle: bool, index: bool, nquads: bool, person_prefix: &str) -> Made {
    let mut entities: Vec<u128> = quads
        .iter()
        .filter(|q| q.predicate == rdf::vocab::schema::MENTIONS)
        .map(|q| xxhash_rust::xxh3::xxh3_128(q.object.to_string().as_bytes()))
        .collect();
    entities.sort_unstable();
    entities.dedup();
    let index = index.then(|| {
        let mut part = resolve::index::CorpusIndex::default();
        part.add_graph(&quads);
        part
    });
    let keys = settle.then(|| resolve::index::GraphKeys::of(&quads, person_prefix));
    let text = if settle || nquads { nquads_text(&quads) } else { Vec::new() };
    let n = quads.len();
    let graph = (!settle && !nquads).then_some(quads);
    Made { quads: n, text, graph, index, keys, entities }
}

fn convert_with(
    pipeline: &Pipeline,
    inputs: &[std::path::PathBuf],
    shard: Option<Shard>,
    build_index: bool,
    format: oxigraph::io::RdfFormat,
    writer: &mut dyn std::io::Write,
    progress: &dyn Fn(Progress),
) -> anyhow::Result<(Summary, resolve::index::CorpusIndex)> {
    use oxigraph::io::{RdfFormat, RdfParser};
    use std::io::{BufReader, BufWriter, Read, Seek, Write};
    let (mut articles, mut problems) = read_articles(inputs, shard);
    let mut last = std::collections::HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        last.insert(pipeline.minter.article(a), i);
    }
    let keep: HashSet<usize> = last.into_values().collect();
    let mut i = 0;
    articles.retain(|_| {
        i += 1;
        keep.contains(&(i - 1))
    });
    progress(Progress::Total(articles.len()));
    let mut summary = Summary::default();
    let mut entities = HashSet::new();
    let mut index = resolve::index::CorpusIndex::default();
    let settle = shard.is_none();
    // the corpus step decides over the index
    let build_index = build_index || settle;
    let nquads = format == RdfFormat::NQuads;
    // the triple syntaxes write the sorted union of the graphs (see `Written`)
    let union = !format.supports_datasets();
    let person_prefix = pipeline.minter.node(&["entity", "person", ""]);
    // where each graph's text ends in the spill, so the second pass can take graphs in parallel,
    // and what the rewrites could change in each
    let mut ends: Vec<u64> = Vec::new();
    let mut keys: Vec<resolve::index::GraphKeys> = Vec::new();
    let mut spill = BufWriter::new(tempfile::tempfile()?);
    let mut out = Written::new(format, writer)?;
    let batches = std::iter::from_fn(|| {
        let rest = articles.split_off(articles.len().min(CONVERT_BATCH));
        Some(std::mem::replace(&mut articles, rest)).filter(|batch| !batch.is_empty())
    });
    let make = |batch: Vec<Article>| -> Vec<_> {
        batch.into_par_iter().map(|a| pipeline.graph(a).map(|graph| made(graph.quads, settle, build_index, nquads, person_prefix.as_str()))).collect()
    };
    overlapped(batches, make, |results| {
        let n = results.len();
        for result in results {
            match result {
                Ok(made) => {
                    entities.extend(made.entities);
                    summary.quads += made.quads;
                    summary.articles += 1;
                    if let Some(part) = made.index {
                        index.merge(part);
                    }
                    if settle {
                        spill.write_all(&made.text)?;
                        ends.push(ends.last().copied().unwrap_or(0) + made.text.len() as u64);
                        keys.extend(made.keys);
                    } else if let Some(graph) = made.graph {
                        out.graph(graph)?;
                    } else {
                        out.nquads_text(&made.text)?;
                    }
                }
                Err(problem) => problems.push(problem),
            }
        }
        progress(Progress::Done(n));
        Ok(())
    })?;
    let mut joined = 0;
    if settle {
        let rewrites = index.decide(person_prefix.as_str());
        joined = rewrites.joins();
        let mut file = spill.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        let mut file = BufReader::new(file);
        // a few graphs at a time: read here, parsed and rewritten in parallel, written in order;
        // a graph no rewrite touches is parsed only when the output is not N-Quads (whose text it
        // already is)
        let mut start = 0;
        let groups = ends.chunks(CONVERT_BATCH / 2).zip(keys.chunks(CONVERT_BATCH / 2)).map(|(group, group_keys)| {
            let end = *group.last().expect("a chunk is not empty");
            let mut chunk = vec![0; (end - start) as usize];
            let read = file.read_exact(&mut chunk);
            let offsets: Vec<(usize, usize)> =
                group.iter().scan(start, |at, &e| Some((std::mem::replace(at, e) - start, e - start))).map(|(a, b)| (a as usize, b as usize)).collect();
            start = end;
            read.map(|()| (chunk, offsets, group_keys))
        });
        let settle_group = |group: std::io::Result<(Vec<u8>, Vec<(usize, usize)>, &[resolve::index::GraphKeys])>| -> anyhow::Result<_> {
            let (chunk, offsets, group_keys) = group?;
            let graphs: Vec<Settled> = offsets
                .into_par_iter()
                .zip(group_keys)
                .map(|((a, b), graph_keys)| {
                    let touched = rewrites.touches(graph_keys);
                    if nquads && !touched {
                        return Ok(Settled::AsSpilled(a, b));
                    }
                    if union && !touched {
                        return Ok(Settled::Triples(triples_of_nquads(&chunk[a..b])));
                    }
                    // the spill was written by oxrdf itself: no need to check it again
                    let quads: Vec<_> = RdfParser::from_format(RdfFormat::NQuads).lenient().for_slice(&chunk[a..b]).collect::<Result<_, _>>()?;
                    let quads = if touched { rewrites.apply(quads) } else { quads };
                    Ok(if nquads {
                        Settled::Text(nquads_text(&quads))
                    } else if union {
                        Settled::Triples(triples_text(&quads))
                    } else {
                        Settled::Quads(quads)
                    })
                })
                .collect::<anyhow::Result<_>>()?;
            Ok((chunk, graphs))
        };
        overlapped(groups, settle_group, |settled| {
            let (chunk, graphs) = settled?;
            for graph in graphs {
                match graph {
                    Settled::AsSpilled(a, b) => out.nquads_text(&chunk[a..b])?,
                    Settled::Text(text) => out.nquads_text(&text)?,
                    Settled::Quads(quads) => out.graph(quads)?,
                    Settled::Triples(text) => out.triples_text(&text)?,
                }
            }
            Ok(())
        })?;
    }
    out.finish()?;
    summary.entities = entities.len() - joined.min(entities.len());
    summary.problems = problems;
    Ok((summary, index))
}

/// Runs `make` on each of `batches` (on the thread pool, from a thread of its own) while `take`
/// handles the result of the batch before on this thread, so that the serial part of a run
/// (summing, spilling, writing) overlaps the parallel part instead of leaving the pool idle.
/// Results reach `take` in the order of `batches`.
fn overlapped<B: Send, R: Send>(
    batches: impl Iterator<Item = B>,
    make: impl Fn(B) -> R + Sync,
    mut take: impl FnMut(R) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let make = &make;
    std::thread::scope(|scope| {
        let mut batches = batches;
        let mut pending = None;
        loop {
            let making = batches.next().map(|batch| scope.spawn(move || make(batch)));
            if let Some(result) = pending.take() {
                // an error leaves the batch being made to finish; the scope waits for it
                take(result)?;
            }
            match making {
                Some(handle) => pending = Some(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))),
                None => return Ok(()),
            }
        }
    })
}

/// One graph of the second pass of `convert`, ready to write.
enum Settled {
    /// N-Quads output of a graph no rewrite touches: its bytes in the spill, as they are
    AsSpilled(usize, usize),
    /// N-Quads output of a rewritten graph
    Text(Vec<u8>),
    /// a triple syntax: the graph's triples as N-Triples lines without the final dot, for the
    /// sorted union
    Triples(Vec<u8>),
    /// any other syntax
    Quads(Vec<oxigraph::model::Quad>),
}

/// The triples of `quads` as lines of their N-Triples text without the final dot, the form
/// [`rdf::sorted::SortedTriples`] sorts.
fn triples_text(quads: &[oxigraph::model::Quad]) -> Vec<u8> {
    use std::io::Write;
    let mut text = Vec::new();
    for q in quads {
        writeln!(text, "{}", oxigraph::model::TripleRef::from(q.as_ref())).expect("writing to memory does not fail");
    }
    text
}

/// [`triples_text`] of one article graph's N-Quads text as oxrdf writes it, without parsing it:
/// each line is `s p o <graph> .`, and an IRI holds no space, so the graph name starts after the
/// line's last space but the one before the dot.
fn triples_of_nquads(nquads: &[u8]) -> Vec<u8> {
    let mut text = Vec::with_capacity(nquads.len());
    for line in nquads.split(|&b| b == b'\n').filter(|line| !line.is_empty()) {
        let quad = line.strip_suffix(b" .").unwrap_or(line);
        let triple = quad.iter().rposition(|&b| b == b' ').map_or(quad, |at| &quad[..at]);
        text.extend_from_slice(triple);
        text.push(b'\n');
    }
    text
}

/// The N-Quads text of `quads`, the bytes oxrdf's N-Quads serializer writes for them.
fn nquads_text(quads: &[oxigraph::model::Quad]) -> Vec<u8> {
    use std::io::Write;
    let mut text = Vec::new();
    for q in quads {
        writeln!(text, "{q} .").expect("writing to memory does not fail");
    }
    text
}

/// What [`reduce_parts`] did.
#[derive(Debug, Default)]
pub struct Reduced {
    /// Bare-surname person nodes joined to a full name, over the whole corpus.
    pub joins: usize,
    /// The parts written, in the order given.
    pub parts: Vec<std::path::PathBuf>,
    /// Quads written, over all parts.
    pub quads: usize,
}

/// The reduce of the corpus step over the parts of a sharded run: sums the corpus indexes of all
/// parts (`convert --shard I/N --index`), decides once, and writes each part rewritten into
/// `out_dir` under its own file name, N-Quads, gzipped when the part's name ends in `.gz`, each
/// to a temporary name renamed when whole. Parts are streamed a graph at a time, several at once.
/// The parts themselves are left as they are: they are the input of any rerun.
pub fn reduce_parts(
    minter: &Minter,
    indexes: &[std::path::PathBuf],
    parts: &[std::path::PathBuf],
    out_dir: &std::path::Path,
) -> anyhow::Result<Reduced> {
    use anyhow::Context;
    let mut index = resolve::index::CorpusIndex::default();
    for path in indexes {
        let reader = std::io::BufReader::new(load::open(path).with_context(|| format!("{}", path.display()))?);
        index.merge(resolve::index::CorpusIndex::read(reader).with_context(|| format!("{}", path.display()))?);
    }
    let rewrites = index.decide(minter.node(&["entity", "person", ""]).as_str());
    std::fs::create_dir_all(out_dir).with_context(|| format!("cannot create {}", out_dir.display()))?;
    let mut targets = Vec::with_capacity(parts.len());
    let mut names = HashSet::new();
    for part in parts {
        let name = part.file_name().with_context(|| format!("{}: not a file name", part.display()))?;
        if !names.insert(name.to_owned()) {
            anyhow::bail!("two parts are named {}: they would be written to one file of {}", name.to_string_lossy(), out_dir.display());
        }
        let target = out_dir.join(name);
        if target.exists() && std::fs::canonicalize(&target)? == std::fs::canonicalize(part)? {
            anyhow::bail!("{}: --out-dir is the folder of this part; the raw parts must stay for reruns", part.display());
        }
        targets.push(target);
    }
    let quads = parts
        .par_iter()
        .zip(&targets)
        .map(|(part, target)| -> anyhow::Result<usize> {
            let reader = load::open(part).with_context(|| format!("{}", part.display()))?;
            let gzip = part.extension().is_some_and(|e| e == "gz");
            write_atomically(target, |w| {
                if gzip {
                    let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::default());
                    let n = rewrites.apply_nquads(reader, &mut gz)?;
                    gz.finish()?;
                    Ok(n)
                } else {
                    rewrites.apply_nquads(reader, w)
                }
            })
            .with_context(|| format!("{}", part.display()))
        })
        .collect::<anyhow::Result<Vec<usize>>>()?;
    Ok(Reduced { joins: rewrites.joins(), parts: targets, quads: quads.iter().sum() })
}

/// Writes `path` through a temporary file in its folder, renamed over it when `write` is done,
/// so an interrupted run never leaves a half-written file and a rerun replaces its own output.
pub fn write_atomically<T>(path: &std::path::Path, write: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<T>) -> anyhow::Result<T> {
    use anyhow::Context;
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    let mut writer = std::io::BufWriter::new(tmp);
    let value = write(&mut writer)?;
    writer.flush().with_context(|| format!("cannot write {}", path.display()))?;
    let tmp = writer.into_inner().map_err(|e| e.into_error()).with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(value)
}

/// [`convert`] to N-Quads.
pub fn convert_nquads(
    pipeline: &Pipeline,
    inputs: &[std::path::PathBuf],
    shard: Option<Shard>,
    writer: &mut dyn std::io::Write,
    progress: &dyn Fn(Progress),
) -> anyhow::Result<Summary> {
    convert(pipeline, inputs, shard, oxigraph::io::RdfFormat::NQuads, writer, progress)
}

/// Where [`convert`] writes the graphs, by what the syntax can say; the meaning is that of
/// [`store::export`]:
/// - syntaxes with named graphs (N-Quads, TriG, JSON-LD) keep one graph per article, written
///   whole as it comes, in input order. N-Quads keeps each graph's quads in the order they were
///   made; TriG and JSON-LD sort a graph's triples by their text, so a subject's triples are
///   together and the serializer groups them.
/// - triple syntaxes (Turtle, N-Triples, RDF/XML) get the default graph of the store path: the
///   union of all article graphs, each triple once, sorted by its text. The union is sorted
///   outside memory ([`rdf::sorted`]), so these bytes are the store path's bytes.
enum Written<'w> {
    /// N-Quads: each quad's line, as oxrdf's serializer writes it
    NQuads(&'w mut dyn std::io::Write),
    Graphs { out: oxigraph::io::WriterQuadSerializer<&'w mut dyn std::io::Write> },
    Union { format: oxigraph::io::RdfFormat, triples: rdf::sorted::SortedTriples, writer: &'w mut dyn std::io::Write },
}

impl<'w> Written<'w> {
    fn new(format: oxigraph::io::RdfFormat, writer: &'w mut dyn std::io::Write) -> anyhow::Result<Written<'w>> {
        use oxigraph::io::RdfFormat;
        Ok(if format == RdfFormat::NQuads {
            Written::NQuads(writer)
        } else if format.supports_datasets() {
            Written::Graphs { out: rdf::serializer(format)?.for_writer(writer) }
        } else {
            Written::Union { format, triples: rdf::sorted::SortedTriples::new(rdf::sorted::RUN_BUDGET), writer }
        })
    }

    /// One article graph, after the corpus step.
    fn graph(&mut self, mut quads: Vec<oxigraph::model::Quad>) -> anyhow::Result<()> {
        match self {
            Written::NQuads(writer) => writer.write_all(&nquads_text(&quads))?,
            Written::Graphs { out } => {
                quads.sort_by_cached_key(|q| oxigraph::model::TripleRef::from(q.as_ref()).to_string());
                quads.dedup();
                for q in &quads {
                    out.serialize_quad(q)?;
                }
            }
            Written::Union { triples, .. } => {
                for q in &quads {
                    triples.push(q.as_ref().into())?;
                }
            }
        }
        Ok(())
    }

    /// One article graph given as the lines of [`triples_text`], to a triple syntax's union.
    fn triples_text(&mut self, text: &[u8]) -> anyhow::Result<()> {
        match self {
            Written::Union { triples, .. } => {
                for line in text.split(|&b| b == b'\n').filter(|line| !line.is_empty()) {
                    triples.push_text(line)?;
                }
            }
            _ => anyhow::bail!("internal error: triples given for a syntax with graphs"),
        }
        Ok(())
    }

    /// One article graph given as its N-Quads text (after the corpus step), to an N-Quads output.
    fn nquads_text(&mut self, text: &[u8]) -> anyhow::Result<()> {
        match self {
            Written::NQuads(writer) => writer.write_all(text)?,
            _ => anyhow::bail!("internal error: N-Quads text given for another syntax"),
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Written::NQuads(writer) => writer.flush()?,
            Written::Graphs { out } => out.finish()?.flush()?,
            Written::Union { format, triples, writer } => rdf::sorted::write_union(triples, rdf::serializer(format)?, writer)?,
        }
        Ok(())
    }
}

/// Part `index` of `count` of a sharded run (`convert --shard I/N`, I counted from 0): an article
/// belongs to the part given by the 64-bit FNV-1a hash of its id, modulo `count`. The hash is
/// fixed here (not std's randomly seeded one), so every machine, run and version puts an article
/// in the same part, and a rerun of one part rewrites exactly its own articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// FNV-1a, 64 bits, over the UTF-8 bytes of the id.
    pub fn hash(id: &str) -> u64 {
        id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
    }

    pub fn keeps(&self, id: &str) -> bool {
        Shard::hash(id) % self.count == self.index
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `I/N` with 0 <= I < N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let (i, n) = s.split_once('/').ok_or_else(|| format!("{s:?} is not I/N (e.g. 0/3)"))?;
        let index: u64 = i.trim().parse().map_err(|_| format!("{i:?} is not a part number"))?;
        let count: u64 = n.trim().parse().map_err(|_| format!("{n:?} is not a number of parts"))?;
        if count == 0 || index >= count {
            return Err(format!("part {index} of {count}: parts are numbered 0 to N-1"));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod shard_tests {
    use super::Shard;

    #[test]
    fn the_hash_is_fnv1a_and_parts_parse() {
        // reference values of 64-bit FNV-1a
        assert_eq!(Shard::hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Shard::hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!("1/3".parse(), Ok(Shard { index: 1, count: 3 }));
        assert!("3/3".parse::<Shard>().is_err());
        assert!("0/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        let ids: Vec<String> = (0..300).map(|i| format!("article-{i}")).collect();
        let parts: Vec<Shard> = (0..3).map(|index| Shard { index, count: 3 }).collect();
        for id in &ids {
            assert_eq!(parts.iter().filter(|p| p.keeps(id)).count(), 1, "{id} is in exactly one part");
        }
        assert!(parts.iter().all(|p| ids.iter().filter(|id| p.keeps(id)).count() > 60), "parts are balanced");
    }
}

/// Progress reports from [`extract_into`].
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Total(usize),
    Done(usize),
}
