#!/usr/bin/env bash
# Checks the desktop integration files in installer/linux as the tools that
# read them do (ctest entry installer_files; a second or two):
# desktop-file-validate, appstreamcli validate, shared-mime-info on the MIME
# type, groff on the man pages; and that facet-cli.1 documents every command
# of facet-cli's usage text (tools/facet-cli/main.cpp).
# Needs desktop-file-utils, appstream, shared-mime-info, man-db (scripts/debian-packages.txt).
set -euo pipefail
cd "$(dirname "$0")"
id=io.github.facet.Facet
status=0
bad() { echo "installer_files: $*" >&2; status=1; }

desktop-file-validate "$id.desktop" || bad "desktop-file-validate $id.desktop failed"
appstreamcli validate --no-net --pedantic "$id.metainfo.xml" >/tmp/facet-appstream.$$ 2>&1 ||
    { cat /tmp/facet-appstream.$$; bad "appstreamcli validate $id.metainfo.xml failed"; }
rm -f /tmp/facet-appstream.$$

# The MIME type as shared-mime-info compiles it: the glob and the magic.
mime=$(mktemp -d)
mkdir -p "$mime/packages"
cp "mime/$id.xml" "$mime/packages/"
# (XDG_DATA_DIRS names the folder, or update-mime-database warns that nothing searches it.)
if XDG_DATA_DIRS="$(dirname "$mime")" update-mime-database "$mime" 2>"$mime/err" && [ ! -s "$mime/err" ]; then
    grep -qx "50:application/x-gguf:\*.gguf" "$mime/globs2" || bad "no *.gguf glob for application/x-gguf"
    grep -q "application/x-gguf" "$mime/magic" || bad "no magic for application/x-gguf"
else
    cat "$mime/err" >&2; bad "update-mime-database rejected mime/$id.xml"
fi
rm -rf "$mime"

# Man pages: no groff warnings, and every facet-cli command is described.
for page in facet.1 facet-cli.1; do
    w=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || bad "man $page failed"
    [ -z "$w" ] || bad "groff warnings in $page: $w"
done
usage=$(sed -n '/kUsage =/,/;$/p' ../../tools/facet-cli/main.cpp)
commands=$(grep -oE '^ *"  [a-z-]+( [a-z]+)? ' <<<"$usage" | sed -E 's/^ *"  //; s/ +$//' | sort -u)
[ -n "$commands" ] || bad "found no commands in tools/facet-cli/main.cpp's usage text"
while read -r c; do
    [ -n "$c" ] || continue
    pat=$(sed 's/-/\\\\-/g' <<<"$c")
    grep -qE "^\.B $pat( |$)" facet-cli.1 || bad "facet-cli.1 does not describe '$c'"
done <<<"$commands"

# One application id everywhere.
grep -qx "Icon=$id" "$id.desktop" || bad "$id.desktop: Icon is not $id"
grep -q "<id>$id</id>" "$id.metainfo.xml" || bad "$id.metainfo.xml: id is not $id"
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$id.metainfo.xml" || bad "metainfo launchable"
[ -f "icons/$id.svg" ] || bad "no icons/$id.svg"

# "Open with Facet" on GGUF files and on folders (Hugging Face models), each handed over as a path.
mimes=$(sed -n 's/^MimeType=//p' "$id.desktop")
for t in application/x-gguf inode/directory; do
    [[ ";$mimes" == *";$t;"* ]] || bad "$id.desktop: MimeType lacks $t"
done
grep -qx "Exec=facet %f" "$id.desktop" || bad "$id.desktop: Exec does not pass one path (%f)"
grep -q '^\.B \\-\\-new\\-instance' facet.1 || bad "facet.1 does not describe --new-instance"
grep -q "setDesktopFileName(QStringLiteral(\"$id\"))" ../../app/main.cpp || bad "app/main.cpp does not set the desktop file name $id"

[ $status = 0 ] && echo "installer_files: desktop entry, metainfo, MIME type and man pages pass ($(wc -l <<<"$commands") facet-cli commands documented)"
exit $status
