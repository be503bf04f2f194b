#!/usr/bin/env python3
"""The messages of the French reform's BR-FR rules, and Liasse's English for each.

Source: the compiled BR-FR schematrons (XSLT 2.0) of France RFE 1.4.0.03 (FNFE-MPE, Apache
2.0), which carry French messages only:

  CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt         (syntax cii)
  UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL.xslt         (syntax ubl)
  Factur-X/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt    (syntax cii, Factur-X variant)

plus, when present, their *_WARNING.xslt copies (the same asserts, flagged warning). The copies
are read too, so that a message that differs in any of them gets its own template and so its
own English line: in 1.4.0.03, the Factur-X BR-FR-28 (which names cbc:Value and
cbc:ValueQuantity) and the UBL_WARNING BR-FR-20 (whose list of values lacks B2CINT).

What is extracted, per syntax and for each svrl:failed-assert (and svrl:successful-report) in
document order: the official id (`<xsl:attribute name="id">`) and the message as a template,
i.e. the svrl:text with

* whitespace-only text nodes dropped, as an XSLT processor strips them from the stylesheet
  (so `"<xsl:text/> <xsl:value-of select="."/> <xsl:text/>"` reads `"{{.}}"`),
* each `<xsl:value-of select="X"/>` replaced by `{{X}}`, X verbatim,
* each `<xsl:text>` replaced by its text,
* then whitespace normalised (runs of whitespace -> one space, trimmed).

Anything else inside an svrl:text, or an assert without an id or a text, stops the script.

The English is in scripts/france-messages-en.tsv, one line per distinct French template:
`french-template<TAB>english-template`, the English with the same `{{...}}` placeholders (the
same expressions, as many times each; the order may differ). Lines starting with `#` and
blank lines are comments.

Usage:
  python3 scripts/france-messages.py --dump    # the distinct templates, with the ids using each
  python3 scripts/france-messages.py --check   # fail (exit 1) if a French template has no
                                               # English, a TSV line is stale (its French is no
                                               # longer in the XSLTs), or placeholders differ
  python3 scripts/france-messages.py           # one line per assert: syntax, id, template
Options: --france-dir DIR (default: $LIASSE_FRANCE_DIR, artefacts/france-rfe-1.4.0.03,
/work/shared/artefacts/france-rfe-1.4.0.03), --tsv FILE (default: the one next to this script).

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET

XSL = "{http://www.w3.org/1999/XSL/Transform}"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = "france-messages"
RELEASE = "france-rfe-1.4.0.03"
TSV = os.path.join(REPO, "scripts", "france-messages-en.tsv")

# Per syntax, the XSLTs read, relative to the release directory. The first of each is the
# reference (it must exist); the others are read when present and may only add variants.
SOURCES = {
    "cii": ["CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
            "CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII_WARNING.xslt",
            "Factur-X/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
            "Factur-X/EN16931/2xslt/BR-FR-Flux2-Schematron-CII_WARNING.xslt"],
    "ubl": ["UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL.xslt",
            "UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL_WARNING.xslt"],
}

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")


def france_dir(arg: str | None) -> str:
    for candidate in (arg, os.environ.get("LIASSE_FRANCE_DIR"),
                      os.path.join(REPO, "artefacts", RELEASE),
                      "/work/shared/artefacts/" + RELEASE):
        if candidate and os.path.isdir(candidate):
            return candidate
    sys.exit(f"{TOOL}: {RELEASE} artefacts not found (use --france-dir)")


def normalise(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def template_of(text: ET.Element, where: str) -> str:
    """The template of an svrl:text (see the module docstring)."""
    parts: list[str] = []

    def add(s: str | None) -> None:
        if s and s.strip():  # whitespace-only text nodes are stripped from a stylesheet
            parts.append(s)

    add(text.text)
    for child in text:
        if child.tag == XSL + "value-of":
            select = child.get("select")
            if select is None or len(child) or (child.text or "").strip():
                sys.exit(f"{TOOL}: {where}: xsl:value-of without a plain select")
            if "{{" in select or "}}" in select:
                sys.exit(f"{TOOL}: {where}: select {select!r} would be ambiguous in a template")
            parts.append("{{" + select + "}}")
        elif child.tag == XSL + "text":
            if len(child):
                sys.exit(f"{TOOL}: {where}: xsl:text with element content")
            parts.append(child.text or "")  # kept as is, whitespace included
        else:
            sys.exit(f"{TOOL}: {where}: unexpected {child.tag} in svrl:text")
        add(child.tail)
    template = normalise("".join(parts))
    if PLACEHOLDER.sub("", template).count("{{") or PLACEHOLDER.sub("", template).count("}}"):
        sys.exit(f"{TOOL}: {where}: the official text itself contains '{{{{' or '}}}}'")
    if not template:
        sys.exit(f"{TOOL}: {where}: empty message")
    return template


def asserts_of(path: str) -> list[tuple[str, str]]:
    """(id, template) of every failed-assert and successful-report of the XSLT, in order."""
    found = []
    for element in ET.parse(path).iter():
        if element.tag not in (SVRL + "failed-assert", SVRL + "successful-report"):
            continue
        ids = [a for a in element.findall(XSL + "attribute") if a.get("name") == "id"]
        texts = element.findall(SVRL + "text")
        test = element.get("test")
        if len(ids) != 1 or not normalise("".join(ids[0].itertext())):
            sys.exit(f"{TOOL}: {path}: an assert ({test}) without exactly one id")
        ident = normalise("".join(ids[0].itertext()))
        if len(texts) != 1:
            sys.exit(f"{TOOL}: {path}: {ident} has {len(texts)} svrl:text")
        found.append((ident, template_of(texts[0], f"{path}: {ident}")))
    if not found:
        sys.exit(f"{TOOL}: {path}: no assert found")
    return found


def extract(root: str) -> dict[str, list[tuple[str, str, str]]]:
    """Per syntax: (id, template, source) of each assert, the reference XSLT's in document
    order, then each variant a copy brings (an id whose template differs there)."""
    result = {}
    for syntax, sources in SOURCES.items():
        reference = os.path.join(root, sources[0])
        if not os.path.isfile(reference):
            sys.exit(f"{TOOL}: {reference} not found")
        rows = [(i, t, sources[0]) for i, t in asserts_of(reference)]
        seen = {(i, t) for i, t, _ in rows}
        ref_ids = [i for i, _, _ in rows]
        for source in sources[1:]:
            path = os.path.join(root, source)
            if not os.path.isfile(path):
                continue
            copy = asserts_of(path)
            if [i for i, _ in copy] != ref_ids:
                sys.exit(f"{TOOL}: {source} does not have the asserts of {sources[0]} "
                         "(the same ids in the same order)")
            for i, t in copy:
                if (i, t) not in seen:
                    seen.add((i, t))
                    rows.append((i, t, source))
        result[syntax] = rows
    return result


def placeholders(template: str) -> collections.Counter:
    return collections.Counter(PLACEHOLDER.findall(template))


def read_tsv(path: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(line number, french, english) of each line, and the problems of form found."""
    rows, problems = [], []
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        return [], [f"{path} not found"]
    with f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 2 or not fields[0].strip() or not fields[1].strip():
                problems.append(f"line {n}: not 'french<TAB>english'")
                continue
            rows.append((n, fields[0], fields[1]))
    return rows, problems


