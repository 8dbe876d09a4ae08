# The corpus step, second half, as SPARQL 1.1 Update: a person written only by a bare surname
# ("Mr Tellander said") is joined to the one person of the whole store whose full name ends in
# that word. Run it after corpus-names.ru (each person then has one schema:name).
#   newsgraph: `newsgraph corpus --store DIR` does both halves in one step.
#
# The decision depends on the whole corpus: with no person of that surname it stays apart; with
# two or more ("Ed Miliband", "David Miliband") too. Only nodes minted by newsgraph as unlinked
# people are joined (their IRIs start with the person prefix of the base below: edit it if the
# parts were made with another --base); a bare name linked to the knowledge base stays.
#
# The decision is written to a scratch graph first, so the operations after it read one fixed
# decision while they rewrite the graphs; the scratch graph is dropped at the end. In each article
# graph the bare node wrote, its statements move to the full-name node (its schema:name becomes an
# schema:alternateName, its types go), statements naming it point to the full-name node, and the
# full-name node gets its type and name there.
#
# What differs from `newsgraph corpus`, which compares surnames by newsgraph's name key:
# - the key here is the same rules written in SPARQL (curly apostrophes straightened, a trailing
#   's and apostrophes dropped, dots removed, lower case), but words are split at the spaces
#   XPath's \s knows (space, tab, line breaks), not every Unicode white space, and LCASE may
#   differ from Rust's to_lowercase for a few scripts; newsgraph collapses the spaces of names, so
#   on its own output this is not met in practice;
# - a person counts when one graph both types it schema:Person and names it (newsgraph's graphs
#   always do both); quads of the default graph are left alone.
PREFIX schema: <http://schema.org/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX step: <urn:newsgraph:corpus-step#>

INSERT { GRAPH step:decision { ?bare step:joinsTo ?full . ?full step:name ?fullName } }
WHERE {
  {
    # bare surnames of unlinked people, by their key
    SELECT DISTINCT ?bare ?key WHERE {
      GRAPH ?g { ?bare a schema:Person ; schema:name ?name }
      FILTER(isIRI(?bare) && STRSTARTS(STR(?bare), "https://newsgraph.example/entity/person/") && !REGEX(STR(?name), "\\s"))
      BIND(LCASE(REPLACE(REPLACE(REPLACE(REPLACE(STR(?name), "[’ʼ]", "'"), "'s$", ""), "'+$", ""), "\\.", "")) AS ?key)
    }
  }
  {
    # the surnames owned by exactly one full name
    SELECT ?key (SAMPLE(?person) AS ?full) (SAMPLE(?personName) AS ?fullName) WHERE {
      GRAPH ?g { ?person a schema:Person ; schema:name ?personName }
      FILTER(isIRI(?person) && REGEX(STR(?personName), "\\S\\s+\\S"))
      BIND(LCASE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(STR(?personName), "[’ʼ]", "'"), "\\s+", " "), "'s$", ""), "'+$", ""), "^.* ", ""), "\\.", "")) AS ?key)
    } GROUP BY ?key HAVING (COUNT(DISTINCT ?person) = 1)
  }
} ;

# the full-name node's type and name in every article graph the bare node wrote
INSERT { GRAPH ?g { ?full a schema:Person ; schema:name ?fullName } }
WHERE {
  GRAPH step:decision { ?bare step:joinsTo ?full . ?full step:name ?fullName }
  GRAPH ?g { ?bare ?p ?o }
  FILTER(?g != step:decision)
} ;

# the bare node's statements, but its types, moved to the full-name node
DELETE { GRAPH ?g { ?bare ?p ?o } }
INSERT { GRAPH ?g { ?full ?moved ?o } }
WHERE {
  GRAPH step:decision { ?bare step:joinsTo ?full }
  GRAPH ?g { ?bare ?p ?o }
  FILTER(?g != step:decision && ?p != rdf:type)
  BIND(IF(?p = schema:name, schema:alternateName, ?p) AS ?moved)
} ;

DELETE { GRAPH ?g { ?bare a ?type } }
WHERE {
  GRAPH step:decision { ?bare step:joinsTo ?full }
  GRAPH ?g { ?bare a ?type }
  FILTER(?g != step:decision)
} ;

# statements naming the bare node name the full-name node
DELETE { GRAPH ?g { ?s ?p ?bare } }
INSERT { GRAPH ?g { ?s ?p ?full } }
WHERE {
  GRAPH step:decision { ?bare step:joinsTo ?full }
  GRAPH ?g { ?s ?p ?bare }
  FILTER(?g != step:decision)
} ;

DROP SILENT GRAPH step:decision
