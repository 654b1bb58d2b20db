#!/usr/bin/env bash
# GPU check (issue: Vulkan engine, item 8). On a machine with a real GPU:
# builds the release tree, runs every Vulkan test binary (validation layer on;
# they pick the best device, FACET_DEVICE=N overrides), makes E2B-shaped
# random-weight Q4_0 and Q8_0 models and prints one facet-bench table, then
# the per-shader GPU time of a profiled run.
#   bash scripts/gpu-check.sh [-p 512] [-n 128] [--prebuilt DIR] [--no-tests] [--extra SHAPE]...
# --extra 31b (or e4b, moe): also a Q4_0 model of that shape, benchmarked
# with 32 generated tokens and profiled (bigger models show the bandwidth).
# --prebuilt DIR: use DIR/bundle.tar.xz from scripts/gpu-bundle.sh instead of
# building (for a GPU machine without compilers, Qt or glslang).
# Environment: BUILD (build folder, default build/gpu), MODELS (model folder),
# JOBS (parallel build jobs), TEST_TIMEOUT (seconds per test binary), LOGDIR (test logs; default beside each test).
# Nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
PP=512
TG=128
PREBUILT=
RUN_TESTS=1
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        -p) PP="$2"; shift 2 ;;
        -n) TG="$2"; shift 2 ;;
        --prebuilt) PREBUILT="$2"; shift 2 ;;
        --no-tests) RUN_TESTS=0; shift ;;
        --extra) EXTRA+=("$2"); shift 2 ;;
        *) echo "usage: $0 [-p N] [-n N] [--prebuilt DIR] [--no-tests] [--extra SHAPE]" >&2; exit 2 ;;
    esac
done
BUILD=${BUILD:-build/gpu}
MODELS=${MODELS:-$BUILD/bench-models}
JOBS=${JOBS:-$(nproc)}

if [ -n "$PREBUILT" ]; then
    B=$(mktemp -d)
    xz -dc "$PREBUILT/bundle.tar.xz" | tar -C "$B" -xf -
    export LD_LIBRARY_PATH="$B/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export VK_LAYER_PATH="$B/layers"
    export FACET_TEST_DATA="$PWD/tests/data" FACET_CLI="$B/bin/facet-cli"
    BENCH="$B/bin/facet-bench"
    CLI="$B/bin/facet-cli"
    TESTS_GLOB="$B/bin/tst_vk_*"
    mkdir -p "$MODELS"
else
    # Tests need Qt 6 Test; without it the tools alone are built and benchmarked.
    if ! cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFACET_BUILD_APP=OFF -DFACET_BUILD_TESTS=ON >"$BUILD.configure.log" 2>&1; then
        echo "(configure with tests failed, see $BUILD.configure.log; building the tools only)"
        RUN_TESTS=0
        cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFACET_BUILD_APP=OFF -DFACET_BUILD_TESTS=OFF
    fi
    vk_tests=$(ls tests/tst_vk_*.cpp | xargs -n1 basename | sed 's/\.cpp$//')
    targets="facet-cli facet-bench"
    [ "$RUN_TESTS" = 1 ] && targets="$targets $vk_tests"
    cmake --build "$BUILD" -j "$JOBS" --target $targets
    BENCH="$BUILD/tools/facet-bench/facet-bench"
    CLI="$BUILD/tools/facet-cli/facet-cli"
    TESTS_GLOB="$BUILD/tests/tst_vk_*"
fi

echo "== devices"
"$CLI" devices

status=0
# The kernel tuner's choices (vk_kernel_choices.h) in a folder of this run,
# emptied: the first load of each model measures them afresh and says so.
export XDG_CACHE_HOME=${LOGDIR:-$BUILD}/tuner-cache
rm -rf "$XDG_CACHE_HOME"
# Models first (all cores), while nothing else runs.
for t in q4_0 q8_0; do
    m="$MODELS/e2b-$t.gguf"
    [ -f "$m" ] || "$BENCH" --make e2b --type "$t" -o "$m"
done

echo "== facet-bench (E2B shape, random weights, pp$PP tg$TG)"
first=1
for t in q4_0 q8_0; do
    out=$("$BENCH" --model "$MODELS/e2b-$t.gguf" -p "$PP" -n "$TG") || status=1
    if [ $first = 1 ]; then echo "$out"; first=0; else echo "$out" | tail -n +2; fi
done

echo "== where the GPU time goes (Q4_0, profiled: stamps after every dispatch)"
"$BENCH" --model "$MODELS/e2b-q4_0.gguf" -p "$PP" -n 32 --profile || status=1

