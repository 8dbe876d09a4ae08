#!/usr/bin/env bash
# The main job on the example articles: extract a knowledge graph, write it as Turtle, and list
# its entities with a named query.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo build --release --quiet
target/release/newsgraph convert examples/ -o examples.ttl
echo "wrote examples.ttl" >&2
target/release/newsgraph query --input examples/ queries/entities.rq
