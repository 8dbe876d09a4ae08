//! The entity network for Gephi and other network tools: `newsgraph export --format graphml`
//! (or `gexf`). Nodes are the people, organizations and places of the store, with their type,
//! name, mention count and the number of articles that mention them; an undirected edge joins
//! two entities named in the same article, weighted by the number of such articles.

use crate::rdf::vocab;
use anyhow::Context;
use oxigraph::model::Term;
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

/// A network file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFormat {
    GraphMl,
    Gexf,
}

impl NetworkFormat {
    /// The network format named by `--format`, else by the output file's extension; `None` when
    /// neither names one (the export is then RDF).
    pub fn from_request(name: Option<&str>, output: Option<&Path>) -> Option<NetworkFormat> {
        let name = match name {
            Some(name) => name.to_ascii_lowercase(),
            None => output?.extension()?.to_str()?.to_ascii_lowercase(),
        };
        match name.as_str() {
            "graphml" => Some(NetworkFormat::GraphMl),
            "gexf" => Some(NetworkFormat::Gexf),
            _ => None,
        }
    }
}

/// One entity of the network.
struct Node {
    iri: String,
    kind: &'static str,
    name: String,
    mentions: u64,
    articles: u64,
}

/// The entity network of the store: nodes sorted by IRI, edges by their ends' positions.
struct Network {
    nodes: Vec<Node>,
    edges: BTreeMap<(usize, usize), u64>,
}

const TYPES: [(&str, &str); 3] = [("Person", "schema:Person"), ("Organization", "schema:Organization"), ("Place", "schema:Place")];

fn select(store: &Store, query: &str) -> anyhow::Result<Vec<QuerySolution>> {
    let mut evaluator = SparqlEvaluator::new();
    for (prefix, iri) in vocab::PREFIXES {
        evaluator = evaluator.with_prefix(*prefix, *iri)?;
    }
    let mut prepared = evaluator.parse_query(query)?;
    prepared.dataset_mut().set_default_graph_as_union();
    match prepared.on_store(store).execute().context("network query failed")? {
        QueryResults::Solutions(solutions) => Ok(solutions.collect::<Result<_, _>>()?),
        _ => anyhow::bail!("the network queries are SELECT queries"),
    }
}

