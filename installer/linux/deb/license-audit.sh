#!/usr/bin/env bash
# Lists every shared library the given binaries load (ldd), the Debian package
# that holds it and the licenses that package's copyright file declares, so
# THIRD_PARTY_NOTICES.md can be checked against what is really linked.
#   bash installer/linux/deb/license-audit.sh BINARY...
# Flags a package whose only licenses are GPL (a GPL-only library linked into
# MIT-licensed Facet would make the combination GPL) and exits 1 then.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: license-audit.sh BINARY..." >&2; exit 2; }
libs=$(for b in "$@"; do ldd "$b"; done | awk '/=> \//{print $3}' | sort -u)
status=0
printf '%-32s %-28s %s\n' library package licenses
for l in $libs; do
    real=$(readlink -f "$l")
    pkg=$(dpkg -S "$real" 2>/dev/null | head -1 | cut -d: -f1) || true
    [ -n "$pkg" ] || pkg=$(dpkg -S "$l" 2>/dev/null | head -1 | cut -d: -f1) || true
    if [ -z "$pkg" ]; then printf '%-32s %-28s %s\n' "$(basename "$l")" "?" "(not from a Debian package)"; status=1; continue; fi
    cr=/usr/share/doc/${pkg%%:*}/copyright
    # Only the licenses of upstream files: the debian/* packaging stanza is not in the library.
    lic=$(awk '/^Files:/{deb = ($0 ~ /debian\//)} /^License:/{ if (!deb) { sub(/^License: */, ""); print } }' "$cr" 2>/dev/null |
        sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | grep -v '^$' | sort -u | paste -sd';' -) || true
    [ -n "$lic" ] || lic="(no machine-readable License field; see $cr)"
    printf '%-32s %-28s %s\n' "$(basename "$l")" "$pkg" "$lic"
    # GPL-only: every declared license names GPL, and none is LGPL or has an exception.
    if [ "$lic" != "${lic#(}" ]; then continue; fi
    if ! tr ';' '\n' <<<"$lic" | grep -qviE '^(GPL)[-0-9.+]*$'; then
        echo "  ^ GPL only: $pkg" >&2; status=1
    fi
done
exit $status
