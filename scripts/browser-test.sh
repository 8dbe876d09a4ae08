#!/usr/bin/env bash
# The explorer's tests in a real browser and the network export read by a real network library:
#   - Debian's chromium (apt, when missing) driven by playwright-core from npm (installed into
#     target/browser-test/ when missing) against `newsgraph serve` on loopback, over examples/;
#     each page's screenshot is left in target/browser-test/screenshots/;
#   - `newsgraph export --format graphml|gexf` of the examples read back by networkx from PyPI
#     (in a venv in target/browser-test/venv).
# Usage: scripts/browser-test.sh [path/to/newsgraph]   (default target/release/newsgraph)
set -euo pipefail
cd "$(dirname "$0")/.."
newsgraph=$(realpath "${1:-target/release/newsgraph}")
work=target/browser-test
mkdir -p "$work"
work=$(realpath "$work")
playwright_version=1.65.1
networkx_version=3.5

started=$(date +%s)
if ! command -v chromium >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing chromium" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f "$work/node_modules/playwright-core/package.json" ] ||
   ! grep -q "\"version\": \"$playwright_version\"" "$work/node_modules/playwright-core/package.json"; then
  (cd "$work" && npm install --no-save --no-audit --no-fund --silent "playwright-core@$playwright_version")
fi
if [ ! -x "$work/venv/bin/python" ] || ! "$work/venv/bin/python" -c "import networkx" 2>/dev/null; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --no-cache-dir --quiet "networkx==$networkx_version"
fi
echo "== browser-test: installs done in $(( $(date +%s) - started )) s"

data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
"$newsgraph" convert examples/ -o "$data/examples.trig" 2>/dev/null

# GraphML and GEXF from a store, as Gephi users get them, read by networkx.
"$newsgraph" ingest --store "$data/store" examples/ 2>/dev/null
"$newsgraph" export --store "$data/store" --format graphml -o "$data/network.graphml"
"$newsgraph" export --store "$data/store" -o "$data/network.gexf"
"$newsgraph" query --store "$data/store" --results json queries/entities.rq > "$data/entities.json"
"$newsgraph" query --store "$data/store" --results json queries/article-entities.rq > "$data/article-entities.json"
"$work/venv/bin/python" tests/browser/check_network.py "$data/network.graphml" "$data/network.gexf" \
  "$data/entities.json" "$data/article-entities.json"

NEWSGRAPH="$newsgraph" GRAPH="$data/examples.trig" PLAYWRIGHT="$work/node_modules/playwright-core" \
  SCREENSHOTS="$work/screenshots" node --test --test-reporter=spec tests/browser/
echo "== browser-test: done in $(( $(date +%s) - started )) s (screenshots in $work/screenshots)"
