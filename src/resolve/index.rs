//! The corpus step over a compact index instead of a store: the same decisions as
//! [`super::corpus`] (one name per entity, bare surnames joined to the one full name), taken from
//! what every article graph names, then applied to each graph on its own.
//!
//! The index holds, per entity IRI, how many article graphs write each of its names, and which
//! IRIs are typed as people: names and IRIs, never the graphs. Indexes of parts add up
//! ([`CorpusIndex::merge`]), so a sharded or distributed run builds one per part (the map side)
//! and sums them (the reduce) before [`CorpusIndex::decide`]. Both decisions depend on the whole
//! corpus: the most used form of a name, and whether a surname has one full-name owner.
//!
//! An index is written as JSON lines ([`CorpusIndex::write`]): a header naming the format and its
//! version, then one line per entity and name predicate with its name forms and their counts, then
//! one line per person IRI, all in code-point order, so equal indexes are equal bytes whatever
//! order their graphs were added in. Text rather than a binary layout because it is a few per cent
//! of the part it indexes (names and IRIs only), compresses well, and can be read by any tool.

use crate::rdf::vocab::{rdf, rdfs, schema};
use crate::resolve::name_key;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use anyhow::{bail, Context};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{BufRead, Write};

/// The `format` of an index file's header line.
pub const INDEX_FORMAT: &str = "newsgraph-corpus-index";
/// The version of the index file layout; a reader refuses any other.
pub const INDEX_VERSION: u64 = 1;

/// What the corpus step needs to know of a corpus.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CorpusIndex {
    /// (entity IRI, 0 for `schema:name`, 1 for `rdfs:label`) → name form → graphs writing it
    names: BTreeMap<(String, u8), BTreeMap<String, u64>>,
    persons: BTreeSet<String>,
}

fn name_predicate(p: NamedNodeRef<'_>) -> Option<u8> {
    if p == schema::NAME {
        Some(0)
    } else if p == rdfs::LABEL {
        Some(1)
    } else {
        None
    }
}

impl CorpusIndex {
    /// Counts one article graph (its quads without duplicates, as a store holds them).
    pub fn add_graph(&mut self, quads: &[Quad]) {
        let mut seen = HashSet::new();
        for quad in quads {
            let NamedOrBlankNode::NamedNode(s) = &quad.subject else { continue };
            if quad.predicate == rdf::TYPE && quad.object == Term::from(schema::PERSON) {
                self.persons.insert(s.as_str().to_string());
            }
            if let (Some(p), Term::Literal(name)) = (name_predicate(quad.predicate.as_ref()), &quad.object) {
                if seen.insert((s.as_str(), p, name.value(), &quad.graph_name)) {
                    *self.names.entry((s.as_str().to_string(), p)).or_default().entry(name.value().to_string()).or_default() += 1;
                }
            }
        }
    }

    /// Adds the index of another part.
    pub fn merge(&mut self, other: CorpusIndex) {
        for (key, forms) in other.names {
            let mine = self.names.entry(key).or_default();
            for (form, n) in forms {
                *mine.entry(form).or_default() += n;
            }
        }
        self.persons.extend(other.persons);
    }

    /// Adds every graph of N-Quads text, a graph being a run of consecutive quads with one graph
    /// name (as `convert` and the Python package write them: each article graph whole).
    pub fn add_nquads(&mut self, reader: impl std::io::Read) -> anyhow::Result<()> {
        for_each_graph(reader, |quads| {
            self.add_graph(&quads);
            Ok(())
        })
    }

    /// Writes the index as JSON lines (see the module's documentation).
    pub fn write(&self, mut out: impl Write) -> anyhow::Result<()> {
        writeln!(out, "{}", json!({"format": INDEX_FORMAT, "version": INDEX_VERSION}))?;
        for ((entity, p), forms) in &self.names {
            let kind = if *p == 0 { "name" } else { "label" };
            let forms: Vec<(&str, u64)> = forms.iter().map(|(f, n)| (f.as_str(), *n)).collect();
            serde_json::to_writer(&mut out, &(kind, entity, forms))?;
            out.write_all(b"\n")?;
        }
        for person in &self.persons {
            serde_json::to_writer(&mut out, &("person", person))?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        Ok(())
    }

    /// The index as the bytes [`CorpusIndex::write`] writes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out).expect("writing to memory does not fail");
        out
    }

