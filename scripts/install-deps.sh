#!/usr/bin/env bash
# Installs the Debian packages newsgraph's build and tests need, when missing:
#   libclang-dev   bindgen, for the RocksDB store (the default `rocksdb` cargo feature)
#   raptor2-utils  rapper, the independent RDF parser the tests check output with
set -euo pipefail
missing=()
for pkg in libclang-dev raptor2-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
