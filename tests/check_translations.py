#!/usr/bin/env python3
"""ctest translations_complete: the .ts files are complete and current.

  check_translations.py TS_DIR LUPDATE PROJECT_CMAKE

Fails when facet_de.ts or facet_fr.ts has a message unfinished, empty,
vanished or obsolete (facet_en.ts: its plural messages), when a translation
loses or invents a placeholder (%1, %n, %L1), a shortcut (Ctrl+M), a tag or a
trailing "…", or when lupdate over the current sources (PROJECT_CMAKE, the
file CMake writes for the update_translations target) would add or remove a
message: lupdate runs on temporary copies, the tree is not touched.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

LANGS = {"de": 2, "fr": 2, "en": 2}  # numerus forms each language needs
LUPDATE_OPTIONS = ["-locations", "none", "-no-obsolete"]  # as translations/translations.cmake
PLACEHOLDER = re.compile(r"%L?\d+|%n")
# Shortcuts to a letter, digit or function key stay as the code binds them
# (Ctrl+Shift+A); key names alone (Enter, Esc) may be translated (Entrée, Échap).
SHORTCUT = re.compile(r"\b(?:(?:Ctrl|Shift|Alt)\+)+(?:F\d+|[A-Z0-9,.])(?![\w])")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def messages(path):
    root = ET.parse(path).getroot()
    for ctx in root.findall("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.findall("message"):
            yield name, msg


def key(ctx, msg):
    return (ctx, msg.findtext("source") or "", msg.findtext("comment") or "", msg.get("numerus") == "yes")


def check_file(path, lang):
    problems = []
    for ctx, msg in messages(path):
        src = msg.findtext("source") or ""
        numerus = msg.get("numerus") == "yes"
        where = "%s: [%s] %r" % (os.path.basename(path), ctx, src[:70])
        tr = msg.find("translation")
        kind = tr.get("type") if tr is not None else "missing"
        if kind in ("vanished", "obsolete"):
            problems.append("%s: %s (no source uses it; run scripts/update-translations.sh)" % (where, kind))
            continue
        if lang == "en" and not numerus:
            continue  # English shows the source
        forms = [f.text or "" for f in tr.findall("numerusform")] if numerus else [tr.text or ""]
        if kind == "unfinished" or not all(f.strip() for f in forms):
            problems.append("%s: untranslated" % where)
            continue
        if numerus and len(forms) != LANGS[lang]:
            problems.append("%s: %d plural forms, %s needs %d" % (where, len(forms), lang, LANGS[lang]))
        for form in forms:
            for name, rx in (("placeholders", PLACEHOLDER), ("shortcuts", SHORTCUT), ("tags", TAG)):
                want, got = sorted(rx.findall(src)), sorted(rx.findall(form))
                if name == "tags":
                    want, got = [t.split()[0] for t in want], [t.split()[0] for t in got]
                if want != got:
                    problems.append("%s: %s %s in the source, %s in %r" % (where, name, want, got, form))
            if src.endswith("…") != form.endswith("…"):
                problems.append("%s: the trailing … differs in %r" % (where, form))
    return problems


def project(path):
    # The set(name "a;b") lines CMake's qt_add_lupdate writes.
    vals = {}
    with open(path, encoding="utf-8") as f:
        for m in re.finditer(r'set\((\w+) "([^"]*)"\)', f.read()):
            vals[m.group(1)] = [v for v in m.group(2).split(";") if v]
    return vals


def check_current(ts_dir, lupdate, project_cmake):
    p = project(project_cmake)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for ts in p["lupdate_translations"]:
            copy = os.path.join(tmp, os.path.basename(ts))
            shutil.copy(os.path.join(ts_dir, os.path.basename(ts)), copy)
            args = [lupdate] + LUPDATE_OPTIONS + ["-silent"]
            for inc in p.get("lupdate_include_paths", []):
                args.append("-I" + inc)
            lst = os.path.join(tmp, "sources.lst")
            with open(lst, "w", encoding="utf-8") as f:
                f.write("\n".join(p["lupdate_sources"]) + "\n")
            run = subprocess.run(args + ["@" + lst, "-ts", copy], capture_output=True, text=True)
            if run.returncode != 0:
                return ["lupdate failed: %s" % run.stderr[-2000:]]
            before = {key(c, m) for c, m in messages(os.path.join(ts_dir, os.path.basename(ts)))}
            after = {key(c, m) for c, m in messages(copy) if (m.find("translation").get("type") or "") not in ("vanished", "obsolete")}
            for k in sorted(after - before):
                problems.append("%s: new in the sources, not in the file: [%s] %r" % (os.path.basename(ts), k[0], k[1][:70]))
            for k in sorted(before - after):
                problems.append("%s: no longer in the sources: [%s] %r" % (os.path.basename(ts), k[0], k[1][:70]))
    return problems


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    ts_dir, lupdate, project_cmake = sys.argv[1:]
    problems, counts = [], []
    for lang in LANGS:
        path = os.path.join(ts_dir, "facet_%s.ts" % lang)
        if not os.path.exists(path):
            problems.append("%s is missing" % path)
            continue
        problems += check_file(path, lang)
        counts.append("%s %d" % (lang, sum(1 for _ in messages(path))))
    if not os.path.exists(project_cmake):
        problems.append("%s is missing: configure the build first" % project_cmake)
    else:
        problems += check_current(ts_dir, lupdate, project_cmake)
    print("messages: " + ", ".join(counts))
    if problems:
        print("\n".join(problems[:200]))
        print("%d problem(s). scripts/update-translations.sh refreshes the .ts files; translations/README.md "
              "says how to fill them." % len(problems))
        sys.exit(1)
    print("translations complete and current")


if __name__ == "__main__":
    main()
