#!/usr/bin/env bash
# The main job on the example articles: extract a knowledge graph, write it as Turtle, and list
# its entities with a named query.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The main job needs no on-disk store: build without RocksDB (a cold build is minutes, not ~15).
cargo build --release --quiet --no-default-features
target/release/newsgraph convert examples/ -o examples.ttl
echo "wrote examples.ttl" >&2
target/release/newsgraph query --input examples/ queries/entities.rq
