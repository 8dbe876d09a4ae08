//! The corpus step over a compact index instead of a store: the same decisions as
//! [`super::corpus`] (one name per entity, bare surnames joined to the one full name), taken from
//! what every article graph names, then applied to each graph on its own.
//!
//! The index holds, per entity IRI, how many article graphs write each of its names, and which
//! IRIs are typed as people: names and IRIs, never the graphs. Indexes of parts add up
//! ([`CorpusIndex::merge`]), so a sharded or distributed run builds one per part (the map side)
//! and sums them (the reduce) before [`CorpusIndex::decide`]. Both decisions depend on the whole
//! corpus: the most used form of a name, and whether a surname has one full-name owner.

use crate::rdf::vocab::{rdf, rdfs, schema};
use crate::resolve::name_key;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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
        Rewrites { chosen, joins }
    }
}

/// The decisions of the corpus step, applied graph by graph.
#[derive(Debug, Default)]
pub struct Rewrites {
    /// (entity, name predicate) → the one name, for entities written with several
    chosen: HashMap<(String, u8), String>,
    /// bare-surname person → (full-name person, its name)
    joins: HashMap<String, (NamedNode, String)>,
}

impl Rewrites {
    /// How many bare-surname nodes are joined to a full name.
    pub fn joins(&self) -> usize {
        self.joins.len()
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