    /// Reads an index written by [`CorpusIndex::write`]; an error names the line.
    pub fn read(reader: impl BufRead) -> anyhow::Result<CorpusIndex> {
        let mut index = CorpusIndex::default();
        let mut lines = reader.lines();
        let header: Value = match lines.next() {
            Some(line) => serde_json::from_str(&line?).context("line 1: not a corpus index header")?,
            None => bail!("empty: not a corpus index"),
        };
        if header.get("format").and_then(Value::as_str) != Some(INDEX_FORMAT) {
            bail!("line 1: not a corpus index (no \"format\": \"{INDEX_FORMAT}\")");
        }
        match header.get("version").and_then(Value::as_u64) {
            Some(INDEX_VERSION) => {}
            v => bail!("line 1: corpus index version {v:?}, this newsgraph reads version {INDEX_VERSION}"),
        }
        for (i, line) in lines.enumerate() {
            let line = line?;
            index.read_line(&line).with_context(|| format!("line {}", i + 2))?;
        }
        Ok(index)
    }

    fn read_line(&mut self, line: &str) -> anyhow::Result<()> {
        let value: Value = serde_json::from_str(line)?;
        let fields = value.as_array().map(Vec::as_slice).unwrap_or_default();
        match fields {
            [kind, entity, forms] if kind == "name" || kind == "label" => {
                let entity = entity.as_str().context("the entity is not a string")?;
                let p = if kind == "name" { 0 } else { 1 };
                let counts = self.names.entry((entity.to_string(), p)).or_default();
                for form in forms.as_array().context("the forms are not a list")? {
                    let (name, n) = match form.as_array().map(Vec::as_slice) {
                        Some([name, n]) => (name.as_str(), n.as_u64()),
                        _ => (None, None),
                    };
                    let (Some(name), Some(n)) = (name, n) else { bail!("a form is not [name, count]") };
                    *counts.entry(name.to_string()).or_default() += n;
                }
            }
            [kind, person] if kind == "person" => {
                self.persons.insert(person.as_str().context("the person is not a string")?.to_string());
            }
            _ => bail!("neither a name, a label nor a person line"),
        }
        Ok(())
    }

    /// The rewrites of the corpus step, as [`super::corpus::resolve_across_articles`] decides them
    /// over a store holding the same graphs.
    pub fn decide(&self, person_prefix: &str) -> Rewrites {
        let mut chosen = HashMap::new();
        let mut final_name: BTreeMap<&str, &str> = BTreeMap::new();
        for ((entity, p), forms) in &self.names {
            // the most used form; ties: the smallest in code-point order
            let Some(best) = forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(f, _)| f) else { continue };
            if forms.len() > 1 {
                chosen.insert((entity.clone(), *p), best.clone());
            }
            if *p == 0 {
                final_name.insert(entity, best);
            }
        }
        let names: BTreeMap<&str, &str> = final_name.into_iter().filter(|(e, _)| self.persons.contains(*e)).collect();
        let mut by_last_word: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for (person, name) in &names {
            let words: Vec<&str> = name.split_whitespace().collect();
            if words.len() >= 2 {
                by_last_word.entry(name_key(words[words.len() - 1])).or_default().insert(person);
            }
        }
        let mut joins = HashMap::new();
        for (person, name) in &names {
            let bare = !name.contains(char::is_whitespace) && person.starts_with(person_prefix);
            if let Some(full) = by_last_word.get(&name_key(name)).filter(|_| bare) {
                if full.len() == 1 {
                    let only = *full.iter().next().expect("one");
                    joins.insert(person.to_string(), (NamedNode::new_unchecked(only), names[only].to_string()));
                }
            }
        }
        let touched = chosen.keys().map(|(entity, _)| iri_hash(entity)).chain(joins.keys().map(|bare| iri_hash(bare))).collect();
        Rewrites { chosen, joins, touched }
    }
}

