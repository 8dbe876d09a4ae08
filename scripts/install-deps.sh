#!/usr/bin/env bash
# Installs Debian packages when missing. Without arguments, those newsgraph's build and tests need:
#   libclang-dev   bindgen, for the RocksDB store (the default `rocksdb` cargo feature)
#   raptor2-utils  rapper, the independent RDF parser the tests check output with
# With arguments, those packages instead (scripts/ci-prepare.sh passes the later CI steps' ones).
set -euo pipefail
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(libclang-dev raptor2-utils)
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
