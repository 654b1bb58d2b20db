#!/usr/bin/env bash
# Runs shard I (0-based) of N of a Qt Test executable: of its test cases
# (function, data row) in the order `-datatags` lists them, the I-th of N
# runs of about equal length, so each case runs in exactly one shard.
# Neighbouring cases share pipelines (a weight type's rows sit together),
# and on a CPU Vulkan device building pipelines is most of a test's time:
# runs keep them in one process. Usage: run_shard.sh EXE I N [QTEST ARGS...]
set -euo pipefail
exe=$1 shard=$2 shards=$3
shift 3
listing=$("$exe" -datatags)
all=()
while IFS= read -r line; do
    [[ $line =~ ^Tst[A-Za-z0-9_]*\ ([A-Za-z0-9_]+)(\ (.*))?$ ]] || continue
    if [[ -n ${BASH_REMATCH[2]} ]]; then all+=("${BASH_REMATCH[1]}:${BASH_REMATCH[3]}"); else all+=("${BASH_REMATCH[1]}"); fi
done <<< "$listing"
k=${#all[@]}
first=$(( shard * k / shards ))
end=$(( (shard + 1) * k / shards ))
cases=("${all[@]:first:end-first}")
if (( ${#cases[@]} == 0 )); then
    echo "run_shard: shard $shard of $shards of $exe has no test cases ($k listed)" >&2
    exit 1
fi
exec "$exe" "$@" "${cases[@]}"
