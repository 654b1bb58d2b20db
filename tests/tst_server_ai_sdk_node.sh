#!/usr/bin/env bash
# The Vercel AI SDK (ai@5 with @ai-sdk/openai-compatible@1, pinned) against
# `facet-cli serve`: installs them (and zod) into the build tree once through npm,
# writes a tiny chat model, then runs tst_server_ai_sdk_node.mjs. Any failure fails.
set -euo pipefail
cli=${1:?usage: tst_server_ai_sdk_node.sh FACET_CLI FACET_MKMODEL CLIENT_DIR}
mkmodel=${2:?}
clients=${3:?}
ai="5.0.285"
compat="1.0.61"
zod="4.6.7"  # the SDK's peer; pinned so the schemas it writes never change under us
installed() { grep -q "\"version\": \"$2\"" "$clients/node_modules/$1/package.json" 2>/dev/null; }
if ! installed ai "$ai" || ! installed @ai-sdk/openai-compatible "$compat" || ! installed zod "$zod"; then
    mkdir -p "$clients"
    npm install --no-save --silent --prefix "$clients" "ai@$ai" "@ai-sdk/openai-compatible@$compat" "zod@$zod" >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$mkmodel" --variant e2b-like --type q8_0 -o "$tmp/chat.gguf" >/dev/null
node "$(dirname "$0")/tst_server_ai_sdk_node.mjs" "$cli" "$tmp/chat.gguf" "$clients"
