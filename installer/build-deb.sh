#!/usr/bin/env bash
# Builds Facet's Debian package from this tree and leaves exactly one
# facet_<version>_<arch>.deb in OUTDIR (older ones it made there are removed).
#   bash installer/build-deb.sh OUTDIR
# The build folder is FACET_DEB_BUILD (default build/deb): configured afresh
# each run (cmake --fresh: no stale cache entries), Release, tests off, with
# Debian's hardening flags; its objects are reused when unchanged. Needs the
# packages of scripts/debian-packages.txt (dpkg-dev for dpkg-shlibdeps).
# Nothing is downloaded.
set -euo pipefail
out=${1:?usage: build-deb.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/.."
src=$PWD
build=${FACET_DEB_BUILD:-build/deb}

# Debian's build flags (dpkg-buildflags: stack protector, _FORTIFY_SOURCE,
# RELRO; file-prefix-map keeps the build path out of the binaries) plus
# BIND_NOW. CMake ignores CPPFLAGS, so they join the compiler flags. -g goes:
# CPack strips the binaries anyway.
flags() { dpkg-buildflags --get "$1" | sed -e 's/\(^\| \)-g\( \|$\)/ /'; }
cppflags=$(dpkg-buildflags --get CPPFLAGS)
cflags="$(flags CFLAGS) $cppflags"
cxxflags="$(flags CXXFLAGS) $cppflags"
ldflags="$(dpkg-buildflags --get LDFLAGS) -Wl,-z,now"

cmake --fresh -S "$src" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DFACET_BUILD_APP=ON -DFACET_BUILD_TESTS=OFF \
    -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_C_FLAGS="$cflags" -DCMAKE_CXX_FLAGS="$cxxflags" \
    -DCMAKE_EXE_LINKER_FLAGS="$ldflags" -DCMAKE_SHARED_LINKER_FLAGS="$ldflags"
# Only what the package holds (not facet-bench, facet-mkmodel, facet-docs-bench).
cmake --build "$build" --target facet facet-cli facet_desktop_files

rm -rf "$build/_CPack_Packages"
rm -f "$build"/facet_*.deb
(cd "$build" && cpack -G DEB)
debs=("$build"/facet_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { echo "build-deb: expected one .deb in $build, found: ${debs[*]}" >&2; exit 1; }

contents=$(dpkg-deb -c "${debs[0]}")
for f in usr/bin/facet usr/bin/facet-cli usr/share/applications/io.github.facet.Facet.desktop usr/share/doc/facet/copyright; do
    grep -q " \./$f\$" <<<"$contents" || { echo "build-deb: ${debs[0]} lacks /$f" >&2; exit 1; }
done
# No GPL-only library may be linked (table in $build/license-audit.txt).
bash installer/linux/deb/license-audit.sh "$build/app/facet" "$build/tools/facet-cli/facet-cli" >"$build/license-audit.txt" ||
    { cat "$build/license-audit.txt"; echo "build-deb: see the license audit above" >&2; exit 1; }

# The QML modules Facet imports (and those Qt's own QML under them imports)
# are plugins dpkg-shlibdeps cannot see: they must all be in Depends.
bash installer/linux/deb/check-qml-depends.sh "${debs[0]}"

rm -f "$out"/facet_*.deb
cp "${debs[0]}" "$out/"
echo "build-deb: $out/$(basename "${debs[0]}")"
