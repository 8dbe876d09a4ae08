#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ (cargo fuzz, libFuzzer with AddressSanitizer) for a while, from
# the seed corpus in fuzz/seeds/ plus what earlier runs found (fuzz/corpus/, not committed).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 25 s each, every target)
# CI runs it briefly so the targets keep building; longer runs look for crashes. A crash leaves
# its input in fuzz/artifacts/TARGET/ and fails the script; turn it into a test under tests/.
# Needs the nightly toolchain (installed on these machines) and cargo-fuzz (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-25}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(readers segment pipeline serializers)
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "skipped: fuzzing needs the nightly toolchain"; exit 0
fi
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
cd fuzz
start=$(date +%s)
# FUZZ_BUILD_FLAGS: CI passes "--dev -s none" (unoptimised, no AddressSanitizer), a cold build
# of about 3 minutes instead of 10 or more, enough to prove each target builds and runs
cargo +nightly fuzz build ${FUZZ_BUILD_FLAGS:-}
echo "== fuzz build in $(( $(date +%s) - start )) s"
bin=target/x86_64-unknown-linux-gnu/release
case " ${FUZZ_BUILD_FLAGS:-} " in *" --dev "* | *" -D "*) bin=target/x86_64-unknown-linux-gnu/debug ;; esac
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  case $target in readers) max_len=65536 ;; *) max_len=16384 ;; esac
  # `cov:`/`ft:` in the last lines are libFuzzer's coverage (edges, features); `#N` the executions.
  mkdir -p "artifacts/$target"
  "$bin/$target" "corpus/$target" "seeds/$target" -artifact_prefix="artifacts/$target/" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=60 -report_slow_units=60 -rss_limit_mb=4096 \
    -print_final_stats=1 2>&1 | grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::number|==[0-9]+==|SUMMARY|Done |Test unit written)' || true
  if ls "artifacts/$target"/crash-* "artifacts/$target"/timeout-* "artifacts/$target"/oom-* >/dev/null 2>&1; then
    echo "fuzz target $target failed: see fuzz/artifacts/$target/"; exit 1
  fi
done
