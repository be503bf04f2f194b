#!/usr/bin/env python3
"""Generate the table of the element paths that carry an EN 16931 business term or group.

Source: what the model's readers find in real invoices. `liasse inspect --json` is run over
every XML invoice of the CEN/TC 434 examples (../shared/corpus/cen/, recursively; files that
inspect refuses are skipped) and of the fixtures (Tests/Fixtures/invoices/*.xml,
Tests/Fixtures/facturx/xml/*.xml, Inbox.example/*.xml). Output:
Sources/LiasseRules/Generated/TermPaths.swift, one table per syntax (UBL Invoice, UBL
CreditNote, CII, told apart by the root element of the path), so that a schema error on an
element can name the business term it carries.

* Business terms (BT): each term's path, positions (`[n]`) removed, maps to the term. A path
  read as several terms somewhere in the corpus (a note, a reference or an allowance told apart
  by a qualifier code) keeps them all, joined as "BT-x|BT-y" in BT order; these are counted as
  ambiguous. Attribute paths (`/@name`) are kept as inspect prints them.
* Groups (BG): inspect names the chain of groups of each term ("BG-25[2] > BG-31"). For each
  occurrence of a group (one document, one chain prefix) the group's element is the deepest
  common ancestor element of the paths of the occurrence's terms. A group gets a path only when
  that is the same canonical path in every occurrence of the corpus, with two reviewed
  refinements:
  - an occurrence whose terms all sit at one single path (one term, or one element read twice),
    or all belong to one occurrence of a sub-group (a delivery with only its address), does not
    fix the group's element (it may be that element or any ancestor): it only has to lie at or
    below the agreed path;
  - an occurrence's element must be the group's own: not the root element, and holding no term
    of the document outside that occurrence (in UBL the document totals, BG-22, are spread over
    cac:LegalMonetaryTotal and cac:TaxTotal, whose common ancestor is the root; in CII the
    payment instructions share ram:ApplicableHeaderTradeSettlement with many other terms).
    Such a group is left out. Reviewed exceptions (TOLERATED_INSIDE): terms or groups that the
    syntax nests in a group's element although the model puts them elsewhere (BT-8 in UBL
    cac:InvoicePeriod, BT-7 in CII ram:ApplicableTradeTax, BG-30 in UBL cac:Item).
  Groups whose element is the same (UBL cac:AllowanceCharge: BG-20 allowance and BG-21 charge)
  are joined as "BG-x|BG-y". A group never replaces a business term at the same path.

Usage:
  python3 scripts/gen-term-paths.py            # (re)generate
  python3 scripts/gen-term-paths.py --check    # CI: fail if the committed file is stale
Options: --liasse PATH (default: .build/debug/liasse, relative to the repository root),
--verbose (list the ambiguous paths and the groups left out, with the reason).
Prints "SKIP ..." and exits 0 when ../shared/corpus/cen is absent.

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genlib import swift_string, write_or_check  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = "gen-term-paths"

OUT = "Sources/LiasseRules/Generated/TermPaths.swift"
CORPUS = "../shared/corpus/cen"
FIXTURES = ["Tests/Fixtures/invoices/*.xml", "Tests/Fixtures/facturx/xml/*.xml", "Inbox.example/*.xml"]

# root element of the path -> Swift table name
SYNTAXES = [
    ("Invoice", "ublInvoice"),
    ("CreditNote", "ublCreditNote"),
    ("rsm:CrossIndustryInvoice", "cii"),
]

# Reviewed: terms or groups that the syntax nests inside a group's element although the model
# puts them outside the group; they do not make the element any less the group's own.
TOLERATED_INSIDE = {
    "BG-14": ("BT-8",),   # UBL cac:InvoicePeriod/cbc:DescriptionCode (VAT point date code)
    "BG-23": ("BT-7",),   # CII ram:ApplicableTradeTax/ram:TaxPointDate (VAT point date)
    "BG-31": ("BG-30",),  # UBL cac:Item/cac:ClassifiedTaxCategory (line VAT information)
}

POSITION = re.compile(r"\[\d+\]")
TERM = re.compile(r"(BT|BG)-(\d+)((?:-\d+)*)")


def fail(message: str) -> None:
    sys.exit(f"{TOOL}: {message}")


def term_key(term: str) -> tuple:
    """BG before BT, then by number, sub-terms (BT-29-1) after their parent."""
    m = TERM.fullmatch(term)
    if not m:
        fail(f"unexpected term name {term!r}")
    subs = tuple(int(x) for x in m.group(3).split("-")[1:])
    return (0 if m.group(1) == "BG" else 1, int(m.group(2)), subs)


# The prefixes Liasse's schema findings spell paths with (SchemaExplainer.prefixes): inspect
# spells an element's prefix as the document wrote it, so a document with other prefixes would
# add paths that no finding ever looks up.
USUAL_PREFIXES = {"cbc", "cac", "ext", "rsm", "ram", "udt", "qdt"}


def canonical(path: str) -> str:
    stripped = POSITION.sub("", path)
    for step in stripped.split("/")[2:]:
        prefix = step.lstrip("@").split(":")[0] if ":" in step else None
        if prefix is not None and prefix not in USUAL_PREFIXES:
            fail(f"path with an unusual prefix {prefix!r}: {path!r}; the table needs the usual prefixes")
    return stripped


def invoice_files() -> list[str]:
    """Repository-relative paths of the invoices, sorted (the corpus first)."""
    corpus = []
    for root, _, names in os.walk(os.path.join(REPO, CORPUS)):
        corpus += [os.path.join(root, n) for n in names if n.lower().endswith(".xml")]
    fixtures = []
    for pattern in FIXTURES:
        fixtures += glob.glob(os.path.join(REPO, pattern))
    return [os.path.relpath(p, REPO) for p in sorted(corpus) + sorted(fixtures)]


def inspect(liasse: str, files: list[str]) -> tuple[list[dict], list[str]]:
    docs, refused = [], []
    for rel in files:
        try:
            run = subprocess.run([liasse, "inspect", "--json", rel], cwd=REPO,
                                 capture_output=True, text=True, timeout=120)
        except OSError as e:
            fail(f"cannot run {liasse}: {e}")
        if run.returncode != 0:
            refused.append(rel)
            continue
        try:
            doc = json.loads(run.stdout)
        except json.JSONDecodeError as e:
            fail(f"{rel}: inspect printed invalid JSON ({e})")
        doc["file"] = rel
        docs.append(doc)
    return docs, refused


def syntax_of(path: str) -> str:
    root = path.split("/")[1] if path.startswith("/") else ""
    for name, _ in SYNTAXES:
        if root == name:
            return name
    fail(f"path with an unknown root element: {path!r}")
    return ""


def element_steps(path: str) -> list[str]:
    """The element steps of a path (an attribute step is dropped: its element is its parent)."""
    return [s for s in path.split("/")[1:] if not s.startswith("@")]


def within(path: str, element: str) -> bool:
    return path == element or path.startswith(element + "/")


def group_chain(group: str | None) -> list[str]:
    return [s.strip() for s in group.split(">")] if group else []


def analyse(docs: list[dict]) -> dict:
    terms = {name: defaultdict(set) for name, _ in SYNTAXES}
    # (syntax, BG) -> list of (file, chain, positioned element path or None, canonical term paths)
    occurrences = defaultdict(list)
    for doc in docs:
        by_occurrence = defaultdict(list)  # (syntax, chain) -> [(positioned path, full chain of the term)]
        placed = []  # (positioned path, term, chain) of every term of the document
        for t in doc.get("terms", []):
            path = t["path"]
            syn = syntax_of(path)
            terms[syn][canonical(path)].add(t["term"])
            chain = group_chain(t.get("group"))
            placed.append((path, t["term"], chain))
            for k in range(len(chain)):
                by_occurrence[(syn, " > ".join(chain[:k + 1]))].append((path, chain))
        for (syn, chain), members in by_occurrence.items():
            depth = chain.count(" > ") + 1
            bg = POSITION.sub("", chain.split(" > ")[-1])
            steps = [element_steps(p) for p, _ in members]
            common = []
            for column in zip(*steps):
                if any(s != column[0] for s in column):
                    break
                common.append(column[0])
            # Not fixing the element: all terms at one path, or all in one occurrence of a sub-group.
            single = (len({"/".join(s) for s in steps}) == 1
                      or (all(len(c) > depth for _, c in members)
                          and len({c[depth] for _, c in members}) == 1))
            element = "/" + "/".join(common)
            reason = None
            if len(common) <= 1:
                reason = "root element"
            elif not single:
                tolerated = TOLERATED_INSIDE.get(bg, ())
                for path, term, other in placed:
                    if not within(path, element) or " > ".join(other[:depth]) == chain:
                        continue
                    if term in tolerated or any(POSITION.sub("", g) in tolerated for g in other):
                        continue
                    reason = f"shares {canonical(element)} with a term outside the group ({term} at {canonical(path)})"
                    break
            occurrences[(syn, bg)].append(dict(file=doc["file"], chain=chain, element=canonical(element),
                                               single=single, reason=reason))
    groups = {name: defaultdict(set) for name, _ in SYNTAXES}
    left_out = []
    for (syn, bg), occs in sorted(occurrences.items(), key=lambda kv: (kv[0][0], term_key(kv[0][1]))):
        bad = next((o for o in occs if o["reason"]), None)
        if bad:
            left_out.append((syn, bg, f"{bad['reason']} in {bad['file']}"))
            continue
        fixed = sorted({o["element"] for o in occs if not o["single"]})
        if not fixed:
            left_out.append((syn, bg, "no occurrence with terms at two paths"))
            continue
        if len(fixed) > 1:
            left_out.append((syn, bg, "different elements: " + ", ".join(fixed)))
            continue
        below = next((o for o in occs if o["single"] and not within(o["element"], fixed[0])), None)
        if below:
            left_out.append((syn, bg, f"{below['element']} ({below['file']}) is not within {fixed[0]}"))
            continue
        groups[syn][fixed[0]].add(bg)
    tables = {}
    shadowed = []
    for syn, _ in SYNTAXES:
        table = {p: "|".join(sorted(ts, key=term_key)) for p, ts in terms[syn].items()}
        for path, bgs in groups[syn].items():
            if path in table:
                shadowed.append((syn, "|".join(sorted(bgs, key=term_key)), path, table[path]))
                continue
            table[path] = "|".join(sorted(bgs, key=term_key))
        tables[syn] = table
    ambiguous = [(syn, p, v) for syn, _ in SYNTAXES for p, v in sorted(tables[syn].items())
                 if "|" in v and v.startswith("BT")]
    bg_paths = sum(1 for syn, _ in SYNTAXES for v in tables[syn].values() if v.startswith("BG"))
    return dict(tables=tables, ambiguous=ambiguous, left_out=left_out, shadowed=shadowed, bg_paths=bg_paths)


def render(data: dict, docs: list[dict]) -> str:
    o = [f"// Generated by scripts/{TOOL}.py from what the model's readers (liasse inspect) find in the\n"
         f"// CEN/TC 434 example invoices and the fixtures ({len(docs)} invoices). Do not edit.\n",
         "\n",
         "enum TermPaths {\n"]
    first = True
    for syn, swift_name in SYNTAXES:
        if first:
            o.append("    /// Canonical element path (positions removed, usual prefixes) → the business term or group it carries.\n"
                     "    /// Several terms read at one path are joined with \"|\" (\"BT-92|BT-99\").\n")
            first = False
        table = data["tables"][syn]
        o.append(f"    static let {swift_name}: [String: String] = [\n")
        for path in sorted(table):
            o.append(f"        {swift_string(path)}: {swift_string(table[path])},\n")
        o.append("    ]\n")
    o.append("}\n")
    return "".join(o)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if the committed file differs")
    ap.add_argument("--liasse", default=".build/debug/liasse", help="the liasse binary (relative to the repository root)")
    ap.add_argument("--verbose", action="store_true", help="list ambiguous paths and the groups left out")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(REPO, CORPUS)):
        print(f"SKIP: {CORPUS} is absent, {OUT} not {'re-checked' if args.check else 'regenerated'}")
        return 0
    liasse = os.path.join(REPO, args.liasse)
    if not os.access(liasse, os.X_OK):
        fail(f"{args.liasse} not found or not executable (swift build, or --liasse PATH)")
    docs, refused = inspect(liasse, invoice_files())
    if not docs:
        fail("no invoice could be inspected")
    data = analyse(docs)
    output = render(data, docs)
    status = write_or_check(os.path.join(REPO, OUT), output, check=args.check, tool=TOOL, shown=OUT)
    if args.verbose:
        for rel in refused:
            print(f"  refused by inspect: {rel}")
        for syn, path, value in data["ambiguous"]:
            print(f"  ambiguous: {path} = {value}")
        for syn, bg, reason in data["left_out"]:
            print(f"  group left out ({syn}): {bg}: {reason}")
        for syn, bg, path, bt in data["shadowed"]:
            print(f"  group kept out by a term ({syn}): {bg} at {path} = {bt}")
    if status is not None:
        return status
    counts = ", ".join(f"{swift_name} {len(data['tables'][syn])}" for syn, swift_name in SYNTAXES)
    print(f"{TOOL}: {len(docs)} invoices ({len(refused)} refused); paths: {counts}; "
          f"ambiguous: {len(data['ambiguous'])}; group paths: {data['bg_paths']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
