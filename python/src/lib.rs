//! `newsgraph._native`: the extraction pipeline for Python callers, Spark workers among them.
//!
//! The pure-Python package `newsgraph` (in `newsgraph/`) re-exports what is here and adds the
//! helpers that hand N-Quads to pyoxigraph and rdflib.
//!
//! - Articles go in as dicts (the JSON-lines fields: `id`, `url`, `title`/`headline`,
//!   `published`/`date`, `author`, `body`/`text`/`content`; dates may be `datetime.date`s) or as
//!   JSON-lines strings, and are read by the same reader as `newsgraph convert`'s `.jsonl` input,
//!   so ids, boilerplate removal and datelines are the CLI's.
//! - Analysis runs with the GIL released, on a thread pool of the extractor's own that is built at
//!   the first call (never at import: Spark forks its Python workers) and rebuilt in a forked
//!   child. The tagger and the knowledge base load once per process.

use newsgraph::article::{self, jsonl, Problem, Severity};
use newsgraph::kb::Kb;
use newsgraph::rdf::iri::{Minter, DEFAULT_BASE};
use newsgraph::rdf::ArticleGraph;
use newsgraph::resolve::index::{CorpusIndex as Index, Rewrites};
use newsgraph::Pipeline;
use oxigraph::io::{RdfFormat, RdfSerializer};
use pyo3::exceptions::{PyTypeError, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

pyo3::create_exception!(
    newsgraph,
    ArticleError,
    PyValueError,
    "An article could not be read or analysed; the message names it (its position and id)."
);
pyo3::create_exception!(
    newsgraph,
    ArticleWarning,
    PyUserWarning,
    "An article was read with a caveat (e.g. an unreadable publication date), or skipped."
);

/// The name the reader gives the records of one call; problems come back as `NAME:LINE`.
const STREAM: &str = "articles.jsonl";

/// What went wrong with one input item: its position in the call's iterable, a label naming it
/// (its id, URL or title when it has one) and the reader's or pipeline's message.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemProblem {
    pub index: usize,
    pub label: String,
    pub message: String,
    pub error: bool,
}

impl std::fmt::Display for ItemProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "article {} ({}): {}", self.index, self.label, self.message)
    }
}

/// The N-Quads of the articles that went through, in input order, and the problems of the rest.
#[derive(Debug, Default)]
pub struct Extraction {
    pub nquads: Vec<u8>,
    pub graphs: usize,
    pub problems: Vec<ItemProblem>,
}

/// Reads `lines` (one JSON object each, no line breaks inside) and maps every article to its
/// named graph. An article id given twice keeps the later article, as a store would.
pub fn extract(pipeline: &Pipeline, lines: &[Vec<u8>]) -> Extraction {
    let mut out = Extraction::default();
    if lines.is_empty() {
        return out;
    }
    let mut jsonl = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        jsonl.extend_from_slice(line);
        jsonl.push(b'\n');
    }
    let read = article::read_bytes(STREAM, &jsonl);
    let mut problems: Vec<Problem> = read.problems;
    let mut last_of_id: HashMap<&str, usize> = HashMap::new();
    for (i, a) in read.articles.iter().enumerate() {
        last_of_id.insert(a.id.as_str(), i);
    }
    let keep: HashSet<usize> = last_of_id.into_values().collect();
    let articles: Vec<_> = read.articles.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, a)| a).collect();
    let results: Vec<Result<Vec<u8>, Problem>> =
        articles.into_par_iter().map(|a| pipeline.graph(a).map(|g| nquads(&g))).collect();
    for result in results {
        match result {
            Ok(bytes) => {
                out.nquads.extend_from_slice(&bytes);
                out.graphs += 1;
            }
            Err(problem) => problems.push(problem),
        }
    }
    out.problems = problems.into_iter().map(|p| item_problem(p, lines)).collect();
    out.problems.sort_by_key(|p| (p.index, !p.error));
    out
}

