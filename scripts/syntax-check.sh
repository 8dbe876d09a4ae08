#!/usr/bin/env bash
# Output is valid RDF for every input, checked by three independent parsers: Raptor (rapper),
# rdflib and Apache Jena's RIOT read every syntax newsgraph writes, from articles full of awkward
# characters, to the same quads (tests/syntax.rs). Installs what is missing: Debian's
# raptor2-utils and libapache-jena-java, rdflib in a venv under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
missing=()
command -v rapper >/dev/null || missing+=(raptor2-utils)
command -v java >/dev/null || missing+=(default-jre-headless)
dpkg -s libapache-jena-java >/dev/null 2>&1 || missing+=(libapache-jena-java)
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Jena's class path: the package's jars and those of the Java packages it depends on, with one
# slf4j binding (simple: riot reports its errors through it). Debian's jena-core 4.5.0 moved the
# bundled Xerces classes to `xerces.*` but left
# their message files under `org/apache/jena/ext/xerces/`, and without them every datatype fails
# to initialise ("internal error"); a small jar puts copies where the classes look.
fix=target/jena-xerces-messages.jar
if [ ! -f "$fix" ]; then
  work=$(mktemp -d)
  (cd "$work" && unzip -q /usr/share/java/jena-core.jar 'org/apache/jena/ext/xerces/*' -x '*.class' \
     && mkdir xerces && cp -r org/apache/jena/ext/xerces/* xerces/ && rm -rf org \
     && python3 -m zipfile -c jar.zip xerces)
  mkdir -p target && mv "$work/jar.zip" "$fix" && rm -rf "$work"
fi
seen=" "; queue="libapache-jena-java"; jars=""
while [ -n "${queue// /}" ]; do
  set -- $queue; package=$1; shift; queue="$*"
  case "$seen" in *" $package "*) continue ;; esac
  seen="$seen$package "
  jars="$jars $(dpkg -L "$package" 2>/dev/null | grep -E '^/usr/share/java/[^/]+\.jar$' | grep -v -E -- '-[0-9][0-9.]*\.jar$' || true)"
  queue="$queue $(dpkg-query -W -f='${Depends}' "$package" 2>/dev/null | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g' | grep -E 'java$' || true)"
done
classpath=$(printf '%s\n' $jars | grep -v -E 'log4j-over|slf4j-(log4j|jcl|jdk|simple|nop|migrator)|jcl-over|jul-to' | sort -u | tr '\n' ':')
export NEWSGRAPH_JENA_CLASSPATH="${classpath}/usr/share/java/slf4j-simple.jar:$PWD/$fix"

venv=target/syntax-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import rdflib' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --no-cache-dir 'rdflib>=7,<8'
fi
export NEWSGRAPH_RDFLIB_PYTHON="$PWD/$venv/bin/python"
export NEWSGRAPH_REQUIRE_PARSERS=1
cargo test --release --test syntax -- --nocapture
