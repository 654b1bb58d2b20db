#!/usr/bin/env bash
# Checks that a Facet .deb depends on every QML module the app needs at run
# time: the modules Facet's QML imports (app/qml) and the modules Qt's own QML
# under them imports (QtQuick.Dialogs' non-native file dialog imports
# Qt.labs.folderlistmodel; without it "Open model file..." crashes). Each
# module qmlimportscanner resolves is mapped to its Debian package (dpkg -S on
# its qmldir). dpkg-shlibdeps cannot find these: they are plugins.
#   bash installer/linux/deb/check-qml-depends.sh FACET.deb
# Prints the computed list; exits 1 naming any package missing from Depends.
set -euo pipefail
deb=$(readlink -f "${1:?usage: check-qml-depends.sh FACET.deb}")
cd "$(dirname "$0")/../../.."
scanner=/usr/lib/qt6/libexec/qmlimportscanner
qml=$(qtpaths6 --query QT_INSTALL_QML 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/qt6/qml)
[ -x "$scanner" ] || { echo "check-qml-depends: $scanner missing (qt6-declarative-dev-tools)" >&2; exit 1; }

paths=$( { "$scanner" -rootPath app/qml -importPath "$qml"
           "$scanner" -rootPath "$qml/QtQuick/Dialogs/quickimpl/qml" -importPath "$qml"; } |
         grep -o '"path": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | sort -u)
needed=$(for p in $paths; do dpkg -S "$p/qmldir" 2>/dev/null | cut -d: -f1; done | sort -u)
[ -n "$needed" ] || { echo "check-qml-depends: found no QML modules (is Qt's QML in $qml?)" >&2; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -e 's/^ *//' -e 's/ .*//')
missing=()
for p in $needed; do grep -qxF "$p" <<<"$depends" || missing+=("$p"); done
echo "check-qml-depends: QML packages needed: $(echo $needed)"
if [ ${#missing[@]} -gt 0 ]; then
    echo "check-qml-depends: $(basename "$deb") does not depend on: ${missing[*]} (add them in installer/linux/deb/cpack.cmake)" >&2
    exit 1
fi
