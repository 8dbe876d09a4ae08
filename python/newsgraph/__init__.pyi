from typing import Any, Union

from newsgraph._native import (
    Article as Article,
    ArticleError as ArticleError,
    ArticleWarning as ArticleWarning,
    CorpusIndex as CorpusIndex,
    Extractor as Extractor,
    Quad as Quad,
    QuadIterator as QuadIterator,
    __version__ as __version__,
)

def to_pyoxigraph(nquads: bytes, store: Any = None) -> Any:
    """Loads N-Quads into a pyoxigraph.Store (a new in-memory one unless `store` is given)."""

def to_rdflib(nquads: Union[bytes, str], dataset: Any = None) -> Any:
    """Loads N-Quads into an rdflib.Dataset (a new one with default_union=True unless given)."""
