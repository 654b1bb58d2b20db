#!/usr/bin/env bash
# Installs a Facet .deb on this machine and uses it as a user would, then
# removes it. Slow and root-only, so not part of the test suite (.ci/run):
#   bash installer/test-deb.sh DEB [OUTDIR]      (as root; OUTDIR gets screen.png)
# 1. apt-get installs DEB with its Depends only (no Recommends: Depends alone
#    must be enough to start);
# 2. a non-root user starts /usr/bin/facet on a virtual X server (Xvfb) with
#    the source and build tree hidden (a private mount namespace lays an empty
#    tmpfs over it), a clean environment and cwd $HOME; after a few seconds the
#    app must still run and the screen must show a drawn window, kept as
#    OUTDIR/screen.png (Xvfb's own frame buffer file, converted by
#    installer/linux/deb/xwd-to-png.mjs);
# 3. the user runs facet-cli --help, facet-cli devices and man facet-cli;
# 4. the desktop entry, icons, MIME type and metainfo are in place (with gio,
#    a GGUF file without its extension is application/x-gguf by its magic);
# 5. the user's data folder gets a file; apt-get purge removes the package;
#    the program is gone and the user's data (the app's chats.sqlite and that
#    file) is still there.
# The test user (facet-pkgtest) is deleted at the end unless
# FACET_TEST_KEEP_USER=1. Needs xvfb, xauth, man-db and node (xwd-to-png.mjs;
# without node the screenshot stays in XWD form).
set -euo pipefail
deb=$(readlink -f "${1:?usage: test-deb.sh DEB [OUTDIR]}")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=${2:-$(mktemp -d /tmp/facet-deb-test.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
user=facet-pkgtest
wait_s=${FACET_TEST_WAIT:-12}
start=$SECONDS
step() { echo "== test-deb ($((SECONDS - start)) s): $*"; }
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (it installs and removes the package)"
[ -f "$deb" ] || fail "no file $deb"
for t in xvfb-run Xvfb xauth man unshare runuser; do command -v "$t" >/dev/null || fail "$t is missing"; done
if dpkg-query -W -f='${Status}' facet 2>/dev/null | grep -q "install ok installed"; then
    fail "facet is installed already; remove it first (this test removes what it installs)"
fi

created_user=0
fbdir=
cleanup() {
    [ -n "$fbdir" ] && rm -rf "$fbdir"
    if dpkg-query -W -f='${Status}' facet 2>/dev/null | grep -q "install ok installed"; then
        apt-get purge -y -q facet >/dev/null 2>&1 || true
    fi
    if [ "$created_user" = 1 ] && [ "${FACET_TEST_KEEP_USER:-0}" != 1 ]; then userdel -r "$user" 2>/dev/null || true; fi
}
trap cleanup EXIT

step "apt-get install $deb (Depends only)"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" >"$out/apt-install.log" 2>&1 ||
    { tail -20 "$out/apt-install.log"; fail "apt-get install"; }
dpkg-query -W -f='installed ${Package} ${Version}\n' facet
# The binaries must not point into the tree they were built in.
if strings /usr/bin/facet /usr/bin/facet-cli | grep -F "$repo" | head -3 | grep -q .; then
    fail "/usr/bin/facet or facet-cli names the build tree $repo"
fi

if ! id "$user" >/dev/null 2>&1; then useradd -m -s /bin/bash "$user"; created_user=1; fi
home=$(getent passwd "$user" | cut -d: -f6)
fbdir=$(mktemp -d /tmp/facet-fb.XXXXXX)
chown "$user" "$fbdir"

# As the user, with the repository hidden and a clean environment.
as_user() {
    unshare --mount --propagation private -- sh -c '
        mount -t tmpfs -o size=1m,mode=0755 facet-hidden "$1" || exit 97
        shift
        exec "$@"' sh "$repo" \
        runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/bin:/bin LANG=C.UTF-8 \
        sh -c 'cd "$HOME" && exec "$@"' sh "$@"
}

step "facet on Xvfb as $user, tree hidden, ${wait_s} s"
as_user sh -c 'test ! -e "$1/CMakeLists.txt" || { echo "the tree is visible"; exit 1; }' sh "$repo" ||
    fail "could not hide $repo from the app"
as_user xvfb-run -a -s "-screen 0 1280x800x24 -fbdir $fbdir" sh -c '
    /usr/bin/facet >"$1/facet.log" 2>&1 &
    pid=$!
    sleep "$2"
    kill -0 $pid 2>/dev/null || { echo "facet exited early:"; cat "$1/facet.log"; exit 1; }
    cp "$1/Xvfb_screen0" "$1/screen.xwd"
    kill $pid; wait $pid 2>/dev/null || true' sh "$fbdir" "$wait_s" || fail "facet did not keep running"
cp "$fbdir/facet.log" "$out/facet.log"
if command -v node >/dev/null; then
    info=$(node "$here/linux/deb/xwd-to-png.mjs" "$fbdir/screen.xwd" "$out/screen.png")
    echo "screenshot $out/screen.png: $info"
    colours=$(sed -n 's/.*, \([0-9]*\) colours/\1/p' <<<"$info")
    [ "${colours:-0}" -ge 16 ] || fail "the screen is (nearly) empty: $info"
else
    cp "$fbdir/screen.xwd" "$out/screen.xwd"
    echo "screenshot $out/screen.xwd (no node to convert it to PNG)"
fi

step "facet-cli and the man pages as $user"
as_user facet-cli --help >"$out/facet-cli-help.txt" || fail "facet-cli --help"
grep -q "^usage: facet-cli COMMAND" "$out/facet-cli-help.txt" || fail "facet-cli --help printed no usage"
as_user facet-cli devices >"$out/facet-cli-devices.txt" 2>&1 || echo "(facet-cli devices failed; no Vulkan driver?)"
head -3 "$out/facet-cli-devices.txt"
as_user env MANPAGER=cat MANWIDTH=80 man facet-cli >"$out/man-facet-cli.txt" 2>&1 || fail "man facet-cli"
grep -q "facet-cli - run Gemma 4 models" "$out/man-facet-cli.txt" || fail "man facet-cli shows no NAME section"
as_user env MANPAGER=cat man facet >/dev/null 2>&1 || fail "man facet"

step "desktop integration files"
for f in /usr/share/applications/io.github.facet.Facet.desktop /usr/share/metainfo/io.github.facet.Facet.metainfo.xml \
         /usr/share/mime/packages/io.github.facet.Facet.xml /usr/share/icons/hicolor/scalable/apps/io.github.facet.Facet.svg \
         /usr/share/icons/hicolor/256x256/apps/io.github.facet.Facet.png /usr/share/doc/facet/copyright; do
    [ -f "$f" ] || fail "missing $f"
done
grep -q "application/x-gguf" /usr/share/mime/globs2 || fail "shared-mime-info's trigger did not register application/x-gguf"
if command -v gio >/dev/null; then  # libglib2.0-bin: the type of a GGUF without its extension, by magic
    probe="$fbdir/model-without-extension"
    { printf 'GGUF\003\000\000\000'; head -c 56 /dev/zero; } >"$probe"
    type=$(gio info -a standard::content-type "$probe" | sed -n 's/.*standard::content-type: //p')
    [ "$type" = application/x-gguf ] || fail "a file starting with GGUF is '$type', not application/x-gguf"
    echo "magic: $type"
fi

step "user data, then apt-get purge"
data="$home/.local/share/Facet/Facet"
[ -f "$data/chats.sqlite" ] || fail "the app made no $data/chats.sqlite"
as_user sh -c 'echo "written by test-deb.sh" >"$HOME/.local/share/Facet/Facet/keep-me.txt"'
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q facet >"$out/apt-purge.log" 2>&1 || fail "apt-get purge facet"
[ ! -e /usr/bin/facet ] && [ ! -e /usr/bin/facet-cli ] || fail "the programs are still there after purge"
[ -f "$data/chats.sqlite" ] && [ -f "$data/keep-me.txt" ] || fail "purging the package removed the user's data"
echo "kept: $(ls "$data" | tr '\n' ' ')"

echo "test-deb: PASS in $((SECONDS - start)) s (logs and screenshot in $out)"
