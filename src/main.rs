//! The `newsgraph` command line: argument parsing, progress and exit codes. Extraction logic
//! lives in the library.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use newsgraph::query::ResultsFormat;
use newsgraph::rdf::iri::{Minter, DEFAULT_BASE};
use newsgraph::{kb, ner, push, query, serve, store, Pipeline, Progress, Summary};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "newsgraph", version, about = "Turns news articles into an RDF knowledge graph")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract a knowledge graph from articles in memory and write it as RDF.
    #[command(after_help = "Examples:\n  newsgraph convert examples/ -o graph.ttl\n  \
        newsgraph convert articles.jsonl --format nquads > graph.nq\n  \
        cat story.txt | newsgraph convert - --format trig")]
    Convert {
        #[command(flatten)]
        extract: ExtractArgs,
        /// Output file (stdout if absent); its extension chooses the format.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// turtle, trig, ntriples, nquads, rdfxml or jsonld (default: from -o, else turtle).
        #[arg(short, long)]
        format: Option<String>,
        /// Keep only part I of N (0 <= I < N) by a fixed hash of the article id, and leave the
        /// corpus step to the union of the parts (`load` then `corpus --store`, or `--index`
        /// then `corpus --reduce`).
        #[arg(long, value_name = "I/N")]
        shard: Option<newsgraph::Shard>,
        /// With --shard: also write the part's corpus index (names and person IRIs of its
        /// graphs; gzipped if the name ends in .gz), for `corpus --reduce`. Needs N-Quads output.
        #[arg(long, value_name = "FILE", requires = "shard")]
        index: Option<PathBuf>,
    },
    /// Extract a knowledge graph from articles into a persistent store.
    #[command(after_help = "Re-ingesting an article replaces its graph.\n\nExample:\n  \
        newsgraph ingest --store ./kg examples/ more-articles.jsonl")]
    Ingest {
        /// Folder of the store (created if missing).
        #[arg(long)]
        store: PathBuf,
        #[command(flatten)]
        extract: ExtractArgs,
    },
    /// Write the whole store as RDF, or its entity network as GraphML or GEXF.
    #[command(after_help = "Examples:\n  newsgraph export --store ./kg -o graph.trig\n  \
        newsgraph export --store ./kg --format ntriples > graph.nt\n  \
        newsgraph export --store ./kg -o entities.graphml   (for Gephi, networkx, igraph)")]
    Export {
        #[arg(long)]
        store: PathBuf,
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// turtle, trig, ntriples, nquads, rdfxml or jsonld; graphml or gexf for the entity network
        /// (people, organizations, places; edges weighted by the articles naming both)
        /// (default: from -o, else turtle).
        #[arg(short, long)]
        format: Option<String>,
    },
    /// Run a SPARQL query over a store or over articles.
    #[command(after_help = "QUERY is a .rq file or a query string; the union of all article graphs is the \
        default graph and the vocabulary's prefixes are predeclared.\n\nExamples:\n  \
        newsgraph query --store ./kg queries/entities.rq\n  \
        newsgraph query --input examples/ 'SELECT ?name WHERE { ?p a schema:Person ; schema:name ?name }'")]
    Query {
        /// Folder of a store to query.
        #[arg(long, conflicts_with = "input", required_unless_present = "input")]
        store: Option<PathBuf>,
        /// Articles (files or folders) to extract in memory and query; repeat for several.
        #[arg(short, long)]
        input: Vec<PathBuf>,
        /// Results format (default: table on a terminal, else csv).
        #[arg(short, long, value_enum)]
        results: Option<ResultsFormat>,
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
        /// Your own knowledge base for --input (see `convert --help`).
        #[arg(long)]
        kb: Option<PathBuf>,
        /// A .rq file or a SPARQL query string.
        query: String,
    },
    /// Serve a store over the SPARQL 1.1 Protocol (read-only unless --writable with a token).
    #[command(after_help = "Open http://127.0.0.1:7878/ for the query page.\n\nExamples:\n  \
        newsgraph serve --store ./kg\n  \
        curl -H 'Accept: text/csv' --data-urlencode query@queries/entities.rq http://127.0.0.1:7878/query")]
    Serve(serve::ServeArgs),
    /// Send every article graph of a store to a remote graph database.
    #[command(after_help = "Each article graph is PUT with the Graph Store Protocol, so pushing again replaces it.\n\n\
        Example (Virtuoso):\n  NEWSGRAPH_PASSWORD=dba newsgraph push --store ./kg --user dba \\\n    \
        --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --query-endpoint http://127.0.0.1:8890/sparql")]
    Push(push::PushArgs),
    /// Bulk-load RDF files (e.g. the parts of a sharded or Spark run) into a store, in parallel.
    #[command(after_help = "Each file commits on its own; a file that does not parse loads nothing and is named \
        with the line, the others still load (exit code 1). Graphs the store holds already are replaced.\n\n\
        Examples:\n  newsgraph load --store ./kg out/part-*.nq.gz\n  \
        newsgraph load --store ./kg spark-output/        # a folder: _SUCCESS and .crc files are skipped\n  \
        newsgraph corpus --store ./kg                    # then the corpus step over the whole store")]
    Load(newsgraph::load::LoadArgs),
    /// Run the corpus step over a whole store (after `load` of the parts of a sharded or Spark
    /// run), or over the parts themselves with their indexes (`--reduce`).
    #[command(after_help = "One name per entity (its most used form), and a bare surname joined to the one person \
        of the corpus whose full name ends in it. `ingest` and `convert` without --shard run this step themselves.\n\n\
        Examples:\n  newsgraph load --store ./kg out/part-*.nq.gz && newsgraph corpus --store ./kg\n  \
        newsgraph convert in/ --shard 0/3 -o raw/part-0.nq --index raw/part-0.idx   (and 1/3, 2/3)\n  \
        newsgraph corpus --reduce raw/part-*.idx --apply raw/part-*.nq --out-dir settled/")]
    Corpus {
        /// Folder of a store to run the step over.
        #[arg(long, required_unless_present = "reduce", conflicts_with = "reduce")]
        store: Option<PathBuf>,
        /// The corpus indexes of all the parts (`convert --shard I/N --index`): summed, then
        /// decided on once.
        #[arg(long, num_args = 1.., value_name = "INDEX", requires_all = ["apply", "out_dir"])]
        reduce: Vec<PathBuf>,
        /// The parts (N-Quads, .nq or .nq.gz) to rewrite with the decisions.
        #[arg(long, num_args = 1.., value_name = "PART", requires = "reduce")]
        apply: Vec<PathBuf>,
        /// Where the rewritten parts go, each under its own name (not the parts' folder).
        #[arg(long, value_name = "DIR", requires = "reduce")]
        out_dir: Option<PathBuf>,
        /// The base IRI the parts were made with.
        #[arg(long, default_value = DEFAULT_BASE)]
        base: String,
    },
    /// Measure the throughput of each stage and peak memory on a corpus.
    #[command(after_help = "Example:\n  newsgraph bench ../shared/data/bbc/articles.jsonl")]
    Bench(newsgraph::bench::BenchArgs),
    /// Build and inspect the knowledge base.
    Kb {
        #[command(subcommand)]
        command: kb::KbCommand,
    },
    /// Evaluate a layer on annotated data (time expressions: TempEval-3 Task A).
    Eval {
        #[command(subcommand)]
        command: newsgraph::relate::time_eval::EvalCommand,
    },
    /// Train and evaluate the named-entity tagger.
    Ner {
        #[command(subcommand)]
        command: ner::NerCommand,
    },
    /// Score the whole recognition pipeline (typed P/R/F1) on the hand-annotated news set.
    #[command(after_help = "Example:\n  newsgraph ner-news --split dev --errors")]
    NerNews(newsgraph::recognise::news_eval::NewsEvalArgs),
}

