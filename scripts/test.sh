#!/usr/bin/env bash
# The tests: system packages, then the whole test suite on the release build (the one profile
# that compiles RocksDB; benchmarks and the interop script reuse it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo test --release
