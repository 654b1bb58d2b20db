#!/usr/bin/env bash
# Packs a release build's Vulkan tests and tools with the shared libraries
# they need (Qt Test, sentencepiece, the Vulkan loader, the Khronos validation
# layer) into one folder, so scripts/gpu-check.sh --prebuilt can run them on a
# GPU machine that has a driver but none of the build dependencies.
#   bash scripts/gpu-bundle.sh [BUILD] [OUTDIR]    (defaults: build/gpu .gpu-bundle)
# BUILD must hold facet-bench, facet-cli and the tst_vk_* binaries
# (cmake --build BUILD --target facet-bench facet-cli tst_vk_...).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/gpu}
OUTDIR=${2:-.gpu-bundle}
rm -rf "$OUTDIR"
mkdir -p "$OUTDIR/bin" "$OUTDIR/lib" "$OUTDIR/layers"

bins=("$BUILD/tools/facet-bench/facet-bench" "$BUILD/tools/facet-cli/facet-cli")
for t in "$BUILD"/tests/tst_vk_*; do [ -x "$t" ] && [ -f "$t" ] && bins+=("$t"); done
for b in "${bins[@]}"; do
    [ -x "$b" ] || { echo "missing $b: build it first" >&2; exit 1; }
    strip -o "$OUTDIR/bin/$(basename "$b")" "$b"
done

# Every library the binaries load, except the C runtime the target has.
libs=$(for b in "${bins[@]}"; do ldd "$b"; done | awk '/=> \//{print $3}' | sort -u |
    grep -vE '/(libc|libm|libdl|librt|libpthread|ld-linux[^/]*)\.so')
vklib=$(ldconfig -p | awk '/libvulkan\.so\.1 /&&!f{print $NF; f=1}')
layer=$(ldconfig -p | awk '/libVkLayer_khronos_validation\.so /&&!f{print $NF; f=1}')
layer=${layer:-/usr/lib/x86_64-linux-gnu/libVkLayer_khronos_validation.so}
for l in $libs "$vklib"; do cp -L "$l" "$OUTDIR/lib/"; done
cp -L "$layer" "$OUTDIR/layers/"
# The manifest names its library relative to itself.
sed 's|"library_path": *"[^"]*"|"library_path": "./libVkLayer_khronos_validation.so"|' \
    /usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json >"$OUTDIR/layers/VkLayer_khronos_validation.json"

# Under the transfer limits: one compressed archive.
tar -C "$OUTDIR" -cf - bin lib layers | xz -T0 -6 >"$OUTDIR.tar.xz"
rm -rf "$OUTDIR"
mkdir -p "$OUTDIR" && mv "$OUTDIR.tar.xz" "$OUTDIR/bundle.tar.xz"
du -h "$OUTDIR/bundle.tar.xz"
