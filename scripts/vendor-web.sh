#!/usr/bin/env bash
# Fetches the explorer's vendored web libraries from the npm registry with `npm pack`, checks the
# tarballs and every file taken from them against the sha256 sums below, and copies the files to
# vendor/web/, where `newsgraph serve` embeds them (no CDN: the pages work offline).
#
#   scripts/vendor-web.sh          fetch, check and copy
#   scripts/vendor-web.sh --check  only check that vendor/web/ holds exactly these files
#
# To upgrade a library: change its version, run the script, read the diff, put the new sums here
# and in README.md ("Vendored web libraries").
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=vendor/web

# package@version  sha256 of the tarball npm pack fetches
tarballs=(
  "codemirror@5.65.21 b26d9d7ae0f42e34b44a8f7667d29a3ab0d3df88d0e79c0dad39dc03ba43f6dc"
  "cytoscape@3.35.0 058a81a7534777ea68dc737e9b77bd5b701e00acd9bee246245a576eeeac32e6"
)
# package  path in its tarball  vendored name  sha256
files=(
  "codemirror package/lib/codemirror.js codemirror.js e98aac5ffa07bae58acd4ff07c4293059f8921c0ae0eba506929d8c6f41c9288"
  "codemirror package/lib/codemirror.css codemirror.css eb494ea972d2661ef86f7f6ac656dd6786d721e49c9c1b46e1eb967e4b6f9bf3"
  "codemirror package/mode/sparql/sparql.js codemirror-sparql.js 67da386492db5a215029f64cf31d008f5a60b389da8ed3cbabba1dd698427e8a"
  "codemirror package/addon/edit/matchbrackets.js codemirror-matchbrackets.js 9d23a177f1e4d07e3acc37c210ffbe4c1c2eb4d55bbe54c16d3e7ad3d04d0401"
  "codemirror package/LICENSE LICENSE-codemirror 168a4becc968f5001e2ee2e0291b6e4daabafc1894a11ade1e11d56e96096e07"
  "cytoscape package/dist/cytoscape.min.js cytoscape.min.js 71fa9ebec21a7ca2c40cff6aacc30d1f6464e363662ad4b2c197e1adc770cd94"
  "cytoscape package/LICENSE LICENSE-cytoscape eb319c6e6f233607f71e8e2f450391751883cfc0eeb3ca7ef574c13d1d9c2203"
)

check_sum() { # file expected
  local actual
  actual=$(sha256sum "$1" | cut -d' ' -f1)
  if [ "$actual" != "$2" ]; then
    echo "sha256 mismatch for $1: expected $2, got $actual" >&2
    return 1
  fi
}

if [ "${1:-}" = "--check" ]; then
  for entry in "${files[@]}"; do
    read -r _ _ name sum <<<"$entry"
    check_sum "$vendor/$name" "$sum"
  done
  extra=$(ls "$vendor" | grep -vxF -f <(for entry in "${files[@]}"; do read -r _ _ name _ <<<"$entry"; echo "$name"; done) || true)
  [ -z "$extra" ] || { echo "files in $vendor that this script does not vouch for: $extra" >&2; exit 1; }
  echo "vendored web libraries match their sums"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${tarballs[@]}"; do
  read -r spec sum <<<"$entry"
  name=${spec%@*}
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls "$work"/"$name"-*.tgz)
  check_sum "$tarball" "$sum"
  mkdir -p "$work/$name"
  tar -xzf "$tarball" -C "$work/$name"
done
mkdir -p "$vendor"
for entry in "${files[@]}"; do
  read -r package path name sum <<<"$entry"
  check_sum "$work/$package/$path" "$sum"
  cp "$work/$package/$path" "$vendor/$name"
done
echo "vendored ${#files[@]} files into $vendor"
