"""The Spark job (examples/spark/newsgraph_job.py) on a real Spark in local mode, on loopback."""

import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile

import pytest

from conftest import ARTICLES, REPO, SURNAME_PAIR, binary, quad_set

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (scripts/python-tests.sh installs it)")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark (openjdk-17-jre-headless)", allow_module_level=True)

spec = importlib.util.spec_from_file_location("newsgraph_job", REPO / "examples" / "spark" / "newsgraph_job.py")
job = importlib.util.module_from_spec(spec)
spec.loader.exec_module(job)

BASE = "https://newsgraph.example/"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The example articles and the tests' own: one JSON-lines file of 5 articles."""
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    lines = (REPO / "examples" / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    lines += [json.dumps(a) for a in ARTICLES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The newsgraph binary packed as a release archive would be, for spark.archives."""
    path = binary()
    if path is None:
        return None
    archive = tmp_path_factory.mktemp("archive") / "newsgraph.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(path, arcname="newsgraph")
    return archive


@pytest.fixture(scope="module")
def spark(archive):
    from pyspark.sql import SparkSession

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = (
        SparkSession.builder.master("local[2,3]")  # two task threads, a task may fail three times
        .appName("newsgraph-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.python.worker.reuse", "true")
    )
    if archive is not None:
        builder = builder.config("spark.archives", f"{archive}#ng")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def read_parts(parts):
    data = []
    for part in parts:
        path = part.removeprefix("file:")
        assert path.endswith(".nq"), path
        data.append(pathlib.Path(path).read_bytes())
    return data


def lines_of(chunks):
    return sorted(line for chunk in chunks for line in chunk.splitlines() if line)


def single_run(corpus):
    import newsgraph

    return newsgraph.Extractor().to_nquads(corpus.read_text(encoding="utf-8").splitlines())


def test_map_partitions_writes_one_part_per_partition_equal_to_the_single_run(spark, corpus, tmp_path, cli):
    rdd = job.extract_rdd(spark.sparkContext, [str(corpus)], BASE, partitions=2)
    assert rdd.getNumPartitions() == 2
    parts = job.save_parts(rdd, str(tmp_path / "out"))
    assert [p.rsplit("/", 1)[1] for p in parts] == ["part-00000.nq", "part-00001.nq"]
    chunks = read_parts(parts)
    assert all(chunks), "each partition holds articles"
    graphs = [{line.rsplit(b" ", 2)[-2] for line in chunk.splitlines()} for chunk in chunks]
    assert not graphs[0] & graphs[1], "an article graph is whole in one part"
    # no quad lost or written twice, and the same quads as the package and the CLI give
    assert lines_of(chunks) == lines_of([single_run(corpus)])
    assert quad_set(b"".join(chunks)) == quad_set(cli("convert", corpus, "--format", "nquads"))


def test_parts_load_into_a_store_with_newsgraph_load(spark, corpus, tmp_path, cli):
    rdd = job.extract_rdd(spark.sparkContext, [str(corpus)], BASE, partitions=2)
    job.save_parts(rdd, str(tmp_path / "out"), gzip=True)
    names = sorted(os.listdir(tmp_path / "out"))
    assert "part-00000.nq.gz" in names and "part-00001.nq.gz" in names and "_SUCCESS" in names
    cli("load", "--store", tmp_path / "store", tmp_path / "out")
    exported = cli("export", "--store", tmp_path / "store", "--format", "nquads")
    assert quad_set(exported) == quad_set(single_run(corpus))


def test_the_pipe_variant_gives_the_same(spark, corpus, tmp_path, archive):
    if archive is None:
        pytest.skip("no newsgraph binary to ship (cargo build --release, or set NEWSGRAPH_BIN)")
    rdd = job.pipe_rdd(spark.sparkContext, [str(corpus)], BASE, partitions=2)
    parts = job.save_parts(rdd, str(tmp_path / "out"))
    assert len(parts) == 2
    # the CLI writes each partition before the corpus step (--shard 0/1), as the package does
    assert quad_set(b"".join(read_parts(parts))) == quad_set(single_run(corpus))


def test_the_union_of_partitions_after_the_corpus_step_equals_the_single_run(spark, tmp_path, cli):
    import newsgraph

    full, bare = ({**a, "id": "c-" + a["id"]} for a in SURNAME_PAIR)
    wire = [json.loads(line) for line in (REPO / "examples" / "wire.jsonl").read_text(encoding="utf-8").splitlines() if line]
    articles = [full, *wire, bare]
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    rdd = job.extract_rdd(spark.sparkContext, [str(path)], BASE, partitions=2)
    raw = b"".join(read_parts(job.save_parts(rdd, str(tmp_path / "raw"))))
    settled_rdd, index = job.corpus_step(rdd, BASE)
    parts = job.save_parts(settled_rdd, str(tmp_path / "out"))
    rdd.unpersist()
    assert len(parts) == 2
    single = cli("convert", path, "--format", "nquads")
    assert quad_set(raw) != quad_set(single), "the raw partitions need the corpus step"
    assert index.joins(BASE) == 1
    assert quad_set(b"".join(read_parts(parts))) == quad_set(single)
    # the index pickles (as Spark broadcasts it) and reads back from its bytes
    import pickle

    assert pickle.loads(pickle.dumps(index)) == index
    assert newsgraph.CorpusIndex.from_bytes(index.to_bytes()) == index


def test_a_task_that_fails_once_loses_and_duplicates_nothing(spark, corpus, tmp_path):
    marker = tmp_path / "failed-once"

    def fail_once(index, chunks):
        for n, chunk in enumerate(chunks):
            yield chunk
            # the second partition fails after it wrote part of its output
            if index == 1 and n == 0 and not marker.exists():
                marker.write_text("failed")
                raise RuntimeError("injected failure")

    rdd = job.extract_rdd(spark.sparkContext, [str(corpus)], BASE, partitions=2, batch_size=1)
    parts = job.save_parts(rdd.mapPartitionsWithIndex(fail_once), str(tmp_path / "out"))
    assert marker.exists(), "the task failed once"
    assert lines_of(read_parts(parts)) == lines_of([single_run(corpus)])


def test_spark_submit_runs_the_job_as_a_user_would(corpus, tmp_path):
    spark_submit = pathlib.Path(pyspark.__file__).parent / "bin" / "spark-submit"
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable)
    done = subprocess.run(
        [
            str(spark_submit), "--master", "local[2]",
            "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
            "--conf", "spark.ui.enabled=false",
            str(REPO / "examples" / "spark" / "newsgraph_job.py"),
            "--out", str(tmp_path / "out"), "--partitions", "2", str(corpus),
        ],
        capture_output=True, text=True, timeout=600, env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # spark-submit passes the driver's stderr on to its stdout
    assert "newsgraph: 2 parts in" in done.stdout + done.stderr
    chunks = [p.read_bytes() for p in sorted((tmp_path / "out").glob("part-*.nq"))]
    assert lines_of(chunks) == lines_of([single_run(corpus)])
