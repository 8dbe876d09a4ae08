#!/usr/bin/env bash
# The endpoint under load, on loopback: wrk (Debian's) with 64 connections mixing the named
# queries of queries/ for 60 s against `newsgraph serve` over the BBC store; prints throughput,
# latency percentiles, errors, and the server's resident memory before, during and after.
#   scripts/load.sh [SECONDS] [CONNECTIONS] [SERVE OPTION...]   (default 60 s, 64 connections)
# The store is built once under target/load-store from ../shared/data/bbc/articles.jsonl;
# NEWSGRAPH_BIN names another binary (to compare builds). Answers are counted by status (503 is
# the endpoint refusing work it has no worker or queue place for, with Retry-After).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-64}
shift $(( $# < 2 ? $# : 2 ))
corpus=../shared/data/bbc/articles.jsonl
[ -f "$corpus" ] || { echo "skipped: $corpus is absent"; exit 0; }
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get update -qq; DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null; }
bin=${NEWSGRAPH_BIN:-target/release/newsgraph}
[ -x "$bin" ] || cargo build --release
store=target/load-store
[ -d "$store" ] || "$bin" ingest --store "$store" "$corpus"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --store "$store" --bind "127.0.0.1:$port" "$@" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/sparql" && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
peak() { awk '/VmHWM/ {print $2}' "/proc/$server/status"; }

# wrk's script: each request POSTs the next named query (application/sparql-query), CSV results;
# one request per connection, as the gate of `serve` answers (so closing is not a read error)
lua=$(mktemp --suffix .lua)
{
  echo 'local queries = {'
  for q in queries/*.rq; do
    printf '  [==[%s]==],\n' "$(cat "$q")"
  done
  echo '}'
  cat <<'LUA'
local i = 0
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function()
  statuses = {}
end
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
request = function()
  i = i % #queries + 1
  return wrk.format("POST", "/sparql", {["Content-Type"] = "application/sparql-query", ["Accept"] = "text/csv", ["Connection"] = "close"}, queries[i])
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("throughput %.1f requests/s\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 95, 99, 99.9}) do
    io.write(string.format("latency p%g %.1f ms\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("latency max %.1f ms\n", latency.max / 1000))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local line = "answers by status:"
  for status, n in pairs(total) do
    line = line .. string.format(" %d: %d", status, n)
  end
  io.write(line .. "\n")
end
LUA
} > "$lua"
# one pass of each query first, asked as wrk asks it: the caches (the store's, and the answers kept
# by serve) are warm, so growth after it is not the caches
for q in queries/*.rq; do curl -s -o /dev/null -H 'Content-Type: application/sparql-query' -H 'Accept: text/csv' --data-binary "@$q" "http://127.0.0.1:$port/sparql"; done
before=$(rss)
echo "server peak RSS during warm-up: $(peak) KB"
( sleep $(( seconds / 2 )); echo "server RSS at half time: $(rss) KB" ) &
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 35s -s "$lua" "http://127.0.0.1:$port/sparql"
after=$(rss)
sleep 2
echo "server RSS: $before KB after warm-up, $after KB at the end, $(rss) KB 2 s later; peak $(peak) KB"
rm -f "$lua"
