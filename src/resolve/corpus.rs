//! Resolution across articles: a bare surname joins the one person of the graph it can name.
//!
//! Within an article, "Roe" joins "Jane Roe" only when the article names him in full. An
//! article that only ever writes "Roe" yields a person named "Roe". After an ingest, this pass
//! looks at the whole graph being built (the store): when exactly one person there has a full name
//! ending in that word, the bare node is replaced by the full one in every article graph, and the
//! bare name becomes an alternate name there.
//!
//! It does not join when two or more people share the surname ("Ed Miliband", "David Miliband"),
//! when the bare name is linked to the knowledge base, or when it is not a single word. The join
//! depends on what the graph holds: a later ingest that adds a second namesake does not undo
//! earlier joins (re-ingest those articles to re-decide).

use crate::rdf::vocab::{rdf, schema};
use crate::resolve::name_key;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The passes over the whole store after an ingest, in the order that keeps them independent of
/// how the store orders its quads: names are unified first, so each person has one name when bare
/// surnames are matched against full names. Returns how many bare-surname nodes were joined.
pub fn resolve_across_articles(store: &Store, person_prefix: &str) -> anyhow::Result<usize> {
    unify_names(store)?;
    join_bare_surnames(store, person_prefix)
}

/// Joins bare-surname person nodes to the unique full-name person of the store; returns how many
/// nodes were joined.
fn join_bare_surnames(store: &Store, person_prefix: &str) -> anyhow::Result<usize> {
    let mut names: BTreeMap<NamedNode, String> = BTreeMap::new();
    for quad in store.quads_for_pattern(None, Some(rdf::TYPE), Some(schema::PERSON.into()), None) {
        let quad = quad?;
        let NamedOrBlankNode::NamedNode(person) = quad.subject else { continue };
        if names.contains_key(&person) {
            continue;
        }
        let name = store
            .quads_for_pattern(Some(person.as_ref().into()), Some(schema::NAME), None, None)
            .next()
            .transpose()?
            .and_then(|q| if let Term::Literal(l) = q.object { Some(l.value().to_string()) } else { None });
        if let Some(name) = name {
            names.insert(person, name);
        }
    }
    let mut by_last_word: BTreeMap<String, BTreeSet<&NamedNode>> = BTreeMap::new();
    for (person, name) in &names {
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() >= 2 {
            by_last_word.entry(name_key(words[words.len() - 1])).or_default().insert(person);
        }
    }
    let mut joins = Vec::new();
    for (person, name) in &names {
        let bare = !name.contains(char::is_whitespace) && person.as_str().starts_with(person_prefix);
        if let Some(full) = by_last_word.get(&name_key(name)).filter(|_| bare) {
            if let [only] = full.iter().collect::<Vec<_>>().as_slice() {
                joins.push((person.clone(), (**only).clone(), names[*only].clone()));
            }
        }
    }
    if joins.is_empty() {
        return Ok(0);
    }
    let mut transaction = store.start_transaction()?;
    for (bare, full, full_name) in &joins {
        let mut graphs = HashSet::new();
        let as_subject: Vec<Quad> =
            transaction.quads_for_pattern(Some(bare.as_ref().into()), None, None, None).collect::<Result<_, _>>()?;
        let as_object: Vec<Quad> =
            transaction.quads_for_pattern(None, None, Some(bare.as_ref().into()), None).collect::<Result<_, _>>()?;
        for quad in as_subject {
            transaction.remove(&quad);
            graphs.insert(quad.graph_name.clone());
            let predicate = if quad.predicate == schema::NAME { schema::ALTERNATE_NAME.into_owned() } else { quad.predicate.clone() };
            if quad.predicate != rdf::TYPE {
                transaction.insert(&Quad::new(full.clone(), predicate, quad.object, quad.graph_name));
            }
        }
        for quad in as_object {
            transaction.remove(&quad);
            transaction.insert(&Quad::new(quad.subject, quad.predicate, full.clone(), quad.graph_name));
        }
        for graph in graphs.into_iter().filter(|g| !matches!(g, GraphName::DefaultGraph)) {
            transaction.insert(&Quad::new(full.clone(), rdf::TYPE, schema::PERSON, graph.clone()));
            transaction.insert(&Quad::new(full.clone(), schema::NAME, oxigraph::model::Literal::new_simple_literal(full_name), graph));
        }
    }
    transaction.commit()?;
    Ok(joins.len())
}

/// Gives every entity of the store one `schema:name` (and every event one `rdfs:label`). An unlinked entity's IRI comes from a
/// normalised name, so articles may write it differently ("ABN AMRO", "ABN Amro"): the form most
/// articles use wins (ties: the smallest in code-point order), and the others become alternate
/// names in the graphs that used them. Returns how many entities had several names.
fn unify_names(store: &Store) -> anyhow::Result<usize> {
    // events are labelled with rdfs:label, entities named with schema:name
    Ok(unify(store, schema::NAME)? + unify(store, crate::rdf::vocab::rdfs::LABEL)?)
}