/// The N-Quads of one article graph.
pub fn nquads(graph: &ArticleGraph) -> Vec<u8> {
    let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(Vec::with_capacity(graph.quads.len() * 160));
    for quad in &graph.quads {
        serializer.serialize_quad(quad).expect("writing to memory does not fail");
    }
    serializer.finish().expect("writing to memory does not fail")
}

/// A reader's problem (`articles.jsonl:LINE`) as a problem of the caller's item `LINE - 1`.
fn item_problem(problem: Problem, lines: &[Vec<u8>]) -> ItemProblem {
    let index = problem
        .source
        .strip_prefix(STREAM)
        .and_then(|s| s.strip_prefix(':'))
        .and_then(|n| n.parse::<usize>().ok())
        .map_or(0, |line| line - 1);
    let label = lines.get(index).map(|l| label_of(l)).unwrap_or_else(|| "no id".to_string());
    ItemProblem { index, label, message: problem.message, error: problem.severity == Severity::Error }
}

/// How an error names an item: by its id, else URL, else headline, as the reader sees them.
fn label_of(line: &[u8]) -> String {
    let Ok(value) = serde_json::from_slice::<Value>(line) else { return "not JSON".to_string() };
    let Ok(record) = jsonl::record(&value) else { return "not an object".to_string() };
    match (record.id, record.url, record.title) {
        (Some(id), _, _) => format!("id {id:?}"),
        (None, Some(url), _) => format!("url {url:?}"),
        (None, None, Some(title)) => format!("title {title:?}"),
        (None, None, None) => "no id".to_string(),
    }
}

/// One JSON line for an item: a dict as JSON, a string or bytes as the JSON line it is.
fn json_line(item: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let given: Option<Vec<u8>> = if let Ok(s) = item.cast::<PyString>() {
        Some(s.to_str()?.as_bytes().to_vec())
    } else if let Ok(b) = item.cast::<PyBytes>() {
        Some(b.as_bytes().to_vec())
    } else {
        None
    };
    let value = match given {
        // a line as read from a JSON-lines file goes to the reader as it is
        Some(line) if !line.contains(&b'\n') && !line.contains(&b'\r') => return Ok(line),
        // one pretty-printed object: its line breaks would split it, so it is re-encoded
        Some(text) => serde_json::from_slice(&text).map_err(|e| PyValueError::new_err(format!("not a JSON object: {e}")))?,
        None if item.cast::<PyDict>().is_ok() => to_json(item)?,
        None => {
            return Err(PyTypeError::new_err(format!(
                "an article is a dict or a JSON string, not {}",
                item.get_type().name()?
            )))
        }
    };
    Ok(serde_json::to_vec(&value).expect("a JSON value serialises"))
}

/// A Python value as JSON; dates and times (anything with `isoformat`) as their ISO 8601 form.
fn to_json(value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if value.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = value.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if value.cast::<PyInt>().is_ok() {
        match value.extract::<i64>() {
            Ok(n) => Ok(Value::from(n)),
            Err(_) => Ok(Value::String(value.str()?.to_str()?.to_string())),
        }
    } else if let Ok(f) = value.cast::<PyFloat>() {
        Ok(serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number))
    } else if let Ok(s) = value.cast::<PyString>() {
        Ok(Value::String(s.to_str()?.to_string()))
    } else if let Ok(d) = value.cast::<PyDict>() {
        let mut map = serde_json::Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = match k.cast::<PyString>() {
                Ok(s) => s.to_str()?.to_string(),
                Err(_) => k.str()?.to_str()?.to_string(),
            };
            map.insert(key, to_json(&v)?);
        }
        Ok(Value::Object(map))
    } else if let Ok(l) = value.cast::<PyList>() {
        l.iter().map(|v| to_json(&v)).collect::<PyResult<_>>().map(Value::Array)
    } else if let Ok(t) = value.cast::<PyTuple>() {
        t.iter().map(|v| to_json(&v)).collect::<PyResult<_>>().map(Value::Array)
    } else if value.hasattr("isoformat")? {
        Ok(Value::String(value.call_method0("isoformat")?.str()?.to_str()?.to_string()))
    } else {
        Err(PyTypeError::new_err(format!("cannot read a {} in an article", value.get_type().name()?)))
    }
}

