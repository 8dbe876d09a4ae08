#!/usr/bin/env bash
# Times the explorer's answers on a real store: the entity page, its network (60 and 500 nodes)
# and the timeline, for the most-mentioned entity and a few others, over HTTP on loopback.
#   scripts/explorer-bench.sh [STORE_DIR] [newsgraph]
# Without STORE_DIR the BBC corpus (../shared/data/bbc) is ingested into a temporary store first.
# Prints min / median / max of 5 runs per answer, in milliseconds (after one warm-up run).
set -euo pipefail
cd "$(dirname "$0")/.."
newsgraph=$(realpath "${2:-target/release/newsgraph}")
tmp=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
store=${1:-}
if [ -z "$store" ]; then
  corpus=../shared/data/bbc/articles.jsonl
  [ -f "$corpus" ] || { echo "no store given and $corpus is absent: nothing to measure" >&2; exit 0; }
  store=$tmp/store
  "$newsgraph" ingest --store "$store" "$corpus"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
"$newsgraph" serve --store "$store" --bind "127.0.0.1:$port" 2>/dev/null &
server=$!
for _ in $(seq 200); do curl -fs "$base/sparql" >/dev/null 2>&1 && break; sleep 0.1; done

encode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
time_ms() { # url: prints min median max of 5 runs after a warm-up, and the answer's size
  curl -fs -o /dev/null "$1"
  local runs=()
  for _ in 1 2 3 4 5; do
    runs+=("$(curl -fs -o /dev/null -w '%{time_total}' "$1")")
  done
  local size
  size=$(curl -fs "$1" | wc -c)
  printf '%s\n' "${runs[@]}" | sort -n | awk -v size="$size" '{ t[NR] = $1 * 1000 } END { printf "%6.0f %6.0f %6.0f ms  %8d bytes", t[1], t[3], t[5], size }'
}

# The most-mentioned entities, and one from further down the list.
ranked=$(curl -fs -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?e (COUNT(?m) AS ?n) WHERE { ?m itsrdf:taIdentRef ?e } GROUP BY ?e ORDER BY DESC(?n) LIMIT 200' "$base/sparql" | tail -n +2 | tr -d '\r')
entities=$(printf '%s\n' "$ranked" | sed -n '1p;2p;4p;50p;200p' | cut -d, -f1)
printf '%-60s %-22s %s\n' "entity (mentions)" "answer" "min median max"
printf '%-60s %-22s %s\n' "-" "summary (/)" "$(time_ms "$base/api/summary")"
printf '%-60s %-22s %s\n' "-" "timeline, all events" "$(time_ms "$base/api/timeline")"
for entity in $entities; do
  mentions=$(printf '%s\n' "$ranked" | grep -F "$entity," | cut -d, -f2)
  iri=$(encode "$entity")
  label="${entity#https://newsgraph.example/} ($mentions)"
  printf '%-60s %-22s %s\n' "$label" "entity page" "$(time_ms "$base/api/entity?iri=$iri")"
  printf '%-60s %-22s %s\n' "" "network, 60 nodes" "$(time_ms "$base/api/network?iri=$iri&limit=60")"
  printf '%-60s %-22s %s\n' "" "network, 500 nodes" "$(time_ms "$base/api/network?iri=$iri&limit=500")"
  printf '%-60s %-22s %s\n' "" "timeline" "$(time_ms "$base/api/timeline?iri=$iri")"
done

# The largest network in Chromium, when scripts/browser-test.sh has installed what it needs.
playwright=target/browser-test/node_modules/playwright-core
if command -v chromium >/dev/null && [ -d "$playwright" ]; then
  top=$(printf '%s\n' "$ranked" | head -1 | cut -d, -f1)
  PLAYWRIGHT=$(realpath "$playwright") SCREENSHOTS=$(realpath target/browser-test) \
    node tests/browser/measure-network.mjs "$base" "$top"
fi