fn unify(store: &Store, predicate: oxigraph::model::NamedNodeRef<'_>) -> anyhow::Result<usize> {
    let mut names: BTreeMap<NamedNode, BTreeMap<String, usize>> = BTreeMap::new();
    for quad in store.quads_for_pattern(None, Some(predicate), None, None) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(entity), Term::Literal(name)) = (quad.subject, quad.object) {
            *names.entry(entity).or_default().entry(name.value().to_string()).or_default() += 1;
        }
    }
    let mut transaction = store.start_transaction()?;
    let mut unified = 0;
    for (entity, forms) in names.into_iter().filter(|(_, forms)| forms.len() > 1) {
        unified += 1;
        let chosen = forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(name, _)| name.clone()).unwrap_or_default();
        let quads: Vec<Quad> =
            transaction.quads_for_pattern(Some(entity.as_ref().into()), Some(predicate), None, None).collect::<Result<_, _>>()?;
        for quad in quads {
            let Term::Literal(name) = &quad.object else { continue };
            if name.value() == chosen {
                continue;
            }
            transaction.remove(&quad);
            transaction.insert(&Quad::new(entity.clone(), schema::ALTERNATE_NAME, quad.object.clone(), quad.graph_name.clone()));
            let canonical = oxigraph::model::Literal::new_simple_literal(&chosen);
            transaction.insert(&Quad::new(entity.clone(), predicate, canonical, quad.graph_name));
        }
    }
    transaction.commit()?;
    Ok(unified)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Article, EntityKind};
    use crate::rdf::iri::Minter;

    fn ingest(store: &Store, id: &str, title: &str, body: &str) {
        let pipeline = crate::Pipeline::new(Minter::default());
        let doc = pipeline.analyse(Article { id: id.into(), title: Some(title.into()), body: body.into(), ..Article::default() });
        assert!(doc.entities.iter().any(|e| e.kind == EntityKind::Person), "no person in {id}");
        crate::store::ingest(store, &[crate::rdf::map(&doc, &pipeline.minter)]).unwrap();
    }

    fn persons(store: &Store) -> BTreeSet<String> {
        store
            .quads_for_pattern(None, Some(rdf::TYPE), Some(schema::PERSON.into()), None)
            .map(|q| q.unwrap().subject.to_string())
            .collect()
    }

    #[test]
    fn a_bare_surname_joins_the_only_full_name() {
        let store = Store::new().unwrap();
        let prefix = Minter::default().node(&["entity", "person", ""]).as_str().to_string();
        ingest(&store, "a", "Talks end", "Foreign minister Jane Kowalczyk met the press in Warsaw on Monday.");
        ingest(&store, "b", "Kowalczyk speaks", "Kowalczyk told reporters that the talks had failed, Kowalczyk said.");
        assert_eq!(persons(&store).len(), 2);
        assert_eq!(join_bare_surnames(&store, &prefix).unwrap(), 1);
        let left = persons(&store);
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(left.iter().next().unwrap().contains("jane-kowalczyk"));
        // idempotent
        assert_eq!(join_bare_surnames(&store, &prefix).unwrap(), 0);
    }

    #[test]
    fn two_namesakes_keep_the_bare_name_apart() {
        let store = Store::new().unwrap();
        let prefix = Minter::default().node(&["entity", "person", ""]).as_str().to_string();
        ingest(&store, "a", "Talks end", "Foreign minister Jane Kowalczyk met the press in Warsaw on Monday.");
        ingest(&store, "c", "Brothers", "Finance minister Adam Kowalczyk resigned on Friday.");
        ingest(&store, "b", "Kowalczyk speaks", "Kowalczyk told reporters that the talks had failed, Kowalczyk said.");
        assert_eq!(join_bare_surnames(&store, &prefix).unwrap(), 0);
        let left = persons(&store);
        assert!(left.iter().any(|p| p.ends_with("/person/kowalczyk>")), "{left:?}");
    }

    #[test]
    fn every_entity_ends_with_one_name() {
        let store = Store::new().unwrap();
        ingest(&store, "a", "Bank deal", "Chief executive Jane Roe of ABN AMRO said the bank grew.");
        ingest(&store, "b", "Bank deal", "Chief executive Jane Roe of ABN Amro said the bank grew.");
        ingest(&store, "c", "Bank deal", "Chief executive Jane Roe of ABN Amro said the bank shrank.");
        unify_names(&store).unwrap();
        let names: BTreeSet<String> = store
            .quads_for_pattern(None, Some(schema::NAME), None, None)
            .map(|q| q.unwrap())
            .filter(|q| q.subject.to_string().contains("abn-amro"))
            .map(|q| q.object.to_string())
            .collect();
        assert_eq!(names, BTreeSet::from(["\"ABN Amro\"".to_string()]));
        assert_eq!(unify_names(&store).unwrap(), 0);
    }
}