# Kernel tuning (full tables in $TUNE_LOG, the best lines here): the decode
# GEMV's workgroup shapes and the prefill GEMM's tiles, then E2B again with
# the best tile through FACET_VK_MATMAT_TILE, so one run shows what a new
# default would give end to end.
TUNE_LOG=${LOGDIR:-$BUILD}/kernel-tuning.txt
mkdir -p "$(dirname "$TUNE_LOG")"
: >"$TUNE_LOG"
echo "== tuning: decode GEMV shapes (groups and blocks layouts; table in $TUNE_LOG)"
for layout in groups blocks; do
    "$BENCH" --kernels --layout $layout --type q4_0 >>"$TUNE_LOG" 2>&1 || status=1
    "$BENCH" --kernels --layout $layout --type q8_0 --only 31b >>"$TUNE_LOG" 2>&1 || status=1
    # E2B's 5 MB matrix stays in a big GPU's L2: 16 copies in turn stream it as a model does.
    "$BENCH" --kernels --layout $layout --type q4_0 --only e2b --rotate 16 >>"$TUNE_LOG" 2>&1 || status=1
done
grep '^best' "$TUNE_LOG" || true
echo "== tuning: prefill GEMM tiles ($PP tokens)"
gemm_log=${TUNE_LOG%.txt}-gemm.txt
"$BENCH" --gemm --type q4_0 -p "$PP" --only e2b >"$gemm_log" 2>&1 || status=1
"$BENCH" --gemm --type q4_0 -p "$PP" --only "31b ffn_up" >>"$gemm_log" 2>&1 || status=1
grep '^best' "$gemm_log" || true
tile=$(grep -o "FACET_VK_MATMAT_TILE=[0-9x]*" "$gemm_log" | head -1 | cut -d= -f2 || true)
if [ -n "$tile" ]; then
    echo "== E2B Q4_0 with FACET_VK_MATMAT_TILE=$tile"
    FACET_VK_MATMAT_TILE=$tile "$BENCH" --model "$MODELS/e2b-q4_0.gguf" -p "$PP" -n 16 | tail -n 1 || status=1
fi
echo "== E2B Q4_0 and Q8_0 with the kernel tuner off (FACET_VK_TUNE=0: the built-in shapes)"
for t in q4_0 q8_0; do
    FACET_VK_TUNE=0 "$BENCH" --model "$MODELS/e2b-$t.gguf" -p "$PP" -n "$TG" | tail -n 1 || status=1
done
echo "== E2B Q4_0 with each decode step recorded when it comes (FACET_VK_RECORD_AHEAD=0)"
FACET_VK_RECORD_AHEAD=0 "$BENCH" --model "$MODELS/e2b-q4_0.gguf" -p 16 -n "$TG" | tail -n 1 || status=1
echo "== E2B Q4_0 and Q8_0 decode with FACET_VK_MATVEC_LAYOUT=blocks (an invocation per whole block)"
for t in q4_0 q8_0; do
    FACET_VK_MATVEC_LAYOUT=blocks "$BENCH" --model "$MODELS/e2b-$t.gguf" -p 16 -n "$TG" | tail -n 1 || status=1
done

for shape in "${EXTRA[@]}"; do
    m="$MODELS/$shape-q4_0.gguf"
    [ -f "$m" ] || "$BENCH" --make "$shape" --type q4_0 -o "$m"
    echo "== $shape Q4_0 (random weights), profiled"
    "$BENCH" --model "$m" -p "$PP" -n 32 || status=1
    FACET_VK_TUNE=0 "$BENCH" --model "$m" -p 16 -n 32 | tail -n 1 || status=1
    FACET_VK_MATVEC_LAYOUT=blocks "$BENCH" --model "$m" -p 16 -n 32 | tail -n 1 || status=1
    "$BENCH" --model "$m" -p 64 -n 16 --profile | tail -n +3 || status=1
    rm -f "$m"
done

if [ "$RUN_TESTS" = 1 ]; then
    echo "== Vulkan tests"
    for t in $TESTS_GLOB; do
        [ -x "$t" ] && [ -f "$t" ] || continue
        log="${LOGDIR:-$(dirname "$t")}/$(basename "$t").log"
        if QT_QPA_PLATFORM=offscreen timeout "${TEST_TIMEOUT:-900}" "$t" >"$log" 2>&1; then
            echo "PASS $(basename "$t") ($(grep -o 'Totals: .*' "$log"))"
        else
            echo "FAIL $(basename "$t")"; grep -E '^(FAIL|   Loc|QWARN)' "$log" | head -20 || true; tail -5 "$log"; status=1
        fi
    done
fi

exit $status
