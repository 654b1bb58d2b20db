#!/usr/bin/env bash
# The real openai-node client (pinned) against `facet-cli serve`: installs it
# into the build tree once (like fetch-tokenizer.sh, through npm), writes a
# tiny chat model, then runs tst_server_openai_node.mjs. Any failure fails.
set -euo pipefail
cli=${1:?usage: tst_server_openai_node.sh FACET_CLI FACET_MKMODEL CLIENT_DIR EMBED_MODEL}
mkmodel=${2:?}
clients=${3:?}
embed=${4:?}
pkg="openai@6.49.0"
if [ ! -f "$clients/node_modules/openai/package.json" ] ||
   ! grep -q '"version": "6.49.0"' "$clients/node_modules/openai/package.json"; then
    mkdir -p "$clients"
    npm install --no-save --silent --prefix "$clients" "$pkg" >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$mkmodel" --variant e2b-like --type q8_0 -o "$tmp/chat.gguf" >/dev/null
NODE_PATH="$clients/node_modules" node "$(dirname "$0")/tst_server_openai_node.mjs" "$cli" "$tmp/chat.gguf" "$embed" "$clients"
