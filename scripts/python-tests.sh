#!/usr/bin/env bash
# The Python package's tests (python/tests), Spark ones included, in a venv of their own:
# installs Java (openjdk-17-jre-headless) when missing, creates target/python-venv with pyspark,
# maturin, pytest, pyoxigraph and rdflib (pip --no-cache-dir), builds the package with
# `pip install ./python`, and runs pytest. The Spark tests use target/release/newsgraph (or
# $NEWSGRAPH_BIN) for the CLI comparisons and the RDD.pipe variant.
# Prints the seconds each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${PYTHON_VENV:-target/python-venv}
step() { echo "== python: $1 in $(( $(date +%s) - $2 )) s" >&2; }

started=$(date +%s)
if ! command -v java >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing openjdk-17-jre-headless" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
fi
step "Java" "$started"

started=$(date +%s)
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --no-cache-dir --disable-pip-version-check -r python/requirements-test.txt
step "venv (pyspark, maturin, pytest, pyoxigraph, rdflib)" "$started"

started=$(date +%s)
"$venv/bin/pip" install -q --no-cache-dir --disable-pip-version-check --force-reinstall --no-deps ./python
step "pip install ./python (the wheel)" "$started"

started=$(date +%s)
export SPARK_LOCAL_IP=127.0.0.1
"$venv/bin/python" -m pytest -q -W ignore::DeprecationWarning -p no:cacheprovider python/tests "$@"
step "pytest" "$started"