/// User knowledge bases by path, each loaded once per process and kept for its life, as the
/// bundled one is.
fn user_kb(path: PathBuf) -> Result<&'static Kb, String> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, &'static Kb>>> = OnceLock::new();
    let mut loaded = LOADED.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(kb) = loaded.get(&path) {
        return Ok(kb);
    }
    let kb: &'static Kb = Box::leak(Box::new(Kb::with_user_file(&path).map_err(|e| format!("{e:#}"))?));
    loaded.insert(path, kb);
    Ok(kb)
}

/// Extracts the knowledge graph of news articles: people, organizations, places and events, with
/// one named graph per article.
#[pyclass(frozen, module = "newsgraph")]
struct Extractor {
    pipeline: Pipeline,
    threads: usize,
    /// The pool and the process that built it: a forked child builds its own, since the
    /// parent's worker threads do not exist in it.
    pool: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>>,
}

impl Extractor {
    fn pool(&self) -> PyResult<Arc<rayon::ThreadPool>> {
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        let pid = std::process::id();
        if let Some((_, pool)) = pool.as_ref().filter(|(owner, _)| *owner == pid) {
            return Ok(pool.clone());
        }
        let built = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .thread_name(|i| format!("newsgraph-{i}"))
            .build()
            .map_err(|e| PyValueError::new_err(format!("cannot start {} threads: {e}", self.threads)))?;
        let built = Arc::new(built);
        *pool = Some((pid, built.clone()));
        Ok(built)
    }

    fn run(&self, py: Python<'_>, articles: &Bound<'_, PyAny>) -> PyResult<Extraction> {
        let mut lines = Vec::new();
        for (i, item) in articles.try_iter()?.enumerate() {
            let item = item?;
            lines.push(json_line(&item).map_err(|e| {
                let message = format!("article {i}: {}", e.value(py));
                if e.is_instance_of::<PyTypeError>(py) { PyTypeError::new_err(message) } else { ArticleError::new_err(message) }
            })?);
        }
        let pool = self.pool()?;
        let pipeline = &self.pipeline;
        Ok(py.detach(|| pool.install(|| extract(pipeline, &lines))))
    }
}

