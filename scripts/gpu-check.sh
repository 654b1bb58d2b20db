#!/usr/bin/env bash
# GPU check (issue: Vulkan engine, item 8). On a machine with a real GPU:
# builds the release tree, runs every Vulkan test binary (validation layer on;
# they pick the best device, FACET_DEVICE=N overrides), makes E2B-shaped
# random-weight Q4_0 and Q8_0 models and prints one facet-bench table.
#   bash scripts/gpu-check.sh [-p 512] [-n 128]
# Environment: BUILD (build folder, default build/gpu), MODELS (model folder),
# JOBS (parallel build jobs). Nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
PP=512
TG=128
while [ $# -gt 0 ]; do
    case "$1" in
        -p) PP="$2"; shift 2 ;;
        -n) TG="$2"; shift 2 ;;
        *) echo "usage: $0 [-p N] [-n N]" >&2; exit 2 ;;
    esac
done
BUILD=${BUILD:-build/gpu}
MODELS=${MODELS:-$BUILD/bench-models}
JOBS=${JOBS:-$(nproc)}

echo "== devices"
# Tests need Qt 6 Test; without it the tools alone are built and benchmarked.
TESTS=ON
if ! cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFACET_BUILD_APP=OFF -DFACET_BUILD_TESTS=ON >"$BUILD.configure.log" 2>&1; then
    echo "(configure with tests failed, see $BUILD.configure.log; building the tools only)"
    TESTS=OFF
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFACET_BUILD_APP=OFF -DFACET_BUILD_TESTS=OFF
fi
cmake --build "$BUILD" -j "$JOBS" --target facet-cli facet-bench
"$BUILD/tools/facet-cli/facet-cli" devices

status=0
if [ "$TESTS" = ON ]; then
    echo "== Vulkan tests"
    cmake --build "$BUILD" -j "$JOBS"
    for t in "$BUILD"/tests/tst_vk_*; do
        [ -x "$t" ] || continue
        if QT_QPA_PLATFORM=offscreen "$t" >"$t.log" 2>&1; then
            echo "PASS $(basename "$t") ($(grep -o 'Totals: .*' "$t.log"))"
        else
            echo "FAIL $(basename "$t")"; tail -30 "$t.log"; status=1
        fi
    done
fi

echo "== facet-bench (E2B shape, random weights, pp$PP tg$TG)"
mkdir -p "$MODELS"
for t in q4_0 q8_0; do
    m="$MODELS/e2b-$t.gguf"
    [ -f "$m" ] || "$BUILD/tools/facet-bench/facet-bench" --make e2b --type "$t" -o "$m"
done
first=1
for t in q4_0 q8_0; do
    out=$("$BUILD/tools/facet-bench/facet-bench" --model "$MODELS/e2b-$t.gguf" -p "$PP" -n "$TG") || status=1
    if [ $first = 1 ]; then echo "$out"; first=0; else echo "$out" | tail -n +2; fi
done
exit $status
