#!/usr/bin/env python3
"""Generate the schematron rule tables of the EN 16931 syntax and code-list rules.

Source: the CEN/TC 434 EN 16931 validation artefacts, release 1.3.16 (compiled schematron,
XSLT 2.0): EN16931-UBL-validation.xslt and EN16931-CII-validation.xslt. Output:
Sources/LiasseRules/Syntax/Generated/SchematronTables.swift, one table per binding.

What is extracted, per binding, in the XSLT's order (which is the order of priorities):

* every pattern (xsl:mode M*) that holds a rule of the families Liasse evaluates from a table:
  UBL-SR-*, UBL-DT-*, UBL-CR-* / CII-SR-*, CII-DT-* (syntax pattern) and BR-CL-* (codes
  pattern, plus BR-CL-08 which sits in the UBL model pattern);
* in the syntax and codes patterns every rule (xsl:template: context pattern, priority) with
  its asserts (id, flag, test XPath 2.0, business terms named in the official text). Rules
  without an assert of these families are kept too: within one pattern a node is judged by
  the highest-priority rule whose context matches it, so every context matters;
* in a model pattern only the rules that carry a BR-CL assert; the generator checks that no
  higher-priority rule of that pattern can match the same element (by the name of the last
  step of each context), otherwise it fails and a human has to look;
* for BR-CL asserts the test is not copied: the engine takes it from the generated code lists
  (Sources/LiasseRules/Generated/CodeLists.swift, scripts/gen-codelists.py), whose literal lists
  it replaces by lookups in the code-list sets.

Each assert also gets a "shape" when its test is one of the common forms (not(P),
count(P) <= 1, count(P) = 1, P / exists(P) with P a plain path), from which the message
catalogue builds its French and English text; other asserts need a hand-written entry in
Sources/LiasseRules/Syntax/SyntaxCatalogue.swift (the Swift tests check that they all have one).

Usage:
  python3 scripts/gen-syntax-rules.py            # (re)generate
  python3 scripts/gen-syntax-rules.py --check    # CI: fail if the committed file is stale
Options: --cen-dir DIR (default: $LIASSE_CEN_DIR, artefacts/cen-1.3.16,
/work/shared/artefacts/cen-1.3.16).

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genlib import SVRL, XSL, pinned_sha256, swift_string, text_of, write_or_check  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CEN_RELEASE = "1.3.16"
CEN_FILES = {
    "ubl": ("EN16931-UBL-validation.xslt",
            "39f9d282867f1a49e7708d9e29a53da89643e1ee56f10cec1ebcf1277595fcbd"),
    "cii": ("EN16931-CII-validation.xslt",
            "0b234dea2bbfee739b7761e607a992c17fab88773014ef56355b6158cfb1cc53"),
}
FAMILIES = {
    "ubl": ("UBL-SR-", "UBL-DT-", "UBL-CR-", "BR-CL-"),
    "cii": ("CII-SR-", "CII-DT-", "BR-CL-"),
}
OUT = "Sources/LiasseRules/Syntax/Generated/SchematronTables.swift"

PLAIN_PATH = r"(?://)?(?:\((?:[\w:]+\|)+[\w:]+\)/)?(?:[\w:]+/)*@?[\w:]+"


def cen_dir(arg: str | None) -> str:
    for candidate in (arg, os.environ.get("LIASSE_CEN_DIR"),
                      os.path.join(REPO, "artefacts", "cen-" + CEN_RELEASE),
                      "/work/shared/artefacts/cen-" + CEN_RELEASE):
        if candidate and os.path.isdir(candidate):
            return candidate
    sys.exit("gen-syntax-rules: CEN artefacts not found (use --cen-dir)")


def shape(test: str) -> tuple[str, str | None]:
    """The message shape of a test, with the path it is about."""
    t = re.sub(r"\s+", " ", test.strip())
    while t.startswith("(") and t.endswith(")") and balanced(t[1:-1]):
        t = t[1:-1].strip()
    m = re.fullmatch(r"not ?\((" + PLAIN_PATH + r")\)", t)
    if m:
        return "forbidden", m.group(1)
    m = re.fullmatch(r"\(?count\((" + PLAIN_PATH + r")\) ?<= ?1\)?", t)
    if m:
        return "atMostOnce", m.group(1)
    m = re.fullmatch(r"\(?count\((" + PLAIN_PATH + r")\) ?= ?1\)?", t)
    if m:
        return "exactlyOne", m.group(1)
    m = re.fullmatch(r"(?:exists\()?(" + PLAIN_PATH + r")\)?", t)
    if m and (t.startswith("exists(") == t.endswith(")")):
        return "required", m.group(1)
    return "custom", None


def balanced(s: str) -> bool:
    depth = 0
    quote = None
    for ch in s:
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def last_step_names(context: str) -> set[str] | None:
    """Names of the last step of each alternative of a context pattern; None when one is a wildcard."""
    names = set()
    depth = 0
    alternatives, current = [], ""
    for ch in context:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "|" and depth == 0:
            alternatives.append(current)
            current = ""
        else:
            current += ch
    alternatives.append(current)
    for alternative in alternatives:
        stripped = re.sub(r"\[[^\[\]]*(\[[^\[\]]*\][^\[\]]*)*\]", "", alternative).strip()
        last = stripped.split("/")[-1].strip()
        if not re.fullmatch(r"[\w-]+:[\w-]+", last):
            return None
        names.add(last)
    return names


def extract(path: str, binding: str) -> dict:
    root = ET.parse(path).getroot()
    namespaces = []
    for element in root.iter(SVRL + "ns-prefix-in-attribute-values"):
        namespaces.append((element.get("prefix"), element.get("uri")))
    # Pattern names, in order of application, from the root template.
    patterns = []
    for template in root.findall(XSL + "template"):
        if template.get("match") == "/" and template.get("mode") is None:
            name = None
            for element in template.iter():
                if element.tag == XSL + "attribute" and element.get("name") == "id":
                    name = (element.text or "").strip()
                if element.tag == XSL + "apply-templates" and (element.get("mode") or "").startswith("M"):
                    patterns.append((element.get("mode"), name))
    rules_by_mode: dict[str, list] = {mode: [] for mode, _ in patterns}
    for template in root.findall(XSL + "template"):
        mode = template.get("mode")
        if mode not in rules_by_mode:
            continue
        priority = float(template.get("priority"))
        if priority < 0:  # the built-in text() and @*|node() rules
            continue
        asserts = []
        for choose in template.iter(XSL + "choose"):
            when, otherwise = choose.find(XSL + "when"), choose.find(XSL + "otherwise")
            failed = otherwise.find(SVRL + "failed-assert") if otherwise is not None else None
            if failed is None:
                continue
            attributes = {a.get("name"): (a.text or "").strip() for a in failed.findall(XSL + "attribute")}
            official = text_of(failed.find(SVRL + "text"))
            asserts.append({
                "id": attributes["id"], "flag": attributes["flag"], "test": when.get("test"),
                "terms": list(dict.fromkeys(re.findall(r"\bB[TG]-\d+\b", official))),
            })
        if template.find(".//" + XSL + "if") is not None:
            sys.exit(f"gen-syntax-rules: {binding} {mode}: successful-report found, not supported")
        rules_by_mode[mode].append({"context": template.get("match"), "priority": priority, "asserts": asserts})
    families = FAMILIES[binding]
    out_patterns = []
    for mode, name in patterns:
        rules = rules_by_mode[mode]
        priorities = [r["priority"] for r in rules]
        if priorities != sorted(priorities, reverse=True) or len(set(priorities)) != len(priorities):
            sys.exit(f"gen-syntax-rules: {binding} {mode}: rules are not in strictly decreasing priority")
        ids = [a["id"] for r in rules for a in r["asserts"]]
        ours = [i for i in ids if i.startswith(families)]
        if not ours:
            continue
        if len(ours) == len(ids):
            kept = rules
        else:
            # A model pattern with a few code-list asserts: keep their rules only, and check
            # that no higher-priority rule of the pattern can claim the same elements.
            if any(not i.startswith("BR-CL-") for i in ours):
                sys.exit(f"gen-syntax-rules: {binding} {mode}: syntax rule in a mixed pattern")
            kept = []
            for index, rule in enumerate(rules):
                if not any(a["id"].startswith(families) for a in rule["asserts"]):
                    continue
                mine = last_step_names(rule["context"])
                if mine is None:
                    sys.exit(f"gen-syntax-rules: {binding} {mode}: wildcard context {rule['context']}")
                for earlier in rules[:index]:
                    theirs = last_step_names(earlier["context"])
                    if theirs is None or theirs & mine:
                        sys.exit(f"gen-syntax-rules: {binding} {mode}: {earlier['context']!r} may shadow "
                                 f"{rule['context']!r}; review by hand")
                kept.append({**rule, "asserts": [a for a in rule["asserts"] if a["id"].startswith(families)]})
        out_patterns.append({"mode": mode, "name": name, "rules": kept})
    return {"namespaces": namespaces, "patterns": out_patterns}


def render(tables: dict, digests: dict) -> str:
    o = []
    o.append(f"// Generated by scripts/gen-syntax-rules.py from the CEN/TC 434 EN 16931 validation artefacts,\n")
    o.append(f"// release {CEN_RELEASE} (EN16931-UBL-validation.xslt, EN16931-CII-validation.xslt). Do not edit by hand.\n//\n")
    for binding in ("ubl", "cii"):
        o.append(f"// {CEN_FILES[binding][0]} sha256 {digests[binding]}\n")
    o.append("// Regenerate: python3 scripts/gen-syntax-rules.py  |  CI: python3 scripts/gen-syntax-rules.py --check\n\n")
    o.append("extension SchematronTable {\n")
    for binding in ("ubl", "cii"):
        table = tables[binding]
        counts = {}
        for pattern in table["patterns"]:
            for rule in pattern["rules"]:
                for a in rule["asserts"]:
                    family = re.match(r"[A-Z]+-[A-Z]+", a["id"]).group(0)
                    counts[family] = counts.get(family, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        o.append(f"    /// The {binding.upper()} binding: {summary}.\n")
        o.append(f"    static let {binding} = SchematronTable(\n")
        o.append(f"        binding: .{binding},\n")
        o.append("        namespaces: [\n")
        for prefix, uri in table["namespaces"]:
            o.append(f"            ({swift_string(prefix)}, {swift_string(uri)}),\n")
        o.append("        ],\n")
        o.append("        patterns: [\n")
        for pattern in table["patterns"]:
            o.append(f"            SchematronPattern(name: {swift_string(pattern['name'])}, rules: [\n")
            for rule in pattern["rules"]:
                o.append(f"                SchematronRule(context: {swift_string(rule['context'])}, asserts: [\n")
                for a in rule["asserts"]:
                    if a["id"].startswith("BR-CL-"):
                        test = "nil"
                        kind, path = "custom", None
                    else:
                        test = swift_string(a["test"])
                        kind, path = shape(a["test"])
                    shape_literal = f".{kind}({swift_string(path)})" if path is not None else ".custom"
                    terms = "[" + ", ".join(swift_string(t) for t in a["terms"]) + "]"
                    o.append(f"                    SchematronAssert(id: {swift_string(a['id'])}, flag: .{a['flag']}, "
                             f"test: {test}, shape: {shape_literal}, terms: {terms}),\n")
                o.append("                ]),\n")
            o.append("            ]),\n")
        o.append("        ]\n")
        o.append("    )\n\n")
    o[-1] = o[-1].rstrip("\n") + "\n"
    o.append("}\n")
    return "".join(o)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if the committed file differs")
    ap.add_argument("--cen-dir")
    args = ap.parse_args()
    directory = cen_dir(args.cen_dir)
    tables, digests = {}, {}
    for binding, (name, digest) in CEN_FILES.items():
        path = os.path.join(directory, name)
        digests[binding] = pinned_sha256(path, digest, tool="gen-syntax-rules", what=f"release {CEN_RELEASE}")
        tables[binding] = extract(path, binding)
    output = render(tables, digests)
    status = write_or_check(os.path.join(REPO, OUT), output, check=args.check, tool="gen-syntax-rules", shown=OUT)
    if status is not None:
        return status
    for binding in ("ubl", "cii"):
        n = sum(len(r["asserts"]) for p in tables[binding]["patterns"] for r in p["rules"])
        print(f"gen-syntax-rules: {binding}: {n} asserts in {len(tables[binding]['patterns'])} patterns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
