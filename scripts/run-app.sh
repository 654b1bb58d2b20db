#!/usr/bin/env bash
# One command: install what is missing, build Facet (release) and start the
# app. Extra arguments go to the app (e.g. a model path).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
app=build/release/app/facet
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "run-app: no display found; starting Facet on a virtual X server (xvfb-run)"
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$app" "$@"
fi
exec "$app" "$@"
