#!/usr/bin/env bash
# Runs shard I (0-based) of N of a Qt Test executable: of its test cases
# (function, data row) in the order `-datatags` lists them, every N-th from
# the I-th, so each case runs in exactly one shard and a cross-product's
# rows spread evenly. Usage: run_shard.sh EXE I N [QTEST ARGS...]
set -euo pipefail
exe=$1 shard=$2 shards=$3
shift 3
listing=$("$exe" -datatags)
cases=()
k=0
while IFS= read -r line; do
    [[ $line =~ ^Tst[A-Za-z0-9_]*\ ([A-Za-z0-9_]+)(\ (.*))?$ ]] || continue
    if (( k++ % shards == shard )); then
        if [[ -n ${BASH_REMATCH[2]} ]]; then cases+=("${BASH_REMATCH[1]}:${BASH_REMATCH[3]}"); else cases+=("${BASH_REMATCH[1]}"); fi
    fi
done <<< "$listing"
if (( ${#cases[@]} == 0 )); then
    echo "run_shard: shard $shard of $shards of $exe has no test cases ($k listed)" >&2
    exit 1
fi
exec "$exe" "$@" "${cases[@]}"
