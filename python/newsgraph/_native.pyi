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

class CorpusIndex:
    """The corpus step's index of article graphs (their names and person IRIs), to run that step
    where the data is: one index per partition or part, summed, then `apply` to every part.

    The step's decisions depend on the whole corpus (the most used form of each entity's name; a
    bare surname joined only when one person of the corpus has a full name ending in it), so
    `apply` must be called on the sum of the indexes of all parts. Pickles as `to_bytes()`.
    """

    def __init__(self) -> None:
        """An empty index."""
    @staticmethod
    def from_nquads(nquads: bytes) -> CorpusIndex:
        """The index of N-Quads as `Extractor.to_nquads` returns them (each article graph whole)."""
    def add_nquads(self, nquads: bytes) -> None:
        """Adds the graphs of more N-Quads."""
    def to_bytes(self) -> bytes:
        """The bytes of `newsgraph convert --shard I/N --index` (JSON lines, versioned header)."""
    @staticmethod
    def from_bytes(data: bytes) -> CorpusIndex:
        """An index from `to_bytes` or a `.idx` file; raises ValueError if it is not one."""
    def merge(self, other: CorpusIndex) -> None:
        """Adds another index to this one, in place."""
    def __add__(self, other: CorpusIndex) -> CorpusIndex: ...
    def __eq__(self, other: object) -> bool: ...
    def apply(self, nquads: bytes, base: str = "https://newsgraph.example/") -> bytes:
        """The N-Quads after the corpus step decided on this index; `base` is the extractor's.
        The decisions are taken at the first call and kept."""
    def joins(self, base: str = "https://newsgraph.example/") -> int:
        """How many bare-surname people the step joins to a full name."""
