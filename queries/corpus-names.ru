# The corpus step, first half, as SPARQL 1.1 Update: one name per entity. Run it after a bulk
# load of the parts of a sharded or Spark run written before the corpus step (`--raw`, or
# `convert --shard I/N` without `corpus --reduce`), then run corpus-surnames.ru.
#   newsgraph: `newsgraph corpus --store DIR` does both in one step.
#   Virtuoso:  isql 1111 dba PASS exec="SPARQL $(cat queries/corpus-names.ru)"  (or the endpoint)
#   Oxigraph:  curl -X POST -H 'Content-Type: application/sparql-update' --data-binary @queries/corpus-names.ru http://localhost:7878/update
#
# The decision depends on the whole corpus: an unlinked entity's IRI comes from a normalised
# name, so articles may write it differently ("ABN AMRO", "ABN Amro"). The form written by most
# article graphs wins (ties: the smallest in code-point order); in the graphs that wrote another
# form, that form becomes a schema:alternateName and the chosen one the schema:name. Events get
# the same for rdfs:label. Each operation reads the store as it was before it, so the result does
# not depend on the order the store keeps its quads in, and a second run changes nothing.
#
# What differs from `newsgraph corpus`: quads of the default graph are not counted or rewritten
# (GRAPH ?g); the parts write every quad in an article graph, so on them nothing differs.
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

DELETE { GRAPH ?g { ?entity schema:name ?other } }
INSERT { GRAPH ?g { ?entity schema:alternateName ?other . ?entity schema:name ?chosen } }
WHERE {
  {
    # per entity, the smallest of its most written forms
    SELECT ?entity (MIN(?form) AS ?chosen) WHERE {
      {
        SELECT ?entity ?form (COUNT(DISTINCT ?written) AS ?graphs) WHERE {
          GRAPH ?written { ?entity schema:name ?name } FILTER(isIRI(?entity) && isLiteral(?name)) BIND(STR(?name) AS ?form)
        } GROUP BY ?entity ?form
      }
      {
        SELECT ?entity (MAX(?count) AS ?most) WHERE {
          SELECT ?entity ?form (COUNT(DISTINCT ?written) AS ?count) WHERE {
            GRAPH ?written { ?entity schema:name ?name } FILTER(isIRI(?entity) && isLiteral(?name)) BIND(STR(?name) AS ?form)
          } GROUP BY ?entity ?form
        } GROUP BY ?entity
      }
      FILTER(?graphs = ?most)
    } GROUP BY ?entity
  }
  GRAPH ?g { ?entity schema:name ?other }
  FILTER(isLiteral(?other) && STR(?other) != ?chosen)
} ;

DELETE { GRAPH ?g { ?entity rdfs:label ?other } }
INSERT { GRAPH ?g { ?entity schema:alternateName ?other . ?entity rdfs:label ?chosen } }
WHERE {
  {
    SELECT ?entity (MIN(?form) AS ?chosen) WHERE {
      {
        SELECT ?entity ?form (COUNT(DISTINCT ?written) AS ?graphs) WHERE {
          GRAPH ?written { ?entity rdfs:label ?name } FILTER(isIRI(?entity) && isLiteral(?name)) BIND(STR(?name) AS ?form)
        } GROUP BY ?entity ?form
      }
      {
        SELECT ?entity (MAX(?count) AS ?most) WHERE {
          SELECT ?entity ?form (COUNT(DISTINCT ?written) AS ?count) WHERE {
            GRAPH ?written { ?entity rdfs:label ?name } FILTER(isIRI(?entity) && isLiteral(?name)) BIND(STR(?name) AS ?form)
          } GROUP BY ?entity ?form
        } GROUP BY ?entity
      }
      FILTER(?graphs = ?most)
    } GROUP BY ?entity
  }
  GRAPH ?g { ?entity rdfs:label ?other }
  FILTER(isLiteral(?other) && STR(?other) != ?chosen)
}
