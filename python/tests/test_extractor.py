"""The Python package: output, errors, threads and the RDF library helpers."""

import datetime
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
import warnings

import pytest

import newsgraph
from conftest import ARTICLES, REPO, SURNAME_PAIR, quad_set

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def ex():
    return newsgraph.Extractor(base="https://example.org/")


def graph_names(nquads):
    return {q.graph_name.value for q in newsgraph.to_pyoxigraph(nquads)}


def test_one_named_graph_per_article_under_the_base(ex):
    nq = ex.to_nquads(ARTICLES)
    assert isinstance(nq, bytes)
    assert graph_names(nq) == {"https://example.org/article/t-harbour", "https://example.org/article/t-summit"}
    store = newsgraph.to_pyoxigraph(nq)
    people = {
        str(row["name"].value)
        for row in store.query(
            "SELECT ?name WHERE { ?p a <http://schema.org/Person> ; <http://schema.org/name> ?name }",
            use_default_graph_as_union=True,
        )
    }
    assert "Ilse Brandvik" in people


def test_output_is_in_input_order_and_independent_of_threads():
    one = newsgraph.Extractor(threads=1).to_nquads(ARTICLES)
    two = newsgraph.Extractor(threads=2).to_nquads(ARTICLES)
    assert one == two
    first_graph = one.split(b"\n", 1)[0].rsplit(b" ", 2)[-2]
    assert first_graph == b"<https://newsgraph.example/article/t-harbour>"


def test_dicts_and_json_lines_give_the_same_graph(ex):
    as_lines = [json.dumps(a) for a in ARTICLES]
    as_bytes = [json.dumps(a).encode() for a in ARTICLES]
    pretty = [json.dumps(a, indent=2) for a in ARTICLES]
    expected = ex.to_nquads(ARTICLES)
    assert ex.to_nquads(as_lines) == expected
    assert ex.to_nquads(as_bytes) == expected
    assert ex.to_nquads(pretty) == expected
    assert ex.to_nquads(iter(ARTICLES)) == expected


def test_equals_the_cli_on_the_examples(ex, cli):
    # the three wire articles share no entity the corpus step would rename, so the CLI's output
    # (after its corpus step) is the per-article output
    path = REPO / "examples" / "wire.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    python = newsgraph.Extractor().to_nquads(lines)
    command_line = cli("convert", path, "--format", "nquads")
    assert quad_set(python) == quad_set(command_line)
    assert len(quad_set(python)) > 100


def test_dates_from_python_date_objects(ex):
    article = dict(ARTICLES[0], published=datetime.date(2021, 3, 4))
    dates = [o for s, p, o, g in ex.quads(article) if p == "<http://schema.org/datePublished>"]
    assert dates == [f'"2021-03-04"^^<{XSD}date>']
    article = dict(ARTICLES[0], published=datetime.datetime(2021, 3, 4, 9, 30, tzinfo=datetime.timezone.utc))
    dates = [o for s, p, o, g in ex.quads(article) if p == "<http://schema.org/datePublished>"]
    assert dates == [f'"2021-03-04T09:30:00+00:00"^^<{XSD}dateTime>']


def test_quads_of_one_article_match_its_nquads(ex):
    quads = ex.quads(ARTICLES[1])
    assert len(quads) > 20
    as_tuples = set(quads)
    from_nquads = {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in newsgraph.to_pyoxigraph(ex.to_nquads([ARTICLES[1]]))
        if "XMLSchema#" not in str(q.object)  # the store rewrites derived integer types
    }
    assert from_nquads <= as_tuples
    assert {g for *_, g in as_tuples} == {"<https://example.org/article/t-summit>"}


def test_an_id_given_twice_keeps_the_later_article(ex):
    later = dict(ARTICLES[1], id="t-harbour")
    with pytest.warns(newsgraph.ArticleWarning, match="same article id"):
        nq = ex.to_nquads([ARTICLES[0], later])
    headlines = {str(q.object.value) for q in newsgraph.to_pyoxigraph(nq) if q.predicate.value == "http://schema.org/headline"}
    assert headlines == {ARTICLES[1]["title"]}


def test_errors_name_the_article_and_the_others_still_go_through(ex):
    bad = {"id": "t-empty", "title": " ", "body": ""}
    with pytest.raises(newsgraph.ArticleError, match=r'article 1 \(id "t-empty"\): empty article'):
        ex.to_nquads([ARTICLES[0], bad, ARTICLES[1]])
    with pytest.raises(newsgraph.ArticleError, match=r"article 0 .*malformed JSON"):
        ex.to_nquads(["{not json", ARTICLES[0]])
    with pytest.warns(newsgraph.ArticleWarning, match=r'article 1 \(id "t-empty"\): empty article.*skipped'):
        nq = ex.to_nquads([ARTICLES[0], bad, ARTICLES[1]], on_error="skip")
    assert graph_names(nq) == {"https://example.org/article/t-harbour", "https://example.org/article/t-summit"}
    with pytest.raises(TypeError, match="article 1: an article is a dict or a JSON string, not int"):
        ex.to_nquads([ARTICLES[0], 42])
    with pytest.raises(ValueError, match="on_error"):
        ex.to_nquads(ARTICLES, on_error="ignore")


def test_caveats_are_warnings(ex):
    with pytest.warns(newsgraph.ArticleWarning, match=r'article 0 \(id "t-harbour"\): unreadable publication date'):
        nq = ex.to_nquads([dict(ARTICLES[0], published="the day after the storm")])
    assert graph_names(nq) == {"https://example.org/article/t-harbour"}


