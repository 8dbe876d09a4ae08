"""newsgraph on Apache Spark: JSON-lines articles in, one N-Quads part per partition out.

    spark-submit examples/spark/newsgraph_job.py --out OUT INPUT.jsonl [INPUT.jsonl.gz ...]
    spark-submit --conf spark.archives=newsgraph.tar.gz#ng \\
        examples/spark/newsgraph_job.py --pipe --out OUT INPUT.jsonl        # the CLI, unchanged

Two ways to run the extraction, with the same output:
- `mapPartitions` (default) calls the `newsgraph` Python package in each Python worker;
- `--pipe` streams each partition through the `newsgraph` binary (`RDD.pipe`), shipped to the
  executors as an archive with `spark.archives` (the binary's folder is `ng/` by the fragment).

Parts are written by `saveAsTextFile`, so Spark's output committer keeps only the output of the
task attempt that succeeded: a retried or speculative task neither loses nor duplicates quads.
They are then renamed `part-NNNNN.nq` (`.nq.gz` with `--gzip`); `newsgraph load --store DIR OUT/`
loads them, or any graph database's bulk loader (docs/graph-databases.md).

Each part holds whole article graphs. The decisions that need the whole corpus (one name per
entity, its most used form; a bare surname joined to the one person whose full name ends in it)
run in the job itself with `mapPartitions` (the default): each partition's graphs are kept
(persisted) and indexed (`newsgraph.CorpusIndex`, names and person IRIs only), the indexes are
summed with `treeReduce`, the sum is broadcast, and a second `mapPartitions` rewrites each
partition before it is written. The union of the parts is then the single `newsgraph convert`
run. With `--raw` (and always with `--pipe`) parts are written before the corpus step; run it
after the load with `newsgraph corpus --store DIR`.
"""

import argparse
import operator
import os
import sys
import warnings

# Extractors by their settings, one per Python worker process: the tagger and the knowledge base
# load once per process, and the extractor's threads start at its first call, after Spark forked.
_EXTRACTORS = {}


def extractor(base, kb, threads):
    import newsgraph

    key = (base, kb, threads)
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = newsgraph.Extractor(base=base, kb=kb, threads=threads)
    return _EXTRACTORS[key]


def extract_partition(lines, base, kb=None, threads=1, batch=256, on_error="skip", failed=None):
    """The N-Quads of a partition's JSON lines, as one bytes chunk per batch of articles (no final
    line break: the text writer adds one). Articles that fail are logged to the worker's stderr
    and counted in the accumulator `failed`, or fail the task with on_error="raise"."""
    import newsgraph

    ex = extractor(base, kb, threads)

    def convert(chunk):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", newsgraph.ArticleWarning)
            nquads = ex.to_nquads(chunk, on_error=on_error)
        for warning in caught:
            print(f"newsgraph: {warning.message}", file=sys.stderr)
            if failed is not None and str(warning.message).endswith("; skipped"):
                failed.add(1)
        return nquads

    chunk = []
    for line in lines:
        if line.strip():
            chunk.append(line)
        if len(chunk) == batch:
            nquads = convert(chunk)
            chunk = []
            if nquads:
                yield nquads[:-1]
    if chunk:
        nquads = convert(chunk)
        if nquads:
            yield nquads[:-1]


def partition_index(chunks):
    """The map side of the corpus step: the CorpusIndex of one partition's N-Quads chunks."""
    import newsgraph

    index = newsgraph.CorpusIndex()
    for chunk in chunks:
        index.add_nquads(chunk)
    yield index


def corpus_step(rdd, base, depth=2):
    """The corpus step over an RDD of N-Quads chunks (each chunk whole article graphs, as
    extract_rdd makes them): the partitions' indexes summed by treeReduce, the sum broadcast,
    each chunk rewritten. Returns the rewritten RDD and the summed index. The input is persisted
    (memory, then disk) so the articles are analysed once for both passes; unpersist it after
    the output is written."""
    from pyspark import StorageLevel

    raw = rdd.persist(StorageLevel.MEMORY_AND_DISK)
    index = raw.mapPartitions(partition_index).treeReduce(operator.add, depth)
    decided = raw.context.broadcast(index)

    def settle(chunks):
        for chunk in chunks:
            nquads = decided.value.apply(chunk, base)
            if nquads:
                yield nquads[:-1]

    return raw.mapPartitions(settle), index


def read_lines(sc, inputs, partitions=None):
    """The JSON lines of every input (local paths or any Hadoop file system; .gz is read as is)."""
    return sc.textFile(",".join(inputs), minPartitions=partitions or sc.defaultParallelism)


