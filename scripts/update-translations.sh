#!/usr/bin/env bash
# Runs lupdate over the app's C++ and QML (the build's update_translations
# target, translations/translations.cmake): new messages join
# translations/facet_{de,fr,en}.ts as unfinished, messages no source uses
# any more leave them. BUILD_DIR (default build/ci) is configured with the
# ci preset first when it has no cache yet.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build/ci}"
[ -f "$build/CMakeCache.txt" ] || cmake --preset ci
cmake --build "$build" --target update_translations
for ts in translations/facet_*.ts; do
    echo "$ts: $(python3 scripts/translations-fill.py "$ts" --dump | wc -l) untranslated"
done
