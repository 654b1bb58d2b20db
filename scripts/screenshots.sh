#!/usr/bin/env bash
# Screenshots of the real main window and its dialogs, light and dark, at
# 1280x800 and at 2x (QT_SCALE_FACTOR=2):
#   scripts/screenshots.sh OUTDIR [BUILD_DIR]
# OUTDIR/1x/*.png and OUTDIR/2x/*.png. A temporary HOME (and data/config dirs)
# is seeded with a few conversations; a tiny generated model (facet-mkmodel)
# is loaded on the CPU so the toolbar shows a model and its badge. Runs under
# Xvfb when it is installed (OpenGL, as on a desktop: Material's shadows),
# else on the offscreen platform (software rendering).
set -euo pipefail
out=${1:?usage: scripts/screenshots.sh OUTDIR [BUILD_DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build/ci}
cmake --build "$build" --target facet-screenshots facet-mkmodel -- -j2 >/dev/null
shots=$build/tests/facet-screenshots
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
model=$tmp/gemma-4-e2b-it-Q8_0.gguf
"$build/tools/facet-mkmodel/facet-mkmodel" --variant e2b-like --type q8_0 -o "$model" >/dev/null

run() {  # SCALE SUBDIR
    local home=$tmp/home-$2
    mkdir -p "$home"
    local platform=offscreen wrap=()
    if command -v xvfb-run >/dev/null; then platform=xcb wrap=(xvfb-run -a -s "-screen 0 3000x2000x24"); fi
    "${wrap[@]}" env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u DBUS_SESSION_BUS_ADDRESS -u QT_QUICK_CONTROLS_STYLE \
        HOME="$home" LANG=C.UTF-8 QT_SCALE_FACTOR="$1" QT_QPA_PLATFORM=$platform \
        FACET_DATA_DIR="$home/data" FACET_CONFIG_DIR="$home/config" FACET_BACKEND=cpu \
        FACET_NO_PORTAL=1 ASAN_OPTIONS=detect_leaks=0 XDG_CACHE_HOME="$home/cache" "$shots" "$out/$2" "$model"
}
run 1 1x
run 2 2x
ls -1 "$out"/1x "$out"/2x