#[derive(Args)]
struct ExtractArgs {
    /// Articles: .txt, .html, .jsonl files, folders (read recursively), or - for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Base IRI under which articles and entities are named.
    #[arg(long, default_value = DEFAULT_BASE)]
    base: String,
    /// Your own knowledge base (JSON lines: id, label, aliases, type, country, description),
    /// added to the bundled one; its entries win where ids collide.
    #[arg(long)]
    kb: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Convert { extract, output, format, shard, index } => convert(extract, output, format, shard, index),
        Command::Ingest { store, extract } => ingest(&store, extract),
        Command::Export { store, output, format } => export(&store, output, format).map(|()| ExitCode::SUCCESS),
        Command::Query { store, input, results, base, kb, query } => {
            run_query(store, ExtractArgs { inputs: input, base, kb }, results, &query)
        }
        Command::Serve(args) => serve::run(args).map(|()| ExitCode::SUCCESS),
        Command::Push(args) => push::run(args).map(|()| ExitCode::SUCCESS),
        Command::Load(args) => newsgraph::load::run(args),
        Command::Corpus { store, reduce, apply, out_dir, base } => match (store, out_dir) {
            (Some(store), _) => corpus(&store, &base).map(|()| ExitCode::SUCCESS),
            (None, Some(out_dir)) => reduce_parts(&reduce, &apply, &out_dir, &base).map(|()| ExitCode::SUCCESS),
            (None, None) => unreachable!("clap requires --store or --reduce with --out-dir"),
        },
        Command::Bench(args) => newsgraph::bench::run(args).map(|()| ExitCode::SUCCESS),
        Command::Kb { command } => kb::run(command).map(|()| ExitCode::SUCCESS),
        Command::Ner { command } => ner::run(command).map(|()| ExitCode::SUCCESS),
        Command::NerNews(args) => newsgraph::recognise::news_eval::run(args).map(|()| ExitCode::SUCCESS),
        Command::Eval { command } => newsgraph::relate::time_eval::run(command).map(|()| ExitCode::SUCCESS),
    };
    result.unwrap_or_else(|e| {
        // `newsgraph query … | head` closing the pipe early is not a failure
        let broken_pipe = e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe));
        if broken_pipe {
            return ExitCode::SUCCESS;
        }
        eprintln!("error: {e:#}");
        ExitCode::from(1)
    })
}

