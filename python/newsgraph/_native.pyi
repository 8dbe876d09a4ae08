from collections.abc import Iterable, Iterator, Mapping
from os import PathLike
from typing import Any, Literal, Union

__version__: str

Article = Union[Mapping[str, Any], str, bytes]
"""A dict with the JSON-lines fields (id, url, title/headline, published/date, author,
body/text/content; dates may be datetime.date or datetime.datetime), or one JSON line."""

Quad = tuple[str, str, str, str]
"""(subject, predicate, object, graph), each in N-Triples syntax: <iri>, "literal"^^<type>, _:b."""

class ArticleError(ValueError):
    """An article could not be read or analysed; the message names its position and id."""

class ArticleWarning(UserWarning):
    """An article was read with a caveat (e.g. an unreadable date), or skipped."""

class QuadIterator(Iterator[Quad]):
    def __iter__(self) -> QuadIterator: ...
    def __next__(self) -> Quad: ...
    def __len__(self) -> int: ...

class Extractor:
    """Extracts the knowledge graph of news articles, one named graph per article.

    base: the IRI under which articles and entities are named.
    kb: a knowledge base of your own (JSON lines, see docs/kb.md), added to the bundled one.
    threads: how many articles are analysed at once (default: every CPU); the pool starts at the
    first call, not at import or construction.
    """

    def __init__(
        self,
        base: str = "https://newsgraph.example/",
        kb: Union[str, PathLike[str], None] = None,
        threads: Union[int, None] = None,
    ) -> None: ...
    @property
    def base(self) -> str: ...
    @property
    def threads(self) -> int: ...
    def to_nquads(
        self, articles: Iterable[Article], on_error: Literal["raise", "skip"] = "raise"
    ) -> bytes:
        """N-Quads of every article, in input order, analysed without the GIL.

        on_error="raise" raises ArticleError naming every article that failed (after the others
        are analysed); "skip" leaves them out with an ArticleWarning each.
        """
    def quads(self, article: Article) -> QuadIterator:
        """The quads of one article; raises ArticleError if it cannot be read."""
