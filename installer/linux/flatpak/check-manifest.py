#!/usr/bin/python3
"""Offline checks of the Flatpak manifest (ctest installer_flatpak_manifest).

flatpak-builder and Flathub's linter need the runtimes and network, so this
mirrors what can be checked without them: the YAML parses; only known
top-level and module keys (a typo such as `finsh-args` is silently ignored by
flatpak-builder); the id equals the file name and the desktop entry, metainfo
and icon names; the finish args give the GPU (--device=dri), Wayland with X11
only as fallback, and no home or host file system; every module source is
pinned (archive/file: url + 64-hex sha256; git: url + tag + 40-hex commit;
dir: only Facet's own checkout).
Needs Debian's python3-yaml (scripts/debian-packages.txt).
"""
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
APP_ID = "io.github.facet.Facet"
TOP_KEYS = {"id", "runtime", "runtime-version", "sdk", "base", "base-version", "command", "finish-args",
            "cleanup", "modules", "rename-icon", "build-options", "sdk-extensions", "cleanup-commands"}
MODULE_KEYS = {"name", "buildsystem", "builddir", "config-opts", "cleanup", "sources", "build-options",
               "post-install", "make-args", "make-install-args", "subdir", "modules", "build-commands"}
errors = []


def error(msg):
    errors.append(msg)


def check_source(module, src):
    kind = src.get("type")
    if kind in ("archive", "file"):
        if not re.match(r"^https://", str(src.get("url", ""))):
            error(f"{module}: {kind} source without an https url")
        if not re.fullmatch(r"[0-9a-f]{64}", str(src.get("sha256", ""))):
            error(f"{module}: {kind} source {src.get('url')} has no sha256")
    elif kind == "git":
        if not re.match(r"^https://", str(src.get("url", ""))):
            error(f"{module}: git source without an https url")
        if not src.get("tag") or not re.fullmatch(r"[0-9a-f]{40}", str(src.get("commit", ""))):
            error(f"{module}: git source {src.get('url')} needs both tag and commit")
    elif kind == "dir":
        if module != "facet":
            error(f"{module}: a dir source is only for Facet's own checkout")
    else:
        error(f"{module}: source type {kind!r} is not allowed")


def main():
    path = os.path.join(HERE, APP_ID + ".yml")
    with open(path, encoding="utf-8") as f:
        m = yaml.safe_load(f)
    if not isinstance(m, dict):
        print(f"{path}: not a mapping", file=sys.stderr)
        return 1
    for k in sorted(set(m) - TOP_KEYS):
        error(f"unknown top-level key {k!r}")
    if m.get("id") != APP_ID:
        error(f"id {m.get('id')!r} is not {APP_ID} (the file name)")
    linux = os.path.dirname(HERE)
    for f in (f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml", f"icons/{APP_ID}.svg", f"mime/{APP_ID}.xml"):
        if not os.path.isfile(os.path.join(linux, f)):
            error(f"installer/linux/{f} is missing: the Flatpak installs it under the same id")
    if m.get("runtime") != "org.kde.Platform" or m.get("sdk") != "org.kde.Sdk":
        error("runtime/sdk must be org.kde.Platform/org.kde.Sdk")
    if not re.fullmatch(r"6\.\d+", str(m.get("runtime-version", ""))):
        error(f"runtime-version {m.get('runtime-version')!r} is not a KDE 6.x runtime")
    if m.get("command") != "facet":
        error("command must be facet")
    args = m.get("finish-args") or []
    for need in ("--device=dri", "--socket=wayland", "--socket=fallback-x11", "--share=ipc", "--share=network"):
        if need not in args:
            error(f"finish-args lacks {need}")
    for bad in ("--socket=x11", "--filesystem=home", "--filesystem=host", "--device=all"):
        if bad in args:
            error(f"finish-args must not have {bad}")
    modules = m.get("modules") or []
    if not modules or modules[-1].get("name") != "facet":
        error("the last module must be facet")
    for mod in modules:
        name = mod.get("name", "?")
        for k in sorted(set(mod) - MODULE_KEYS):
            error(f"{name}: unknown module key {k!r}")
        sources = mod.get("sources") or []
        if not sources:
            error(f"{name}: no sources")
        for src in sources:
            check_source(name, src)
    if errors:
        for e in errors:
            print(f"installer_flatpak_manifest: {e}", file=sys.stderr)
        return 1
    print(f"installer_flatpak_manifest: {len(modules)} modules, all pinned; finish args and id pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
