#!/usr/bin/env python3
"""Generate the rule tables of the French e-invoicing reform's schematrons (France RFE 1.4.0.03).

Source: the compiled schematrons (XSLT 2.0) of the FNFE-MPE release France RFE 1.4.0.03
(2026-08-04, Apache 2.0), ../shared/artefacts/france-rfe-1.4.0.03/ (option --artefacts):

* BR-FR (Flux 2) for CII, CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt, and for UBL,
  UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL.xslt;
* the EXTENDED-CTC-FR rule sets, CII/EXTENDED-CTC-FR/2xslt/EXTENDED-CTC-FR-CII.xslt and
  UBL/EXTENDED-CTC-FR/2xslt/EXTENDED-CTC-FR-UBL.xslt (CEN-like model, syntax and code rules
  adapted to the extension, BR-FREXT-*, BR-FXEXT-*).

Every file read is pinned by its SHA-256 (SOURCES), printed in the generated header.

Output: Sources/LiasseRules/France/Generated/FranceRuleTables.swift, an extension of
SchematronTable with one table per rule set (brFrCIIRecords, brFrUBLRecords,
extendedCTCFRCIIRecords, extendedCTCFRUBLRecords) as tab-separated records in a string literal
(the format of scripts/gen-facturx-rules.py, plus the F and V records), and the small tables the
variants need, by rule id: brFrFacturXMessageOverrides (the official text of the Factur-X copies
of BR-FR where it differs from the CII one), brFr{CII,UBL}FatalInWarningVariant (the ids whose
flag the _WARNING variant leaves fatal: it turns only the others, not the multi-vendor and
bidirectional BR-FR-MV-*/BR-FR-BD-*, into warnings) and brFr{CII,UBL}WarningMessageOverrides
(the texts the _WARNING variant words differently).

Records, one a line, fields separated by tabs, in the XSLT's order:

  N prefix uri      every namespace the stylesheet declares that an expression uses
  F qname params body
                    an xsl:function: params comma-separated names (no $); body the
                    xsl:sequence/@select with the function's local xsl:variables inlined as
                    parenthesised expressions, in order (function bodies have no context item,
                    so textual inlining is exact: the generator checks that no local variable
                    starts a relative path or reads . or current())
  P pattern         a pattern (xsl:mode M*) applied by the root template: its svrl id
  R context         a rule (xsl:template of the pattern, strictly decreasing priority)
  V name select     a rule-level xsl:variable, evaluated at the context node before the asserts
                    (asserts read it as $name), in document order: a later one may read an
                    earlier one
  A id flag report codedb-list codedb-value shape shape-path terms test official-text
                    an assert (report 0, xsl:choose) or report (1, xsl:if): flag as in the
                    FATAL variant (no flag = fatal); codedb fields empty; shape custom unless the
                    text has a Factur-X shape; terms the BT-/BG- named by the text.

Expressions keep their text, whitespace collapsed outside string literals (kept verbatim).
Global xsl:variables are inlined where used (tests, contexts, rule variables, functions,
message selects) unless a rule variable of that name is already in scope, as parenthesised
expressions whose relative paths are made absolute (a global is evaluated at the document node:
`(ubl:Invoice|/cn:CreditNote)/cbc:ID` becomes `(/ubl:Invoice|/cn:CreditNote)/cbc:ID`); the
content-built document-uri global is skipped as long as nothing uses it. The official text is
the svrl:text as the XSLT processor writes it (whitespace-only text nodes of the stylesheet
dropped, those of xsl:text kept) with each xsl:value-of written as {select} (an XSLT attribute
value template: a literal { or } is doubled), whitespace collapsed; the Swift side evaluates the
selects at the context node to show the official message. An assert whose id the Factur-X
copies or a _WARNING variant word differently keeps the text of the table's own source.

What is checked, failing loudly otherwise:

* the pinned SHA-256 of every file;
* the copies of BR-FR under CII/EXTENDED-CTC-FR/ and UBL/EXTENDED-CTC-FR/ are the EN16931 ones,
  and those under Factur-X/{BASICWL,EN16931,EXTENDED}/ differ from the CII one only by the
  official text of the asserts in FACTURX_OVERRIDES (compared as whole XML trees);
* each _WARNING variant is its FATAL variant with some flags fatal -> warning (never the other
  way) and the official texts of WARNING_OVERRIDES reworded, and nothing else; the Factur-X
  _WARNING copies leave the same ids fatal as the CII one;
* the stylesheet holds only params, variables, functions, templates and pattern titles; a
  function only params, variables (with a select) and one sequence; a rule template only
  svrl:fired-rule, xsl:variable (with a select, not shadowing another of the rule),
  xsl:choose (one when, one otherwise with a failed-assert), xsl:if (a successful-report) and
  the apply-templates to its own mode; every M* mode is applied by the root template and its
  rules have strictly decreasing priorities (the built-in negative-priority ones are skipped);
* an assert's SVRL test is its xsl:when test; its attributes are only id, flag, location; its
  text holds only text, xsl:text and xsl:value-of; an assert without an id is accepted only if
  listed in ID_FROM_TEXT (its id is then the [ID] its official text starts with); no flag is
  read as fatal;
* a global is not built from content (but the skipped document-uri), nor reads . or current();
  a rule variable is read only after its definition;
* every namespace prefix an expression uses is declared; no string literal holds a tab or
  newline and no record holds a sequence that ends a Swift raw string.

Unsupported XPath constructs do not fail: --constructs prints, per table, every function
(with counts, by where it occurs), axis, operator, if-then-else, current(), cast/castable/
instance of/treat, kind test, regex pattern of matches()/replace()/tokenize(), union, function
call used as a path step, filter expression, sequence and variable that is not bound (rule
variable, function parameter, for/some/every binding): the list of what the Swift evaluator
must learn. It comes from a small XPath 2.0 tokenizer (strings stripped before looking for
names), not from regexes over the text.

Usage:
  python3 scripts/gen-france-rules.py               # (re)generate, print the counts
  python3 scripts/gen-france-rules.py --check       # CI: fail if the committed file is stale
  python3 scripts/gen-france-rules.py --constructs  # print the constructs report (writes nothing)
Options: --artefacts DIR (default: ../shared/artefacts/france-rfe-1.4.0.03 from the repo root).

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genlib import SVRL, XSL, pinned_sha256, swift_string, write_or_check  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = "gen-france-rules"
VERSION = "1.4.0.03"
OUT = "Sources/LiasseRules/France/Generated/FranceRuleTables.swift"

# Every file read, relative to the artefacts folder, with its SHA-256.
SOURCES = OrderedDict([
    ("CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
     "a5509334f70a3c8268f0339a968c49185c17cba60f71c8f6fc095deba94e6438"),
    ("CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII_WARNING.xslt",
     "b28193dc84a71eda2d091f0cc7a940b96650867a185f8d42c5daf29ad5556bbb"),
    ("CII/EXTENDED-CTC-FR/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
     "a5509334f70a3c8268f0339a968c49185c17cba60f71c8f6fc095deba94e6438"),
    ("CII/EXTENDED-CTC-FR/2xslt/BR-FR-Flux2-Schematron-CII_WARNING.xslt",
     "b28193dc84a71eda2d091f0cc7a940b96650867a185f8d42c5daf29ad5556bbb"),
    ("Factur-X/BASICWL/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
     "6dede5f39a4573cc0a30d3bd47ba1e1584de83c9096d70db91efbf5aa9e5a59e"),
    ("Factur-X/BASICWL/2xslt/BR-FR-Flux2-Schematron-CII_WARNING.xslt",
     "6e171ae69a2e746e60281eba280039440d29b4dff26d247fd9e3f96eb2b41d59"),
    ("Factur-X/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
     "6dede5f39a4573cc0a30d3bd47ba1e1584de83c9096d70db91efbf5aa9e5a59e"),
    ("Factur-X/EN16931/2xslt/BR-FR-Flux2-Schematron-CII_WARNING.xslt",
     "6e171ae69a2e746e60281eba280039440d29b4dff26d247fd9e3f96eb2b41d59"),
    ("Factur-X/EXTENDED/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
     "6dede5f39a4573cc0a30d3bd47ba1e1584de83c9096d70db91efbf5aa9e5a59e"),
    ("Factur-X/EXTENDED/2xslt/BR-FR-Flux2-Schematron-CII_WARNING.xslt",
     "6e171ae69a2e746e60281eba280039440d29b4dff26d247fd9e3f96eb2b41d59"),
    ("UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL.xslt",
     "4a54e8b363907b7ca13c6d63302910aa7e42681fdaa6d16ef18b9a414973c09c"),
    ("UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL_WARNING.xslt",
     "47bf0a1018728721434c0f9f6849d278cbaecdcc3236d9e75c65d4bd7e4f9cef"),
    ("UBL/EXTENDED-CTC-FR/2xslt/BR-FR-Flux2-Schematron-UBL.xslt",
     "4a54e8b363907b7ca13c6d63302910aa7e42681fdaa6d16ef18b9a414973c09c"),
    ("UBL/EXTENDED-CTC-FR/2xslt/BR-FR-Flux2-Schematron-UBL_WARNING.xslt",
     "47bf0a1018728721434c0f9f6849d278cbaecdcc3236d9e75c65d4bd7e4f9cef"),
    ("CII/EXTENDED-CTC-FR/2xslt/EXTENDED-CTC-FR-CII.xslt",
     "ffac7e4398c5b3364637ca71224ddd54139b5f81b6075e99eb43b5074365abb6"),
    ("UBL/EXTENDED-CTC-FR/2xslt/EXTENDED-CTC-FR-UBL.xslt",
     "5a30860a106680629afbbd6159d829bf5f353b835fd9eda24ea8e8e13587d4f9"),
])

BRFR_CII = "CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt"
BRFR_UBL = "UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL.xslt"
FACTURX_COPIES = ["Factur-X/BASICWL/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
                  "Factur-X/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
                  "Factur-X/EXTENDED/2xslt/BR-FR-Flux2-Schematron-CII.xslt"]

# table -> (Swift name, source, identical copies, Swift name of the fatal-in-_WARNING set or None)
TABLES = [
    ("brFrCII", "brFrCIIRecords", BRFR_CII, ["CII/EXTENDED-CTC-FR/2xslt/BR-FR-Flux2-Schematron-CII.xslt"],
     "brFrCIIFatalInWarningVariant"),
    ("brFrUBL", "brFrUBLRecords", BRFR_UBL, ["UBL/EXTENDED-CTC-FR/2xslt/BR-FR-Flux2-Schematron-UBL.xslt"],
     "brFrUBLFatalInWarningVariant"),
    ("extendedCTCFRCII", "extendedCTCFRCIIRecords", "CII/EXTENDED-CTC-FR/2xslt/EXTENDED-CTC-FR-CII.xslt", [], None),
    ("extendedCTCFRUBL", "extendedCTCFRUBLRecords", "UBL/EXTENDED-CTC-FR/2xslt/EXTENDED-CTC-FR-UBL.xslt", [], None),
]

# The asserts whose official text the Factur-X copies of BR-FR word differently (by id).
FACTURX_OVERRIDES = {"BR-FR-28-Value"}
# The asserts whose official text a _WARNING variant words differently, by table.
WARNING_OVERRIDES = {"brFrCII": set(), "brFrUBL": {"BR-FR-20_BT-21"}}

# Asserts without an id attribute, accepted with the [ID] their official text starts with:
# (table, id read from the text, rule context).
ID_FROM_TEXT = {
    ("extendedCTCFRCII", "BR-FXEXT-04", "//ram:ApplicableProductCharacteristic/ram:TypeCode"),
    ("extendedCTCFRCII", "BR-CO-27",
     "//ram:SpecifiedTradeSettlementPaymentMeans[some $code in tokenize('30 58', '\\s') satisfies "
     "normalize-space(ram:TypeCode) = $code]"),
}

# The globals built with content rather than a select, skipped when nothing reads them.
CONTENT_GLOBALS_SKIPPED = {"document-uri"}

# What the Swift evaluator implements today (gen-facturx-rules.py), to mark the rest with *.
SUPPORTED_FUNCTIONS = {
    "not", "count", "contains", "concat", "exists", "empty", "matches", "name", "number", "string",
    "boolean", "substring", "translate", "normalize-space", "upper-case", "lower-case",
    "substring-after", "substring-before", "string-length", "local-name", "true", "false",
    "distinct-values", "ends-with", "starts-with", "xs:decimal", "round", "abs", "sum",
    "string-join", "tokenize", "text", "node",
}
SUPPORTED_PATTERNS = {
    r"^\s*(\d{4})(1[0-2]|0[1-9]){1}(3[01]|[12][0-9]|0[1-9]){1}\s*$",
    r"^\s*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])([01][0-9]|2[0-3])[0-5][0-9]\s*$",
}
SUPPORTED_AXES = {"child", "self", "parent", "ancestor", "ancestor-or-self", "descendant",
                  "descendant-or-self", "preceding", "attribute"}


def fail(message: str) -> None:
    sys.exit(f"{TOOL}: {message}")


def default_dir() -> str:
    return os.path.join(REPO, "..", "shared", "artefacts", "france-rfe-" + VERSION)


# ---------------------------------------------------------------------------------------------
# A small XPath 2.0 tokenizer

NCNAME = r"[^\W\d][\w.\-]*"
TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<comment>\(:)"
    r"|(?P<string>'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")"
    r"|(?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    rf"|(?P<variable>\$\s*{NCNAME}(?::{NCNAME})?)"
    rf"|(?P<name>\*:{NCNAME}|{NCNAME}(?::(?:{NCNAME}|\*))?)"
    r"|(?P<symbol>::|//|\.\.|!=|<=|>=|<<|>>|[()\[\],|/@.=<>+\-*?:])"
)

KIND_TESTS = {"element", "attribute", "comment", "processing-instruction", "text", "node",
              "document-node", "schema-element", "schema-attribute", "item", "empty-sequence"}
OPERATOR_WORDS = {"and", "or", "div", "idiv", "mod", "eq", "ne", "lt", "le", "gt", "ge", "is", "to",
                  "union", "intersect", "except", "instance", "of", "treat", "castable", "cast", "as",
                  "in", "return", "satisfies", "then", "else"}


class Tok:
    __slots__ = ("kind", "text", "start", "end", "role", "match")

    def __init__(self, kind: str, text: str, start: int, end: int):
        self.kind, self.text, self.start, self.end = kind, text, start, end
        self.role = kind
        self.match = -1  # index of the matching bracket

    @property
    def var(self) -> str:
        return self.text[1:].strip()

    def __repr__(self) -> str:
        return f"{self.role}:{self.text}"


def tokenize(source: str, where: str) -> list[Tok]:
    """The tokens of an XPath 2.0 expression, each with its role: function, if, kindtest, axis,
    op (operator word or symbol), binder (for/some/every), nametest, typename, occurrence,
    string, number, variable, symbol, comment."""
    tokens: list[Tok] = []
    i = 0
    while i < len(source):
        m = TOKEN.match(source, i)
        if not m:
            fail(f"{where}: cannot tokenize {source[i:i + 40]!r} in {source!r}")
        kind = m.lastgroup
        if kind == "comment":
            depth, j = 1, i + 2
            while depth and j < len(source):
                if source.startswith("(:", j):
                    depth, j = depth + 1, j + 2
                elif source.startswith(":)", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            if depth:
                fail(f"{where}: unterminated comment in {source!r}")
            tokens.append(Tok("comment", source[i:j], i, j))
            i = j
            continue
        if kind != "ws":
            tokens.append(Tok(kind, m.group(), m.start(), m.end()))
        i = m.end()
    classify(tokens, source, where)
    return tokens


def significant(tokens: list[Tok]) -> list[Tok]:
    return [t for t in tokens if t.kind != "comment"]


def ends_operand(t: Tok | None) -> bool:
    if t is None:
        return False
    if t.role in ("string", "number", "variable", "nametest", "typename", "occurrence", "kindtest-close"):
        return True
    return t.kind == "symbol" and t.text in (")", "]", ".", "..") and t.role == "symbol"


def classify(all_tokens: list[Tok], source: str, where: str) -> None:
    tokens = significant(all_tokens)
    stack = []
    for i, t in enumerate(tokens):
        if t.kind == "symbol" and t.text in "([":
            stack.append(i)
        elif t.kind == "symbol" and t.text in ")]":
            if not stack or tokens[stack[-1]].text != {")": "(", "]": "["}[t.text]:
                fail(f"{where}: unbalanced {t.text} in {source!r}")
            j = stack.pop()
            tokens[j].match, t.match = i, j
    if stack:
        fail(f"{where}: unbalanced brackets in {source!r}")
    prev: Tok | None = None
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if t.kind == "name":
            if ends_operand(prev) and t.text in OPERATOR_WORDS:
                t.role = "op"  # `and (`, `or (`: an operator, even before a parenthesis
            elif prev is not None and prev.role == "op" and (prev.text, t.text) in (
                    ("instance", "of"), ("treat", "as"), ("castable", "as"), ("cast", "as")):
                t.role = "op"
            elif nxt is not None and nxt.text == "(" and nxt.kind == "symbol":
                if t.text in ("if", "typeswitch") and not ends_operand(prev):
                    t.role = "if" if t.text == "if" else "typeswitch"
                elif t.text in KIND_TESTS:
                    t.role = "kindtest"
                else:
                    t.role = "function"
            elif nxt is not None and nxt.text == "::":
                t.role = "axis"
            elif t.text in ("for", "some", "every") and nxt is not None and nxt.kind == "variable":
                t.role = "binder"
            elif prev is not None and prev.role == "op" and prev.text in ("as", "of"):
                t.role = "typename"
            else:
                t.role = "nametest"
        elif t.kind == "symbol":
            if t.text == "*":
                t.role = "op" if ends_operand(prev) else "nametest"
            elif t.text == "?" and prev is not None and prev.role in ("typename", "kindtest-close"):
                t.role = "occurrence"
            elif t.text == ")" and t.match > 0 and tokens[t.match - 1].role == "kindtest":
                t.role = "kindtest-close"  # a kind test ends an operand (a step)
            elif t.text in ("=", "!=", "<", "<=", ">", ">=", "<<", ">>", "|", "+", "-", ",", "/", "//"):
                t.role = "symbol"
        prev = t


def expression_variables(tokens: list[Tok]) -> tuple[list[str], set[str]]:
    """The $names an expression reads (in order, repeats kept) and those it binds itself
    (for/some/every: a variable followed by `in`)."""
    toks = significant(tokens)
    reads, binds = [], set()
    for i, t in enumerate(toks):
        if t.kind != "variable":
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.role == "op" and nxt.text == "in":
            binds.add(t.var)
        else:
            reads.append(t.var)
    return reads, binds


def normalize(source: str, where: str) -> str:
    """The expression with whitespace collapsed outside string literals (kept verbatim)."""
    tokens = tokenize(source, where)
    out, last = [], None
    for t in tokens:
        if t.kind == "string" and re.search(r"[\t\n\r]", t.text):
            fail(f"{where}: string literal with a tab or newline: {t.text!r}")
        if last is not None and source[last.end:t.start] != "":
            out.append(" ")
        out.append(t.text)
        last = t
    return "".join(out)


def substitute(source: str, values: dict[str, str], where: str) -> str:
    """`source` with each `$name` of `values` replaced by `(value)`, failing if a value reads a
    variable the expression rebinds (capture)."""
    tokens = tokenize(source, where)
    _, binds = expression_variables(tokens)
    out, at = [], 0
    for t in tokens:
        if t.kind == "variable" and t.var in values and t.var not in binds:
            inner = tokenize(values[t.var], where)
            reads, _ = expression_variables(inner)
            if set(reads) & binds:
                fail(f"{where}: inlining ${t.var} would capture {sorted(set(reads) & binds)}")
            out.append(source[at:t.start])
            out.append("(" + values[t.var] + ")")
            at = t.end
    out.append(source[at:])
    return "".join(out)


STEP_ROLES = ("nametest", "kindtest", "axis")


def relative_starts(tokens: list[Tok]) -> list[int]:
    """Indexes (in the significant tokens) of the steps that start a relative path outside any
    predicate: what depends on the context item."""
    toks = significant(tokens)
    starts = []
    depth = 0
    for i, t in enumerate(toks):
        if t.kind == "symbol" and t.text == "[":
            depth += 1
        elif t.kind == "symbol" and t.text == "]":
            depth -= 1
        if depth:
            continue
        prev = toks[i - 1] if i else None
        is_step = t.role in STEP_ROLES or (t.kind == "symbol" and t.text in ("@", ".", "..") and t.role == "symbol")
        if not is_step:
            continue
        if prev is not None and ((prev.kind == "symbol" and prev.text in ("/", "//", "@", "::"))):
            continue
        if prev is not None and prev.role == "op" and prev.text in ("as", "of"):
            continue  # a sequence type
        starts.append(i)
    return starts


def context_free(source: str, where: str) -> None:
    """Fails if the expression reads the context item (outside predicates) or current()."""
    tokens = tokenize(source, where)
    toks = significant(tokens)
    for t in toks:
        if t.role == "function" and t.text in ("current", "position", "last"):
            fail(f"{where}: {t.text}() in {source!r} cannot be inlined")
    starts = relative_starts(tokens)
    if starts:
        fail(f"{where}: {source!r} reads the context ({toks[starts[0]].text}): cannot be inlined")


def rooted(source: str, where: str) -> str:
    """A global's select, evaluated at the document node, as an expression of the same value at
    any context: its relative paths made absolute."""
    tokens = tokenize(source, where)
    toks = significant(tokens)
    for t in toks:
        if t.role == "function" and t.text in ("current", "position", "last"):
            fail(f"{where}: {t.text}() in global {source!r}")
    out, at = [], 0
    for i in relative_starts(tokens):
        t = toks[i]
        if t.text in (".", ".."):
            fail(f"{where}: global {source!r} reads {t.text} at the document node")
        out.append(source[at:t.start])
        out.append("/")
        at = t.start
    out.append(source[at:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Reading a stylesheet

def root_namespaces(path: str) -> list[tuple[str, str]]:
    seen = []
    for event, item in ET.iterparse(path, events=("start-ns", "start")):
        if event == "start":
            break
        seen.append(item)
    return seen


def message_template(text_element, where: str) -> str:
    """The svrl:text as an attribute value template: literal text with {select} for each
    xsl:value-of, braces doubled, whitespace collapsed."""
    parts = []

    def literal(s: str | None, *, kept: bool = False) -> None:
        # The XSLT processor strips the stylesheet's whitespace-only text nodes (the <xsl:text/>
        # markers around an xsl:value-of are there for that) but those of xsl:text.
        if s and (kept or s.strip()):
            parts.append(s.replace("{", "{{").replace("}", "}}"))

    literal(text_element.text)
    for child in text_element:
        if child.tag == XSL + "text":
            if len(child):
                fail(f"{where}: xsl:text with elements in the message")
            literal(child.text, kept=True)
        elif child.tag == XSL + "value-of":
            if set(child.attrib) != {"select"} or len(child) or (child.text or "").strip():
                fail(f"{where}: unexpected xsl:value-of {child.attrib} in the message")
            select = normalize(child.get("select"), where)
            if "{" in select or "}" in select:
                fail(f"{where}: brace in a message select {select!r}")
            parts.append("{" + select + "}")
        else:
            fail(f"{where}: unexpected {child.tag} in the message")
        literal(child.tail)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def message_selects(template: str) -> list[str]:
    return re.findall(r"(?<!\{)\{([^{}]+)\}", template.replace("{{", "").replace("}}", ""))


def read_stylesheet(path: str, label: str) -> dict:
    root = ET.parse(path).getroot()
    for element in root.iter():
        if "xpath-default-namespace" in element.attrib:
            fail(f"{label}: xpath-default-namespace is not supported")
    declared = root_namespaces(path)
    params, globals_, functions = [], OrderedDict(), []
    for child in root:
        tag = child.tag
        if tag == XSL + "param":
            params.append(child.get("name"))
        elif tag == XSL + "variable":
            name = child.get("name")
            if child.get("select") is not None:
                if len(child) or (child.text or "").strip() or child.get("as"):
                    fail(f"{label}: global ${name} with both a select and content or a type")
                globals_[name] = child.get("select")
            else:
                globals_[name] = None  # content-built
        elif tag == XSL + "function":
            functions.append(read_function(child, label))
        elif tag in (XSL + "template", XSL + "output", SVRL + "text"):
            pass
        else:
            fail(f"{label}: unexpected top-level element {tag}")

    patterns = []
    for template in root.findall(XSL + "template"):
        if template.get("match") == "/" and template.get("mode") is None:
            name = None
            for element in template.iter():
                if element.tag == XSL + "attribute" and element.get("name") == "id":
                    name = (element.text or "").strip()
                if element.tag == XSL + "apply-templates" and (element.get("mode") or "").startswith("M"):
                    if element.get("select") != "/":
                        fail(f"{label}: pattern {element.get('mode')} applied to {element.get('select')!r}")
                    patterns.append((element.get("mode"), name or element.get("mode")))
                    name = None
    if len({m for m, _ in patterns}) != len(patterns):
        fail(f"{label}: a pattern mode is applied twice")
    rules_by_mode: dict[str, list] = {mode: [] for mode, _ in patterns}
    for template in root.findall(XSL + "template"):
        mode = template.get("mode")
        if mode not in rules_by_mode:
            if mode and re.fullmatch(r"M\d+", mode):
                fail(f"{label}: mode {mode} is not applied by the root template")
            continue
        if template.get("priority") is None:
            fail(f"{label} {mode}: template {template.get('match')!r} without a priority")
        priority = float(template.get("priority"))
        if priority < 0:  # the built-in text() and @*|node() rules
            if template.get("match") not in ("text()", "@*|node()"):
                fail(f"{label} {mode}: unexpected negative-priority template {template.get('match')!r}")
            continue
        rules_by_mode[mode].append(read_rule(template, mode, priority, label))
    out_patterns = []
    for mode, name in patterns:
        rules = rules_by_mode[mode]
        priorities = [r["priority"] for r in rules]
        if any(a <= b for a, b in zip(priorities, priorities[1:])):
            fail(f"{label} {mode}: rules are not in strictly decreasing priority")
        out_patterns.append({"mode": mode, "name": name, "rules": rules})
    return {"root": root, "declared": declared, "params": params, "globals": globals_,
            "functions": functions, "patterns": out_patterns}


def read_function(element, label: str) -> dict:
    name = element.get("name")
    where = f"{label} function {name}"
    params, local, body = [], [], None
    for child in element:
        if child.tag == XSL + "param":
            if local or body is not None or len(child) or (child.text or "").strip() or child.get("select"):
                fail(f"{where}: unexpected param {child.attrib}")
            params.append((child.get("name"), child.get("as")))
        elif child.tag == XSL + "variable":
            if body is not None or child.get("select") is None or len(child) or (child.text or "").strip():
                fail(f"{where}: local variable ${child.get('name')} without a select or after the sequence")
            as_type = child.get("as")
            select = child.get("select")
            if as_type is not None:
                # A typed local is inlined only when its select already has that type.
                if not (as_type == "xs:string" and re.fullmatch(r"\s*'[^']*'\s*", select)):
                    fail(f"{where}: local ${child.get('name')} as {as_type} = {select!r} cannot be inlined")
            local.append((child.get("name"), select))
        elif child.tag == XSL + "sequence":
            if body is not None or len(child):
                fail(f"{where}: more than one sequence")
            body = child.get("select")
        else:
            fail(f"{where}: unexpected {child.tag}")
    if body is None:
        fail(f"{where}: no xsl:sequence")
    param_names = {p for p, _ in params}
    values: dict[str, str] = {}
    for var, select in local:
        if var in values or var in param_names:
            fail(f"{where}: local ${var} shadows another binding")
        context_free(select, f"{where} ${var}")
        values[var] = normalize(substitute(select, values, f"{where} ${var}"), f"{where} ${var}")
    body = normalize(substitute(body, values, where), where)
    context_free(body, where)
    return {"name": name, "as": element.get("as"), "params": params, "locals": [v for v, _ in local], "body": body}


def read_rule(template, mode: str, priority: float, label: str) -> dict:
    context = template.get("match")
    where = f"{label} {mode} rule {context!r}"
    variables: list[tuple[str, str]] = []
    items = []  # ("var", name, select) and asserts, in document order
    fired = 0
    applied = 0
    for child in template:
        tag = child.tag
        if tag == SVRL + "fired-rule":
            fired += 1
            if child.get("context") != context:
                fail(f"{where}: fired-rule context {child.get('context')!r}")
            continue
        if tag == XSL + "apply-templates":
            if child.get("select") not in ("@*|*", "*") or child.get("mode") != mode:
                fail(f"{where}: unexpected apply-templates {child.attrib}")
            applied += 1
            continue
        if applied:
            fail(f"{where}: {tag} after the apply-templates")
        if tag == XSL + "variable":
            name = child.get("name")
            if child.get("select") is None:
                fail(f"{where}: variable ${name} built from content, not a select")
            if set(child.attrib) != {"name", "select"} or len(child) or (child.text or "").strip():
                fail(f"{where}: variable ${name} with {sorted(child.attrib)} or content")
            if any(n == name for n, _ in variables):
                fail(f"{where}: variable ${name} defined twice")
            variables.append((name, child.get("select")))
            items.append(("var", name, child.get("select")))
            continue
        if tag == XSL + "choose":
            whens, otherwise = child.findall(XSL + "when"), child.find(XSL + "otherwise")
            if len(whens) != 1 or otherwise is None or len(child) != 2 or len(whens[0]) or len(otherwise) != 1:
                fail(f"{where}: xsl:choose of an unexpected shape")
            node = otherwise.find(SVRL + "failed-assert")
            kind, test = "assert", whens[0].get("test")
        elif tag == XSL + "if":
            if len(child) != 1:
                fail(f"{where}: xsl:if of an unexpected shape")
            node = child.find(SVRL + "successful-report")
            kind, test = "report", child.get("test")
        else:
            fail(f"{where}: unexpected element {tag}")
        if node is None:
            fail(f"{where}: {tag} without an SVRL result")
        # The SVRL copy of the test is informational, its whitespace collapsed even in strings.
        if re.sub(r"\s+", " ", node.get("test") or "").strip() != re.sub(r"\s+", " ", test).strip() \
                or set(node.attrib) != {"test"}:
            fail(f"{where}: SVRL attributes {node.attrib} differ from the test {test!r}")
        attributes = {}
        text_element = None
        for part in node:
            if part.tag == XSL + "attribute":
                attributes[part.get("name")] = (part.text or "").strip()
            elif part.tag == SVRL + "text" and text_element is None:
                text_element = part
            else:
                fail(f"{where}: unexpected {part.tag} in the SVRL result")
        if not set(attributes) <= {"id", "flag", "location"}:
            fail(f"{where}: unexpected SVRL attributes {sorted(attributes)}")
        if text_element is None:
            fail(f"{where}: SVRL result without text")
        items.append({"kind": kind, "id": attributes.get("id", ""), "flag": attributes.get("flag", ""),
                      "test": test, "text": message_template(text_element, where), "context": context})
    if fired != 1 or applied != 1:
        fail(f"{where}: {fired} fired-rule and {applied} apply-templates")
    return {"context": context, "priority": priority, "items": items}


# ---------------------------------------------------------------------------------------------
# Variants

def canonical(root, *, flags_as_fatal: bool = False, blank_texts_of: set[str] = frozenset()) -> bytes:
    """The whole stylesheet as bytes, with the flags read as fatal and the official texts of
    some asserts left out: what two variants must share."""
    tree = copy.deepcopy(root)
    for node in tree.iter():
        if node.tag in (SVRL + "failed-assert", SVRL + "successful-report"):
            rule_id = ""
            for part in node.findall(XSL + "attribute"):
                if part.get("name") == "id":
                    rule_id = (part.text or "").strip()
                if flags_as_fatal and part.get("name") == "flag" and (part.text or "").strip() == "warning":
                    part.text = "fatal"
            if rule_id in blank_texts_of:
                for text in node.findall(SVRL + "text"):
                    node.remove(text)
    return ET.tostring(tree, encoding="utf-8")


def asserts_of(sheet: dict) -> list[dict]:
    return [item for p in sheet["patterns"] for r in p["rules"] for item in r["items"] if isinstance(item, dict)]


def check_warning_variant(fatal: dict, warning: dict, label: str, allowed: set[str]) -> tuple[set[str], dict[str, str]]:
    """Checks the _WARNING variant is the FATAL one with flags fatal -> warning and the texts of
    the `allowed` asserts reworded; returns the ids it leaves fatal and the reworded texts."""
    if canonical(fatal["root"], flags_as_fatal=True, blank_texts_of=allowed) \
            != canonical(warning["root"], flags_as_fatal=True, blank_texts_of=allowed):
        fail(f"{label}: the _WARNING variant differs by more than flags and the texts of {sorted(allowed)}")
    kept, reworded = set(), {}
    for a, b in zip(asserts_of(fatal), asserts_of(warning)):
        if a["text"] != b["text"]:
            if a["id"] not in allowed or a["id"] != b["id"]:
                fail(f"{label} {a['id']}: official text differs from the FATAL variant's: {b['text']!r}")
            reworded[a["id"]] = b["text"]
        pair = (a["flag"] or "fatal", b["flag"] or "fatal")
        if pair not in (("fatal", "fatal"), ("fatal", "warning"), ("warning", "warning")):
            fail(f"{label} {a['id']}: flag {pair[0]} in the FATAL variant, {pair[1]} in the _WARNING one")
        if pair == ("fatal", "fatal"):
            if not a["id"]:
                fail(f"{label}: an assert without an id stays fatal in the _WARNING variant")
            kept.add(a["id"])
    ids = [a["id"] for a in asserts_of(fatal)]
    if len(ids) != len(set(ids)):
        fail(f"{label}: ids are not unique, the fatal-in-_WARNING set cannot name them")
    if set(reworded) != set(allowed):
        fail(f"{label}: reworded texts {sorted(reworded)}, expected {sorted(allowed)}")
    return kept, reworded


def check_copy(reference: dict, other: dict, label: str, allowed: set[str]) -> dict[str, str]:
    """Checks a copy is the reference except the texts of the `allowed` asserts; returns the
    texts that differ, by id."""
    differing = {}
    ra, oa = asserts_of(reference), asserts_of(other)
    if len(ra) != len(oa):
        fail(f"{label}: {len(oa)} asserts, the reference has {len(ra)}")
    for a, b in zip(ra, oa):
        if a["text"] != b["text"]:
            if a["id"] not in allowed or b["id"] != a["id"]:
                fail(f"{label} {b['id']}: official text differs from the reference: {b['text']!r}")
            differing[a["id"]] = b["text"]
    if canonical(reference["root"], blank_texts_of=allowed) != canonical(other["root"], blank_texts_of=allowed):
        fail(f"{label}: differs from the reference by more than the texts of {sorted(allowed)}")
    return differing


# ---------------------------------------------------------------------------------------------
# Building a table

def prefixes_of(expression: str, where: str) -> set[str]:
    found = set()
    for t in significant(tokenize(expression, where)):
        text = t.text[1:].strip() if t.kind == "variable" else t.text
        if t.kind in ("name", "variable") and ":" in text and not text.startswith("*:"):
            found.add(text.split(":")[0])
    return found


def build_table(key: str, sheet: dict, label: str) -> dict:
    globals_ = sheet["globals"]
    resolved: dict[str, str] = {}
    used_globals: Counter = Counter()

    def global_value(name: str, chain: tuple = ()) -> str:
        if name in resolved:
            return resolved[name]
        if name in chain:
            fail(f"{label}: global ${name} defined in terms of itself")
        select = globals_[name]
        if select is None:
            fail(f"{label}: global ${name} is built from content and used by an expression")
        where = f"{label} global ${name}"
        reads, _ = expression_variables(tokenize(select, where))
        values = {n: global_value(n, chain + (name,)) for n in reads if n in globals_}
        resolved[name] = normalize(rooted(substitute(select, values, where), where), where)
        return resolved[name]

    def inline_globals(expression: str, shadowed: set[str], where: str) -> str:
        reads, binds = expression_variables(tokenize(expression, where))
        values = {}
        for n in reads:
            if n in globals_ and n not in shadowed and n not in binds:
                values[n] = global_value(n)
                used_globals[n] += 1
        return normalize(substitute(expression, values, where) if values else expression, where)

    functions = []
    for f in sheet["functions"]:
        params = {p for p, _ in f["params"]}
        body = inline_globals(f["body"], params, f"{label} function {f['name']}")
        functions.append(dict(f, body=body))

    patterns = []
    derived_ids = []
    for p in sheet["patterns"]:
        rules = []
        for r in p["rules"]:
            where = f"{label} {p['mode']} rule {r['context']!r}"
            context = inline_globals(r["context"], set(), where)
            defined: set[str] = set()
            variables, asserts = [], []
            all_names = {item[1] for item in r["items"] if isinstance(item, tuple)}

            def check_order(expression: str, what: str) -> None:
                # A rule variable is visible only to what follows it in the template.
                reads, binds = expression_variables(tokenize(expression, what))
                late = (set(reads) - binds - defined) & all_names
                if late:
                    fail(f"{what}: reads {sorted(late)}, defined after it in the rule")

            for item in r["items"]:
                if isinstance(item, tuple):
                    _, name, select = item
                    value = inline_globals(select, defined, f"{where} ${name}")
                    check_order(value, f"{where} ${name}")
                    variables.append((name, value))
                    defined.add(name)
                    continue
                a = dict(item)
                if not a["id"]:
                    m = re.match(r"\[([A-Z][A-Z0-9-]*)\]", a["text"])
                    if not m or (key, m.group(1), normalize(r["context"], where)) not in ID_FROM_TEXT:
                        fail(f"{where}: {a['kind']} without an id: {a['text'][:80]!r}")
                    a["id"] = m.group(1)
                    derived_ids.append(a["id"])
                a["flag"] = a["flag"] or "fatal"
                if a["flag"] not in ("fatal", "warning"):
                    fail(f"{where}: flag {a['flag']!r} of {a['id']}")
                a["test"] = inline_globals(a["test"], defined, f"{where} {a['id']}")
                text = a["text"]
                for select in message_selects(text):
                    new = inline_globals(select, defined, f"{where} {a['id']} message")
                    if new != select:
                        text = text.replace("{" + select + "}", "{" + new + "}")
                a["text"] = text
                check_order(a["test"], f"{where} {a['id']}")
                for select in message_selects(text):
                    check_order(select, f"{where} {a['id']} message")
                asserts.append(a)
            rules.append({"context": context, "priority": r["priority"], "variables": variables, "asserts": asserts})
        patterns.append({"mode": p["mode"], "name": p["name"], "rules": rules})
    expected = {i for k, i, _ in ID_FROM_TEXT if k == key}
    if set(derived_ids) != expected:
        fail(f"{label}: ids read from the text {sorted(derived_ids)}, expected {sorted(expected)}")
    for name in globals_:
        if globals_[name] is None and name not in CONTENT_GLOBALS_SKIPPED:
            fail(f"{label}: content-built global ${name}")

    # The namespaces the expressions use.
    expressions = [f["body"] for f in functions] + [f["name"] for f in functions]
    for p in patterns:
        for r in p["rules"]:
            expressions.append(r["context"])
            expressions += [s for _, s in r["variables"]]
            for a in r["asserts"]:
                expressions.append(a["test"])
                expressions += message_selects(a["text"])
    used = set()
    for e in expressions:
        used |= prefixes_of(e, label)
    for f in functions:
        for _, as_type in f["params"]:
            if as_type and ":" in as_type:
                used.add(as_type.split(":")[0])
    declared = OrderedDict(sheet["declared"])
    missing = used - set(declared)
    if missing:
        fail(f"{label}: prefixes {sorted(missing)} used but not declared")
    namespaces = [(p, u) for p, u in declared.items() if p in used]
    return {"key": key, "label": label, "namespaces": namespaces, "functions": functions, "patterns": patterns,
            "globals_used": used_globals, "globals": globals_, "params": sheet["params"]}


# ---------------------------------------------------------------------------------------------
# Rendering

def shape(text: str) -> tuple[str, str]:
    for pattern, kind in ((r"Element '([^']+)' must occur exactly 1 times\.", "exactlyOne"),
                          (r"Element (?:variant )?'([^']+)' may occur at maximum 1 times\.", "atMostOnce"),
                          (r"Element '([^']+)' must occur at least 1 times\.", "required"),
                          (r"Attribute '([^']+)' is required in this context\.", "required")):
        m = re.fullmatch(pattern, text)
        if m:
            return kind, m.group(1)
    return "custom", ""


def field(s: str) -> str:
    if "\t" in s or "\n" in s or "\r" in s or '"""#' in s or "\\#" in s:
        fail(f"cannot store {s!r} in the table text")
    return s


