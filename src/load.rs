//! `newsgraph load`: RDF files (the parts of a sharded or Spark run, or any export) into an
//! on-disk store through Oxigraph's bulk loader, several files at once.
//!
//! Each file is loaded by a bulk loader of its own and committed alone, so a file that does not
//! parse loads nothing and names itself (with the line), while the other files go in. An article
//! graph that the store holds already is replaced by the file's, so loading a part twice, or a
//! part re-made after a rerun, leaves no stale or duplicate quads. The corpus step is not run here:
//! `newsgraph corpus --store DIR` runs it over the loaded store.

use crate::store::{self, Store};
use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::GraphName;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// Folder of the store (created if missing).
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    /// RDF files, optionally gzipped (`part-00000.nq.gz`), or folders of them (such as a Spark
    /// job's output folder: names starting with `.` or `_` and `.crc` files are skipped).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// nquads, trig, ntriples or turtle (default: from each file's extension, N-Quads for
    /// files without one, as Spark names its parts).
    #[arg(short, long)]
    pub format: Option<String>,
    /// Files loaded at once (default: the number of CPUs).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// What loading one file did.
#[derive(Debug)]
pub struct Loaded {
    pub file: PathBuf,
    pub quads: usize,
    /// Graphs the store held before and that this file replaced.
    pub replaced: usize,
}

pub fn run(args: LoadArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let format = args.format.as_deref().map(|f| store::export_format(Some(f), None)).transpose()?;
    let files = expand(&args.files)?;
    let store = store::open(&args.store)?;
    let bar = ProgressBar::hidden();
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files (eta {eta})").expect("valid template"));
    }
    bar.set_length(files.len() as u64);
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let results = load_files(&store, &files, format, jobs, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let (mut quads, mut replaced, mut failed) = (0, 0, 0);
    for result in &results {
        match result {
            Ok(loaded) => {
                quads += loaded.quads;
                replaced += loaded.replaced;
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{} quads from {} file{} in {seconds:.2} s ({:.0} quads/s){}{}",
        quads,
        results.len() - failed,
        if results.len() - failed == 1 { "" } else { "s" },
        quads as f64 / seconds.max(1e-9),
        if replaced > 0 { format!("; {replaced} graphs replaced") } else { String::new() },
        if failed > 0 { format!("; {failed} file{} failed", if failed == 1 { "" } else { "s" }) } else { String::new() },
    );
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Loads `files` into `store`, `jobs` files at a time; one result per file, in order.
pub fn load_files(
    store: &Store,
    files: &[PathBuf],
    format: Option<RdfFormat>,
    jobs: usize,
    done: &(dyn Fn() + Sync),
) -> anyhow::Result<Vec<anyhow::Result<Loaded>>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.min(files.len()).max(1)).build()?;
    // a store that starts empty has no graph to replace: no file needs the scan for graph names
    let replacing = !store.is_empty()?;
    Ok(pool.install(|| {
        files
            .par_iter()
            .map(|file| {
                let result = load_file(store, file, format, replacing).with_context(|| file.display().to_string());
                done();
                result
            })
            .collect()
    }))
}

/// Loads one file in one commit, first removing the graphs it names that the store holds.
fn load_file(store: &Store, file: &Path, format: Option<RdfFormat>, replacing: bool) -> anyhow::Result<Loaded> {
    let format = match format {
        Some(format) => format,
        None => format_of(file)?,
    };
    let mut replaced = 0;
    if replacing && format.supports_datasets() {
        let mut graphs = BTreeSet::new();
        for quad in RdfParser::from_format(format).for_reader(open(file)?) {
            if let GraphName::NamedNode(graph) = quad.map_err(parse_error)?.graph_name {
                graphs.insert(graph);
            }
        }
        let present: Vec<_> =
            graphs.into_iter().filter_map(|g| store.contains_named_graph(&g).map(|held| held.then_some(g)).transpose()).collect::<Result<_, _>>()?;
        if !present.is_empty() {
            let mut transaction = store.start_transaction()?;
            for graph in &present {
                transaction.remove_named_graph(graph)?;
            }
            transaction.commit()?;
            replaced = present.len();
        }
    }
    let quads = AtomicUsize::new(0);
    let mut loader = store.bulk_loader().with_num_threads(1);
    // blank nodes of different files are different nodes (newsgraph itself writes none)
    let counted = RdfParser::from_format(format).rename_blank_nodes().for_reader(open(file)?).inspect(|q| {
        if q.is_ok() {
            quads.fetch_add(1, Ordering::Relaxed);
        }
    });
    loader.load_ok_quads::<_, anyhow::Error>(counted.map(|q| q.map_err(parse_error)))?;
    loader.commit()?;
    Ok(Loaded { file: file.to_path_buf(), quads: quads.into_inner(), replaced })
}

fn parse_error(e: oxigraph::io::RdfParseError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// The file's content, decompressed when its name ends in `.gz` (also for the corpus step's
/// indexes and parts).
pub fn open(file: &Path) -> anyhow::Result<Box<dyn Read>> {
    let reader = BufReader::with_capacity(1 << 16, std::fs::File::open(file).context("cannot read")?);
    if file.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::with_capacity(1 << 16, flate2::read::MultiGzDecoder::new(reader))))
    } else {
        Ok(Box::new(reader))
    }
}

/// The format by the extension under any `.gz`; N-Quads when the name has none (`part-00000`).
fn format_of(file: &Path) -> anyhow::Result<RdfFormat> {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let Some((_, extension)) = name.rsplit_once('.') else { return Ok(RdfFormat::NQuads) };
    match RdfFormat::from_extension(extension) {
        Some(format) if format != RdfFormat::N3 => Ok(format),
        _ => bail!("cannot tell the RDF format from the extension .{extension}; give --format"),
    }
}

/// Files as given; folders as the files they hold (recursively, sorted), without the names a
/// job writes beside its parts (`_SUCCESS`, `.part-00000.crc`, `_temporary/`).
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            if found.is_empty() {
                bail!("{}: no files in this folder", path.display());
            }
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}: cannot read folder", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') || name.starts_with('_') || name.ends_with(".crc") {
            continue;
        }
        if path.is_dir() {
            walk(&path, found)?;
        } else {
            found.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_extension_under_gz() {
        assert_eq!(format_of(Path::new("out/part-00000")).unwrap(), RdfFormat::NQuads);
        assert_eq!(format_of(Path::new("part-00000.nq.gz")).unwrap(), RdfFormat::NQuads);
        assert_eq!(format_of(Path::new("graph.trig")).unwrap(), RdfFormat::TriG);
        assert_eq!(format_of(Path::new("graph.nt.gz")).unwrap(), RdfFormat::NTriples);
        assert!(format_of(Path::new("graph.xyz")).unwrap_err().to_string().contains(".xyz"));
    }
}