#[pymethods]
impl Extractor {
    /// `base`: the IRI under which articles and entities are named. `kb`: the path of a
    /// knowledge base of your own (JSON lines, see docs/kb.md) added to the bundled one.
    /// `threads`: how many articles are analysed at once (default: every CPU; a Spark task
    /// should use its `spark.task.cpus`, 1 by default).
    #[new]
    #[pyo3(signature = (base = DEFAULT_BASE, kb = None, threads = None))]
    fn new(base: &str, kb: Option<PathBuf>, threads: Option<usize>) -> PyResult<Extractor> {
        let minter = Minter::new(base).map_err(|e| PyValueError::new_err(format!("{e:#}")))?;
        let pipeline = match kb {
            Some(path) => Pipeline::with_kb(minter, user_kb(path).map_err(PyValueError::new_err)?),
            None => Pipeline::new(minter),
        };
        let threads = match threads {
            Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Ok(Extractor { pipeline, threads, pool: Mutex::new(None) })
    }

    /// The base IRI, with its final `/`.
    #[getter]
    fn base(&self) -> &str {
        self.pipeline.minter.base()
    }

    #[getter]
    fn threads(&self) -> usize {
        self.threads
    }

    /// The N-Quads of every article, one named graph each, in input order. `on_error="raise"`
    /// raises ArticleError naming each article that failed (after analysing all); `"skip"`
    /// leaves them out with an ArticleWarning each. Caveats are ArticleWarnings either way.
    #[pyo3(signature = (articles, on_error = "raise"))]
    fn to_nquads<'py>(&self, py: Python<'py>, articles: &Bound<'py, PyAny>, on_error: &str) -> PyResult<Bound<'py, PyBytes>> {
        let raise = match on_error {
            "raise" => true,
            "skip" => false,
            other => return Err(PyValueError::new_err(format!("on_error is \"raise\" or \"skip\", not {other:?}"))),
        };
        let extraction = self.run(py, articles)?;
        report(py, &extraction.problems, raise)?;
        Ok(PyBytes::new(py, &extraction.nquads))
    }

    /// The quads of one article as (subject, predicate, object, graph) tuples of N-Triples terms.
    fn quads(&self, py: Python<'_>, article: &Bound<'_, PyAny>) -> PyResult<QuadIterator> {
        let extraction = self.run(py, PyList::new(py, [article])?.as_any())?;
        report(py, &extraction.problems, true)?;
        let nquads = std::str::from_utf8(&extraction.nquads).expect("N-Quads are UTF-8");
        let quads = oxigraph::io::RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(nquads)
            .map(|q| {
                let q = q.expect("our own N-Quads parse");
                (q.subject.to_string(), q.predicate.to_string(), q.object.to_string(), q.graph_name.to_string())
            })
            .collect::<Vec<_>>();
        Ok(QuadIterator { quads: quads.into_iter() })
    }

    fn __repr__(&self) -> String {
        format!("Extractor(base={:?}, threads={})", self.base(), self.threads)
    }
}

/// Warnings for the caveats; for errors, one ArticleError naming every failed article, or (when
/// skipping) a warning each.
fn report(py: Python<'_>, problems: &[ItemProblem], raise: bool) -> PyResult<()> {
    let category = py.get_type::<ArticleWarning>();
    let mut errors = Vec::new();
    for problem in problems {
        if problem.error && raise {
            errors.push(problem.to_string());
            continue;
        }
        let message = if problem.error { format!("{problem}; skipped") } else { problem.to_string() };
        let message = std::ffi::CString::new(message.replace('\0', " ")).expect("no NUL left");
        PyErr::warn(py, &category, &message, 2)?;
    }
    match errors.as_slice() {
        [] => Ok(()),
        [one] => Err(ArticleError::new_err(one.clone())),
        [first, rest @ ..] => Err(ArticleError::new_err(format!("{first} (and {} more: {})", rest.len(), rest.join("; ")))),
    }
}

/// The quads of one article.
#[pyclass(module = "newsgraph")]
struct QuadIterator {
    quads: std::vec::IntoIter<(String, String, String, String)>,
}

#[pymethods]
impl QuadIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>) -> Option<(String, String, String, String)> {
        slf.quads.next()
    }

    fn __len__(&self) -> usize {
        self.quads.len()
    }
}

/// The corpus step's index of a set of article graphs (names and person IRIs), for running that
/// step where the data is: one index per partition, summed (`+`), then `apply` to each partition.
#[pyclass(name = "CorpusIndex", module = "newsgraph")]
#[derive(Default)]
struct PyCorpusIndex {
    index: Index,
    /// The decisions of the index as it is, by the base they were taken for: taken at the first
    /// `apply` and kept, so the partitions a worker process rewrites decide only once.
    decided: Mutex<Option<(String, Arc<Rewrites>)>>,
}

impl PyCorpusIndex {
    fn of(index: Index) -> PyCorpusIndex {
        PyCorpusIndex { index, decided: Mutex::new(None) }
    }
}

#[pymethods]
impl PyCorpusIndex {
    /// An empty index.
    #[new]
    fn new() -> PyCorpusIndex {
        PyCorpusIndex::default()
    }