def family(rule_id: str) -> str:
    m = re.match(r"^(.*?)-?\d", rule_id)
    return re.sub(r"_.*$", "", m.group(1)) if m and m.group(1) else rule_id


def terms_of(text: str) -> list[str]:
    literal = re.sub(r"\{[^{}]*\}", " ", text.replace("{{", "").replace("}}", ""))
    return list(dict.fromkeys(re.findall(r"\bB[TG]-\d+\b", literal)))


def counts(table: dict) -> tuple[int, int, Counter]:
    by_family: Counter = Counter()
    asserts = reports = 0
    for p in table["patterns"]:
        for r in p["rules"]:
            for a in r["asserts"]:
                by_family[family(a["id"])] += 1
                if a["kind"] == "report":
                    reports += 1
                else:
                    asserts += 1
    return asserts, reports, by_family


def summary(table: dict) -> str:
    asserts, reports, by_family = counts(table)
    families = ", ".join(f"{k} {v}" for k, v in sorted(by_family.items()))
    return f"{asserts} asserts and {reports} reports ({families})"


TSV = os.path.join(REPO, "scripts", "france-messages-en.tsv")


PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")


def skeleton(template: str) -> str:
    """A template with its placeholders' expressions left out: the generator inlines the global
    variables a message quotes, france-messages.py keeps them as written."""
    return PLACEHOLDER.sub("{{}}", template)