fn convert(
    extract: ExtractArgs,
    output: Option<PathBuf>,
    format: Option<String>,
    shard: Option<newsgraph::Shard>,
    index_file: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let format = store::export_format(format.as_deref(), output.as_deref())?;
    if index_file.is_some() && format != oxigraph::io::RdfFormat::NQuads {
        anyhow::bail!("--index goes with N-Quads output (-o part.nq or --format nquads): `corpus --reduce` rewrites N-Quads parts");
    }
    // no store: the graphs stream out, the corpus step runs over a compact index
    let mut summary = None;
    let mut index = None;
    write_output(output.as_deref(), |w| {
        let (s, i) = extract_with_progress(&extract, shard, Sink::Writer(w, format, index_file.is_some()))?;
        (summary, index) = (Some(s), i);
        Ok(())
    })?;
    if let Some(path) = index_file {
        let index = index.expect("convert returns its index");
        newsgraph::write_atomically(&path, |w| {
            if path.extension().is_some_and(|e| e == "gz") {
                let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::default());
                index.write(&mut gz)?;
                gz.finish()?;
                Ok(())
            } else {
                index.write(w)
            }
        })?;
    }
    Ok(exit_code(&summary.expect("written")))
}

fn reduce_parts(indexes: &[PathBuf], parts: &[PathBuf], out_dir: &Path, base: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let reduced = newsgraph::reduce_parts(&Minter::new(base)?, indexes, parts, out_dir)?;
    eprintln!(
        "corpus step: {} indexes, {} bare surnames joined to a full name; {} parts, {} quads written to {} in {:.2} s",
        indexes.len(),
        reduced.joins,
        reduced.parts.len(),
        reduced.quads,
        out_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn ingest(dir: &Path, extract: ExtractArgs) -> anyhow::Result<ExitCode> {
    let store = store::open(dir)?;
    let (summary, _) = extract_with_progress(&extract, None, Sink::Store(&store))?;
    Ok(exit_code(&summary))
}

fn corpus(dir: &Path, base: &str) -> anyhow::Result<()> {
    let store = store::open(dir)?;
    let joined = newsgraph::resolve_corpus(&store, &Minter::new(base)?)?;
    eprintln!("corpus step: {joined} bare surnames joined to a full name");
    Ok(())
}

fn export(dir: &Path, output: Option<PathBuf>, format: Option<String>) -> anyhow::Result<()> {
    if let Some(network) = newsgraph::network::NetworkFormat::from_request(format.as_deref(), output.as_deref()) {
        let store = store::open(dir)?;
        return write_output(output.as_deref(), |w| newsgraph::network::export(&store, network, w));
    }
    let format = store::export_format(format.as_deref(), output.as_deref())?;
    let store = store::open(dir)?;
    write_output(output.as_deref(), |w| store::export(&store, format, w))
}

fn run_query(dir: Option<PathBuf>, extract: ExtractArgs, results: Option<ResultsFormat>, query: &str) -> anyhow::Result<ExitCode> {
    let text = query::query_text(query)?;
    let (store, code) = match dir {
        Some(dir) => (store::open(&dir)?, ExitCode::SUCCESS),
        None => {
            let store = store::memory()?;
            let (summary, _) = extract_with_progress(&extract, None, Sink::Store(&store))?;
            (store, exit_code(&summary))
        }
    };
    let format = results.unwrap_or(if std::io::stdout().is_terminal() { ResultsFormat::Table } else { ResultsFormat::Csv });
    let stdout = std::io::stdout();
    query::run(&store, &text, format, &mut stdout.lock())?;
    Ok(code)
}

/// Where extracted graphs go: a store, or straight to RDF in a format.
enum Sink<'a> {
    Store(&'a store::Store),
    /// with whether the corpus index of the graphs is wanted back (`convert --index`)
    Writer(&'a mut dyn Write, oxigraph::io::RdfFormat, bool),
}

/// Runs the extraction with a progress bar (shown only when stderr is a terminal), reports every
/// problem with its input, and ends with a one-line summary. Returns the corpus index of the
/// graphs too when they were written to a `Sink::Writer` that asked for it.
fn extract_with_progress(
    extract: &ExtractArgs,
    shard: Option<newsgraph::Shard>,
    sink: Sink<'_>,
) -> anyhow::Result<(Summary, Option<newsgraph::resolve::index::CorpusIndex>)> {
    let started = Instant::now();
    let minter = Minter::new(&extract.base)?;
    let pipeline = match &extract.kb {
        // the knowledge base lives as long as the process, like the bundled one
        Some(path) => Pipeline::with_kb(minter, Box::leak(Box::new(kb::Kb::with_user_file(path)?))),
        None => Pipeline::new(minter),
    };
    let bar = ProgressBar::hidden();
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} articles ({per_sec}, eta {eta})")
                .expect("valid template"),
        );
    }
    let progress = |p| match p {
        Progress::Total(n) => bar.set_length(n as u64),
        Progress::Done(n) => bar.inc(n as u64),
    };
    let (summary, index) = match sink {
        Sink::Store(store) => (newsgraph::extract_shard_into(&pipeline, &extract.inputs, shard, store, &progress)?, None),
        Sink::Writer(w, format, false) => (newsgraph::convert(&pipeline, &extract.inputs, shard, format, w, &progress)?, None),
        Sink::Writer(w, format, true) => {
            let (summary, index) = newsgraph::convert_indexed(&pipeline, &extract.inputs, shard, format, w, &progress)?;
            (summary, Some(index))
        }
    };
    bar.finish_and_clear();
    for problem in &summary.problems {
        eprintln!("{problem}");
    }
    let failed = summary.failed();
    eprintln!(
        "{} article{}, {} entities, {} triples in {:.2} s{}",
        summary.articles,
        if summary.articles == 1 { "" } else { "s" },
        summary.entities,
        summary.quads,
        started.elapsed().as_secs_f64(),
        if failed > 0 { format!("; {failed} input{} failed", if failed == 1 { "" } else { "s" }) } else { String::new() }
    );
    Ok((summary, index))
}

fn exit_code(summary: &Summary) -> ExitCode {
    if summary.failed() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes to stdout, or to `path` through a temporary file renamed at the end, so an interrupted
/// run never leaves a half-written file behind.
fn write_output(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let Some(path) = path else {
        let stdout = std::io::stdout();
        let mut lock = std::io::BufWriter::new(stdout.lock());
        write(&mut lock)?;
        return lock.flush().context("cannot write to stdout");
    };
    newsgraph::write_atomically(path, write)
}
