"""newsgraph: news articles to an RDF knowledge graph.

People, organizations, places and events, the posts people hold and the events they take part in,
with one named graph per article and character offsets for every mention. Offline: the tagger
and the knowledge base are inside the package.

    import newsgraph
    ex = newsgraph.Extractor(base="https://example.org/")
    nq = ex.to_nquads([{"id": "a1", "title": "...", "published": "2015-11-15", "body": "..."}])
    store = newsgraph.to_pyoxigraph(nq)   # or newsgraph.to_rdflib(nq)
"""

from newsgraph._native import ArticleError, ArticleWarning, CorpusIndex, Extractor, QuadIterator, __version__

__all__ = [
    "ArticleError",
    "ArticleWarning",
    "CorpusIndex",
    "Extractor",
    "QuadIterator",
    "__version__",
    "to_pyoxigraph",
    "to_rdflib",
]


def to_pyoxigraph(nquads, store=None):
    """Loads N-Quads (bytes, as `Extractor.to_nquads` returns) into a pyoxigraph Store.

    Into `store` when given, else into a new in-memory one; returns the store. Query the union of
    the article graphs with `store.query(q, use_default_graph_as_union=True)`.
    """
    import pyoxigraph

    if store is None:
        store = pyoxigraph.Store()
    store.bulk_load(nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def to_rdflib(nquads, dataset=None):
    """Loads N-Quads (bytes or str) into an rdflib Dataset, one graph per article.

    A new Dataset has `default_union=True`, so queries see every article graph, as newsgraph's
    own store does; returns the dataset.
    """
    import rdflib

    if dataset is None:
        dataset = rdflib.Dataset(default_union=True)
    if isinstance(nquads, (bytes, bytearray, memoryview)):
        nquads = bytes(nquads).decode("utf-8")
    dataset.parse(data=nquads, format="nquads")
    return dataset