def extract_rdd(sc, inputs, base, kb=None, partitions=None, on_error="skip", failed=None, batch_size=256):
    """mapPartitions over the Python package: an RDD of N-Quads chunks, one per batch_size
    articles (a batch is analysed in one call; its lines repeated in three articles or more
    count as a site's template, as within one file of the CLI)."""
    return read_lines(sc, inputs, partitions).mapPartitions(
        lambda lines: extract_partition(lines, base, kb, batch=batch_size, on_error=on_error, failed=failed)
    )


def binary_path(sc, binary):
    """The binary as the Python workers see it: relative to their working folder on a cluster
    (where spark.archives are linked), under the SparkFiles root in local mode."""
    if os.path.isabs(binary) or not sc.master.startswith("local"):
        return binary
    from pyspark import SparkFiles

    shipped = os.path.join(SparkFiles.getRootDirectory(), binary)
    return shipped if os.path.exists(shipped) else os.path.abspath(binary)


def pipe_rdd(sc, inputs, base, binary="ng/newsgraph", partitions=None):
    """RDD.pipe through the unchanged CLI: each partition's lines on its stdin, N-Quads back,
    before the corpus step (`--shard 0/1` keeps every article and leaves the step out: a
    partition settled alone would count names over that partition only)."""
    import shlex

    command = [binary_path(sc, binary), "convert", "-", "--format", "nquads", "--shard", "0/1", "--base", base]
    return read_lines(sc, inputs, partitions).pipe(shlex.join(command), checkCode=True)


def save_parts(rdd, out, gzip=False, overwrite=False):
    """Writes one part per partition through Spark's committer, then names the parts .nq(.gz).
    Returns the part paths."""
    sc = rdd.context
    hadoop = sc._jvm.org.apache.hadoop.fs
    out_path = hadoop.Path(out)
    fs = out_path.getFileSystem(sc._jsc.hadoopConfiguration())
    if overwrite and fs.exists(out_path):
        fs.delete(out_path, True)
    codec = "org.apache.hadoop.io.compress.GzipCodec" if gzip else None
    rdd.saveAsTextFile(out, compressionCodecClass=codec)
    parts = []
    for status in fs.listStatus(out_path):
        name = status.getPath().getName()
        if not name.startswith("part-"):
            continue
        stem = name[: -len(".gz")] if name.endswith(".gz") else name
        renamed = stem + ".nq" + (".gz" if name.endswith(".gz") else "")
        if not stem.endswith(".nq"):
            fs.rename(status.getPath(), hadoop.Path(out_path, renamed))
        parts.append(f"{out.rstrip('/')}/{renamed}")
    return sorted(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="JSON-lines files (or .gz), local or on any Hadoop file system")
    parser.add_argument("--out", required=True, help="output folder for part-NNNNN.nq")
    parser.add_argument("--base", default="https://newsgraph.example/", help="base IRI")
    parser.add_argument("--kb", help="a knowledge base of your own (JSON lines), on every worker")
    parser.add_argument("--partitions", type=int, help="at least this many partitions (parts)")
    parser.add_argument("--pipe", action="store_true", help="run the newsgraph binary through RDD.pipe")
    parser.add_argument("--binary", default="ng/newsgraph", help="the binary for --pipe (default: from spark.archives ...#ng)")
    parser.add_argument("--gzip", action="store_true", help="write part-NNNNN.nq.gz")
    parser.add_argument("--raw", action="store_true",
                        help="write the parts before the corpus step (then: newsgraph load, newsgraph corpus --store)")
    parser.add_argument("--overwrite", action="store_true", help="replace the output folder")
    parser.add_argument("--on-error", choices=["skip", "raise"], default="skip",
                        help="skip: log failed articles and go on (exit 1 at the end); raise: fail the task")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("newsgraph").getOrCreate()
    sc = spark.sparkContext
    failed = sc.accumulator(0)
    if args.pipe:
        rdd = pipe_rdd(sc, args.inputs, args.base, args.binary, args.partitions)
    else:
        rdd = extract_rdd(sc, args.inputs, args.base, args.kb, args.partitions, args.on_error, failed)
    raw = rdd
    if not (args.pipe or args.raw):
        rdd, index = corpus_step(rdd, args.base)
        print(f"newsgraph: corpus step: {index.joins(args.base)} bare surnames joined to a full name", file=sys.stderr)
    parts = save_parts(rdd, args.out, gzip=args.gzip, overwrite=args.overwrite)
    raw.unpersist()
    print(f"newsgraph: {len(parts)} parts in {args.out}", file=sys.stderr)
    if failed.value:
        print(f"newsgraph: {failed.value} articles failed (see the executors' stderr)", file=sys.stderr)
    spark.stop()
    return 1 if failed.value else 0


if __name__ == "__main__":
    sys.exit(main())
