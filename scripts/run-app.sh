#!/usr/bin/env bash
# One command: install what is missing, build Facet (release) and start the
# app. Extra arguments go to the app (e.g. a model path); without any, the app
# opens a tiny random-weight demo model (it answers gibberish, but every part
# of the chat works) so there is something to try before a real download.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
app=build/release/app/facet
if [ $# -eq 0 ]; then
    demo=build/release/demo/tiny-e2b-demo.gguf
    if [ ! -f "$demo" ]; then
        mkdir -p "$(dirname "$demo")"
        build/release/tools/facet-mkmodel/facet-mkmodel --variant e2b-like --type q8_0 -o "$demo"
    fi
    echo "run-app: no model given; opening the tiny random-weight demo model $demo"
    set -- "$demo"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "run-app: no display found; starting Facet on a virtual X server (xvfb-run)"
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$app" "$@"
fi
exec "$app" "$@"