def copy_name(source: str) -> str:
    """A short name of an XSLT of SOURCES: its directory, and WARNING for a _WARNING copy."""
    return source.split("/")[0] + (" WARNING" if source.endswith("_WARNING.xslt") else "")


def distinct(extracted) -> "collections.OrderedDict[str, dict[str, list[str]]]":
    """Each distinct template, first seen first, with the ids using it per syntax (an id
    whose template comes from a copy is followed by the copy's name)."""
    out: collections.OrderedDict[str, dict[str, list[str]]] = collections.OrderedDict()
    for syntax, rows in extracted.items():
        for ident, template, source in rows:
            label = ident if source == SOURCES[syntax][0] else f"{ident} ({copy_name(source)})"
            ids = out.setdefault(template, {}).setdefault(syntax, [])
            if label not in ids:
                ids.append(label)
    return out


def check(extracted, tsv: str) -> int:
    templates = distinct(extracted)
    rows, problems = read_tsv(tsv)
    english: dict[str, str] = {}
    for n, french, en in rows:
        if french != normalise(french) or en != normalise(en):
            problems.append(f"line {n}: whitespace not normalised")
        if french in english:
            problems.append(f"line {n}: French template listed twice: {french}")
            continue
        english[french] = en
        if french not in templates:
            problems.append(f"line {n}: stale (no longer in the XSLTs): {french}")
        fr_ph, en_ph = placeholders(french), placeholders(en)
        if fr_ph != en_ph:
            missing = sorted((fr_ph - en_ph).elements())
            extra = sorted((en_ph - fr_ph).elements())
            problems.append(f"line {n}: placeholders differ (missing in English: {missing}; "
                            f"not in French: {extra}): {french}")
        for side, text in (("French", french), ("English", en)):
            rest = PLACEHOLDER.sub("", text)
            if "{{" in rest or "}}" in rest:
                problems.append(f"line {n}: unbalanced placeholder braces in the {side}")
    for template, ids in templates.items():
        if template not in english:
            where = "; ".join(f"{s}: {', '.join(i)}" for s, i in ids.items())
            problems.append(f"no English for [{where}]: {template}")
    shown = os.path.relpath(tsv, REPO) if os.path.abspath(tsv).startswith(REPO + os.sep) else tsv
    if problems:
        print(f"{TOOL}: {shown}: {len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print(f"{TOOL}: {shown} translates all {len(templates)} distinct templates ({summary(extracted)})")
    return 0


def summary(extracted) -> str:
    """Per syntax: the reference XSLT's asserts, the variants of its copies, the templates."""
    parts = []
    for syntax, rows in extracted.items():
        reference = sum(1 for _, _, source in rows if source == SOURCES[syntax][0])
        variants = len(rows) - reference
        parts.append(f"{syntax}: {reference} asserts + {variants} variant(s) of a copy, "
                     f"{len({t for _, t, _ in rows})} distinct templates")
    return "; ".join(parts)


def dump(extracted) -> None:
    templates = distinct(extracted)
    print(f"# {summary(extracted)}")
    print(f"# all: {len(templates)} distinct templates")
    for template, ids in templates.items():
        print()
        print(template)
        for syntax, idents in ids.items():
            print(f"  {syntax}: {', '.join(idents)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--dump", action="store_true", help="the distinct templates and their ids")
    mode.add_argument("--check", action="store_true", help="check the English TSV is complete and current")
    ap.add_argument("--france-dir")
    ap.add_argument("--tsv", default=TSV)
    args = ap.parse_args()
    extracted = extract(france_dir(args.france_dir))
    if args.check:
        return check(extracted, args.tsv)
    if args.dump:
        dump(extracted)
        return 0
    for syntax, rows in extracted.items():
        for ident, template, source in rows:
            suffix = "" if source == SOURCES[syntax][0] else f"\t({copy_name(source)})"
            print(f"{syntax}\t{ident}\t{template}{suffix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
