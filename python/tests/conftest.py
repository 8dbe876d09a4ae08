"""Shared fixtures: the repository, the newsgraph binary, and quad sets for comparisons."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def binary():
    """The newsgraph CLI: $NEWSGRAPH_BIN, else the release build of this repository."""
    path = pathlib.Path(os.environ.get("NEWSGRAPH_BIN", REPO / "target" / "release" / "newsgraph"))
    return path if path.is_file() else None


@pytest.fixture(scope="session")
def cli():
    path = binary()
    if path is None:
        pytest.skip("no newsgraph binary (cargo build --release, or set NEWSGRAPH_BIN)")

    def run(*args, stdin=None):
        done = subprocess.run([str(path), *map(str, args)], input=stdin, capture_output=True, timeout=600)
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        return done.stdout

    return run


def quad_set(nquads):
    """The quads as an Oxigraph store holds them (it writes xsd:integer for the integer types
    derived from it, so files written directly and files exported from a store compare equal)."""
    import newsgraph

    return {str(q) for q in newsgraph.to_pyoxigraph(nquads)}


ARTICLES = [
    {
        "id": "t-harbour",
        "title": "Port authority reopens Velmora harbour after storm",
        "published": "2021-03-04",
        "body": "VELMORA (Tidewire) - The Velmora Port Authority reopened the harbour on Thursday "
        "after a storm closed it for two days.\n\nHarbour master Ilse Brandvik said the "
        "damage was smaller than feared. Brandvik thanked the crews of the Coastal Rescue "
        "Service, which pulled four sailors from the water in Norway.",
    },
    {
        "id": "t-summit",
        "title": "Ministers meet in Lisbon on fishing quotas",
        "published": "2021-03-05",
        "body": "LISBON (Tidewire) - Fisheries ministers of the European Union met in Lisbon on "
        "Friday to discuss quotas for the North Atlantic.\n\nPortuguese minister Rui Calado "
        "said the talks would continue in Brussels next month.",
    },
]


# A full name and, in another article, the bare surname alone: only the corpus step joins them.
SURNAME_PAIR = [
    {"id": "full", "title": "Minister visits port", "body": "Finance minister Margit Tellander visited the "
     "harbour of Velmora on Monday. \"We will rebuild it,\" Margit Tellander told reporters."},
    {"id": "bare", "title": "Budget vote delayed", "body": "The budget vote was delayed on Tuesday. Mr Tellander "
     "said the parliament needed more time, and Mr Tellander did not give a new date."},
]