    /// The index of N-Quads (as `Extractor.to_nquads` returns), each article graph whole.
    #[staticmethod]
    fn from_nquads(py: Python<'_>, nquads: &[u8]) -> PyResult<PyCorpusIndex> {
        let mut index = Index::default();
        py.detach(|| index.add_nquads(nquads)).map_err(|e| PyValueError::new_err(format!("{e:#}")))?;
        Ok(PyCorpusIndex::of(index))
    }

    /// Adds the graphs of N-Quads to the index.
    fn add_nquads(&mut self, py: Python<'_>, nquads: &[u8]) -> PyResult<()> {
        let index = &mut self.index;
        py.detach(|| index.add_nquads(nquads)).map_err(|e| PyValueError::new_err(format!("{e:#}")))?;
        *self.decided.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    /// The index as the bytes of `newsgraph convert --index` (JSON lines, versioned header).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.index.to_bytes())
    }

    /// An index from `to_bytes` or from a `.idx` file of `newsgraph convert --index`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<PyCorpusIndex> {
        Index::read(data).map(PyCorpusIndex::of).map_err(|e| PyValueError::new_err(format!("not a corpus index: {e:#}")))
    }

    /// Adds another index to this one (the reduce).
    fn merge(&mut self, other: &PyCorpusIndex) {
        self.index.merge(other.index.clone());
        *self.decided.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The sum of two indexes, a new index (for `RDD.treeReduce(operator.add)`).
    fn __add__(&self, other: &PyCorpusIndex) -> PyCorpusIndex {
        let mut sum = self.index.clone();
        sum.merge(other.index.clone());
        PyCorpusIndex::of(sum)
    }

    fn __eq__(&self, other: &PyCorpusIndex) -> bool {
        self.index == other.index
    }

    /// Pickles as its bytes, so Spark can broadcast it and move it between workers.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        Ok((slf.getattr("from_bytes")?, (slf.borrow().to_bytes(py),)))
    }

    /// N-Quads after the corpus step decided on this index (the sum over the whole corpus): one
    /// name per entity, bare surnames joined to the one full name. `base` is the extractor's.
    #[pyo3(signature = (nquads, base = DEFAULT_BASE))]
    fn apply<'py>(&self, py: Python<'py>, nquads: &[u8], base: &str) -> PyResult<Bound<'py, PyBytes>> {
        let rewrites = self.rewrites(base)?;
        let mut out = Vec::with_capacity(nquads.len() + nquads.len() / 8);
        py.detach(|| rewrites.apply_nquads(nquads, &mut out)).map_err(|e| PyValueError::new_err(format!("{e:#}")))?;
        Ok(PyBytes::new(py, &out))
    }

    /// How many bare-surname people the corpus step joins to a full name, for `base`.
    #[pyo3(signature = (base = DEFAULT_BASE))]
    fn joins(&self, base: &str) -> PyResult<usize> {
        Ok(self.rewrites(base)?.joins())
    }

    fn __repr__(&self) -> String {
        format!("CorpusIndex({} bytes)", self.index.to_bytes().len())
    }
}

impl PyCorpusIndex {
    fn rewrites(&self, base: &str) -> PyResult<Arc<Rewrites>> {
        let minter = Minter::new(base).map_err(|e| PyValueError::new_err(format!("{e:#}")))?;
        let base = minter.base().to_string();
        let mut decided = self.decided.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, rewrites)) = decided.as_ref().filter(|(b, _)| *b == base) {
            return Ok(rewrites.clone());
        }
        let rewrites = Arc::new(self.index.decide(minter.node(&["entity", "person", ""]).as_str()));
        *decided = Some((base, rewrites.clone()));
        Ok(rewrites)
    }
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Extractor>()?;
    m.add_class::<QuadIterator>()?;
    m.add_class::<PyCorpusIndex>()?;
    m.add("ArticleError", m.py().get_type::<ArticleError>())?;
    m.add("ArticleWarning", m.py().get_type::<ArticleWarning>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