/// What of one graph the corpus step's rewrites can act on, as hashes of IRIs: the subjects
/// written with a name or a label (a name choice rewrites those quads) and the IRIs under the
/// person prefix as subject or object (a join rewrites those; only such IRIs are joined). Taken
/// while the graph is made, before the decisions, so that [`Rewrites::touches`] can tell which
/// graphs stay as they are without reading them again. A hash collision can only make a graph
/// look touched, which costs a rewrite that changes nothing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct GraphKeys(Vec<u64>);

impl GraphKeys {
    pub fn of(quads: &[Quad], person_prefix: &str) -> GraphKeys {
        let mut keys = Vec::new();
        for quad in quads {
            let NamedOrBlankNode::NamedNode(s) = &quad.subject else { continue };
            let named = name_predicate(quad.predicate.as_ref()).is_some() && matches!(quad.object, Term::Literal(_));
            if named || s.as_str().starts_with(person_prefix) {
                keys.push(iri_hash(s.as_str()));
            }
            if let Term::NamedNode(o) = &quad.object {
                if o.as_str().starts_with(person_prefix) {
                    keys.push(iri_hash(o.as_str()));
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys.shrink_to_fit();
        GraphKeys(keys)
    }
}

fn iri_hash(iri: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(iri.as_bytes())
}

/// The decisions of the corpus step, applied graph by graph.
#[derive(Debug, Default)]
pub struct Rewrites {
    /// (entity, name predicate) → the one name, for entities written with several
    chosen: HashMap<(String, u8), String>,
    /// bare-surname person → (full-name person, its name)
    joins: HashMap<String, (NamedNode, String)>,
    /// the hashes of the IRIs of `chosen` and of `joins`, for [`Rewrites::touches`]
    touched: HashSet<u64>,
}

impl Rewrites {
    /// How many bare-surname nodes are joined to a full name.
    pub fn joins(&self) -> usize {
        self.joins.len()
    }

    /// Whether [`Rewrites::apply`] can change a graph with these keys (made with the person prefix
    /// these rewrites were decided with). When not, the graph (whose quads are distinct, as
    /// [`crate::rdf::map`] makes them) comes out of `apply` as it went in.
    pub fn touches(&self, keys: &GraphKeys) -> bool {
        keys.0.iter().any(|k| self.touched.contains(k))
    }

    /// One article graph after the corpus step, without duplicates, in the order of `quads`.
    pub fn apply(&self, quads: Vec<Quad>) -> Vec<Quad> {
        if self.chosen.is_empty() && self.joins.is_empty() {
            return quads;
        }
        let mut out = Vec::with_capacity(quads.len());
        for quad in quads {
            // names first, then joins, the order of the store's passes
            match self.unified(&quad) {
                Some((alternate, canonical)) => {
                    self.join(alternate, &mut out);
                    self.join(canonical, &mut out);
                }
                None => self.join(quad, &mut out),
            }
        }
        let mut seen = HashSet::with_capacity(out.len());
        out.retain(|q| seen.insert(q.clone()));
        out
    }

    /// Applies the rewrites to N-Quads text graph by graph (a graph: consecutive quads with one
    /// graph name) and writes the result as N-Quads. Returns how many quads were written.
    pub fn apply_nquads(&self, reader: impl std::io::Read, writer: impl Write) -> anyhow::Result<usize> {
        let mut out = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::NQuads).for_writer(writer);
        let mut written = 0;
        for_each_graph(reader, |quads| {
            for quad in self.apply(quads) {
                out.serialize_quad(&quad)?;
                written += 1;
            }
            Ok(())
        })?;
        out.finish()?.flush()?;
        Ok(written)
    }

    fn unified(&self, quad: &Quad) -> Option<(Quad, Quad)> {
        let NamedOrBlankNode::NamedNode(s) = &quad.subject else { return None };
        let p = name_predicate(quad.predicate.as_ref())?;
        let Term::Literal(name) = &quad.object else { return None };
        let chosen = self.chosen.get(&(s.as_str().to_string(), p))?;
        if name.value() == chosen {
            return None;
        }
        let alternate = Quad::new(s.clone(), schema::ALTERNATE_NAME, quad.object.clone(), quad.graph_name.clone());
        let canonical = Quad::new(s.clone(), quad.predicate.clone(), Literal::new_simple_literal(chosen), quad.graph_name.clone());
        Some((alternate, canonical))
    }

    fn join(&self, quad: Quad, out: &mut Vec<Quad>) {
        let object = match &quad.object {
            Term::NamedNode(o) => self.joins.get(o.as_str()).map(|(full, _)| Term::from(full.clone())),
            _ => None,
        }
        .unwrap_or(quad.object);
        let bare = match &quad.subject {
            NamedOrBlankNode::NamedNode(s) => self.joins.get(s.as_str()),
            NamedOrBlankNode::BlankNode(_) => None,
        };
        let Some((full, full_name)) = bare else {
            out.push(Quad::new(quad.subject, quad.predicate, object, quad.graph_name));
            return;
        };
        if quad.predicate != rdf::TYPE {
            let predicate = if quad.predicate == schema::NAME { schema::ALTERNATE_NAME.into_owned() } else { quad.predicate };
            out.push(Quad::new(full.clone(), predicate, object, quad.graph_name.clone()));
        }
        if !matches!(quad.graph_name, GraphName::DefaultGraph) {
            out.push(Quad::new(full.clone(), rdf::TYPE, schema::PERSON, quad.graph_name.clone()));
            out.push(Quad::new(full.clone(), schema::NAME, Literal::new_simple_literal(full_name), quad.graph_name));
        }
    }
}

/// Calls `each` with every run of consecutive quads of one graph name in N-Quads text.
fn for_each_graph(reader: impl std::io::Read, mut each: impl FnMut(Vec<Quad>) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut graph: Vec<Quad> = Vec::new();
    for quad in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads).for_reader(reader) {
        let quad = quad?;
        if graph.last().is_some_and(|last| last.graph_name != quad.graph_name) {
            each(std::mem::take(&mut graph))?;
        }
        graph.push(quad);
    }
    if !graph.is_empty() {
        each(graph)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERSON: &str = "https://newsgraph.example/entity/person/";

    /// The quads of one article graph naming a person `slug` with `name`.
    fn graph(article: &str, people: &[(&str, &str)]) -> Vec<Quad> {
        let g = GraphName::from(NamedNode::new_unchecked(format!("https://newsgraph.example/article/{article}")));
        people
            .iter()
            .flat_map(|(slug, name)| {
                let p = NamedNode::new_unchecked(format!("{PERSON}{slug}"));
                [
                    Quad::new(p.clone(), rdf::TYPE, schema::PERSON, g.clone()),
                    Quad::new(p, schema::NAME, Literal::new_simple_literal(*name), g.clone()),
                ]
            })
            .collect()
    }

    fn index_of(graphs: &[Vec<Quad>]) -> CorpusIndex {
        let mut index = CorpusIndex::default();
        for g in graphs {
            index.add_graph(g);
        }
        index
    }

    #[test]
    fn bytes_read_back_to_the_same_index_and_do_not_depend_on_the_order_of_graphs() {
        let graphs = [graph("a", &[("ann-tell", "Ann Tell")]), graph("b", &[("ann-tell", "Ann Tel"), ("tell", "Tell")]), graph("c", &[("ann-tell", "Ann Tell")])];
        let index = index_of(&graphs);
        let bytes = index.to_bytes();
        assert!(bytes.starts_with(b"{\"format\":\"newsgraph-corpus-index\",\"version\":1}\n"));
        assert_eq!(CorpusIndex::read(bytes.as_slice()).unwrap(), index);
        let reversed: Vec<_> = graphs.iter().rev().cloned().collect();
        assert_eq!(index_of(&reversed).to_bytes(), bytes);
        // an empty index is its header alone, and reads back
        assert_eq!(CorpusIndex::read(CorpusIndex::default().to_bytes().as_slice()).unwrap(), CorpusIndex::default());
    }

    #[test]
    fn the_sum_of_part_indexes_is_the_index_of_the_whole_and_decides_what_no_part_can() {
        // the full name's most used form is in part 0 only, the bare surname in part 1 only
        let parts = [
            vec![graph("a", &[("ann-tell", "Ann Tell")]), graph("c", &[("ann-tell", "Ann Tel")]), graph("d", &[("ann-tell", "Ann Tell")])],
            vec![graph("b", &[("tell", "Tell")])],
        ];
        let whole = index_of(&parts.concat());
        let files: Vec<Vec<u8>> = parts.iter().map(|p| index_of(p).to_bytes()).collect();
        let mut merged = CorpusIndex::default();
        for file in &files {
            merged.merge(CorpusIndex::read(file.as_slice()).unwrap());
        }
        assert_eq!(merged, whole);
        assert_eq!(merged.decide(PERSON).joins(), 1);
        assert!(parts.iter().all(|p| index_of(p).decide(PERSON).joins() == 0), "no part alone has both the surname and the full name");
    }

    #[test]
    fn nquads_text_is_indexed_and_rewritten_graph_by_graph() {
        let graphs = [graph("a", &[("ann-tell", "Ann Tell")]), graph("b", &[("tell", "Tell")])];
        let mut text = Vec::new();
        for q in graphs.concat() {
            writeln!(text, "{q} .").unwrap();
        }
        let mut index = CorpusIndex::default();
        index.add_nquads(text.as_slice()).unwrap();
        assert_eq!(index, index_of(&graphs));
        let mut out = Vec::new();
        index.decide(PERSON).apply_nquads(text.as_slice(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains("person/tell>"), "the bare surname node is joined: {out}");
        assert!(out.contains(&format!("<{PERSON}ann-tell> <http://schema.org/alternateName> \"Tell\" <https://newsgraph.example/article/b>")));
    }

    #[test]
    fn a_graph_whose_keys_no_rewrite_touches_comes_out_of_apply_as_it_went_in() {
        // a: the full name; b: the bare surname (joined); c: another spelling (name chosen);
        // d: a person nobody else names
        let graphs = [
            graph("a", &[("ann-tell", "Ann Tell")]),
            graph("b", &[("tell", "Tell")]),
            graph("c", &[("ann-tell", "Ann Tel")]),
            graph("d", &[("bo-lind", "Bo Lind")]),
            graph("e", &[("ann-tell", "Ann Tell")]),
        ];
        let rewrites = index_of(&graphs).decide(PERSON);
        let touched: Vec<bool> = graphs.iter().map(|g| rewrites.touches(&GraphKeys::of(g, PERSON))).collect();
        assert_eq!(touched, [true, true, true, false, true]);
        for (g, touched) in graphs.iter().zip(touched) {
            if !touched {
                assert_eq!(&rewrites.apply(g.clone()), g);
            }
        }
        assert_ne!(rewrites.apply(graphs[1].clone()), graphs[1], "the join rewrites the bare surname's graph");
        // an object under the person prefix is a key too: a join rewrites it there
        let g = GraphName::from(NamedNode::new_unchecked("https://newsgraph.example/article/f"));
        let mention = vec![Quad::new(NamedNode::new_unchecked("https://newsgraph.example/article/f"), schema::MENTIONS, NamedNode::new_unchecked(format!("{PERSON}tell")), g)];
        assert!(rewrites.touches(&GraphKeys::of(&mention, PERSON)));
        assert_ne!(rewrites.apply(mention.clone()), mention);
        assert!(!Rewrites::default().touches(&GraphKeys::of(&graphs[0], PERSON)));
    }

    #[test]
    fn a_file_that_is_not_an_index_of_this_version_is_refused_with_its_line() {
        let err = |text: &str| format!("{:#}", CorpusIndex::read(text.as_bytes()).unwrap_err());
        assert!(err("").contains("empty"));
        assert!(err("<a> <b> <c> .\n").contains("line 1"));
        assert!(err("{\"format\":\"newsgraph-corpus-index\",\"version\":2}\n").contains("version Some(2)"));
        let bad = "{\"format\":\"newsgraph-corpus-index\",\"version\":1}\n[\"person\",\"x\"]\n[\"name\",\"x\",[[\"A\"]]]\n";
        assert!(err(bad).contains("line 3"), "{}", err(bad));
    }
}
