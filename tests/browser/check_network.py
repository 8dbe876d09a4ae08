"""Reads `newsgraph export --format graphml|gexf` with networkx, an independent reader, and checks
it against the store's own answers (queries/entities.rq and queries/article-entities.rq as JSON).

Usage: check_network.py NETWORK.graphml NETWORK.gexf ENTITIES.json ARTICLE-ENTITIES.json
"""
import itertools
import json
import sys
from collections import Counter

import networkx as nx

graphml_path, gexf_path, entities_path, article_entities_path = sys.argv[1:5]
KINDS = {"http://schema.org/Person": "Person", "http://schema.org/Organization": "Organization", "http://schema.org/Place": "Place"}


def rows(path):
    with open(path, encoding="utf-8") as file:
        answer = json.load(file)
    return [{name: term["value"] for name, term in binding.items()} for binding in answer["results"]["bindings"]]


expected_nodes = {row["entity"]: row for row in rows(entities_path) if row["type"] in KINDS}
members = {}
for row in rows(article_entities_path):
    if row["type"] in KINDS:
        members.setdefault(row["article"], set()).add(row["entity"])
expected_edges = Counter()
for entities in members.values():
    for a, b in itertools.combinations(sorted(entities), 2):
        expected_edges[(a, b)] += 1

for path, read in [(graphml_path, nx.read_graphml), (gexf_path, nx.read_gexf)]:
    graph = read(path)
    assert not graph.is_directed(), path
    assert set(graph.nodes) == set(expected_nodes), f"{path}: nodes differ from entities.rq"
    for iri, row in expected_nodes.items():
        node = graph.nodes[iri]
        assert node["label"] == row["name"], (path, iri, node)
        assert node["type"] == KINDS[row["type"]], (path, iri, node)
        # the network counts every phrase referring to a node, nationality words included
        assert int(node["mentions"]) == int(row["mentions"]) + int(row.get("nationalityMentions") or 0), (path, iri, node)
        assert int(node["articles"]) == sum(iri in entities for entities in members.values()), (path, iri, node)
    edges = {tuple(sorted((a, b))): int(data["weight"]) for a, b, data in graph.edges(data=True)}
    assert edges == dict(expected_edges), f"{path}: co-mention weights differ from article-entities.rq"
    print(f"{path}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, read by networkx {nx.__version__}: as expected")
