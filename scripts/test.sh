#!/usr/bin/env bash
# One command: install what is missing, build the test configuration
# (AddressSanitizer + UBSan) and run the whole suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci
