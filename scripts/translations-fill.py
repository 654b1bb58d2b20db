#!/usr/bin/env python3
"""Fill a Qt Linguist .ts file from a TSV of translations (stdlib only).

  translations-fill.py translations/facet_de.ts --dump [--all] > de.tsv
      writes the messages still untranslated (or all of them) as TSV rows:
      context, source, translation, comment
  translations-fill.py translations/facet_de.ts de.tsv [--overwrite]
      fills each message a row names (context "" = the source in any context)
      and marks it finished; --overwrite also replaces finished ones.

TSV: one message a line, tab-separated; \\n, \\t and \\\\ escaped. Plural
(numerus) messages hold their forms in the translation column separated by
" ||| " (German and French: singular ||| plural). For facet_en.ts only plural
messages need rows: English takes every other text from the source.
The file is written back as lupdate writes it, so lupdate's next run changes nothing.
"""
import argparse
import sys
import xml.etree.ElementTree as ET

FORM_SEP = " ||| "


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(s[i + 1], "\\" + s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def protect(s):
    # As lupdate's writer does (ts.cpp protect()).
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace('"', "&quot;").replace("'", "&apos;")
    return "".join(c if ord(c) >= 0x20 or c in "\n\t" else "&#x%x;" % ord(c) for c in s)


def write_element(out, el, depth):
    pad = "    " * depth
    attrs = "".join(' %s="%s"' % (k, protect(v)) for k, v in el.attrib.items())
    children = list(el)
    if not children:
        out.append("%s<%s%s>%s</%s>\n" % (pad, el.tag, attrs, protect(el.text or ""), el.tag))
        return
    out.append("%s<%s%s>\n" % (pad, el.tag, attrs))
    for c in children:
        write_element(out, c, depth + 1)
    out.append("%s</%s>\n" % (pad, el.tag))


def write_ts(root, path):
    out = ['<?xml version="1.0" encoding="utf-8"?>\n', "<!DOCTYPE TS>\n"]
    attrs = "".join(' %s="%s"' % (k, protect(v)) for k, v in root.attrib.items())
    out.append("<TS%s>\n" % attrs)
    for ctx in root.findall("context"):
        write_element(out, ctx, 0)
    out.append("</TS>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(out))


def messages(root):
    for ctx in root.findall("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.findall("message"):
            yield name, msg


def translation_of(msg):
    tr = msg.find("translation")
    if msg.get("numerus") == "yes":
        return FORM_SEP.join(f.text or "" for f in tr.findall("numerusform"))
    return tr.text or ""


def is_done(msg):
    tr = msg.find("translation")
    if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"):
        return False
    if msg.get("numerus") == "yes":
        forms = tr.findall("numerusform")
        return bool(forms) and all(f.text for f in forms)
    return bool(tr.text)


def wanted(root, msg):
    # English translates only plural forms; other languages everything.
    return msg.get("numerus") == "yes" or not (root.get("language") or "").startswith("en")


def dump(root, all_rows):
    for ctx, msg in messages(root):
        if wanted(root, msg) and (all_rows or not is_done(msg)):
            row = [ctx, msg.findtext("source") or "", translation_of(msg) if all_rows else "", msg.findtext("comment") or ""]
            print("\t".join(escape(c) for c in row))


def fill(root, tsv, overwrite):
    by_ctx, any_ctx = {}, {}
    with open(tsv, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = [unescape(c) for c in line.split("\t")]
            if len(cols) < 3:
                sys.exit("%s:%d: expected context, source, translation[, comment]" % (tsv, n))
            ctx, src, text = cols[:3]
            comment = cols[3] if len(cols) > 3 else ""
            (by_ctx if ctx else any_ctx)[(ctx, src, comment) if ctx else (src, comment)] = text
    filled = 0
    for ctx, msg in messages(root):
        src, comment = msg.findtext("source") or "", msg.findtext("comment") or ""
        text = by_ctx.get((ctx, src, comment), any_ctx.get((src, comment)))
        if text is None or not text.strip() or (is_done(msg) and not overwrite):
            continue
        tr = msg.find("translation")
        tr.attrib.pop("type", None)
        if msg.get("numerus") == "yes":
            forms = text.split(FORM_SEP)
            for c in list(tr):
                tr.remove(c)
            tr.text = None
            for form in forms:
                ET.SubElement(tr, "numerusform").text = form
        else:
            tr.text = text
        filled += 1
    return filled


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ts")
    ap.add_argument("tsv", nargs="?")
    ap.add_argument("--dump", action="store_true", help="write untranslated messages as TSV to stdout")
    ap.add_argument("--all", action="store_true", help="with --dump: every message, with its translation")
    ap.add_argument("--overwrite", action="store_true", help="also replace finished translations")
    a = ap.parse_args()
    root = ET.parse(a.ts).getroot()
    if a.dump:
        return dump(root, a.all)
    if not a.tsv:
        ap.error("give a TSV to fill from, or --dump")
    n = fill(root, a.tsv, a.overwrite)
    write_ts(root, a.ts)
    left = sum(1 for _, m in messages(root) if wanted(root, m) and not is_done(m))
    print("%s: filled %d, %d still untranslated" % (a.ts, n, left), file=sys.stderr)


if __name__ == "__main__":
    main()