fn text(solution: &QuerySolution, variable: &str) -> String {
    match solution.get(variable) {
        Some(Term::NamedNode(node)) => node.as_str().to_owned(),
        Some(Term::Literal(literal)) => literal.value().to_owned(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

impl Network {
    fn of(store: &Store) -> anyhow::Result<Network> {
        // An entity typed twice (a rare disagreement between articles) takes the first of
        // Person, Organization, Place, as the explorer does.
        let mut kinds: HashMap<String, &'static str> = HashMap::new();
        for (kind, class) in TYPES.iter().rev() {
            for solution in select(store, &format!("SELECT DISTINCT ?entity WHERE {{ ?entity a {class} }}"))? {
                kinds.insert(text(&solution, "entity"), kind);
            }
        }
        let per_entity = |query: &str, value: &str| -> anyhow::Result<HashMap<String, String>> {
            Ok(select(store, query)?.iter().map(|solution| (text(solution, "entity"), text(solution, value))).collect())
        };
        let names = per_entity("SELECT ?entity (MIN(?n) AS ?name) WHERE { ?entity schema:name ?n } GROUP BY ?entity", "name")?;
        let mentions = per_entity(
            "SELECT ?entity (COUNT(?mention) AS ?n) WHERE { ?mention itsrdf:taIdentRef ?entity } GROUP BY ?entity",
            "n",
        )?;
        let mut nodes: Vec<Node> = kinds
            .into_iter()
            .map(|(iri, kind)| Node {
                name: names.get(&iri).cloned().unwrap_or_default(),
                mentions: mentions.get(&iri).and_then(|n| n.parse().ok()).unwrap_or(0),
                articles: 0,
                iri,
                kind,
            })
            .collect();
        nodes.sort_by(|a, b| a.iri.cmp(&b.iri));
        let index: HashMap<&str, usize> = nodes.iter().enumerate().map(|(i, node)| (node.iri.as_str(), i)).collect();
        let mut by_article: HashMap<String, Vec<usize>> = HashMap::new();
        for solution in select(store, "SELECT DISTINCT ?article ?entity WHERE { GRAPH ?article { ?article schema:mentions ?entity } }")? {
            if let Some(&node) = index.get(text(&solution, "entity").as_str()) {
                by_article.entry(text(&solution, "article")).or_default().push(node);
            }
        }
        let mut edges: BTreeMap<(usize, usize), u64> = BTreeMap::new();
        let mut articles = vec![0; nodes.len()];
        for mut members in by_article.into_values() {
            members.sort_unstable();
            members.dedup();
            for (position, &a) in members.iter().enumerate() {
                articles[a] += 1;
                for &b in &members[position + 1..] {
                    *edges.entry((a, b)).or_default() += 1;
                }
            }
        }
        for (node, count) in nodes.iter_mut().zip(articles) {
            node.articles = count;
        }
        Ok(Network { nodes, edges })
    }
}

/// Text for XML attribute values and content.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\n' => escaped.push_str("&#10;"),
            '\t' => escaped.push_str("&#9;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Writes the store's entity network in `format`.
pub fn export(store: &Store, format: NetworkFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    let network = Network::of(store)?;
    match format {
        NetworkFormat::GraphMl => write_graphml(&network, out)?,
        NetworkFormat::Gexf => write_gexf(&network, out)?,
    }
    out.flush()?;
    Ok(())
}

fn write_graphml(network: &Network, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#)?;
    writeln!(out, r#"  <key id="label" for="node" attr.name="label" attr.type="string"/>"#)?;
    writeln!(out, r#"  <key id="type" for="node" attr.name="type" attr.type="string"/>"#)?;
    writeln!(out, r#"  <key id="mentions" for="node" attr.name="mentions" attr.type="long"/>"#)?;
    writeln!(out, r#"  <key id="articles" for="node" attr.name="articles" attr.type="long"/>"#)?;
    writeln!(out, r#"  <key id="weight" for="edge" attr.name="weight" attr.type="long"/>"#)?;
    writeln!(out, r#"  <graph id="newsgraph" edgedefault="undirected">"#)?;
    for node in &network.nodes {
        writeln!(
            out,
            r#"    <node id="{}"><data key="label">{}</data><data key="type">{}</data><data key="mentions">{}</data><data key="articles">{}</data></node>"#,
            escape(&node.iri), escape(&node.name), node.kind, node.mentions, node.articles
        )?;
    }
    for (&(a, b), weight) in &network.edges {
        writeln!(
            out,
            r#"    <edge source="{}" target="{}"><data key="weight">{weight}</data></edge>"#,
            escape(&network.nodes[a].iri), escape(&network.nodes[b].iri)
        )?;
    }
    writeln!(out, "  </graph>\n</graphml>")
}

fn write_gexf(network: &Network, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">"#)?;
    writeln!(out, r#"  <meta><creator>newsgraph {}</creator><description>entities and their co-mentions</description></meta>"#, env!("CARGO_PKG_VERSION"))?;
    writeln!(out, r#"  <graph mode="static" defaultedgetype="undirected">"#)?;
    writeln!(out, r#"    <attributes class="node"><attribute id="type" title="type" type="string"/><attribute id="mentions" title="mentions" type="long"/><attribute id="articles" title="articles" type="long"/></attributes>"#)?;
    writeln!(out, "    <nodes>")?;
    for node in &network.nodes {
        writeln!(
            out,
            r#"      <node id="{}" label="{}"><attvalues><attvalue for="type" value="{}"/><attvalue for="mentions" value="{}"/><attvalue for="articles" value="{}"/></attvalues></node>"#,
            escape(&node.iri), escape(&node.name), node.kind, node.mentions, node.articles
        )?;
    }
    writeln!(out, "    </nodes>\n    <edges>")?;
    for (id, (&(a, b), weight)) in network.edges.iter().enumerate() {
        writeln!(
            out,
            r#"      <edge id="{id}" source="{}" target="{}" weight="{weight}"/>"#,
            escape(&network.nodes[a].iri), escape(&network.nodes[b].iri)
        )?;
    }
    writeln!(out, "    </edges>\n  </graph>\n</gexf>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_flag_or_the_extension() {
        assert_eq!(NetworkFormat::from_request(Some("GraphML"), None), Some(NetworkFormat::GraphMl));
        assert_eq!(NetworkFormat::from_request(None, Some(Path::new("out/net.gexf"))), Some(NetworkFormat::Gexf));
        assert_eq!(NetworkFormat::from_request(Some("turtle"), Some(Path::new("net.graphml"))), None);
        assert_eq!(NetworkFormat::from_request(None, Some(Path::new("graph.ttl"))), None);
    }

    #[test]
    fn escaping_keeps_xml_well_formed() {
        assert_eq!(escape("AT&T <\"x\">\u{1}"), "AT&amp;T &lt;&quot;x&quot;&gt;\u{FFFD}");
    }
}
