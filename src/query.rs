//! SPARQL evaluation over the store and result formats.
//!
//! Every query sees the union of all article graphs as its default graph, and the prefixes of the
//! vocabulary are predeclared, so the named queries in `queries/` and ad-hoc ones stay short.

use crate::rdf::vocab;
use anyhow::{bail, Context};
use oxigraph::io::RdfFormat;
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::io::Write;

/// How SELECT and ASK results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultsFormat {
    /// An aligned text table, for people.
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
}

/// The query text: the contents of a file when `query` names one, else `query` itself.
pub fn query_text(query: &str) -> anyhow::Result<String> {
    let path = std::path::Path::new(query);
    let looks_like_path = query.ends_with(".rq") || query.ends_with(".sparql") || !query.contains(char::is_whitespace);
    if looks_like_path && path.is_file() {
        return std::fs::read_to_string(path).with_context(|| format!("cannot read query file {query}"));
    }
    if looks_like_path && query.ends_with(".rq") {
        bail!("query file {query} does not exist");
    }
    Ok(query.to_string())
}

/// Parses and runs `query`, writing results to `out`. Graph results (CONSTRUCT, DESCRIBE) are
/// written as Turtle.
pub fn run(store: &Store, query: &str, format: ResultsFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, iri) in vocab::PREFIXES {
        evaluator = evaluator.with_prefix(*prefix, *iri)?;
    }
    let mut prepared = evaluator.parse_query(query).map_err(|e| anyhow::anyhow!("syntax error in the query: {e}"))?;
    prepared.dataset_mut().set_default_graph_as_union();
    let results = prepared.on_store(store).execute().context("query evaluation failed")?;
    match results {
        QueryResults::Solutions(solutions) => {
            if format == ResultsFormat::Table {
                let variables: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_string()).collect();
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution?;
                    rows.push(variables.iter().map(|v| solution.get(v.as_str()).map(cell).unwrap_or_default()).collect());
                }
                write_table(&variables, &rows, out)?;
            } else {
                let serializer = QueryResultsSerializer::from_format(results_format(format));
                let mut writer = serializer.serialize_solutions_to_writer(&mut *out, solutions.variables().to_vec())?;
                for solution in solutions {
                    writer.serialize(&solution?)?;
                }
                writer.finish()?;
            }
        }
        QueryResults::Boolean(value) => {
            if format == ResultsFormat::Table {
                writeln!(out, "{value}")?;
            } else {
                QueryResultsSerializer::from_format(results_format(format)).serialize_boolean_to_writer(&mut *out, value)?;
            }
        }
        QueryResults::Graph(triples) => {
            let mut writer = crate::rdf::serializer(RdfFormat::Turtle)?.for_writer(&mut *out);
            for triple in triples {
                writer.serialize_triple(&triple?)?;
            }
            writer.finish()?;
        }
    }
    out.flush()?;
    Ok(())
}

fn results_format(format: ResultsFormat) -> QueryResultsFormat {
    match format {
        ResultsFormat::Csv => QueryResultsFormat::Csv,
        ResultsFormat::Tsv => QueryResultsFormat::Tsv,
        ResultsFormat::Json | ResultsFormat::Table => QueryResultsFormat::Json,
        ResultsFormat::Xml => QueryResultsFormat::Xml,
    }
}

/// A term as a person reads it: IRIs bare, literals by their value.
fn cell(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::Literal(l) => l.value().replace(['\n', '\r', '\t'], " "),
        other => other.to_string(),
    }
}

fn write_table(variables: &[String], rows: &[Vec<String>], out: &mut dyn Write) -> std::io::Result<()> {
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = variables.iter().map(|v| width(v) + 1).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(c));
        }
    }
    let line = |cells: &mut dyn Iterator<Item = String>| -> String {
        let padded: Vec<String> =
            cells.zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - width(&c)))).collect();
        padded.join(" | ").trim_end().to_string()
    };
    writeln!(out, "{}", line(&mut variables.iter().map(|v| format!("?{v}"))))?;
    writeln!(out, "{}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-+-"))?;
    for row in rows {
        writeln!(out, "{}", line(&mut row.iter().cloned()))?;
    }
    writeln!(out, "({} row{})", rows.len(), if rows.len() == 1 { "" } else { "s" })
}
