#!/usr/bin/env bash
# Installs, in one go and while CI compiles, what the later CI steps would each install when
# missing: the Debian packages of the interop, browser, syntax and Python checks (one apt
# transaction instead of one per script) and the Python test venv (pyspark alone is 456 MB).
# Every script still installs what it needs by itself; this only moves the waiting off the
# critical path. `.ci/run` starts it in the background.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
scripts/install-deps.sh virtuoso-opensource raptor2-utils chromium libapache-jena-java openjdk-17-jre-headless curl wrk
echo "== ci-prepare: Debian packages in $(( $(date +%s) - started )) s"
venv=${PYTHON_VENV:-target/python-venv}
mkdir -p "$(dirname "$venv")"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --no-cache-dir --disable-pip-version-check -r python/requirements-test.txt
echo "== ci-prepare: Python test venv in $(( $(date +%s) - started )) s"