def read_translations() -> dict[str, tuple[str, str]]:
    """Skeleton of the French template -> (French template, English template), from
    scripts/france-messages-en.tsv ({{select}} placeholders)."""
    out = {}
    with open(TSV, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            french, english = line.split("\t")
            out[skeleton(french)] = (french, english)
    return out


def avt_to_template(avt: str) -> str:
    """An official text as an attribute value template ({x} a value, {{ }} literal braces) to the
    template form of france-messages.py ({{x}} a value, braces otherwise literal)."""
    out, i = [], 0
    while i < len(avt):
        if avt.startswith("{{", i) or avt.startswith("}}", i):
            out.append(avt[i])
            i += 2
        elif avt[i] == "{":
            end = avt.index("}", i)
            out.append("{{" + avt[i + 1:end] + "}}")
            i = end + 1
        else:
            out.append(avt[i])
            i += 1
    return "".join(out)


def template_to_avt(template: str) -> str:
    out, i = [], 0
    while i < len(template):
        if template.startswith("{{", i):
            end = template.index("}}", i)
            out.append("{" + template[i + 2:end] + "}")
            i = end + 2
        elif template[i] in "{}":
            out.append(template[i] * 2)
            i += 1
        else:
            out.append(template[i])
            i += 1
    return "".join(out)


def english_of(avt: str, translations: dict, where: str) -> str:
    """The English of an official text, its placeholders those of the text (by position in the
    French: the English may quote them in another order)."""
    template = re.sub(r"\s+", " ", avt_to_template(avt)).strip()
    entry = translations.get(skeleton(template))
    if entry is None:
        fail(f"{where}: no English for {template!r} in scripts/france-messages-en.tsv "
             "(python3 scripts/france-messages.py --check)")
    french, english = entry
    ours = PLACEHOLDER.findall(template)
    theirs = PLACEHOLDER.findall(french)
    mapping = {}
    for written, inlined in zip(theirs, ours):
        if mapping.get(written, inlined) != inlined:
            fail(f"{where}: placeholder {written!r} stands for two expressions")
        mapping[written] = inlined
    return template_to_avt(PLACEHOLDER.sub(lambda m: "{{" + mapping[m.group(1)] + "}}", english))


def render(tables: dict, digests: dict, overrides: dict, fatal_kept: dict, warning_overrides: dict) -> str:
    translations = read_translations()
    o = []
    o.append(f"// Generated by scripts/{TOOL}.py from the France RFE {VERSION} schematrons (FNFE-MPE,\n")
    o.append("// Apache 2.0), artefacts france-rfe-" + VERSION + "/. Do not edit by hand.\n//\n")
    for path, digest in digests.items():
        o.append(f"// {path} sha256 {digest}\n")
    o.append(f"// Regenerate: python3 scripts/{TOOL}.py  |  CI: python3 scripts/{TOOL}.py --check\n")
    o.append("//\n// One tab-separated record a line (the Factur-X table format plus F and V):\n")
    o.append("//   N prefix uri | F qname params body | P pattern | R context | V name select |\n")
    o.append("//   A id flag report codedb-list codedb-value shape shape-path terms test official-text\n")
    o.append("//     warning-flag english\n")
    o.append("// warning-flag: the flag of the _WARNING variant (BR-FR; the FATAL one elsewhere); english:\n")
    o.append("// Liasse's English for BR-FR's French (scripts/france-messages-en.tsv), empty elsewhere.\n")
    o.append("// F: an xsl:function, its local variables inlined; V: a rule variable, evaluated at the\n")
    o.append("// context node before the asserts, in order. Globals are inlined. The official text is\n")
    o.append("// an XSLT attribute value template: {select} is an xsl:value-of evaluated at the context\n")
    o.append("// node, {{ and }} are literal braces. Flags are those of the FATAL variants; the tables after\n")
    o.append("// the records give the Factur-X copies' and the _WARNING variants' differences.\n\n")
    o.append("extension SchematronTable {\n")
    for key, swift_name, source, _, _ in TABLES:
        table = tables[key]
        o.append(f"    /// France RFE {VERSION}, {source}: {summary(table)}.\n")
        o.append(f'    static let {swift_name} = #"""\n')
        for prefix, uri in table["namespaces"]:
            o.append(f"N\t{prefix}\t{field(uri)}\n")
        for f in table["functions"]:
            o.append("\t".join(["F", field(f["name"]), ",".join(p for p, _ in f["params"]), field(f["body"])]) + "\n")
        for pattern in table["patterns"]:
            o.append(f"P\t{field(pattern['name'])}\n")
            for rule in pattern["rules"]:
                o.append(f"R\t{field(rule['context'])}\n")
                for name, select in rule["variables"]:
                    o.append(f"V\t{field(name)}\t{field(select)}\n")
                for a in rule["asserts"]:
                    kind, path = shape(a["text"])
                    brfr = key.startswith("brFr")
                    warning_flag = ("fatal" if a["id"] in fatal_kept[key] else "warning") if brfr else a["flag"]
                    english = english_of(a["text"], translations, f"{key} {a['id']}") if brfr else ""
                    o.append("\t".join(["A", field(a["id"]), a["flag"], "1" if a["kind"] == "report" else "0",
                                        "", "", kind, field(path), ",".join(terms_of(a["text"])),
                                        field(a["test"]), field(a["text"]), warning_flag, field(english)]) + "\n")
        o.append('"""#\n\n')
    o.append("    /// The official texts of the Factur-X copies of BR-FR (Factur-X/{BASICWL,EN16931,EXTENDED}/)\n")
    o.append("    /// where they differ from the CII one, by rule id (same template syntax as the table).\n")
    o.append("    static let brFrFacturXMessageOverrides: [String: (french: String, english: String)] = [\n")
    for rule_id, text in sorted(overrides.items()):
        english = english_of(text, translations, f"Factur-X {rule_id}")
        o.append(f"        {swift_string(rule_id)}: ({swift_string(text)}, {swift_string(english)}),\n")
    o.append("    ]\n")
    for key, _, _, _, set_name in TABLES:
        if set_name is None:
            continue
        o.append(f"\n    /// The ids of {key} whose flag the _WARNING variant leaves fatal (it turns the others into warnings).\n")
        o.append(f"    static let {set_name}: Set<String> = [\n")
        for rule_id in sorted(fatal_kept[key]):
            o.append(f"        {swift_string(rule_id)},\n")
        o.append("    ]\n")
        o.append(f"\n    /// The official texts of {key}'s _WARNING variant where they differ from the FATAL one, by rule id.\n")
        o.append(f"    static let {key}WarningMessageOverrides: [String: (french: String, english: String)] = [")
        if not warning_overrides[key]:
            o.append(":]\n")
        else:
            o.append("\n")
            for rule_id, text in sorted(warning_overrides[key].items()):
                english = english_of(text, translations, f"{key} _WARNING {rule_id}")
                o.append(f"        {swift_string(rule_id)}: ({swift_string(text)}, {swift_string(english)}),\n")
            o.append("    ]\n")
    o.append("}\n")
    return "".join(o)


# ---------------------------------------------------------------------------------------------
# The constructs report

CATEGORY = {"context": "c", "variable": "v", "test": "t", "function": "f", "message": "m"}


class Constructs:
    def __init__(self):
        self.items: dict[str, dict[str, Counter]] = {}
        self.places: dict[tuple[str, str], list[str]] = {}
        self.arities: dict[str, Counter] = {}

    def total(self, section: str, name: str | None = None) -> int:
        entries = self.items.get(section, {})
        if name is not None:
            return sum(entries.get(name, Counter()).values())
        return sum(sum(v.values()) for v in entries.values())

    def add(self, section: str, name: str, category: str, place: str) -> None:
        self.items.setdefault(section, {}).setdefault(name, Counter())[category] += 1
        lst = self.places.setdefault((section, name), [])
        if place not in lst:
            lst.append(place)


def union_span(toks: list[Tok], i: int) -> tuple[int, int]:
    """The token range of the union expression holding the union operator at i."""
    boundary_ops = {"and", "or", "eq", "ne", "lt", "le", "gt", "ge", "is", "to", "div", "idiv", "mod",
                    "in", "return", "satisfies", "then", "else"}
    boundary_symbols = {",", "=", "!=", "<", "<=", ">", ">=", "<<", ">>", "+", "-"}

    def boundary(t: Tok) -> bool:
        if t.role == "op" and t.text in boundary_ops:
            return True
        if t.role == "op" and t.text == "*":
            return True
        if t.kind == "symbol" and t.text in boundary_symbols and t.role == "symbol":
            return True
        return t.role in ("binder", "if")

    lo = i
    while lo > 0:
        t = toks[lo - 1]
        if t.kind == "symbol" and t.text in ")]" :
            lo = t.match
            continue
        if (t.kind == "symbol" and t.text in "([") or boundary(t):
            break
        lo -= 1
    hi = i
    while hi + 1 < len(toks):
        t = toks[hi + 1]
        if t.kind == "symbol" and t.text in "([":
            hi = t.match
            continue
        if (t.kind == "symbol" and t.text in ")]") or boundary(t):
            break
        hi += 1
    return lo, hi


def analyse(expression: str, category: str, place: str, known: set[str], c: Constructs) -> None:
    tokens = tokenize(expression, place)
    toks = significant(tokens)
    reads, binds = expression_variables(tokens)
    unions_seen = set()
    for t in tokens:
        if t.kind == "comment":
            c.add("XPath comments", t.text, category, place)
    for i, t in enumerate(toks):
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.role == "function":
            c.add("functions", t.text, category, place)
            args = call_arguments(toks, i)
            c.arities.setdefault(t.text, Counter())[len(args)] += 1
            if prev is not None and prev.kind == "symbol" and prev.text in ("/", "//"):
                c.add("function calls as path steps (…/f(…))", t.text, category, place)
            if t.text == "string-join":
                c.add("string-join() calls (the evaluator reads string-join(P//text(), '') only)",
                      expression[t.start:toks[toks[i + 1].match].end], category, place)
            if t.text in ("matches", "replace", "tokenize"):
                if len(args) < 2:
                    c.add("regex patterns (function, pattern literally, flags)", f"{t.text}: one-argument form", category, place)
                else:
                    pattern = "".join(x.text for x in args[1]) if len(args[1]) == 1 and args[1][0].kind == "string" \
                        else "non-literal: " + span_text(expression, args[1])
                    flag_index = 3 if t.text == "replace" else 2
                    flags = ""
                    if len(args) > flag_index:
                        flags = ", flags " + span_text(expression, args[flag_index])
                    note = ""
                    if t.text == "matches" and pattern[1:-1] not in SUPPORTED_PATTERNS:
                        note = "*"
                    if t.text == "tokenize" and pattern[1:-1] not in (r"\s", r"\s+"):
                        note = "*"
                    if t.text == "replace":
                        note = "*"
                        flags = ", replacement " + span_text(expression, args[2]) + flags if len(args) > 2 else flags
                    c.add("regex patterns (function, pattern literally, flags)", f"{note}{t.text} {pattern}{flags}", category, place)
        elif t.role == "if":
            c.add("if … then … else", "if", category, place)
        elif t.role == "typeswitch":
            c.add("typeswitch", "typeswitch", category, place)
        elif t.role == "kindtest":
            c.add("kind tests", t.text + "()", category, place)
        elif t.role == "axis":
            c.add("axes (explicit)", t.text + "::", category, place)
        elif t.kind == "symbol" and t.role == "symbol" and t.text in ("@", "..", "//", "."):
            name = {"@": "@ (attribute)", "..": ".. (parent::node())", "//": "// (descendant-or-self::node())",
                    ".": ". (context item)"}[t.text]
            c.add("abbreviated steps", name, category, place)
        elif t.role == "op":
            word = t.text
            if word in ("instance", "castable", "cast", "treat"):
                target = []
                j = i + 2
                while j < len(toks):
                    x = toks[j]
                    if not (x.role in ("typename", "kindtest", "occurrence", "kindtest-close")
                            or (x.text == "(" and toks[j - 1].role == "kindtest")):
                        break
                    target.append(x.text)
                    j += 1
                connector = {"instance": "instance of", "castable": "castable as", "cast": "cast as", "treat": "treat as"}[word]
                c.add("instance of / castable as / cast as / treat as", f"{connector} {''.join(target)}", category, place)
            elif word in ("of", "as") and prev is not None and prev.role == "op":
                pass
            elif word in ("in", "return", "satisfies", "then", "else"):
                pass
            else:
                c.add("operators", word, category, place)
        elif t.kind == "symbol" and t.role == "symbol" and t.text in ("=", "!=", "<", "<=", ">", ">=", "<<", ">>", "|", "+"):
            c.add("operators", t.text, category, place)
        elif t.kind == "symbol" and t.role == "symbol" and t.text == "-":
            c.add("operators", "- (binary)" if ends_operand(prev) or (prev is not None and prev.role == "kindtest-close")
                  else "- (unary)", category, place)
        elif t.role == "binder":
            c.add("for / some / every", t.text, category, place)
        elif t.kind == "symbol" and t.text == "[" and prev is not None:
            if prev.kind == "variable":
                c.add("filter expressions (predicate on a non-step)", "$var[…]", category, place)
            elif prev.kind == "symbol" and prev.text == ")" and prev.role == "symbol":
                called = prev.match > 0 and toks[prev.match - 1].role == "function"
                c.add("filter expressions (predicate on a non-step)", "f(…)[…]" if called else "(…)[…]", category, place)
        elif t.kind == "symbol" and t.text == "(" and t.role == "symbol":
            before = toks[i - 1] if i else None
            is_call = before is not None and before.role in ("function", "kindtest", "if", "typeswitch")
            if not is_call:
                if nxt is not None and nxt.text == ")":
                    c.add("sequences", "() empty sequence", category, place)
                elif any(x.kind == "symbol" and x.text == "," and depth_at(toks, t, x) for x in toks[i + 1:t.match]):
                    c.add("sequences", "(a, b, …) sequence constructor", category, place)
        if t.kind == "symbol" and t.text in ("/", "//") and prev is not None and t.role == "symbol":
            if prev.kind == "variable":
                c.add("paths from a non-step", "$var/…", category, place)
            elif prev.kind == "symbol" and prev.text == ")" and prev.role == "symbol":
                opener = prev.match
                c.add("paths from a non-step", "f(…)/…" if opener > 0 and toks[opener - 1].role == "function" else "(…)/…",
                      category, place)
        if t.role == "op" and t.text in ("union",) or (t.kind == "symbol" and t.text == "|" and t.role == "symbol"):
            lo, hi = union_span(toks, i)
            if (lo, hi) in unions_seen:
                continue
            unions_seen.add((lo, hi))
            text = expression[toks[lo].start:toks[hi].end]
            has_node = any(x.role == "kindtest" and x.text == "node" for x in toks[lo:hi + 1])
            c.add("unions", ("node() union: " if has_node else "") + text, category, place)
        if t.role == "function" and t.text == "namespace-uri":
            c.add("namespace-uri", "namespace-uri()", category, place)
        if t.role == "function" and t.text == "current":
            c.add("current()", "current()", category, place)
    for name in reads:
        if name in binds:
            continue
        if name in known:
            continue
        c.add("unbound $variables (not rule variables, params, for-bindings nor globals)", "$" + name, category, place)


def depth_at(toks: list[Tok], opener: Tok, x: Tok) -> bool:
    """True when x sits directly inside the bracket `opener` (not nested deeper)."""
    start = toks.index(opener)
    depth = 0
    for t in toks[start + 1:]:
        if t is x:
            return depth == 0
        if t.kind == "symbol" and t.text in "([":
            depth += 1
        elif t.kind == "symbol" and t.text in ")]":
            depth -= 1
    return False


def call_arguments(toks: list[Tok], i: int) -> list[list[Tok]]:
    open_ = toks[i + 1]
    args, current, depth = [], [], 0
    for t in toks[i + 2:open_.match]:
        if t.kind == "symbol" and t.text in "([":
            depth += 1
        elif t.kind == "symbol" and t.text in ")]":
            depth -= 1
        if depth == 0 and t.kind == "symbol" and t.text == ",":
            args.append(current)
            current = []
        else:
            current.append(t)
    if current or args:
        args.append(current)
    return args


def span_text(expression: str, toks: list[Tok]) -> str:
    return expression[toks[0].start:toks[-1].end] if toks else ""


def constructs_report(tables: dict) -> str:
    o = [f"# {TOOL} --constructs: the XPath of the France RFE {VERSION} tables, as the Swift evaluator must read it.\n",
         "# Per table: construct, total count [c context, v rule variable, t test, f function body, m message select],\n",
         "# then up to 4 places. * marks what the evaluator does not implement today (gen-facturx-rules.py's subset).\n"]
    for key, _, source, _, _ in TABLES:
        table = tables[key]
        c = Constructs()
        fnames = {f["name"] for f in table["functions"]}
        for f in table["functions"]:
            analyse(f["body"], "f", f"F {f['name']}", {p for p, _ in f["params"]}, c)
        n_rules = n_vars = 0
        for p in table["patterns"]:
            for r in p["rules"]:
                n_rules += 1
                place = f"R {p['name']}#{n_rules}"
                analyse(r["context"], "c", place, set(), c)
                names = set()
                for name, select in r["variables"]:
                    n_vars += 1
                    analyse(select, "v", f"V ${name} ({p['name']})", set(names), c)
                    names.add(name)
                for a in r["asserts"]:
                    analyse(a["test"], "t", a["id"], names, c)
                    for select in message_selects(a["text"]):
                        analyse(select, "m", a["id"], names, c)
        asserts, reports, _ = counts(table)
        o.append(f"\n== {key} ({source})\n")
        o.append(f"{asserts} asserts, {reports} reports, {sum(len(p['rules']) for p in table['patterns'])} rules in "
                 f"{len(table['patterns'])} patterns, {n_vars} rule variables, {len(table['functions'])} functions\n")
        if table["functions"]:
            o.append("\nfunction signatures (params are atomised/checked by their type: a node passed as xs:string?\n"
                     "is atomised, two or more items are a type error, XTTE0790):\n")
            for f in table["functions"]:
                sig = ", ".join(f"${p} as {t}" for p, t in f["params"])
                o.append(f"  {f['name']}({sig}) as {f['as']}\n")
        used = table["globals_used"]
        o.append("\nglobal variables: ")
        o.append(", ".join(f"${n} ({'inlined ' + str(used[n]) + 'x' if used[n] else 'unused'}"
                           f"{', content-built, skipped' if table['globals'][n] is None else ''})"
                           for n in table["globals"]) or "none")
        o.append("\nstylesheet params: " + (", ".join("$" + p for p in table["params"]) or "none") + "\n")
        checklist = [
            ("if-then-else", c.total("if … then … else")),
            ("current()", c.total("current()")),
            ("instance of", sum(sum(v.values()) for k, v in c.items.get("instance of / castable as / cast as / treat as", {}).items() if k.startswith("instance of"))),
            ("castable as", sum(sum(v.values()) for k, v in c.items.get("instance of / castable as / cast as / treat as", {}).items() if k.startswith("castable"))),
            ("cast as", sum(sum(v.values()) for k, v in c.items.get("instance of / castable as / cast as / treat as", {}).items() if k.startswith("cast as"))),
            ("idiv", c.total("operators", "idiv")), ("mod", c.total("operators", "mod")),
            ("document()", c.total("functions", "document")), ("replace()", c.total("functions", "replace")),
            ("namespace-uri()", c.total("namespace-uri")),
            ("following-sibling::", c.total("axes (explicit)", "following-sibling::")),
            ("preceding-sibling::", c.total("axes (explicit)", "preceding-sibling::")),
            ("following::", c.total("axes (explicit)", "following::")),
            ("kind tests", c.total("kind tests")),
            ("node() unions", sum(sum(v.values()) for k, v in c.items.get("unions", {}).items() if k.startswith("node() union"))),
            ("unbound $variables", c.total("unbound $variables (not rule variables, params, for-bindings nor globals)")),
        ]
        o.append("\nchecklist: " + ", ".join(f"{k} {v}" for k, v in checklist) + "\n")
        order = ["functions", "axes (explicit)", "abbreviated steps", "operators", "if … then … else", "current()",
                 "instance of / castable as / cast as / treat as", "typeswitch", "regex patterns (function, pattern literally, flags)",
                 "kind tests", "namespace-uri", "unions", "function calls as path steps (…/f(…))",
                 "filter expressions (predicate on a non-step)", "paths from a non-step", "sequences", "for / some / every",
                 "string-join() calls (the evaluator reads string-join(P//text(), '') only)",
                 "unbound $variables (not rule variables, params, for-bindings nor globals)", "XPath comments"]
        for section in order:
            entries = c.items.get(section)
            o.append(f"\n{section}:")
            if not entries:
                o.append(" none\n")
                continue
            o.append("\n")
            for name, counter in sorted(entries.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
                star = ""
                if section == "functions" and name not in SUPPORTED_FUNCTIONS and name not in fnames:
                    star = "*"
                if section == "functions" and name in fnames:
                    star = "(F) "
                if section == "axes (explicit)" and name[:-2] not in SUPPORTED_AXES:
                    star = "*"
                if section in ("if … then … else", "current()", "instance of / castable as / cast as / treat as",
                               "typeswitch", "namespace-uri", "XPath comments") \
                        and not (section == "instance of / castable as / cast as / treat as" and name == "cast as xs:boolean"):
                    star = "*"
                if section == "operators" and name in ("idiv", "intersect", "except", "is", "to", "<<", ">>", "union"):
                    star = "*"
                if section == "kind tests" and name not in ("node()", "text()"):
                    star = "*"
                if section == "sequences" and name.startswith("()"):
                    star = "*"
                if section.startswith("unbound"):
                    star = "*"
                if section.startswith("string-join") and not re.fullmatch(r"string-join\(.*//text\(\), ?''\)", name):
                    star = "*"
                by = " ".join(f"{k} {counter[k]}" for k in "cvtfm" if counter[k])
                if section == "functions":
                    by += "; arity " + ", ".join(f"{n}×{k}" for n, k in sorted(c.arities[name].items()))
                places = c.places[(section, name)]
                shown = ", ".join(places[:4]) + (f", … ({len(places)} places)" if len(places) > 4 else "")
                o.append(f"  {star}{name}  {sum(counter.values())}  [{by}]  {shown}\n")
        unused = [f["name"] for f in table["functions"] if f["name"] not in c.items.get("functions", {})
                  or sum(c.items["functions"][f["name"]].values()) == 0]
        o.append("\nfunctions defined but never called: " + (", ".join(unused) or "none") + "\n")
    return "".join(o)


# ---------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if the committed file differs")
    ap.add_argument("--constructs", action="store_true", help="print the constructs report (writes nothing)")
    ap.add_argument("--artefacts", default=default_dir())
    args = ap.parse_args()
    if not os.path.isdir(args.artefacts):
        fail(f"{args.artefacts} not found")
    digests = OrderedDict()
    for rel, pinned in SOURCES.items():
        digests[rel] = pinned_sha256(os.path.join(args.artefacts, rel), pinned, tool=TOOL,
                                     what=f"France RFE {VERSION}")
    cache: dict[str, dict] = {}

    def sheet(rel: str) -> dict:
        if rel not in cache:
            cache[rel] = read_stylesheet(os.path.join(args.artefacts, rel), rel)
        return cache[rel]

    fatal_kept: dict[str, set[str]] = {}
    warning_overrides: dict[str, dict[str, str]] = {}
    overrides: dict[str, str] = {}
    tables = {}
    for key, _, source, copies, set_name in TABLES:
        reference = sheet(source)
        for other in copies:
            check_copy(reference, sheet(other), other, set())
        if set_name is not None:
            warning = source.replace(".xslt", "_WARNING.xslt")
            fatal_kept[key], warning_overrides[key] = check_warning_variant(reference, sheet(warning), warning,
                                                                            WARNING_OVERRIDES[key])
            for other in copies:
                w = other.replace(".xslt", "_WARNING.xslt")
                check_copy(sheet(warning), sheet(w), w, set())
        tables[key] = build_table(key, reference, source)

    # The Factur-X copies of BR-FR: the CII one but for the texts of FACTURX_OVERRIDES.
    for rel in FACTURX_COPIES:
        differing = check_copy(sheet(BRFR_CII), sheet(rel), rel, FACTURX_OVERRIDES)
        if set(differing) != FACTURX_OVERRIDES:
            fail(f"{rel}: texts differ for {sorted(differing)}, expected {sorted(FACTURX_OVERRIDES)}")
        if overrides and differing != overrides:
            fail(f"{rel}: its texts differ from the other Factur-X copies'")
        overrides = differing
        w = rel.replace(".xslt", "_WARNING.xslt")
        if check_warning_variant(sheet(rel), sheet(w), w, WARNING_OVERRIDES["brFrCII"]) \
                != (fatal_kept["brFrCII"], warning_overrides["brFrCII"]):
            fail(f"{w}: leaves other ids fatal than the CII _WARNING variant")
        w_differing = check_copy(sheet(BRFR_CII.replace(".xslt", "_WARNING.xslt")), sheet(w), w, FACTURX_OVERRIDES)
        if w_differing != overrides:
            fail(f"{w}: texts differ from its FATAL variant's")
    # The overrides' selects are not rewritten: check none reads a global (it would be inlined).
    for key, texts in [("brFrCII", overrides)] + list(warning_overrides.items()):
        for rule_id, text in texts.items():
            for select in message_selects(text):
                if set(expression_variables(tokenize(select, rule_id))[0]) & set(tables[key]["globals"]):
                    fail(f"{rule_id}: an override message reads a global")

    if args.constructs:
        sys.stdout.write(constructs_report(tables))
        return 0
    output = render(tables, digests, overrides, fatal_kept, warning_overrides)
    status = write_or_check(os.path.join(REPO, OUT), output, check=args.check, tool=TOOL, shown=OUT)
    if status is not None:
        return status
    for key, *_ in TABLES:
        print(f"{TOOL}: {key}: {summary(tables[key])}")
    for key, kept in fatal_kept.items():
        print(f"{TOOL}: {key}: {len(kept)} ids stay fatal in the _WARNING variant")
    print(f"{TOOL}: Factur-X message overrides: {', '.join(sorted(overrides))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