def test_an_empty_call_gives_nothing(ex):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ex.to_nquads([]) == b""


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="not an absolute IRI"):
        newsgraph.Extractor(base="not an iri")
    with pytest.raises(ValueError, match="threads"):
        newsgraph.Extractor(threads=0)
    with pytest.raises(ValueError, match="missing.jsonl"):
        newsgraph.Extractor(kb="missing.jsonl")


def test_a_knowledge_base_of_ones_own(tmp_path):
    kb = tmp_path / "kb.jsonl"
    kb.write_text(
        json.dumps({"id": "https://example.org/id/vpa", "label": "Velmora Port Authority", "aliases": ["the authority"], "type": "Organization"}) + "\n",
        encoding="utf-8",
    )
    ex = newsgraph.Extractor(kb=kb)
    subjects = {s for s, p, o, g in ex.quads(ARTICLES[0])}
    assert "<https://example.org/id/vpa>" in subjects
    assert "<https://example.org/id/vpa>" not in {s for s, p, o, g in newsgraph.Extractor().quads(ARTICLES[0])}


def test_the_gil_is_released_while_analysing():
    ex = newsgraph.Extractor(threads=1)
    ex.to_nquads(ARTICLES)  # models loaded, pool started
    ticks = 0
    stop = threading.Event()

    def count():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.05)
        # a batch long enough to measure on a fast machine too: doubled until the call takes 0.2 s
        copies = 20
        while True:
            batch = [dict(a, id=f"{a['id']}-{i}") for i in range(copies) for a in ARTICLES]
            before = ticks
            started = time.perf_counter()
            ex.to_nquads(batch)
            elapsed = time.perf_counter() - started
            during = ticks - before
            if elapsed > 0.2 or copies >= 20 * 2**8:
                break
            copies *= 2
    finally:
        stop.set()
        counter.join()
    # holding the GIL, the counting thread would not run at all during the call
    assert elapsed > 0.2
    assert during > 1000 * elapsed


def test_no_threads_at_import_or_construction_only_at_the_first_call():
    script = (
        "import os, newsgraph\n"
        "def tasks(): return len(os.listdir('/proc/self/task'))\n"
        "a = tasks(); ex = newsgraph.Extractor(threads=3); b = tasks()\n"
        "ex.to_nquads([{'id': 'x', 'title': 'Storm in Velmora', 'body': 'A storm hit Velmora.'}]); c = tasks()\n"
        "print(a, b, c)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.split() == ["1", "1", "4"]


def _convert_in_child(queue):
    queue.put(_EX.to_nquads(ARTICLES))


_EX = newsgraph.Extractor(threads=2)


def test_a_forked_child_gets_its_own_pool():
    parent = _EX.to_nquads(ARTICLES)  # the parent's pool is running now
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_convert_in_child, args=(queue,))
    child.start()
    try:
        result = queue.get(timeout=120)
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
    assert child.exitcode == 0
    assert result == parent


def test_to_rdflib_keeps_the_article_graphs(ex):
    nq = ex.to_nquads(ARTICLES)
    ds = newsgraph.to_rdflib(nq)
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert {"https://example.org/article/t-harbour", "https://example.org/article/t-summit"} <= graphs
    names = {str(r[0]) for r in ds.query("SELECT ?n WHERE { ?p a <http://schema.org/Person> ; <http://schema.org/name> ?n }")}
    assert "Ilse Brandvik" in names
    assert sum(1 for _ in ds.quads((None, None, None, None))) == nq.count(b"\n")


def test_to_pyoxigraph_adds_to_a_given_store(ex):
    import pyoxigraph

    store = pyoxigraph.Store()
    newsgraph.to_pyoxigraph(ex.to_nquads(ARTICLES[:1]), store)
    newsgraph.to_pyoxigraph(ex.to_nquads(ARTICLES[1:]), store)
    assert len(list(store.named_graphs())) == 2


def test_version_and_stubs():
    assert newsgraph.__version__
    stub = os.path.join(os.path.dirname(newsgraph.__file__), "_native.pyi")
    assert os.path.exists(stub) and os.path.exists(os.path.join(os.path.dirname(stub), "py.typed"))


def test_the_corpus_index_is_the_cli_s_and_its_sum_settles_the_parts_as_convert_does(tmp_path, cli):
    articles = SURNAME_PAIR
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    ex = newsgraph.Extractor()
    parts = [ex.to_nquads([a]) for a in articles]
    indexes = [newsgraph.CorpusIndex.from_nquads(p) for p in parts]
    assert all(i.joins() == 0 for i in indexes), "neither part alone can join"
    total = indexes[0] + indexes[1]
    assert total.joins() == 1
    # the bytes of `convert --shard 0/1 --index` for the same articles
    cli("convert", path, "--shard", "0/1", "-o", tmp_path / "all.nq", "--index", tmp_path / "all.idx")
    assert total.to_bytes() == (tmp_path / "all.idx").read_bytes()
    settled = b"".join(total.apply(p) for p in parts)
    assert quad_set(settled) == quad_set(cli("convert", path, "--format", "nquads"))
    assert quad_set(settled) != quad_set(b"".join(parts))
    with pytest.raises(ValueError, match="corpus index"):
        newsgraph.CorpusIndex.from_bytes(b"<a> <b> <c> .\n")
