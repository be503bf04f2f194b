#!/usr/bin/env python3
"""Mutants of the French bases aimed at the France RFE 1.4.0.03 rules (test-only).

Bases: OUT/bases/*.xml with OUT/bases/bases.json, written by fr_bases.py. Every mutant is a pure
function of (--seed, its index): the plan (which rule to aim at, which family of bases) comes
from the seed, each mutant draws from its own random stream `Random(f"{seed}:{i}")`, and a
directed slot retries (other base, other draw) until its target fires, up to --attempts times.
A top-up phase then aims again at the asserts that fired nowhere. Mutants go to
OUT/mutants/mNNNNN.xml, the manifest to OUT/manifest.jsonl:

  {"file", "index", "source", "kind", "syntax", "xsd_key", "bt24", "packs": ["br-fr", ...],
   "target": {"xslt": "br-fr:cii", "rule": "BR-FR-09_BT-29", "recipe": "siret-coherence"},
   "target_hit": true, "ops": [...], "xsd_valid": true, "xsd_errors": [],
   "oracle": {"br-fr": [["BR-FR-09_BT-29", "fatal"]]}, "oracle_errors": {}, "attempts": 1}

Targets are the asserts of four XSLTs: BR-FR Flux 2 CII and UBL (every CII and UBL base),
EXTENDED-CTC-FR CII and UBL (the bases whose BT-24 is EXTENDED-CTC-FR). The BR-FR asserts and
the BR-FREXT ones are aimed at by hand-written recipes (RECIPES below: SIREN / SIRET, billing
frames, notes, BAR, electronic addresses, decimals, dates, type codes, VAT, attachments,
multi-vendor and bidirectional special frames, sub-lines and tolerances); the other
EXTENDED-CTC-FR asserts (CEN rules, CII-SR / UBL-CR "not used" warnings, code lists) by the
shape-directed mutations of mutate.py. Mutants are checked against their base's XSD (lxml)
and kept XSD-valid where the schema model allows; XSD-invalid ones are marked, not compared.

Prints a summary and the assert coverage of each XSLT (OUT/coverage.json; --explain adds why
each never-fired assert never fires, OUT/never.json).

Usage:
  .venv/bin/python scripts/conformance/fr_mutate.py --seed 2026 --count 2600 --out conformance-out/fr
  .venv/bin/python scripts/conformance/fr_mutate.py --probe BR-FR-21_BT-49 --out /tmp/fr
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import re
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import common  # noqa: E402
import mutate  # noqa: E402
import oracle as oracle_mod  # noqa: E402
import xsdmodel  # noqa: E402
from fr_invoice import NS  # noqa: E402

XSLT_KEYS = ("br-fr:cii", "br-fr:ubl", "extended-ctc-fr:cii", "extended-ctc-fr:ubl")
NSMAP = dict(NS)


def xslt_path(key: str) -> Path:
    pack, family = key.split(":")
    return common.fr_xslt_path(pack, family)


# ---- the mutation context -------------------------------------------------------------------
class FrCtx(mutate.Ctx):
    """A document being mutated: the generic operators of mutate.py work on it too."""

    def __init__(self, doc, syntax, model, rng, directed, kind, xsd_key):
        super().__init__(doc, syntax, model, rng, directed)
        self.kind, self.xsd_key = kind, xsd_key
        self.root = doc.getroot()
        self.credit = syntax == "ubl-creditnote"

    # paths: "/" separated steps "pfx:Name" with optional [@a='v'] / [pfx:Child='v'] predicates;
    # in UBL paths, LINE stands for cac:InvoiceLine or cac:CreditNoteLine
    def fix(self, path: str) -> str:
        return path.replace("LINE", "cac:CreditNoteLine" if self.credit else "cac:InvoiceLine")

    def xp(self, expr: str, node=None) -> list:
        node = self.root if node is None else node
        try:
            res = node.xpath(self.fix(expr), namespaces=NSMAP)
        except etree.XPathError:
            return []
        return list(res) if isinstance(res, list) else res

    def lines(self):
        return self.xp("rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
                       if self.family == "cii" else "LINE")

    def ensure(self, path: str, start=None, fresh_last: bool = False):
        """The element the path designates from `start` (the root by default), created where
        missing (at its place in the schema's content model); None when the schema forbids it.
        An existing element is reused when the rest of the path can be built under it, else a
        new sibling is tried."""
        node = self.root if start is None else start
        return self._ensure(node, split_steps(self.fix(path)), fresh_last)

    def _ensure(self, node, steps, fresh_last):
        if not steps:
            return node
        (tag, preds), rest = steps[0], steps[1:]
        clark = clark_of(tag)
        existing = [ch for ch in node if ch.tag == clark and self.matches(ch, preds)]
        if not (fresh_last and not rest):
            for ch in self.rng.sample(existing, len(existing)):
                got = self._ensure(ch, rest, fresh_last)
                if got is not None:
                    return got
        new = mutate.ensure_child(self, node, [("elem", clark)], fresh=True)
        if new is None:
            # no room for one more: make an existing one match (the predicates' attributes)
            same = [ch for ch in node if ch.tag == clark]
            if not same or any(kind != "attr" for kind, _, _ in preds):
                return None
            new = self.pick(same)
            for _, name, value in preds:
                new.set(name, value)
            return self._ensure(new, rest, fresh_last)
        for kind, name, value in preds:
            if kind == "attr":
                new.set(name, value)
            else:
                child = self.ensure(name, new)
                if child is None:
                    new.getparent().remove(new)
                    return None
                child.text = value
        got = self._ensure(new, rest, fresh_last)
        if got is None and new.getparent() is not None:
            new.getparent().remove(new)
        return got

    def matches(self, e, preds) -> bool:
        for kind, name, value in preds:
            if kind == "attr" and e.get(name) != value:
                return False
            if kind == "child":
                kids = e.xpath(name, namespaces=NSMAP)
                if not any((x.text or "").strip() == value for x in kids):
                    return False
        return True

    def set(self, path: str, value: str, start=None, attr: str | None = None):
        node = self.ensure(path, start)
        if node is None:
            return None
        if attr:
            node.set(attr, value)
        else:
            for ch in list(node):
                node.remove(ch)
            node.text = value
        return node

    def remove(self, path: str, start=None) -> int:
        n = 0
        for e in self.xp(path, start):
            if isinstance(e, etree._Element) and e.getparent() is not None:
                e.getparent().remove(e)
                n += 1
        return n

    def duplicate(self, node) -> bool:
        if node is None or not self.model.can_duplicate(node):
            return False
        node.addnext(copy.deepcopy(node))
        return True


STEP = re.compile(r"^([\w.-]+:[\w.-]+)((?:\[[^\]]*\])*)$")
PRED = re.compile(r"\[(?:@([\w.-]+)\s*=\s*'([^']*)'|([\w.:/-]+)\s*=\s*'([^']*)')\]")


def split_steps(path: str):
    out = []
    for raw in mutate.split_top(path, "/"):
        m = STEP.match(raw.strip())
        if not m:
            raise ValueError(f"bad step {raw!r} in {path!r}")
        preds = []
        for p in PRED.finditer(m.group(2) or ""):
            if p.group(1):
                preds.append(("attr", p.group(1), p.group(2)))
            else:
                preds.append(("child", p.group(3), p.group(4)))
        out.append((m.group(1), preds))
    return out


def clark_of(tag: str) -> str:
    p, local = tag.split(":")
    return f"{{{NSMAP[p]}}}{local}"


# ---- family-specific paths ------------------------------------------------------------------
TX = "rsm:SupplyChainTradeTransaction"
AG = f"{TX}/ram:ApplicableHeaderTradeAgreement"
ST = f"{TX}/ram:ApplicableHeaderTradeSettlement"
DL = f"{TX}/ram:ApplicableHeaderTradeDelivery"
MS = f"{ST}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
CII_LINE = f"{TX}/ram:IncludedSupplyChainTradeLineItem"

# party contexts of BR-FR-09 / BR-FR-CO-10 / BR-FR-23 / BR-FR-25 (rule suffix -> party path);
# UBL ship-to parties keep their SIRET in the delivery location (handled apart)
CII_PARTIES = {
    "BT-29": f"{AG}/ram:SellerTradeParty", "BT-46": f"{AG}/ram:BuyerTradeParty",
    "BT-60": f"{ST}/ram:PayeeTradeParty", "EXT-FR-FE-06": f"{AG}/ram:BuyerAgentTradeParty",
    "EXT-FR-FE-46": f"{ST}/ram:PayerTradeParty", "EXT-FR-FE-69": f"{AG}/ram:SalesAgentTradeParty",
    "EXT-FR-FE-92": f"{ST}/ram:InvoiceeTradeParty", "EXT-FR-FE-115": f"{ST}/ram:InvoicerTradeParty",
    "BT-71": f"{DL}/ram:ShipToTradeParty",
    "EXT-FR-FE-146": "LINE:ram:SpecifiedLineTradeDelivery/ram:ShipToTradeParty",
}
UBL_PARTIES = {
    "BT-29": "cac:AccountingSupplierParty/cac:Party", "BT-46": "cac:AccountingCustomerParty/cac:Party",
    "BT-60": "cac:PayeeParty", "EXT-FR-FE-06": "cac:AccountingCustomerParty/cac:Party/cac:AgentParty",
    "EXT-FR-FE-46": "cac:PaymentMeans/cac:PaymentMandate/cac:PayerParty",
    "EXT-FR-FE-69": "cac:AccountingSupplierParty/cac:Party/cac:AgentParty",
    "EXT-FR-FE-92": "cac:AccountingCustomerParty/cac:Party/cac:ServiceProviderParty/cac:Party",
    "EXT-FR-FE-115": "cac:AccountingSupplierParty/cac:Party/cac:ServiceProviderParty/cac:Party",
}
# electronic addresses (BR-FR-23 / BR-FR-25): rule suffix -> party whose address it is
ENDPOINT_PARTIES = ("BT-34", "BT-49", "EXT-FR-FE-12", "EXT-FR-FE-29", "EXT-FR-FE-52", "EXT-FR-FE-75",
                    "EXT-FR-FE-98", "EXT-FR-FE-121")
ENDPOINT_OF = {"BT-34": "BT-29", "BT-49": "BT-46", "EXT-FR-FE-12": "EXT-FR-FE-06",
               "EXT-FR-FE-29": "BT-60", "EXT-FR-FE-52": "EXT-FR-FE-46", "EXT-FR-FE-75": "EXT-FR-FE-69",
               "EXT-FR-FE-98": "EXT-FR-FE-92", "EXT-FR-FE-121": "EXT-FR-FE-115"}

# dates of BR-FR-03: suffix -> (CII path, UBL path); LINE: relative to a line
DATES = {
    "BT-2": ("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", "cbc:IssueDate"),
    "BT-7": (f"{ST}/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString", "cbc:TaxPointDate"),
    "BT-9": (f"{ST}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString", "cbc:DueDate"),
    "BT-26": (f"{ST}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString",
              "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate"),
    "BT-72": (f"{DL}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
              "cac:Delivery/cbc:ActualDeliveryDate"),
    "BT-73": (f"{ST}/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString",
              "cac:InvoicePeriod/cbc:StartDate"),
    "BT-74": (f"{ST}/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString",
              "cac:InvoicePeriod/cbc:EndDate"),
    "EXT-FR-FE-138": ("LINE:ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/"
                      "ram:FormattedIssueDateTime/qdt:DateTimeString",
                      "LINE:cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate"),
    "EXT-FR-FE-158": ("LINE:ram:SpecifiedLineTradeDelivery/ram:ActualDeliverySupplyChainEvent/"
                      "ram:OccurrenceDateTime/udt:DateTimeString", "LINE:cac:Delivery/cbc:ActualDeliveryDate"),
    "BT-134": ("LINE:ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:StartDateTime/"
               "udt:DateTimeString", "LINE:cac:InvoicePeriod/cbc:StartDate"),
    "BT-135": ("LINE:ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:EndDateTime/"
               "udt:DateTimeString", "LINE:cac:InvoicePeriod/cbc:EndDate"),
}
DATE_IDS = {"BT-2": "BT-2", "BT-7": "BT-7", "BT-9": "BT-9", "BT-26": "BT-26", "BT-72": "BT-72",
            "BT-73": "BT-73", "BT-74": "BT-74", "EXT-FR-FE-138": "EXT-FR-FE-138",
            "EXT-FR-FE-158": "EXT-FR-FE-158", "BT-134": "EXT-FR-FE-134", "BT-135": "EXT-FR-FE-135"}

# amounts of BR-FR-DEC-01: suffix -> (CII, UBL)
AMOUNTS = {
    "BT-92_BT-99": (f"{ST}/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount", "cac:AllowanceCharge/cbc:Amount"),
    "BT-93_BT-100": (f"{ST}/ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount", "cac:AllowanceCharge/cbc:BaseAmount"),
    "BT-106": (f"{MS}/ram:LineTotalAmount", "cac:LegalMonetaryTotal/cbc:LineExtensionAmount"),
    "BT-107": (f"{MS}/ram:AllowanceTotalAmount", "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount"),
    "BT-108": (f"{MS}/ram:ChargeTotalAmount", "cac:LegalMonetaryTotal/cbc:ChargeTotalAmount"),
    "BT-109": (f"{MS}/ram:TaxBasisTotalAmount", "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
    "BT-110": (f"{MS}/ram:TaxTotalAmount", "cac:TaxTotal/cbc:TaxAmount"),
    "BT-111": (f"{MS}/ram:TaxTotalAmount", "cac:TaxTotal/cbc:TaxAmount"),
    "BT-112": (f"{MS}/ram:GrandTotalAmount", "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"),
    "BT-113": (f"{MS}/ram:TotalPrepaidAmount", "cac:LegalMonetaryTotal/cbc:PrepaidAmount"),
    "BT-114": (f"{MS}/ram:RoundingAmount", "cac:LegalMonetaryTotal/cbc:PayableRoundingAmount"),
    "BT-115": (f"{MS}/ram:DuePayableAmount", "cac:LegalMonetaryTotal/cbc:PayableAmount"),
    "BT-116": (f"{ST}/ram:ApplicableTradeTax/ram:BasisAmount", "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount"),
    "BT-117": (f"{ST}/ram:ApplicableTradeTax/ram:CalculatedAmount", "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"),
    "BT-131": ("LINE:ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/"
               "ram:LineTotalAmount", "LINE:cbc:LineExtensionAmount"),
    "BT-136_BT-141": ("LINE:ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount",
                      "LINE:cac:AllowanceCharge/cbc:Amount"),
    "BT-137_BT-142": ("LINE:ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount",
                      "LINE:cac:AllowanceCharge/cbc:BaseAmount"),
}
CII_AC_IND = "ram:ChargeIndicator/udt:Indicator"

BAD_AMOUNTS = ["12.345", "0.001", "-7.125", "12345678901234567890", "1234567890123456789.12",
               "100.5000", "10.", ".5"]
BAD_QUANTITIES = ["1.23456", "0.00001", "12345678901234567890", "1234567890123456.1234"]
BAD_PRICES = ["1.1234567", "12345678901234567890", "-5.00", "-0.5", "1234567890123.123456"]
BAD_PERCENTS = ["20.001", "12345", "-20", "5.555", "20.0000"]
BAD_RATES = ["19", "21", "5", "8.6", "12.5", "4", "20.000", "2.10000", "6"]
GOOD_RATES = ["0", "10", "13", "20", "8.5", "19.6", "2.1", "5.5", "7", "20.6", "1.05", "0.9", "1.75",
              "9.2", "9.6", "20.00", "5.50"]
BAD_DATES_CII = ["19991231", "21000101", "20260230", "20261301", "20260001", "2026-09-15", "202609",
                 "20250229", "00000000"]
BAD_DATES_UBL = ["1999-12-31", "2100-01-01", "2026-09-15Z", "2026-09-15+02:00", "1899-05-01",
                 "2030-01-01-05:00"]
BAD_TYPES = ["326", "751", "875", "82", "325", "380 ", "999", "71"]
GOOD_TYPES = ["380", "389", "393", "501", "386", "500", "384", "471", "472", "473", "261", "262", "381",
              "396", "502", "503"]
CADRES = ["B1", "S1", "M1", "B2", "S2", "M2", "S3", "B4", "S4", "M4", "S5", "S6", "B7", "S7", "B8", "S8",
          "M8", "B9", "S9", "M9"]
BAD_CADRES = ["A1", "B3", "M3", "B5", "M7", "S10", "b1", "S 1", "B1 ", "", "M0", "A9"]
BAR_VALUES = ["B2B", "B2BINT", "B2C", "B2CINT", "OUTOFSCOPE", "ARCHIVEONLY"]
BAD_BAR = ["B2G", "b2b", "B2B ", "B2B2C", "INTERNATIONAL", "", "B2CINTL"]
BAD_ADDRESS_CHARS = ["factures@exemple.fr", "ab cd", "SIREN/01", "écrire", "a#b", "x,y", "a:b", "(123)"]
BAD_ATTACH = ["FACTURE", "lisible", "PDF", "ANNEXE", "BON_DE_COMMANDE", "RIB ", "AUTRE"]
SELF_BILLING = ["389", "501", "500", "471", "473", "261", "502"]


def rnd_digits(rng, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def long_text(rng, n: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
    return "".join(rng.choice(alphabet) for _ in range(n))


def at_line(c: FrCtx, path: str):
    """(start node, relative path) for a path that may start with LINE:."""
    if path.startswith("LINE:"):
        lines = c.lines()
        if not lines:
            return None, None
        return c.pick(lines), path[5:]
    return None, path


def pathpair(c: FrCtx, pair):
    return pair[0] if c.family == "cii" else pair[1]


def set_at(c: FrCtx, path: str, value: str, attr=None):
    start, rel = at_line(c, path)
    if rel is None:
        return None
    return c.set(rel, value, start, attr)


# ---- notes ----------------------------------------------------------------------------------
def notes(c: FrCtx):
    return c.xp("rsm:ExchangedDocument/ram:IncludedNote" if c.family == "cii" else "cbc:Note")


def note_code(c: FrCtx, n) -> str | None:
    if c.family == "cii":
        s = n.find(clark_of("ram:SubjectCode"))
        return (s.text or "").strip() if s is not None else None
    m = re.match(r"^#([^#]*)#", n.text or "")
    return m.group(1) if m else None


def add_note(c: FrCtx, code: str | None, text: str):
    if c.family == "cii":
        n = c.ensure("rsm:ExchangedDocument/ram:IncludedNote", fresh_last=True)
        if n is None:
            return None
        for ch in list(n):
            n.remove(ch)
        etree.SubElement(n, clark_of("ram:Content")).text = text
        if code is not None:
            etree.SubElement(n, clark_of("ram:SubjectCode")).text = code
        return n
    n = c.ensure("cbc:Note", fresh_last=True)
    if n is not None:
        n.text = f"#{code}#{text}" if code is not None else text
    return n


def set_note_code(c: FrCtx, n, code: str):
    if c.family == "cii":
        s = n.find(clark_of("ram:SubjectCode"))
        if s is None:
            s = etree.SubElement(n, clark_of("ram:SubjectCode"))
        s.text = code
    else:
        m = re.match(r"^#[^#]*#(.*)$", n.text or "", re.S)
        n.text = f"#{code}#{m.group(1) if m else (n.text or '')}"


def r_note_missing(code):
    def f(c: FrCtx):
        victims = [n for n in notes(c) if note_code(c, n) == code]
        if not victims:
            return None
        how = c.pick(["remove", "recode", "uncode"])
        for n in victims:
            if how == "remove":
                n.getparent().remove(n)
            elif how == "recode":
                set_note_code(c, n, c.pick(["AAI", code.lower(), code[:2], "REG", "ZZZ", code + "X"]))
            elif c.family == "cii":
                s = n.find(clark_of("ram:SubjectCode"))
                n.remove(s)
            else:
                n.text = re.sub(r"^#[^#]*#", "", n.text or "")
        return f"note {code}: {how}"
    return f


def r_note_twice(code):
    def f(c: FrCtx):
        have = [n for n in notes(c) if note_code(c, n) == code]
        if have and c.rng.random() < 0.7:
            if not c.duplicate(have[0]):
                return None
            return f"note {code} duplicated"
        for _ in range(2 - len(have)):
            if add_note(c, code, c.pick(["MEMBRE_ASSUJETTI_UNIQUE", "Mention", "TVA sur les débits"])) is None:
                return None
        return f"note {code} twice"
    return f


def bar_notes(c: FrCtx):
    return [n for n in notes(c) if note_code(c, n) == "BAR"]


def set_bar(c: FrCtx, value: str):
    have = bar_notes(c)
    if have:
        n = have[0]
        if c.family == "cii":
            cont = n.find(clark_of("ram:Content"))
            if cont is None:
                cont = etree.Element(clark_of("ram:Content"))
                n.insert(0, cont)
            cont.text = value
        else:
            n.text = f"#BAR#{value}"
        return n
    return add_note(c, "BAR", value)


def r_bar_invalid(c: FrCtx):
    v = c.pick(BAD_BAR)
    return f"BAR note -> {v!r}" if set_bar(c, v) is not None else None


def r_bar_twice(c: FrCtx):
    a, b = c.rng.sample(BAR_VALUES, 2)
    if set_bar(c, a) is None or add_note(c, "BAR", b if c.rng.random() < 0.7 else a) is None:
        return None
    return f"two BAR notes ({a}, …)"


# ---- identifiers ----------------------------------------------------------------------------
def cii_party(c: FrCtx, suffix: str):
    path = CII_PARTIES[suffix]
    start, rel = at_line(c, path)
    if rel is None:
        return None
    party = c.ensure(rel, start)
    if party is not None and party.find(clark_of("ram:Name")) is None and suffix not in ("BT-71", "EXT-FR-FE-146"):
        nm = c.ensure("ram:Name", party)
        if nm is not None:
            nm.text = "Partie ajoutée"
    return party


def r_siret_coherence(suffix):
    """BR-FR-09: a party's SIRET (scheme 0009) that is not 14 digits starting with its SIREN."""
    def f(c: FrCtx):
        seller_siren = (c.xp("string(" + ("//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
                                           if c.family == "cii" else
                                           "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
                             + ")") or "")
        siren = seller_siren if re.fullmatch(r"\d{9}", str(seller_siren)) else rnd_digits(c.rng, 9)
        mode = c.pick(["short", "long", "letters", "other-siren", "spaces", "siren-only"])
        bad = {"short": siren + rnd_digits(c.rng, 4), "long": siren + rnd_digits(c.rng, 6),
               "letters": siren + "00A1B", "other-siren": rnd_digits(c.rng, 14),
               "spaces": siren[:3] + " " + siren[3:] + "0001", "siren-only": siren}[mode]
        if c.family == "cii":
            party = cii_party(c, suffix)
            if party is None:
                return None
            g = c.ensure("ram:GlobalID[@schemeID='0009']", party)
            if g is None:
                return None
            g.text = bad
            if suffix in ("BT-29", "BT-46") or c.rng.random() < 0.5:
                lid = c.ensure("ram:SpecifiedLegalOrganization/ram:ID", party)
                if lid is None:
                    return None
                lid.set("schemeID", "0002")
                lid.text = siren
            return f"BR-FR-09 {suffix}: SIRET {bad!r} ({mode}), SIREN {siren}"
        if suffix in ("BT-71", "EXT-FR-FE-146"):
            if suffix == "BT-71":
                loc = c.ensure("cac:Delivery/cac:DeliveryLocation")
            else:
                start = c.pick(c.lines())
                loc = c.ensure("cac:Delivery/cac:DeliveryLocation", start) if start is not None else None
            if loc is None:
                return None
            idn = c.ensure("cbc:ID", loc)
            if idn is None:
                return None
            idn.text, _ = bad, idn.set("schemeID", "0009")
            return f"BR-FR-09 {suffix}: delivery location SIRET {bad!r} ({mode})"
        party = c.ensure(UBL_PARTIES[suffix])
        if party is None:
            return None
        pid = c.ensure("cac:PartyIdentification/cbc:ID[@schemeID='0009']", party)
        if pid is None:
            return None
        pid.text = bad
        if suffix in ("BT-29", "BT-46") or c.rng.random() < 0.5:
            le = c.ensure("cac:PartyLegalEntity/cbc:CompanyID", party)
            if le is None:
                return None
            le.set("schemeID", "0002")
            le.text = siren
        return f"BR-FR-09 {suffix}: SIRET {bad!r} ({mode})"
    return f


def r_siren_seller(c: FrCtx):
    """BR-FR-10: the seller's SIREN (0002) absent, not 9 digits, or under another scheme."""
    path = (f"{AG}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID" if c.family == "cii"
            else "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
    node = c.ensure(path)
    if node is None:
        return None
    mode = c.pick(["remove", "scheme", "short", "letters", "siret"])
    if mode == "remove":
        node.getparent().remove(node)
    elif mode == "scheme":
        node.set("schemeID", c.pick(["0009", "0088", "0224"]))
    elif mode == "short":
        node.text = rnd_digits(c.rng, c.pick([8, 10]))
    elif mode == "letters":
        node.text = "FR" + rnd_digits(c.rng, 7)
    else:
        node.text = rnd_digits(c.rng, 14)
    return f"BR-FR-10 seller SIREN: {mode}"


def buyer_legal(c: FrCtx):
    return c.ensure(f"{AG}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID" if c.family == "cii"
                    else "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")


def r_siren_buyer_b2b(c: FrCtx):
    """BR-FR-11: BAR B2B and the buyer's SIREN absent / malformed."""
    if set_bar(c, "B2B") is None:
        return None
    node = buyer_legal(c)
    if node is None:
        return None
    mode = c.pick(["remove", "short", "siret", "scheme"])
    if mode == "remove":
        node.getparent().remove(node)
    elif mode == "short":
        node.text = rnd_digits(c.rng, 8)
    elif mode == "siret":
        node.text = rnd_digits(c.rng, 14)
        node.set("schemeID", "0009")
    else:
        node.set("schemeID", "0009")
    return f"BR-FR-11 BAR B2B, buyer SIREN {mode}"


def endpoint(c: FrCtx, which: str):
    if c.family == "cii":
        party = {"BT-34": f"{AG}/ram:SellerTradeParty", "BT-49": f"{AG}/ram:BuyerTradeParty"}[which]
        return c.ensure(f"{party}/ram:URIUniversalCommunication/ram:URIID")
    party = {"BT-34": "cac:AccountingSupplierParty/cac:Party", "BT-49": "cac:AccountingCustomerParty/cac:Party"}[which]
    return c.ensure(f"{party}/cbc:EndpointID")


def r_endpoint_missing(which):
    def f(c: FrCtx):
        node = endpoint(c, which)
        if node is None:
            return None
        mode = c.pick(["remove", "blank"])
        if mode == "remove":
            holder = node.getparent() if c.family == "cii" else node
            holder.getparent().remove(holder)
        else:
            node.text = c.pick(["", " "])
        return f"{which} electronic address {mode}"
    return f


def r_b2b_endpoint(which):
    """BR-FR-21 (BT-49, not self-billed) / BR-FR-22 (BT-34, self-billed) with BAR B2B."""
    def f(c: FrCtx):
        if set_bar(c, "B2B") is None:
            return None
        tc = c.xp("rsm:ExchangedDocument/ram:TypeCode" if c.family == "cii"
                  else ("cbc:CreditNoteTypeCode" if c.credit else "cbc:InvoiceTypeCode"))
        if not tc:
            return None
        if which == "BT-34":
            tc[0].text = c.pick(["261", "502"] if c.credit else ["389", "501", "500", "471", "473"])
        elif (tc[0].text or "").strip() in SELF_BILLING:
            tc[0].text = "381" if c.credit else "380"
        node = endpoint(c, which)
        if node is None:
            return None
        mode = c.pick(["scheme", "other-siren", "both", "email"])
        if mode in ("scheme", "both"):
            node.set("schemeID", c.pick(["0009", "0002", "0088", "EM"]))
        if mode in ("other-siren", "both"):
            node.text = rnd_digits(c.rng, 9) + c.pick(["", "_AP"])
        if mode == "email":
            node.set("schemeID", "EM")
            node.text = "factures@exemple.fr"
        return f"BAR B2B, type {tc[0].text}, {which} {mode}"
    return f


def party_for_endpoint(c: FrCtx, suffix: str):
    owner = ENDPOINT_OF[suffix]
    if c.family == "cii":
        return cii_party(c, owner)
    return c.ensure(UBL_PARTIES[owner])


def r_endpoint_format(suffix):
    """BR-FR-23: an electronic address under scheme 0225 with characters outside [A-Za-z0-9+-_.]."""
    def f(c: FrCtx):
        party = party_for_endpoint(c, suffix)
        if party is None:
            return None
        node = c.ensure("ram:URIUniversalCommunication/ram:URIID" if c.family == "cii" else "cbc:EndpointID", party)
        if node is None:
            return None
        node.set("schemeID", "0225")
        bad = c.pick(BAD_ADDRESS_CHARS)
        node.text = (rnd_digits(c.rng, 9) + "_" + bad) if c.rng.random() < 0.6 else bad
        return f"BR-FR-23 {suffix}: 0225 address {node.text!r}"
    return f


def r_endpoint_length(suffix):
    def f(c: FrCtx):
        party = party_for_endpoint(c, suffix)
        if party is None:
            return None
        node = c.ensure("ram:URIUniversalCommunication/ram:URIID" if c.family == "cii" else "cbc:EndpointID", party)
        if node is None:
            return None
        node.set("schemeID", c.pick(["0225", "EM", "0009"]))
        node.text = long_text(c.rng, c.pick([126, 130, 200]))
        return f"BR-FR-25 {suffix}: address of {len(node.text)} characters"
    return f


def private_id(c: FrCtx, which: str):
    party = (f"{AG}/ram:SellerTradeParty" if which == "BT-29" else f"{AG}/ram:BuyerTradeParty") \
        if c.family == "cii" else \
        ("cac:AccountingSupplierParty/cac:Party" if which == "BT-29" else "cac:AccountingCustomerParty/cac:Party")
    p = c.ensure(party)
    if p is None:
        return None
    return c.ensure("ram:GlobalID[@schemeID='0224']" if c.family == "cii"
                    else "cac:PartyIdentification/cbc:ID[@schemeID='0224']", p)


def r_private_format(which):
    def f(c: FrCtx):
        node = private_id(c, which)
        if node is None:
            return None
        node.text = c.pick(BAD_ADDRESS_CHARS)
        return f"BR-FR-24 {which}: 0224 id {node.text!r}"
    return f


def r_private_length(which):
    def f(c: FrCtx):
        node = private_id(c, which)
        if node is None:
            return None
        node.text = long_text(c.rng, c.pick([101, 120]))
        return f"BR-FR-26 {which}: 0224 id of {len(node.text)} characters"
    return f


def r_scheme_0002(kind):
    """BR-FR-32: an identifier under scheme 0002 (or GlobalID 0231) that is not 9 digits."""
    def f(c: FrCtx):
        bad = c.pick([rnd_digits(c.rng, 8), rnd_digits(c.rng, 14), "12345678A", "123 456 789", ""])
        if kind == "legal":
            party = c.pick(["seller", "buyer", "payee"])
            if c.family == "cii":
                pth = {"seller": f"{AG}/ram:SellerTradeParty", "buyer": f"{AG}/ram:BuyerTradeParty",
                       "payee": f"{ST}/ram:PayeeTradeParty"}[party]
                node = c.ensure(f"{pth}/ram:SpecifiedLegalOrganization/ram:ID")
            else:
                pth = {"seller": "cac:AccountingSupplierParty/cac:Party",
                       "buyer": "cac:AccountingCustomerParty/cac:Party", "payee": "cac:PayeeParty"}[party]
                node = c.ensure(f"{pth}/cac:PartyLegalEntity/cbc:CompanyID")
        else:
            scheme = c.pick(["0002", "0231"])
            party = c.pick(["seller", "buyer"])
            if c.family == "cii":
                pth = f"{AG}/ram:SellerTradeParty" if party == "seller" else f"{AG}/ram:BuyerTradeParty"
                node = c.ensure(f"{pth}/ram:GlobalID[@schemeID='{scheme}']")
            else:
                pth = ("cac:AccountingSupplierParty/cac:Party" if party == "seller"
                       else "cac:AccountingCustomerParty/cac:Party")
                node = c.ensure(f"{pth}/cac:PartyIdentification/cbc:ID[@schemeID='{scheme}']")
        if node is None:
            return None
        if kind == "legal":
            node.set("schemeID", "0002")
        node.text = bad
        return f"BR-FR-32 {kind} {party}: {bad!r}"
    return f


def r_globalid_scheme(suffix, mode):
    """BR-FR-CO-10: a party identifier without scheme (-1) or two with the same scheme (-2)."""
    def f(c: FrCtx):
        if c.family == "cii":
            party = cii_party(c, suffix)
            if party is None:
                return None
            g = c.ensure("ram:GlobalID", party, fresh_last=True)
        else:
            if suffix in ("BT-71", "EXT-FR-FE-146"):
                start = None if suffix == "BT-71" else c.pick(c.lines())
                if suffix == "EXT-FR-FE-146" and start is None:
                    return None
                party = c.ensure("cac:Delivery/cac:DeliveryLocation", start)
                g = c.ensure("cbc:ID", party, fresh_last=True) if party is not None else None
            else:
                party = c.ensure(UBL_PARTIES[suffix])
                g = c.ensure("cac:PartyIdentification/cbc:ID", party, fresh_last=True) \
                    if party is not None else None
        if g is None:
            return None
        g.text = rnd_digits(c.rng, 9)
        if mode == 1:
            g.attrib.pop("schemeID", None)
            return f"BR-FR-CO-10 {suffix}: identifier without scheme"
        g.set("schemeID", "0088")
        g2 = copy.deepcopy(g)
        g2.text = rnd_digits(c.rng, 13)
        if not c.model.can_duplicate(g):
            if g.getparent() is not None and c.model.can_duplicate(g.getparent()) and c.family == "ubl":
                holder = g.getparent()
                holder.addnext(copy.deepcopy(holder))
                return f"BR-FR-CO-10 {suffix}: two identifiers with scheme 0088"
            return None
        g.addnext(g2)
        return f"BR-FR-CO-10 {suffix}: two identifiers with scheme 0088"
    return f


# ---- values ---------------------------------------------------------------------------------
def r_id_length(where):
    def f(c: FrCtx):
        path = {"BT-1": ("rsm:ExchangedDocument/ram:ID", "cbc:ID"),
                "BT-25": (f"{ST}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
                          "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
                "EXT-FR-FE-136": ("LINE:ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/"
                                  "ram:IssuerAssignedID", "LINE:cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")}[where]
        v = "F" + rnd_digits(c.rng, c.pick([35, 36, 40, 60]))
        return f"{where} of {len(v)} characters" if set_at(c, pathpair(c, path), v) is not None else None
    return f


def r_id_format(where):
    def f(c: FrCtx):
        path = {"BT-1": ("rsm:ExchangedDocument/ram:ID", "cbc:ID"),
                "BT-25": (f"{ST}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
                          "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
                "EXT-FR-FE-136": ("LINE:ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/"
                                  "ram:IssuerAssignedID", "LINE:cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")}[where]
        v = c.pick(["F 2026-01", "F2026.0001", "F2026#1", "Fé2026", "F2026*01", " F2026", "F2026\t1", "F:2026",
                    "F2026,1", ""])
        return f"{where} = {v!r}" if set_at(c, pathpair(c, path), v) is not None else None
    return f


def r_date(suffix):
    def f(c: FrCtx):
        path = pathpair(c, DATES[suffix])
        v = c.pick(BAD_DATES_CII if c.family == "cii" else BAD_DATES_UBL)
        node = set_at(c, path, v)
        if node is None:
            return None
        if c.family == "cii" and node.tag.endswith("DateTimeString") and node.get("format") is None:
            node.set("format", "102")
        return f"date {suffix} = {v!r}"
    return f


def type_code_node(c: FrCtx):
    return c.ensure("rsm:ExchangedDocument/ram:TypeCode" if c.family == "cii"
                    else ("cbc:CreditNoteTypeCode" if c.credit else "cbc:InvoiceTypeCode"))


def r_doc_type(where):
    def f(c: FrCtx):
        v = c.pick(BAD_TYPES)
        if where == "BT-3":
            node = type_code_node(c)
            if node is None:
                return None
            node.text = v
        elif where == "EXT-FR-FE-02":
            if set_at(c, pathpair(c, (f"{ST}/ram:InvoiceReferencedDocument/ram:TypeCode",
                                      "cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentTypeCode")), v) is None:
                return None
        else:
            if set_at(c, pathpair(c, ("LINE:ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:TypeCode",
                                      "LINE:cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentTypeCode")), v) is None:
                return None
        return f"type code {where} = {v!r}"
    return f


def cadre_node(c: FrCtx):
    return c.ensure("rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"
                    if c.family == "cii" else "cbc:ProfileID")


def set_cadre(c: FrCtx, v: str):
    node = cadre_node(c)
    if node is None:
        return None
    node.text = v
    return node


def r_cadre_bad(c: FrCtx):
    mode = c.pick(["value", "value", "remove"])
    if mode == "remove":
        node = cadre_node(c)
        if node is None:
            return None
        holder = node.getparent() if c.family == "cii" else node
        holder.getparent().remove(holder)
        return "BT-23 removed"
    v = c.pick(BAD_CADRES)
    return f"BT-23 = {v!r}" if set_cadre(c, v) is not None else None


def vat_nodes(c: FrCtx, where: str, what: str):
    """where: doc-ac / breakdown / line; what: category / rate."""
    if c.family == "cii":
        holder = {"doc-ac": f"{ST}/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax",
                  "breakdown": f"{ST}/ram:ApplicableTradeTax",
                  "line": "LINE:ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"}[where]
        leaf = "ram:CategoryCode" if what == "category" else "ram:RateApplicablePercent"
    else:
        holder = {"doc-ac": "cac:AllowanceCharge/cac:TaxCategory",
                  "breakdown": "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory",
                  "line": "LINE:cac:Item/cac:ClassifiedTaxCategory"}[where]
        leaf = "cbc:ID" if what == "category" else "cbc:Percent"
    return holder, leaf


def ensure_doc_ac(c: FrCtx):
    if c.family == "cii":
        have = c.xp(f"{ST}/ram:SpecifiedTradeAllowanceCharge")
        if have:
            return c.pick(have)
        d = mutate.op_add_allowance_charge(c, category="S", rate="20", doc_level=True)
        return c.pick(c.xp(f"{ST}/ram:SpecifiedTradeAllowanceCharge")) if d else None
    have = c.xp("cac:AllowanceCharge")
    if have:
        return c.pick(have)
    d = mutate.op_add_allowance_charge(c, category="S", rate="20", doc_level=True)
    return c.pick(c.xp("cac:AllowanceCharge")) if d else None


def r_vat(where, what, values):
    def f(c: FrCtx):
        holder, leaf = vat_nodes(c, where, what)
        if where == "doc-ac" and ensure_doc_ac(c) is None:
            return None
        start, rel = at_line(c, holder)
        if rel is None:
            return None
        h = c.ensure(rel, start) if start is not None else c.pick(c.xp(rel))
        if h is None:
            return None
        node = c.ensure(leaf, h)
        if node is None:
            return None
        v = c.pick(values)
        node.text = v
        return f"VAT {what} of {where} = {v!r}"
    return f


def r_attach_code(c: FrCtx):
    v = c.pick(BAD_ATTACH)
    if c.family == "cii":
        d = c.ensure(f"{AG}/ram:AdditionalReferencedDocument[ram:TypeCode='916']", fresh_last=c.rng.random() < 0.5)
        if d is None:
            return None
        if d.find(clark_of("ram:IssuerAssignedID")) is None:
            c.ensure("ram:IssuerAssignedID", d).text = "PJ-9"
        c.ensure("ram:Name", d).text = v
    else:
        d = c.ensure("cac:AdditionalDocumentReference", fresh_last=c.rng.random() < 0.5)
        if d is None:
            return None
        c.ensure("cbc:ID", d).text = "PJ-9"
        c.ensure("cbc:DocumentDescription", d).text = v
    return f"attachment code {v!r}"


def r_two_lisible(c: FrCtx):
    for k in range(2):
        if c.family == "cii":
            d = c.ensure(f"{AG}/ram:AdditionalReferencedDocument", fresh_last=True)
            if d is None:
                return None
            c.ensure("ram:IssuerAssignedID", d).text = f"PJ-L{k}"
            if c.rng.random() < 0.8:
                c.ensure("ram:TypeCode", d).text = "916"
            c.ensure("ram:Name", d).text = "LISIBLE"
        else:
            d = c.ensure("cac:AdditionalDocumentReference", fresh_last=True)
            if d is None:
                return None
            c.ensure("cbc:ID", d).text = f"PJ-L{k}"
            c.ensure("cbc:DocumentDescription", d).text = "LISIBLE"
    return "two LISIBLE attachments"


def r_characteristic(mode):
    """BR-FR-27 / BR-FR-28 (and BR-FREXT-54-1/2): item attributes."""
    def f(c: FrCtx):
        line = c.pick(c.lines())
        if line is None:
            return None
        if c.family == "cii":
            ch = c.ensure("ram:SpecifiedTradeProduct/ram:ApplicableProductCharacteristic", line, fresh_last=True)
            if ch is None:
                return None
            names = {"desc": "ram:Description", "code": "ram:TypeCode", "value": "ram:Value",
                     "measure": "ram:ValueMeasure"}
        else:
            item = c.ensure("cac:Item", line)
            ch = c.ensure("cac:AdditionalItemProperty", item, fresh_last=True) if item is not None else None
            if ch is None:
                return None
            names = {"desc": "cbc:Name", "code": "cbc:NameCode", "value": "cbc:Value", "measure": "cbc:ValueQuantity"}
        for k in list(ch):
            ch.remove(k)
        ubl_name = [] if c.family == "cii" or mode == "no-name" else [("desc", "Attribut")]
        plan = {"no-name": [("value", "Rouge")], "blank-desc": [("desc", " "), ("value", "Bleu")],
                "blank-code": [("code", ""), ("value", "10")], "both-values": [("desc", "Poids"), ("value", "2"),
                                                                                 ("measure", "2")],
                "no-value": [("desc", "Couleur")], "measure-no-unit": [("desc", "Poids"), ("measure", "2")],
                "code-ok": [("code", "AAA"), ("value", "x")], "code-bad": [("code", "ZZZZ"), ("value", "x")]}[mode]
        if not any(k == "desc" for k, _ in plan):
            plan = ubl_name + plan
        for key, text in plan:
            e = c.ensure(names[key], ch, fresh_last=True)
            if e is None:
                return None
            e.text = text
            if key == "measure" and mode != "measure-no-unit":
                e.set("unitCode", "KGM")
            elif key == "measure":
                e.attrib.pop("unitCode", None)
        return f"item attribute: {mode}"
    return f


def r_afl_avv(level, mode, code):
    """BR-FR-29 / BR-FR-30: AFL / AVV references repeated or blank (header / line)."""
    def f(c: FrCtx):
        if c.family == "cii":
            start = None if level == "doc" else c.pick(c.lines())
            if level == "line" and start is None:
                return None
            path = (f"{AG}/ram:AdditionalReferencedDocument" if level == "doc"
                    else "ram:SpecifiedLineTradeAgreement/ram:AdditionalReferencedDocument")
            if level == "line":
                # the BR-FR-30 context is the line's own AdditionalReferencedDocument (no such child in
                # CII: it lives under SpecifiedLineTradeAgreement / -Settlement), so it cannot fire
                path = "ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument"
            for k in range(2 if mode == "twice" else 1):
                d = c.ensure(path, start, fresh_last=True)
                if d is None:
                    return None
                c.ensure("ram:IssuerAssignedID", d).text = "" if mode == "blank" else f"REF-{k}"
                c.ensure("ram:TypeCode", d).text = "130"
                c.ensure("ram:ReferenceTypeCode", d).text = code
            return f"{level} {code} reference {mode}"
        start = None if level == "doc" else c.pick(c.lines())
        if level == "line" and start is None:
            return None
        d = c.ensure("cac:AdditionalDocumentReference" if level == "doc" else "cac:DocumentReference",
                     start, fresh_last=True)
        if d is None:
            return None
        ident = c.ensure("cbc:ID", d)
        ident.set("schemeID", code)
        ident.text = "" if mode == "blank" else "REF-1"
        if level == "line":
            c.ensure("cbc:DocumentTypeCode", d).text = "130"
        if mode == "twice":
            return f"{level} {code} reference twice" if c.duplicate(ident) else None
        return f"{level} {code} reference {mode}"
    return f


# ---- conditional rules (CO) -----------------------------------------------------------------
def r_co03(c: FrCtx):
    """262 without contract or invoicing period."""
    if c.family == "ubl" and not c.credit:
        return None
    node = type_code_node(c)
    if node is None:
        return None
    node.text = "262"
    what = c.pick(["contract", "start", "end", "all"])
    if c.family == "cii":
        if what in ("contract", "all"):
            c.remove(f"{AG}/ram:ContractReferencedDocument")
        if what in ("start", "all"):
            c.remove(f"{ST}/ram:BillingSpecifiedPeriod/ram:StartDateTime")
        if what in ("end", "all"):
            c.remove(f"{ST}/ram:BillingSpecifiedPeriod/ram:EndDateTime")
        if what != "contract" and not c.xp(f"{AG}/ram:ContractReferencedDocument"):
            c.set(f"{AG}/ram:ContractReferencedDocument/ram:IssuerAssignedID", "CT-1")
    else:
        if what in ("contract", "all"):
            c.remove("cac:ContractDocumentReference")
        if what in ("start", "all"):
            c.remove("cac:InvoicePeriod/cbc:StartDate")
        if what in ("end", "all"):
            c.remove("cac:InvoicePeriod/cbc:EndDate")
    return f"262 without {what}"


def r_co04(c: FrCtx):
    if c.family == "ubl" and c.credit:
        return None
    node = type_code_node(c)
    if node is None:
        return None
    node.text = c.pick(["384", "471", "472", "473"])
    n = c.pick([0, 2])
    if c.family == "cii":
        c.remove(f"{ST}/ram:InvoiceReferencedDocument")
        for k in range(n):
            r = c.ensure(f"{ST}/ram:InvoiceReferencedDocument", fresh_last=True)
            if r is None:
                return None
            c.ensure("ram:IssuerAssignedID", r).text = f"F2026-000{k}"
    else:
        c.remove("cac:BillingReference")
        for k in range(n):
            br = c.ensure("cac:BillingReference", fresh_last=True)
            r = c.ensure("cac:InvoiceDocumentReference/cbc:ID", br) if br is not None else None
            if r is None:
                return None
            r.text = f"F2026-000{k}"
    return f"type {node.text} with {n} preceding invoice references"


def r_co05(c: FrCtx):
    if c.family == "ubl" and not c.credit:
        return None
    node = type_code_node(c)
    if node is None:
        return None
    node.text = c.pick(["261", "381", "396", "502", "503"])
    how = c.pick(["none", "no-date", "no-id"])
    if c.family == "cii":
        refs = c.xp(f"{ST}/ram:InvoiceReferencedDocument")
        if how == "none" or not refs:
            c.remove(f"{ST}/ram:InvoiceReferencedDocument")
            how = "none"
        elif how == "no-date":
            c.remove(f"{ST}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime")
        else:
            c.remove(f"{ST}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID")
        c.remove(f"{CII_LINE}/ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument")
    else:
        if how == "none" or not c.xp("cac:BillingReference"):
            c.remove("cac:BillingReference")
            how = "none"
        elif how == "no-date":
            c.remove("cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate")
        else:
            refs = c.xp("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")
            for r in refs:
                r.text = c.pick(["", "  "])
    return f"credit type {node.text}: preceding reference {how}"


def r_co07(c: FrCtx):
    due = c.ensure(f"{ST}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"
                   if c.family == "cii" else ("cac:PaymentMeans/cbc:PaymentDueDate" if c.credit else "cbc:DueDate"))
    if due is None:
        return None
    due.text = c.pick(["20260801", "20260914", "20250101"]) if c.family == "cii" else \
        c.pick(["2026-08-01", "2026-09-14", "2025-01-01"])
    if c.family == "cii":
        due.set("format", "102")
    node = type_code_node(c)
    if node is not None and (node.text or "").strip() in ("386", "500", "503") and c.rng.random() < 0.8:
        node.text = "381" if c.credit else "380"
    cad = cadre_node(c)
    if cad is not None and (cad.text or "").strip() in ("B2", "S2", "M2") and c.rng.random() < 0.8:
        cad.text = "S1"
    return f"due date {due.text} before the issue date"


def r_co08(c: FrCtx):
    if set_cadre(c, c.pick(["B4", "S4", "M4"])) is None:
        return None
    node = type_code_node(c)
    if node is None:
        return None
    node.text = c.pick(["503"] if c.credit else ["386", "500"])
    return f"final-invoice frame with prepayment type {node.text}"


def r_co09(part):
    def f(c: FrCtx):
        if set_cadre(c, c.pick(["B2", "S2", "M2"])) is None:
            return None
        if c.family == "cii":
            if part == 3:
                c.remove(f"{ST}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime")
                return "paid frame without due date"
            pre = c.ensure(f"{MS}/ram:TotalPrepaidAmount")
            if pre is None:
                return None
            pre.text = c.pick(["0.00", "10.00", "1.00"])
            return f"paid frame, prepaid {pre.text}"
        if part == 3:
            c.remove("cbc:DueDate")
            c.remove("cac:PaymentMeans/cbc:PaymentDueDate")
            return "paid frame without due date"
        pre = c.ensure("cac:LegalMonetaryTotal/cbc:PrepaidAmount")
        if pre is None:
            return None
        pre.text = c.pick(["0.00", "10.00"])
        pre.set("currencyID", (c.xp("string(cbc:DocumentCurrencyCode)") or "EUR"))
        return f"paid frame, prepaid {pre.text}"
    return f


def r_co12(c: FrCtx):
    cur = c.pick(["USD", "GBP", "CHF"])
    if c.family == "cii":
        c.set(f"{ST}/ram:InvoiceCurrencyCode", cur)
        for e in c.xp(f"{MS}/ram:TaxTotalAmount"):
            e.set("currencyID", cur)
        how = c.pick(["no-tax-currency", "usd-tax-currency", "no-eur-total"])
        if how == "no-tax-currency":
            c.remove(f"{ST}/ram:TaxCurrencyCode")
        elif how == "usd-tax-currency":
            c.set(f"{ST}/ram:TaxCurrencyCode", cur)
        else:
            c.set(f"{ST}/ram:TaxCurrencyCode", "EUR")
    else:
        c.set("cbc:DocumentCurrencyCode", cur)
        for e in c.xp("//*[@currencyID]"):
            e.set("currencyID", cur)
        how = c.pick(["no-tax-currency", "usd-tax-currency", "no-eur-total"])
        if how == "no-tax-currency":
            c.remove("cbc:TaxCurrencyCode")
        elif how == "usd-tax-currency":
            c.set("cbc:TaxCurrencyCode", cur)
        else:
            c.set("cbc:TaxCurrencyCode", "EUR")
    return f"currency {cur}, {how}"


def r_au(part):
    """BR-FR-CO-14 (no TXD MEMBRE_ASSUJETTI_UNIQUE note) / -15 (no tax representative VAT)."""
    def f(c: FrCtx):
        if c.family == "cii":
            g = c.ensure(f"{AG}/ram:SellerTradeParty/ram:GlobalID[@schemeID='0231']")
        else:
            g = c.ensure("cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID[@schemeID='0231']")
        if g is None:
            return None
        g.text = rnd_digits(c.rng, 9)
        if part == 14:
            for n in notes(c):
                if note_code(c, n) == "TXD":
                    n.getparent().remove(n)
            if c.rng.random() < 0.5:
                add_note(c, "TXD", c.pick(["MEMBRE_ASSUJETTI", "membre_assujetti_unique", "AUTRE"]))
            return "single taxable person 0231 without the TXD note"
        if c.family == "cii":
            c.remove(f"{AG}/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration")
        else:
            c.remove("cac:TaxRepresentativeParty/cac:PartyTaxScheme")
        return "single taxable person 0231 without a tax representative VAT id"
    return f


# ---- decimals ---------------------------------------------------------------------------------
def r_dec_amount(suffix):
    def f(c: FrCtx):
        path = pathpair(c, AMOUNTS[suffix])
        if suffix.startswith("BT-92") or suffix.startswith("BT-93"):
            if ensure_doc_ac(c) is None:
                return None
        if suffix.startswith("BT-136") or suffix.startswith("BT-137"):
            line = c.pick(c.lines())
            if line is None:
                return None
            if c.family == "cii":
                ac = c.ensure("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge", line)
                if ac is None:
                    return None
                c.ensure(CII_AC_IND, ac).text = c.pick(["true", "false"])
                node = c.ensure("ram:ActualAmount" if suffix.startswith("BT-136") else "ram:BasisAmount", ac)
            else:
                ac = c.ensure("cac:AllowanceCharge", line)
                if ac is None:
                    return None
                node = c.ensure("cbc:Amount" if suffix.startswith("BT-136") else "cbc:BaseAmount", ac)
        else:
            start, rel = at_line(c, path)
            if rel is None:
                return None
            node = c.ensure(rel, start)
        if node is None:
            return None
        v = c.pick(BAD_AMOUNTS[:5])
        node.text = v
        if c.family == "ubl" and node.get("currencyID") is None:
            node.set("currencyID", c.xp("string(cbc:DocumentCurrencyCode)") or "EUR")
        return f"amount {suffix} = {v}"
    return f


def r_dec_quantity(suffix):
    def f(c: FrCtx):
        line = c.pick(c.lines())
        if line is None:
            return None
        if c.family == "cii":
            path = ("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity" if suffix == "BT-129" else
                    "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:BasisQuantity")
        else:
            path = ("cbc:CreditedQuantity" if c.credit else "cbc:InvoicedQuantity") if suffix == "BT-129" \
                else "cac:Price/cbc:BaseQuantity"
        node = c.ensure(path, line)
        if node is None:
            return None
        node.text = c.pick(BAD_QUANTITIES)
        if node.get("unitCode") is None:
            node.set("unitCode", "C62")
        return f"quantity {suffix} = {node.text}"
    return f


def r_dec_price(suffix, special=None):
    def f(c: FrCtx):
        if special:
            if set_cadre(c, special) is None:
                return None
        line = c.pick(c.lines())
        if line is None:
            return None
        if c.family == "cii":
            path = {"BT-146": "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount",
                    "BT-148": "ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount",
                    "BT-147": "ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/"
                              "ram:AppliedTradeAllowanceCharge/ram:ActualAmount"}[suffix]
        else:
            path = {"BT-146": "cac:Price/cbc:PriceAmount", "BT-147": "cac:Price/cac:AllowanceCharge/cbc:Amount",
                    "BT-148": "cac:Price/cac:AllowanceCharge/cbc:BaseAmount"}[suffix]
        node = c.ensure(path, line)
        if node is None:
            return None
        if c.family == "cii" and suffix == "BT-147":
            ind = c.ensure("ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/"
                           "ram:AppliedTradeAllowanceCharge/" + CII_AC_IND, line)
            if ind is not None:
                ind.text = "false"
        if c.family == "ubl" and suffix in ("BT-147", "BT-148"):
            ac = node.getparent()
            c.ensure("cbc:ChargeIndicator", ac).text = "false"
            amount = c.ensure("cbc:Amount", ac)
            if amount is not None and amount is not node and not amount.text:
                amount.text = "1.00"
            for e in ac.iter():
                if e.tag.endswith("Amount") and e.get("currencyID") is None:
                    e.set("currencyID", "EUR")
        vals = BAD_PRICES if not special else ["-5.00", "-0.123456", "1.1234567"]
        node.text = c.pick(vals)
        if c.family == "ubl" and node.get("currencyID") is None:
            node.set("currencyID", "EUR")
        return f"price {suffix} = {node.text}" + (f" under {special}" if special else "")
    return f


def r_dec_percent(where):
    def f(c: FrCtx):
        return r_vat(where, "rate", BAD_PERCENTS)(c)
    return f


# ---- multi-vendor (S8 B8 M8) / bidirectional (S9 B9 M9) special frames -------------------------
def r_special(codes, extra=None):
    """A special billing frame on a base: the MV / BD rules then apply to the lines as they are
    (and, with `extra`, one more change: a GROUP line made, a line status / seller id removed…)."""
    def f(c: FrCtx):
        code = c.pick(codes)
        if set_cadre(c, code) is None:
            return None
        d = [f"BT-23 = {code}"]
        if extra:
            x = extra(c)
            if x is None:
                return None
            d.append(x)
        return "; ".join(d)
    return f


def make_group(c: FrCtx):
    """Turns the first line into a GROUP line (CII: LineStatusReasonCode; UBL: BillingReference)."""
    lines = [x for x in c.lines() if x not in group_lines(c)]
    if not lines:
        return None
    ln = lines[0]
    if c.family == "cii":
        code = c.ensure("ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode", ln)
        if code is None:
            return None
        code.text = "GROUP"
        c.remove("ram:AssociatedDocumentLineDocument/ram:ParentLineID", ln)
        return "a line made GROUP"
    inv_id = c.xp("string(cbc:ID)")
    c.remove(f"cac:BillingReference[cac:InvoiceDocumentReference/cbc:ID='{inv_id}']", ln)
    br = c.ensure("cac:BillingReference", ln, fresh_last=True)
    if br is None:
        return None
    r = c.ensure("cac:InvoiceDocumentReference", br)
    c.ensure("cbc:ID", r).text = inv_id
    c.ensure("cbc:DocumentStatusCode", r).text = "GROUP"
    return "a line made GROUP"


def drop_status(c: FrCtx):
    have = c.xp(f"{CII_LINE}/ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode" if c.family == "cii"
                else "LINE/cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentStatusCode")
    if not have:
        return None
    e = c.pick(have)
    e.text = c.pick(["", " "])
    return "a line status blanked"


def set_special_type(c: FrCtx):
    node = type_code_node(c)
    if node is None:
        return None
    node.text = c.pick(SELF_BILLING[:5] if not c.credit else ["261", "502"])
    return f"type {node.text}"


def unset_special_type(c: FrCtx):
    node = type_code_node(c)
    if node is None:
        return None
    node.text = c.pick(["380", "384"] if not c.credit else ["381", "396"])
    return f"type {node.text}"


# ---- multi-vendor / bidirectional invoices (bases cii/ubl-ext-multivendor-M8, -bidirectional-S9) --
def line_id(c: FrCtx, ln) -> str:
    return c.xp("string(ram:AssociatedDocumentLineDocument/ram:LineID)" if c.family == "cii" else "string(cbc:ID)", ln)


def top_groups(c: FrCtx):
    if c.family == "cii":
        return c.xp(f"{CII_LINE}[ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode='GROUP']"
                    "[not(ram:AssociatedDocumentLineDocument/ram:ParentLineID)]")
    return [g for g in group_lines(c) if not c.xp("cac:BillingReference/cac:BillingReferenceLine", g)]


def children_of(c: FrCtx, gid: str):
    if c.family == "cii":
        return c.xp(f"{CII_LINE}[ram:AssociatedDocumentLineDocument/ram:ParentLineID='{gid}']")
    return c.xp(f"LINE[cac:BillingReference/cac:BillingReferenceLine/cbc:ID='{gid}']")


def seller_of_line(c: FrCtx, ln):
    return c.xp("ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty" if c.family == "cii"
                else "cac:Item/cac:ManufacturerParty", ln)


def afl_node(c: FrCtx, ln, code="AFL"):
    got = c.xp(f"ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument[ram:ReferenceTypeCode='{code}']"
               if c.family == "cii" else f"cac:DocumentReference[cbc:ID/@schemeID='{code}']", ln)
    return got[0] if got else None


def mv_recipe(what: str):
    """Breaks one thing of a multi-vendor / bidirectional invoice (None on other bases)."""
    def f(c: FrCtx):
        groups = [g for g in top_groups(c) if seller_of_line(c, g)]
        if not groups:
            return None
        g = c.pick(groups)
        gid = line_id(c, g)
        kids = children_of(c, gid)
        cii = c.family == "cii"
        if what == "no-top-group":
            for x in top_groups(c):
                if cii:
                    c.set("ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode", "INFORMATION", x)
                else:
                    for st in c.xp("cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentStatusCode", x):
                        st.text = "INFORMATION"
            return "every top GROUP line made INFORMATION"
        if what in ("seller-name", "seller-id", "seller-country"):
            sp = seller_of_line(c, g)[0]
            path = {"seller-name": "ram:Name" if cii else "cac:PartyLegalEntity/cbc:RegistrationName",
                    "seller-id": "ram:SpecifiedLegalOrganization/ram:ID" if cii else "cac:PartyLegalEntity/cbc:CompanyID",
                    "seller-country": "ram:PostalTradeAddress/ram:CountryID" if cii
                    else "cac:PostalAddress/cac:Country/cbc:IdentificationCode"}[what]
            nodes = c.xp(path, sp)
            if not nodes:
                return None
            nodes[0].text = c.pick(["", " "]) if what != "seller-country" or c.rng.random() < 0.5 else ""
            return f"GROUP {gid}: {what} blanked"
        if what == "group-tax":
            t = c.xp("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TaxTotalAmount"
                     if cii else "cac:TaxTotal/cbc:TaxAmount", g)
            if not t:
                return None
            mode = c.pick(["remove", "currency", "off"])
            if mode == "remove":
                holder = t[0] if cii else t[0].getparent()
                holder.getparent().remove(holder)
            elif mode == "currency":
                t[0].set("currencyID", "USD")
            else:
                t[0].text = shift(t[0].text, Decimal(c.pick(["0.02", "-1.00", "5.00"])))
            return f"GROUP {gid}: VAT total {mode}"
        if what == "acc-currency":
            if cii:
                c.set(f"{ST}/ram:TaxCurrencyCode", "EUR")
            else:
                c.set("cbc:TaxCurrencyCode", "EUR")
            cur = c.xp(f"string({ST}/ram:InvoiceCurrencyCode)" if cii else "string(cbc:DocumentCurrencyCode)")
            if cur == "EUR":
                for e in c.xp(f"{ST}/ram:TaxCurrencyCode" if cii else "cbc:TaxCurrencyCode"):
                    e.text = "USD"
            return "accounting currency without the GROUP lines' VAT total in it"
        if what in ("afl-type", "afl-blank", "avv-bad", "avv-blank", "afl-duplicate", "afl-not-invoice"):
            code = "AVV" if what.startswith("avv") else "AFL"
            ref = afl_node(c, g, code)
            if ref is None:
                return None
            ident = c.xp("ram:IssuerAssignedID" if cii else "cbc:ID", ref)
            if what == "afl-type":
                tc = c.xp("ram:TypeCode" if cii else "cbc:DocumentTypeCode", ref)
                if not tc:
                    return None
                tc[0].text = c.pick(["50", "916"])
                return f"GROUP {gid}: AFL reference type {tc[0].text}"
            if not ident:
                return None
            if what in ("afl-blank", "avv-blank"):
                ident[0].text = ""
            elif what == "avv-bad":
                ident[0].text = c.pick(["M8", "S8", "B8"])
            elif what == "afl-duplicate":
                others = [afl_node(c, x) for x in top_groups(c) if x is not g]
                others = [o for o in others if o is not None]
                if not others:
                    return None
                ident[0].text = c.xp("string(ram:IssuerAssignedID)" if cii else "string(cbc:ID)", others[0])
            else:  # the seller's own sub-invoice numbered differently from the invoice
                own = [x for x in groups if c.xp("string(" + ("ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/"
                       "ram:SpecifiedLegalOrganization/ram:ID" if cii else
                       "cac:Item/cac:ManufacturerParty/cac:PartyLegalEntity/cbc:CompanyID") + ")", x)
                       == c.xp("string(" + (f"{AG}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID" if cii else
                               "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID") + ")")]
                if not own:
                    return None
                r = afl_node(c, own[0])
                if r is None:
                    return None
                c.xp("ram:IssuerAssignedID" if cii else "cbc:ID", r)[0].text = "SUB-OWN-" + rnd_digits(c.rng, 3)
            return f"GROUP {gid}: {what}"
        if what == "group-total":
            a = line_amount(c, g)
            a.text = shift(a.text, Decimal(c.pick(["0.50", "-3.00", "10.00"])))
            return f"GROUP {gid}: amount off its DETAIL lines"
        if what == "group-grand":
            if not cii:
                return None
            gt = c.ensure("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/"
                          "ram:GrandTotalAmount", g)
            if gt is None:
                return None
            gt.text = c.pick(["1.00", "9999.99", "0.00"])
            return f"GROUP {gid}: line grand total {gt.text!r}"
        if not kids:
            return None
        k = c.pick(kids)
        kid = line_id(c, k)
        if what == "child-seller":
            sp = seller_of_line(c, k)
            if not sp:
                return None
            ident = c.xp("ram:SpecifiedLegalOrganization/ram:ID" if cii else "cac:PartyLegalEntity/cbc:CompanyID", sp[0])
            if not ident:
                return None
            ident[0].text = c.pick([rnd_digits(c.rng, 9), ""])
            return f"line {kid}: seller id {ident[0].text!r} (not its GROUP's)"
        if what == "child-afl":
            r = afl_node(c, k)
            if r is None:
                return None
            if c.rng.random() < 0.5:
                r.getparent().remove(r)
                return f"line {kid}: AFL reference removed"
            c.xp("ram:IssuerAssignedID" if cii else "cbc:ID", r)[0].text = "SUB-X-" + rnd_digits(c.rng, 3)
            return f"line {kid}: AFL not its GROUP's"
        if what == "child-exemption":
            ex = c.xp("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:ExemptionReason" if cii
                      else "cac:Item/cac:ClassifiedTaxCategory/cbc:TaxExemptionReason", k)
            if not ex:
                return None
            ex[0].text = c.pick(["TVA 20 %", "#SUB-Z#TVA", " "])
            return f"line {kid}: exemption text {ex[0].text!r}"
        return None
    return f


def r_mv_type(codes):
    """A credit / corrective type (MV-14) or self-billed one (BD-14) on a special-frame invoice
    whose GROUP lines carry no preceding-invoice reference."""
    def f(c: FrCtx):
        if not [g for g in top_groups(c) if seller_of_line(c, g)]:
            return None
        node = type_code_node(c)
        if node is None:
            return None
        node.text = c.pick(codes)
        return f"type {node.text} on a special-frame invoice, GROUP lines without preceding invoice"
    return f


# ---- EXTENDED-CTC-FR sub-lines and tolerances --------------------------------------------------
def group_lines(c: FrCtx):
    if c.family == "cii":
        return c.xp(f"{CII_LINE}[ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode='GROUP']")
    return c.xp("LINE[cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentStatusCode='GROUP']")


def line_amount(c: FrCtx, ln):
    return c.ensure("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/"
                    "ram:LineTotalAmount" if c.family == "cii" else "cbc:LineExtensionAmount", ln)


def shift(text: str, delta: Decimal) -> str:
    return format((mutate.decimal_of(text) or Decimal(0)) + delta, "f")


def r_group_total(c: FrCtx):
    """BR-FREXT-08: a GROUP line whose amount is not the sum of its children."""
    g = c.pick(group_lines(c))
    if g is None:
        return None
    a = line_amount(c, g)
    d = Decimal(c.pick(["0.01", "-0.01", "1.00", "0.10"]))
    a.text = shift(a.text, d)
    return f"GROUP line amount {d:+}"


def r_parent_missing(c: FrCtx):
    """BR-FREXT-11: a parent line id that no line has (or the line's own id)."""
    lines = c.lines()
    if not lines:
        return None
    ln = c.pick(lines)
    if c.family == "cii":
        p = c.ensure("ram:AssociatedDocumentLineDocument/ram:ParentLineID", ln)
        if p is None:
            return None
        own = c.xp("string(ram:AssociatedDocumentLineDocument/ram:LineID)", ln)
        p.text = c.pick(["99", "X1", own])
        st = c.ensure("ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode", ln)
        if st is not None and not (st.text or "").strip():
            st.text = "DETAIL"
    else:
        inv_id = c.xp("string(cbc:ID)")
        brs = c.xp(f"cac:BillingReference[cac:InvoiceDocumentReference/cbc:ID='{inv_id}']", ln)
        br = brs[0] if brs else c.ensure("cac:BillingReference", ln, fresh_last=True)
        if br is None:
            return None
        r = c.ensure("cac:InvoiceDocumentReference", br)
        c.ensure("cbc:ID", r).text = inv_id
        stc = c.ensure("cbc:DocumentStatusCode", r)
        if not (stc.text or "").strip():
            stc.text = "DETAIL"
        brl = c.ensure("cac:BillingReferenceLine/cbc:ID", br)
        if brl is None:
            return None
        brl.text = c.pick(["99", "X1", c.xp("string(cbc:ID)", ln)])
    return "parent line id pointing nowhere (or to itself)"


def r_parent_without_status(c: FrCtx):
    """BR-FREXT-06: a parent line id without a line status code."""
    ln = c.pick(c.lines())
    if ln is None:
        return None
    if c.family == "cii":
        p = c.ensure("ram:AssociatedDocumentLineDocument/ram:ParentLineID", ln)
        if p is None:
            return None
        p.text = "1"
        c.remove("ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode", ln)
        return "parent line id without status"
    inv_id = c.xp("string(cbc:ID)")
    br = c.ensure("cac:BillingReference", ln, fresh_last=True)
    if br is None:
        return None
    c.ensure("cac:InvoiceDocumentReference/cbc:ID", br).text = inv_id
    c.remove("cac:InvoiceDocumentReference/cbc:DocumentStatusCode", br)
    c.ensure("cac:BillingReferenceLine/cbc:ID", br).text = "1"
    return "parent line id without status"


def r_status_code(c: FrCtx):
    """BR-FREXT-05: a line status outside DETAIL / GROUP / INFORMATION."""
    ln = c.pick(c.lines())
    if ln is None:
        return None
    v = c.pick(["SUBTOTAL", "detail", "GROUPE", "INFO", "DETAIL GROUP"])
    if c.family == "cii":
        if c.set("ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode", v, ln) is None:
            return None
    else:
        inv_id = c.xp("string(cbc:ID)")
        br = c.ensure("cac:BillingReference", ln, fresh_last=True)
        if br is None:
            return None
        c.ensure("cac:InvoiceDocumentReference/cbc:ID", br).text = inv_id
        c.ensure("cac:InvoiceDocumentReference/cbc:DocumentStatusCode", br).text = v
    return f"line status {v!r}"


def r_group_child_without_amount(c: FrCtx):
    """BR-FREXT-12: a GROUP sub-line (child of a GROUP) without its amount."""
    g = c.pick(group_lines(c))
    if g is None:
        return None
    gid = c.xp("string(ram:AssociatedDocumentLineDocument/ram:LineID)" if c.family == "cii" else "string(cbc:ID)", g)
    kids = (c.xp(f"{CII_LINE}[ram:AssociatedDocumentLineDocument/ram:ParentLineID='{gid}']") if c.family == "cii"
            else c.xp(f"LINE[cac:BillingReference/cac:BillingReferenceLine/cbc:ID='{gid}']"))
    if not kids:
        return None
    k = c.pick(kids)
    if c.family == "cii":
        c.set("ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode", "GROUP", k)
        c.remove("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation", k)
    else:
        for s in c.xp("cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentStatusCode", k):
            s.text = "GROUP"
        return None if not c.remove("cbc:LineExtensionAmount", k) else "child made GROUP without amount"
    return "child made GROUP without amount"


def r_tolerance(where, over: bool):
    """BR-FREXT-CO-10/11/12/13/15: a total off its computed value by the tolerance (0.01 per
    line, allowance or charge counted) or just beyond it."""
    def f(c: FrCtx):
        if c.family == "cii":
            path = {"CO-10": f"{MS}/ram:LineTotalAmount", "CO-11": f"{MS}/ram:AllowanceTotalAmount",
                    "CO-12": f"{MS}/ram:ChargeTotalAmount", "CO-13": f"{MS}/ram:TaxBasisTotalAmount",
                    "CO-15": f"{MS}/ram:GrandTotalAmount"}[where]
        else:
            path = {"CO-10": "cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
                    "CO-11": "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount",
                    "CO-12": "cac:LegalMonetaryTotal/cbc:ChargeTotalAmount",
                    "CO-13": "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
                    "CO-15": "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"}[where]
        nodes = c.xp(path)
        if not nodes:
            if where in ("CO-11", "CO-12"):
                node = c.ensure(path)
                if node is None:
                    return None
                node.text = "0.01"
                if c.family == "ubl":
                    node.set("currencyID", c.xp("string(cbc:DocumentCurrencyCode)") or "EUR")
                return f"{where}: total present without any allowance / charge"
            return None
        node = nodes[0]
        n = len(c.lines()) or 1
        step = Decimal("0.01") * (n + (1 if over else 0)) * c.pick([1, -1])
        if not over:
            step = Decimal("0.01") * c.pick([1, -1])
        node.text = shift(node.text, step)
        return f"{where}: total {step:+} ({'beyond' if over else 'within'} tolerance)"
    return f


def r_line_exemption(c: FrCtx):
    """VAT breakdown of EXTENDED-CTC-FR: an exemption reason on one line only (ini / rev checks)."""
    ln = c.pick(c.lines())
    if ln is None:
        return None
    if c.family == "cii":
        t = c.ensure("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", ln)
        if t is None:
            return None
        e = c.ensure(c.pick(["ram:ExemptionReason", "ram:ExemptionReasonCode"]), t)
    else:
        t = c.ensure("cac:Item/cac:ClassifiedTaxCategory", ln)
        if t is None:
            return None
        e = c.ensure(c.pick(["cbc:TaxExemptionReason", "cbc:TaxExemptionReasonCode"]), t)
    if e is None:
        return None
    e.text = c.pick(["VATEX-EU-132", "Exonération", "VATEX-EU-AE", "Autre motif"])
    return f"line exemption reason {e.text!r}"


def r_period_reversed(level):
    """BR-29 / BR-30 (EXTENDED-CTC-FR keeps them): an invoicing period that ends before it starts."""
    def f(c: FrCtx):
        start = None
        if level == "line":
            start = c.pick(c.lines())
            if start is None:
                return None
        if c.family == "cii":
            base = (f"{ST}/ram:BillingSpecifiedPeriod" if level == "doc"
                    else "ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod")
            a = c.set(f"{base}/ram:StartDateTime/udt:DateTimeString", "20260930", start)
            b = c.set(f"{base}/ram:EndDateTime/udt:DateTimeString", "20260901", start)
            for e in (a, b):
                if e is not None:
                    e.set("format", "102")
        else:
            a = c.set("cac:InvoicePeriod/cbc:StartDate", "2026-09-30", start)
            b = c.set("cac:InvoicePeriod/cbc:EndDate", "2026-09-01", start)
        return f"{level} invoicing period reversed" if a is not None and b is not None else None
    return f


def r_no_payment_terms(c: FrCtx):
    """BR-CO-25: an amount due without due date nor payment terms."""
    if c.family == "cii":
        c.remove(f"{ST}/ram:SpecifiedTradePaymentTerms")
    else:
        c.remove("cbc:DueDate")
        c.remove("cac:PaymentMeans/cbc:PaymentDueDate")
        c.remove("cac:PaymentTerms")
    return "due date and payment terms removed"


def r_charge_listid(c: FrCtx):
    """BR-FREXT-CL-20-LISTID: a charge reason code whose @listID is neither 7161 nor 5153."""
    if c.family == "cii":
        acs = c.xp(f"{ST}/ram:SpecifiedTradeAllowanceCharge[{CII_AC_IND}='true']")
        ac = c.pick(acs) if acs else None
        if ac is None:
            if not mutate.op_add_allowance_charge(c, category="S", rate="20", doc_level=True):
                return None
            ac = c.xp(f"{ST}/ram:SpecifiedTradeAllowanceCharge")[-1]
            c.ensure(CII_AC_IND, ac).text = "true"
        code = c.ensure("ram:ReasonCode", ac)
    else:
        acs = c.xp("cac:AllowanceCharge[cbc:ChargeIndicator='true']")
        ac = c.pick(acs) if acs else None
        if ac is None:
            return None
        code = c.ensure("cbc:AllowanceChargeReasonCode", ac)
    if code is None:
        return None
    code.text = c.pick(["FC", "ABK", "TAC"])
    code.set("listID", c.pick(["9999", "UNCL7161", "7143", "1153"]))
    return f"charge reason {code.text} with listID {code.get('listID')}"


def r_drop_line_part(what):
    """BR-FREXT-BR-22/23/26 / BR-FREXT-22/23/26: a DETAIL line without quantity, unit or net price."""
    def f(c: FrCtx):
        ln = c.pick([x for x in c.lines() if x not in group_lines(c)])
        if ln is None:
            return None
        if c.family == "cii":
            path = {"qty": "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity",
                    "price": "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice"}.get(what)
            if what == "unit":
                q = c.xp("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", ln)
                if not q:
                    return None
                q[0].attrib.pop("unitCode", None)
                return "line quantity without unit"
        else:
            path = {"qty": "cbc:CreditedQuantity" if c.credit else "cbc:InvoicedQuantity",
                    "price": "cac:Price"}.get(what)
            if what == "unit":
                q = c.xp("cbc:CreditedQuantity" if c.credit else "cbc:InvoicedQuantity", ln)
                if not q:
                    return None
                q[0].attrib.pop("unitCode", None)
                return "line quantity without unit"
        return f"line without {what}" if c.remove(path, ln) else None
    return f


# ---- the recipe table -------------------------------------------------------------------------
class Recipe:
    def __init__(self, name, fn, targets, families=("cii", "ubl"), ext_only=False, only=None):
        self.name, self.fn, self.targets = name, fn, dict(targets)
        self.families, self.ext_only = families, ext_only
        self.only = only  # None, or a predicate on a base (bases.json row) the recipe needs

    def fits(self, base: dict) -> bool:
        return self.only is None or self.only(base)

    def applies(self, family: str, is_ext: bool) -> bool:
        return family in self.families and (is_ext or not self.ext_only)


def R(name, fn, cii=(), ubl=(), **kw):
    targets = {}
    for r in cii:
        targets.setdefault("cii", set()).add(r)
    for r in ubl:
        targets.setdefault("ubl", set()).add(r)
    fams = tuple(f for f in ("cii", "ubl") if f in targets) or ("cii", "ubl")
    return Recipe(name, fn, targets, fams, **kw)


def MV_BASE(b: dict) -> bool:
    """The multi-vendor / bidirectional bases (GROUP lines with their sellers)."""
    return "multivendor" in b["name"] or "bidirectional" in b["name"]


def SUBLINE_BASE(b: dict) -> bool:
    return MV_BASE(b) or "sublines" in b["name"]


def build_recipes() -> list[Recipe]:
    out = []
    # BR-FR-01 / 02: identifiers
    for w, cid, uid in (("BT-1", "BT-1", "BT-1"), ("BT-25", "BT-25", "BT-25"),
                        ("EXT-FR-FE-136", "EXT-FR-FE-136", "EXT-FR-FE-136")):
        out.append(R(f"id-length {w}", r_id_length(w), [f"BR-FR-01_{cid}"], [f"BR-FR-01_{uid}-1"]))
        out.append(R(f"id-format {w}", r_id_format(w), [f"BR-FR-02_{cid}"],
                     [f"BR-FR-01_{uid}-2", f"BR-FR-02_{uid}"]))
    for suffix, rid in DATE_IDS.items():
        out.append(R(f"date {suffix}", r_date(suffix), [f"BR-FR-03_{rid}"], [f"BR-FR-03_{suffix}"]))
    for w in ("BT-3", "EXT-FR-FE-02", "EXT-FR-FE-137"):
        out.append(R(f"doc-type {w}", r_doc_type(w), [f"BR-FR-04_{w}"], [f"BR-FR-04_{w}"]))
    for k, code in enumerate(("PMT", "PMD", "AAB"), start=1):
        out.append(R(f"note-missing {code}", r_note_missing(code), [f"BR-FR-05_BT-22_{code}"], [f"BR-FR-05_BT-22-{k}"]))
    for k, code in enumerate(("PMT", "PMD", "AAB", "TXD"), start=1):
        out.append(R(f"note-twice {code}", r_note_twice(code), [f"BR-FR-06_BT-21_{code}"], [f"BR-FR-06_BT-21-{k}"]))
    out.append(R("cadre-invalid", r_cadre_bad, ["BR-FR-08_BT-23"], ["BR-FR-08_BT-23"]))
    for suffix in CII_PARTIES:
        out.append(R(f"siret-coherence {suffix}", r_siret_coherence(suffix), [f"BR-FR-09_{suffix}"],
                     [f"BR-FR-09_{suffix}"]))
    out.append(R("seller-siren", r_siren_seller, ["BR-FR-10_BT-30"], ["BR-FR-10_BT-30"]))
    out.append(R("buyer-siren-b2b", r_siren_buyer_b2b, ["BR-FR-11_BT-47"], ["BR-FR-11_BT-47"]))
    out.append(R("endpoint-missing BT-49", r_endpoint_missing("BT-49"), ["BR-FR-12_BT-49"], ["BR-FR-12_BT-49"]))
    out.append(R("endpoint-missing BT-34", r_endpoint_missing("BT-34"), ["BR-FR-13_BT-34"], ["BR-FR-13_BT-34"]))
    cats = {"doc-ac": ("BR-FR-15_BT-95_BT-102", "BR-FR-15_BT-95_BT-102", "BR-FR-16_BT-96_BT-103", "BR-FR-16_BT-96",
                       "BR-FR-DEC-04_BT-96_BT-103", "BR-FR-DEC-04_BT-96_BT-103"),
            "breakdown": ("BR-FR-15_BT-95_BT-118", "BR-FR-15_BT-118", "BR-FR-16_BT-119", "BR-FR-16_BT-119",
                          "BR-FR-DEC-04_BT-119", "BR-FR-DEC-04_BT-119"),
            "line": ("BR-FR-15_BT-95_BT-151", "BR-FR-15_BT-151", "BR-FR-16_BT-152", "BR-FR-16_BT-152",
                     "BR-FR-DEC-04_BT-152", "BR-FR-DEC-04_BT-152")}
    for where, (c15, u15, c16, u16, cdec, udec) in cats.items():
        u_lm = "BR-FR-08_BT-151-2" if where == "line" else f"{u15}-2"
        out.append(R(f"vat-category-invalid {where}", r_vat(where, "category", ["X", "s", "VAT", "", "E1", "AA"]),
                     [c15], [f"{u15}-1"]))
        out.append(R(f"vat-category-LM {where}", r_vat(where, "category", ["L", "M"]), [f"{c15}_LM"], [u_lm]))
        out.append(R(f"vat-rate {where}", r_vat(where, "rate", BAD_RATES), [c16],
                     [u16] + (["BR-FR-16_BT-103"] if where == "doc-ac" else [])))
        out.append(R(f"vat-percent-format {where}", r_dec_percent(where), [cdec], [udec]))
    out.append(R("attachment-code", r_attach_code, ["BR-FR-17_BT-123"], ["BR-FR-17_BT-123"]))
    out.append(R("two-lisible", r_two_lisible, ["BR-FR-18_BT-123"], ["BR-FR-18_BT-123"]))
    out.append(R("bar-invalid", r_bar_invalid, ["BR-FR-20_BT-21"], ["BR-FR-20_BT-21"]))
    out.append(R("b2b-endpoint BT-49", r_b2b_endpoint("BT-49"), ["BR-FR-21_BT-49"], ["BR-FR-21_BT-49"]))
    out.append(R("b2b-endpoint BT-34", r_b2b_endpoint("BT-34"), ["BR-FR-22_BT-34"], ["BR-FR-22_BT-34"]))
    for suffix in ENDPOINT_PARTIES:
        out.append(R(f"endpoint-format {suffix}", r_endpoint_format(suffix), [f"BR-FR-23_{suffix}"], [f"BR-FR-23_{suffix}"]))
        out.append(R(f"endpoint-length {suffix}", r_endpoint_length(suffix), [f"BR-FR-25_{suffix}"], [f"BR-FR-25_{suffix}"]))
    for which in ("BT-29", "BT-46"):
        out.append(R(f"private-id-format {which}", r_private_format(which), [f"BR-FR-24_{which}"], [f"BR-FR-24_{which}"]))
        out.append(R(f"private-id-length {which}", r_private_length(which), [f"BR-FR-26_{which}"], [f"BR-FR-26_{which}"]))
    for mode, cids, uids in (("no-name", ["BR-FR-27_BG-32"], ["BR-FR-27_BG-32", "BR-FREXT-54-1"]),
                             ("blank-desc", ["BR-FR-27_BT-160"], ["BR-FR-27_BT-160"]),
                             ("blank-code", ["BR-FR-27_EXT-FR-FE-159"], ["BR-FR-27_EXT-FR-FE-159"]),
                             ("both-values", ["BR-FR-28-Value"], ["BR-FR-28-Value", "BR-FREXT-54-2"]),
                             ("no-value", ["BR-FR-28-Value", "BR-FREXT-54-2"], ["BR-FR-28-Value", "BR-FREXT-54-2"]),
                             ("measure-no-unit", ["BR-FR-28-Value"], ["BR-FR-28-Value"]),
                             ("code-bad", ["BR-FXEXT-04"], ["BR-FREXT-04"])):
        out.append(R(f"characteristic {mode}", r_characteristic(mode), cids, uids))
    for level, rid in (("doc", "BR-FR-29"), ("line", "BR-FR-30")):
        for code in ("AFL", "AVV"):
            out.append(R(f"{code}-twice {level}", r_afl_avv(level, "twice", code),
                         [f"{rid}_BT-18" if level == "doc" else f"{rid}_BT-128"],
                         [f"{rid}_BT-18" if level == "doc" else f"{rid}_BT-128"]))
            out.append(R(f"{code}-blank {level}", r_afl_avv(level, "blank", code), [f"{rid}_{code}"], [f"{rid}_{code}"]))
    out.append(R("bar-twice", r_bar_twice, ["BR-FR-31_BT-21"], ["BR-FR-30_BT-21"]))
    out.append(R("scheme-0002 legal", r_scheme_0002("legal"), ["BR-FR-32-LEGALID"], ["BR-FR-32-LEGALID"]))
    out.append(R("scheme-0002 id", r_scheme_0002("id"), ["BR-FR-32-GLOBALID"], ["BR-FR-32-ID"]))
    out.append(R("co03-262", r_co03, ["BR-FR-CO-03_BT-3"], ["BR-FR-CO-03_BT-3"]))
    out.append(R("co04-references", r_co04, ["BR-FR-CO-04_BT-4"], ["BR-FR-CO-04_BT-3"]))
    out.append(R("co05-credit-reference", r_co05, ["BR-FR-CO-05_BT-3"], ["BR-FR-CO-05_BT-3"]))
    out.append(R("co07-due-date", r_co07, ["BR-FR-CO-07_BT-9"], ["BR-FR-CO-07_BT-9"]))
    out.append(R("co08-final-prepayment", r_co08, ["BR-FR-CO-08_BT-23"], ["BR-FR-CO-08_BT-23"]))
    for k in (1, 2, 3):
        out.append(R(f"co09-paid {k}", r_co09(k), [f"BR-FR-CO-09_BT-23-{k}"] + (["BR-FR-CO-09_BT-23-2"] if k == 1 else []),
                     [f"BR-FR-CO-09_BT-23-{k}"]))
    for suffix in CII_PARTIES:
        for mode in (1, 2):
            out.append(R(f"co10-scheme {suffix}-{mode}", r_globalid_scheme(suffix, mode),
                         [f"BR-FR-CO-10_{suffix}-{mode}"], [f"BR-FR-CO-10_{suffix}-{mode}"]))
    out.append(R("co12-currency", r_co12, ["BR-FR-CO-12_BT-5"], ["BR-FR-CO-12_BT-5"]))
    out.append(R("co14-au-txd", r_au(14), ["BR-FR-CO-14_BT-29-1"], ["BR-FR-CO-14_BT-29-1"]))
    out.append(R("co15-au-rep", r_au(15), ["BR-FR-CO-15_BT-29-1"], ["BR-FR-CO-15_BT-29-1"]))
    for suffix in AMOUNTS:
        out.append(R(f"dec-amount {suffix}", r_dec_amount(suffix), [f"BR-FR-DEC-01_{suffix}"], [f"BR-FR-DEC-01_{suffix}"]))
    for suffix in ("BT-129", "BT-149"):
        out.append(R(f"dec-quantity {suffix}", r_dec_quantity(suffix), [f"BR-FR-DEC-02_{suffix}"], [f"BR-FR-DEC-02_{suffix}"]))
    for suffix in ("BT-146", "BT-147", "BT-148"):
        out.append(R(f"dec-price {suffix}", r_dec_price(suffix), [f"BR-FR-DEC-03_{suffix}"], [f"BR-FR-DEC-03_{suffix}"]))
        out.append(R(f"dec-price-bd {suffix}", r_dec_price(suffix, special="B9"), [f"BR-FR-DEC-03_{suffix}"],
                     [f"BR-FR-DEC-03_{suffix}"]))
    # special frames: the multi-vendor (S8 B8 M8) and bidirectional (S9 B9 M9) rules
    mv = ["BR-FR-MV-01_EXT-FR-FE-163", "BR-FR-MV-02_EXT-FR-FE-163", "BR-FR-MV-06_EXT-FR-FE-167",
          "BR-FR-MV-07_BT-128", "BR-FR-MV-13_BT-3", "BR-FR-MV-08_BT-128"]
    mv_group = ["BR-FR-MV-03_EXT-FR-FE-164", "BR-FR-MV-03_EXT-FR-FE-167", "BR-FR-MV-03_EXT-FR-FE-177",
                "BR-FR-MV-03_EXT-FR-FE-181", "BR-FR-MV-03_EXT-FR-FE-182", "BR-FR-MV-05_EXT-FR-FE-BG-12",
                "BR-FR-MV-09_EXT-FR-FE-181", "BR-FR-MV-10_EXT-FR-FE-184", "BR-FR-MV-11_BT-128",
                "BR-FR-MV-14-EXT-FR-FE-136", "BR-FR-MV-14-EXT-FR-FE-138", "BR-FR-MV-12_BT-128",
                "BR-FR-MV-03_BT-128_AFL", "BR-FR-MV-03_BT-128_AVV"]
    bd = ["BR-FR-BD-02_EXT-FR-FE-163", "BR-FR-BD-02_BT-31", "BR-FR-BD-02_BT-47", "BR-FR-BD-13_BT-3",
          "BR-FR-BD-14-EXT-FR-FE-136", "BR-FR-BD-14-EXT-FR-FE-138"]
    ubl_bd = ["BR-FR-BD-02_EXT-FR-FE-163", "BR-FR-BD-02_BT-30", "BR-FR-BD-02_BT-47", "BR-FR-MV-BD_BT-3",
              "BR-FR-BD-14-EXT-FR-FE-136", "BR-FR-BD-14-EXT-FR-FE-138"]
    out.append(R("special-mv", r_special(["S8", "B8", "M8"]), mv, mv))
    out.append(R("special-mv-selfbilled", r_special(["S8", "B8", "M8"], set_special_type),
                 ["BR-FR-MV-13_BT-3"], ["BR-FR-MV-13_BT-3"]))
    out.append(R("special-mv-group", r_special(["S8", "B8", "M8"], make_group), mv_group + mv, mv_group + mv))
    out.append(R("special-mv-status", r_special(["S8", "B8", "M8", "S9", "B9", "M9"], drop_status),
                 ["BR-FR-MV-01_EXT-FR-FE-163"], ["BR-FR-MV-01_EXT-FR-FE-163"]))
    out.append(R("special-bd", r_special(["S9", "B9", "M9"]), bd, ubl_bd))
    out.append(R("special-bd-type", r_special(["S9", "B9", "M9"], unset_special_type),
                 ["BR-FR-BD-13_BT-3"], ["BR-FR-MV-BD_BT-3"]))
    out.append(R("special-bd-group", r_special(["S9", "B9", "M9"], make_group), bd + mv_group, ubl_bd + mv_group))
    # on the multi-vendor / bidirectional bases: one thing broken at a time
    for what, cids, uids in (
            ("no-top-group", ["BR-FR-MV-02_EXT-FR-FE-163", "BR-FR-BD-02_EXT-FR-FE-163"],
             ["BR-FR-MV-02_EXT-FR-FE-163", "BR-FR-BD-02_EXT-FR-FE-163"]),
            ("seller-name", ["BR-FR-MV-03_EXT-FR-FE-164"], ["BR-FR-MV-03_EXT-FR-FE-164"]),
            ("seller-id", ["BR-FR-MV-03_EXT-FR-FE-167", "BR-FR-MV-06_EXT-FR-FE-167", "BR-FR-BD-02_BT-31",
                           "BR-FR-BD-02_BT-47"],
             ["BR-FR-MV-03_EXT-FR-FE-167", "BR-FR-MV-06_EXT-FR-FE-167", "BR-FR-BD-02_BT-30", "BR-FR-BD-02_BT-47"]),
            ("seller-country", ["BR-FR-MV-03_EXT-FR-FE-177"], ["BR-FR-MV-03_EXT-FR-FE-177"]),
            ("group-tax", ["BR-FR-MV-03_EXT-FR-FE-181", "BR-FR-MV-09_EXT-FR-FE-181"],
             ["BR-FR-MV-03_EXT-FR-FE-181", "BR-FR-MV-09_EXT-FR-FE-181"]),
            ("acc-currency", ["BR-FR-MV-03_EXT-FR-FE-182"], ["BR-FR-MV-03_EXT-FR-FE-182"]),
            ("afl-type", ["BR-FR-MV-03_BT-128_AFL", "BR-FR-MV-07_BT-128"], ["BR-FR-MV-07_BT-128"]),
            ("afl-blank", ["BR-FR-MV-03_BT-128_AFL"], ["BR-FR-MV-03_BT-128_AFL"]),
            ("avv-bad", ["BR-FR-MV-03_BT-128_AVV"], ["BR-FR-MV-03_BT-128_AVV"]),
            ("avv-blank", ["BR-FR-MV-03_BT-128_AVV"], ["BR-FR-MV-03_BT-128_AVV"]),
            ("afl-duplicate", ["BR-FR-MV-12_BT-128"], ["BR-FR-MV-12_BT-128"]),
            ("afl-not-invoice", ["BR-FR-MV-11_BT-128"], ["BR-FR-MV-11_BT-128"]),
            ("group-total", ["BR-FR-MV-05_EXT-FR-FE-BG-12"], ["BR-FR-MV-05_EXT-FR-FE-BG-12"]),
            ("group-grand", ["BR-FR-MV-10_EXT-FR-FE-184"], []),
            ("child-seller", ["BR-FR-MV-06_EXT-FR-FE-167"], ["BR-FR-MV-06_EXT-FR-FE-167"]),
            ("child-afl", ["BR-FR-MV-07_BT-128", "BR-FR-MV-08_BT-128"], ["BR-FR-MV-07_BT-128", "BR-FR-MV-08_BT-128"]),
            ("child-exemption", ["BR-FR-MV-08_BT-128"], ["BR-FR-MV-08_BT-128"])):
        out.append(R(f"mv {what}", mv_recipe(what), cids, uids, only=MV_BASE))
    out.append(R("mv credit type", r_special(["S8", "B8", "M8"], r_mv_type(["384", "472", "381", "396", "503"])),
                 ["BR-FR-MV-14-EXT-FR-FE-136", "BR-FR-MV-14-EXT-FR-FE-138"],
                 ["BR-FR-MV-14-EXT-FR-FE-136", "BR-FR-MV-14-EXT-FR-FE-138"], only=MV_BASE))
    out.append(R("bd self-billed type", r_special(["S9", "B9", "M9"], r_mv_type(["261", "471", "473", "502"])),
                 ["BR-FR-BD-14-EXT-FR-FE-136", "BR-FR-BD-14-EXT-FR-FE-138"],
                 ["BR-FR-BD-14-EXT-FR-FE-136", "BR-FR-BD-14-EXT-FR-FE-138"], only=MV_BASE))
    # EXTENDED-CTC-FR: sub-lines and tolerances
    ext = dict(ext_only=True)
    out.append(R("group-total", r_group_total, ["BR-FREXT-08"], ["BR-FREXT-08"], only=SUBLINE_BASE, **ext))
    out.append(R("parent-missing", r_parent_missing, ["BR-FREXT-11"], ["BR-FREXT-11"], **ext))
    out.append(R("parent-without-status", r_parent_without_status, ["BR-FREXT-06"], ["BR-FREXT-06"], **ext))
    out.append(R("status-code", r_status_code, ["BR-FREXT-05"], ["BR-FREXT-05"], **ext))
    out.append(R("group-child-no-amount", r_group_child_without_amount, ["BR-FREXT-12"], ["BR-FREXT-12"],
                 only=SUBLINE_BASE, **ext))
    for where in ("CO-10", "CO-11", "CO-12", "CO-13", "CO-15"):
        out.append(R(f"tolerance-over {where}", r_tolerance(where, True), [f"BR-FREXT-{where}"], [f"BR-FREXT-{where}"], **ext))
        out.append(R(f"tolerance-within {where}", r_tolerance(where, False), [], [], **ext))
    out.append(R("period-reversed doc", r_period_reversed("doc"), ["BR-29"], ["BR-29"], **ext))
    out.append(R("period-reversed line", r_period_reversed("line"), ["BR-30"], ["BR-30"], **ext))
    out.append(R("no-payment-terms", r_no_payment_terms, ["BR-CO-25"], ["BR-CO-25"], **ext))
    out.append(R("charge-listid", r_charge_listid, ["BR-FREXT-CL-20-LISTID"], ["BR-FREXT-CL-20-LISTID"], **ext))
    out.append(R("line-without qty", r_drop_line_part("qty"), ["BR-FREXT-BR-22"], ["BR-FREXT-22"], **ext))
    out.append(R("line-without unit", r_drop_line_part("unit"), ["BR-FREXT-BR-23"], ["BR-FREXT-23"], **ext))
    out.append(R("line-without price", r_drop_line_part("price"), ["BR-FREXT-BR-26"], ["BR-FREXT-26"], **ext))
    cats = ["S", "Z", "E", "AE", "IC", "G", "O", "AF", "AG"]
    out.append(R("line-exemption", r_line_exemption,
                 [f"BR-FXEXT-{x}-08{s}" for x in cats for s in ("", "ini", "rev")],
                 [f"BR-FREXT-{x}-08{s}" for x in cats for s in ("", "ini", "rev")], **ext))
    return out


RECIPES = build_recipes()
RECIPE_BY_NAME = {r.name: r for r in RECIPES}


# ---- random France-aware operators -----------------------------------------------------------
def op_fr_recipe(c: FrCtx):
    is_ext = c.kind in EXT_KINDS
    r = c.pick([x for x in RECIPES if x.applies(c.family, is_ext)])
    d = r.fn(c) if r else None
    return f"fr:{r.name} {d}" if d else None


def op_cadre_any(c: FrCtx):
    v = c.pick(CADRES + BAD_CADRES[:3])
    return f"BT-23 = {v}" if set_cadre(c, v) is not None else None


def op_type_any(c: FrCtx):
    node = type_code_node(c)
    if node is None:
        return None
    node.text = c.pick(GOOD_TYPES + BAD_TYPES[:3])
    return f"BT-3 = {node.text}"


def op_bar_any(c: FrCtx):
    v = c.pick(BAR_VALUES + BAD_BAR[:2])
    if c.rng.random() < 0.2:
        for n in bar_notes(c):
            n.getparent().remove(n)
        return "BAR note removed"
    return f"BAR = {v}" if set_bar(c, v) is not None else None


def op_rate_any(c: FrCtx):
    where = c.pick(["breakdown", "line", "doc-ac"])
    return r_vat(where, "rate", GOOD_RATES + BAD_RATES[:3])(c)


FR_RANDOM_OPS = {
    "fr-recipe": (op_fr_recipe, 14),
    "cadre": (op_cadre_any, 4),
    "type-code": (op_type_any, 3),
    "bar": (op_bar_any, 3),
    "vat-rate": (op_rate_any, 3),
}
EXT_KINDS = {"cii-extended-ctc-fr", "ubl-invoice-extended-ctc-fr", "ubl-creditnote-extended-ctc-fr"}


# ---- generation -----------------------------------------------------------------------------
class Target:
    """One slot's aim: an assert (xslt key, rule id) and how to reach it (recipe or directed)."""

    def __init__(self, xslt: str, rule: str, recipes: list, directed):
        self.xslt, self.rule, self.recipes, self.directed = xslt, rule, recipes, directed


class FrGenerator:
    def __init__(self, bases_dir: Path, seed: int, attempts: int, directed_share: float,
                 cache: Path | None, warning: bool = False):
        self.seed, self.attempts, self.directed_share = seed, attempts, directed_share
        self.oracle = oracle_mod.FranceOracle(xsd=False, warning=warning, cache=cache)
        self.bases = json.loads((bases_dir / "bases.json").read_text())
        for b in self.bases:  # relative to the folder given (the manifest may be read elsewhere)
            b["file"] = str(bases_dir / Path(b["file"]).name)
        self.parsed = {b["file"]: etree.parse(b["file"]) for b in self.bases}
        self.models: dict[str, xsdmodel.XsdModel] = {}
        self.schemas: dict[str, etree.XMLSchema] = {}
        for b in self.bases:
            k = b["xsd_key"]
            if k not in self.models:
                self.models[k] = xsdmodel.XsdModel(common.fr_xsd_path(k))
                self.schemas[k] = etree.XMLSchema(etree.parse(str(common.fr_xsd_path(k))))
        self.catalog = {k: common.rule_catalog(xslt_path(k)) for k in XSLT_KEYS}
        # id-less asserts are named by the oracle from their message ("[BR-CO-27]-…"): they join
        # the ids once fired (coverage counts them then)
        self.ids = {k: sorted({r["id"] for r in rows} - {None}, key=common.rule_sort_key)
                    for k, rows in self.catalog.items()}
        self.directed = {k: [d for d in mutate.directed_rules(xslt_path(k)) if d.id]
                         for k in XSLT_KEYS if k.startswith("extended")}
        self.targets = self.build_targets()

    def bases_for(self, xslt: str) -> list[dict]:
        pack, family = xslt.split(":")
        out = []
        for b in self.bases:
            if common.family_of(b["syntax"]) != family:
                continue
            if pack == "extended-ctc-fr" and b["kind"] not in EXT_KINDS:
                continue
            out.append(b)
        return out

    def build_targets(self) -> dict[str, list[Target]]:
        out = {}
        for key in XSLT_KEYS:
            family = key.split(":")[1]
            is_ext = key.startswith("extended")
            rows = []
            for rid in self.ids[key]:
                recipes = [r for r in RECIPES if rid in r.targets.get(family, set())
                           and (r.applies(family, True) if is_ext else not r.ext_only)]
                directed = None
                if is_ext and not recipes:
                    ds = [d for d in self.directed.get(key, []) if d.id == rid]
                    directed = ds[0] if ds else None
                rows.append(Target(key, rid, recipes, directed))
            out[key] = rows
        return out

    # -- one mutant -------------------------------------------------------------------------
    def mutate_once(self, base: dict, rng: random.Random, target: Target | None):
        doc = copy.deepcopy(self.parsed[base["file"]])
        model = self.models[base["xsd_key"]]
        family = common.family_of(base["syntax"])
        directed = self.directed.get(f"extended-ctc-fr:{family}", []) if base["kind"] in EXT_KINDS else []
        c = FrCtx(doc, base["syntax"], model, rng, directed, base["kind"], base["xsd_key"])
        ops = []
        if target is not None:
            if target.recipes:
                # the more specific a recipe (fewer asserts aimed at), the likelier it is drawn
                fam = common.family_of(base["syntax"])
                fitting = [r for r in target.recipes if r.fits(base)]
                if not fitting:
                    return None, []
                weights = [1.0 / max(1, len(r.targets.get(fam, ()))) for r in fitting]
                r = rng.choices(fitting, weights=weights)[0]
                d = r.fn(c)
                if d is None:
                    return None, []
                ops.append(f"recipe:{r.name} {d}")
            elif target.directed is not None:
                d = mutate.apply_directed(c, target.directed)
                if d is None:
                    return None, []
                ops.append(d)
            else:
                return None, []
            extra = 1 if rng.random() < 0.15 else 0
        else:
            extra = rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
        pool = {**{k: v for k, v in mutate.RANDOM_OPS.items()}, **FR_RANDOM_OPS}
        names = list(pool)
        weights = [pool[n][1] for n in names]
        tries = 0
        while extra and tries < 12:
            tries += 1
            name = rng.choices(names, weights=weights)[0]
            try:
                d = pool[name][0](c)
            except (ValueError, TypeError, AttributeError, IndexError, StopIteration):
                d = None
            if d:
                ops.append(d)
                extra -= 1
        return (doc, ops) if ops else (None, [])

    def attempt(self, base: dict, rng, target, path: Path, seen: set):
        try:
            doc, ops = self.mutate_once(base, rng, target)
        except (ValueError, TypeError, AttributeError, IndexError, StopIteration, etree.XPathError):
            return None
        if doc is None:
            return None
        data = etree.tostring(doc, xml_declaration=True, encoding="UTF-8")
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            return None
        schema = self.schemas[base["xsd_key"]]
        valid = bool(schema.validate(doc))
        bt24 = common.bt24_of_tree(doc)
        cand = {"source": base["file"], "kind": base["kind"], "syntax": base["syntax"],
                "xsd_key": base["xsd_key"], "bt24": bt24, "packs": common.fr_packs_for(bt24),
                "ops": ops, "data": data, "digest": digest, "xsd_valid": valid, "xsd_errors": [],
                "oracle": None, "oracle_errors": {}}
        if not valid:
            cand["xsd_errors"] = [f"line {e.line}: {e.message}" for e in schema.error_log][:5]
            return cand
        path.write_bytes(data)
        res = self.oracle.check(str(path), packs=cand["packs"])
        cand["oracle"] = {p: oracle_mod.fr_pairs(f) for p, f in res["packs"].items()}
        cand["oracle_errors"] = res["errors"]
        return cand

    @staticmethod
    def fired(cand) -> set:
        """{(xslt key, rule id)} fired on a candidate."""
        out = set()
        fam = common.family_of(cand["syntax"])
        for pack, pairs in (cand["oracle"] or {}).items():
            for r, _s in pairs:
                out.add((f"{pack}:{fam}", r))
        return out

    def score(self, cand, target) -> int:
        if not cand["xsd_valid"]:
            return 0
        if cand["oracle_errors"]:
            return 1
        if target is None or (target.xslt, target.rule) in self.fired(cand):
            return 3
        return 2

    def slot(self, i: int, xslt_or_family: str, target, mdir: Path, seen: set, attempts: int):
        rng = random.Random(f"{self.seed}:{i}")
        path = mdir / f"m{i:05d}.xml"
        pool = self.bases_for(target.xslt) if target else self.bases_for(xslt_or_family)
        if target is not None and target.recipes and all(r.only for r in target.recipes):
            pool = [b for b in pool if any(r.fits(b) for r in target.recipes)]
        if not pool:
            return None
        order = rng.sample(pool, len(pool))
        best, tries = None, 0
        for attempt in range(attempts):
            tries = attempt + 1
            base = order[attempt % len(order)]
            use = target if (attempt < attempts - 1 or best is None or self.score(best, target) >= 2) else None
            cand = self.attempt(base, rng, use, path, seen)
            if cand is None:
                continue
            if best is None or self.score(cand, target) > self.score(best, target):
                best = cand
            if self.score(best, target) == 3:
                break
        if best is None:
            if path.exists():
                path.unlink()
            return None
        seen.add(best["digest"])
        path.write_bytes(best["data"])
        hit = None
        if target is not None and best["oracle"] is not None:
            hit = (target.xslt, target.rule) in self.fired(best)
        tgt = None
        if target is not None:
            tgt = {"xslt": target.xslt, "rule": target.rule,
                   "how": "recipe" if target.recipes else "directed"}
        return {"file": str(path), "index": i, "source": best["source"], "kind": best["kind"],
                "syntax": best["syntax"], "xsd_key": best["xsd_key"], "bt24": best["bt24"],
                "packs": best["packs"], "target": tgt, "target_hit": hit, "ops": best["ops"],
                "xsd_valid": best["xsd_valid"], "xsd_errors": best["xsd_errors"],
                "oracle": best["oracle"], "oracle_errors": best["oracle_errors"], "attempts": tries}

    def plan(self, count: int) -> list[tuple[str, Target | None]]:
        """Per index: (xslt key, target or None). Directed slots: 60 % on the BR-FR asserts
        (both syntaxes, in proportion), 40 % on the EXTENDED-CTC-FR ones; each list shuffled
        once and gone round. Random slots: 70 % on the BR-FR bases (all of a syntax), 30 % on
        the EXTENDED-CTC-FR ones."""
        rng = random.Random(f"plan:{self.seed}")
        cycles = {}
        for k in XSLT_KEYS:
            rows = [t for t in self.targets[k] if t.recipes or t.directed]
            rng.shuffle(rows)
            cycles[k] = rows
        pos = {k: 0 for k in XSLT_KEYS}
        out = []
        for _ in range(count):
            if rng.random() < self.directed_share:
                group = ("br-fr:cii", "br-fr:ubl") if rng.random() < 0.6 else \
                    ("extended-ctc-fr:cii", "extended-ctc-fr:ubl")
                weights = [len(cycles[g]) for g in group]
                k = rng.choices(group, weights=weights)[0]
                t = cycles[k][pos[k] % len(cycles[k])] if cycles[k] else None
                pos[k] += 1
                out.append((k, t))
            else:
                out.append((rng.choices(XSLT_KEYS, weights=[35, 35, 15, 15])[0], None))
        return out

    def generate(self, count: int, topup: int, out: Path, attempts_topup: int) -> list[dict]:
        mdir = out / "mutants"
        if mdir.exists():
            shutil.rmtree(mdir)
        mdir.mkdir(parents=True)
        seen = {hashlib.sha256(Path(b["file"]).read_bytes()).hexdigest() for b in self.bases}
        manifest = []
        for i, (k, t) in enumerate(self.plan(count)):
            m = self.slot(i, k, t, mdir, seen, self.attempts)
            if m:
                manifest.append(m)
        if topup:
            manifest += self.top_up(manifest, count, topup, mdir, seen, attempts_topup)
        with open(out / "manifest.jsonl", "w", encoding="utf-8") as f:
            for m in manifest:
                f.write(json.dumps(m, ensure_ascii=False) + "\n")
        return manifest

    def fired_in(self, manifest) -> set:
        fired = set()
        for m in manifest:
            if m["xsd_valid"] and not m["oracle_errors"] and m["oracle"]:
                fired |= self.fired(m)
        return fired

    def top_up(self, manifest, start, budget, mdir, seen, attempts) -> list[dict]:
        fired = self.fired_in(manifest)
        todo = [t for k in XSLT_KEYS for t in self.targets[k]
                if (t.recipes or t.directed) and (k, t.rule) not in fired]
        out, i = [], start
        tried: dict = {}
        while todo and i < start + budget:
            t = todo.pop(0)
            if (t.xslt, t.rule) in fired:
                continue
            m = self.slot(i, t.xslt, t, mdir, seen, attempts)
            i += 1
            tried[(t.xslt, t.rule)] = tried.get((t.xslt, t.rule), 0) + 1
            if m:
                out.append(m)
                if m["xsd_valid"] and not m["oracle_errors"] and m["oracle"]:
                    fired |= self.fired(m)
            if (t.xslt, t.rule) not in fired and tried[(t.xslt, t.rule)] < 3:
                todo.append(t)
        return out


# ---- coverage -----------------------------------------------------------------------------------
def coverage(gen: FrGenerator, manifest: list[dict], out: Path) -> dict:
    fired: dict[str, dict[str, int]] = {k: {} for k in XSLT_KEYS}
    files = 0
    rows = [m for m in manifest if m["xsd_valid"] and not m["oracle_errors"] and m["oracle"] is not None]
    for m in rows:
        files += 1
        for k, r in gen.fired(m):
            fired[k][r] = fired[k].get(r, 0) + 1
    directed = [m for m in manifest if m["target"]]
    report = {"files": files + len(gen.bases), "mutants": len(manifest),
              "xsd_invalid": sum(1 for m in manifest if not m["xsd_valid"]),
              "oracle_errors": sum(1 for m in manifest if m["oracle_errors"]),
              "directed": len(directed), "directed_hit": sum(1 for m in directed if m["target_hit"]),
              "xslt": {}}
    for k in XSLT_KEYS:
        ids = set(gen.ids[k]) | {r for r in fired[k]}
        hit = sorted(set(fired[k]), key=common.rule_sort_key)
        never = sorted(ids - set(fired[k]), key=common.rule_sort_key)
        report["xslt"][k] = {"file": xslt_path(k).name, "asserts": len(gen.catalog[k]), "ids": len(ids),
                             "fired": len(hit), "never": never,
                             "fired_counts": {r: fired[k][r] for r in hit}}
    (out / "coverage.json").write_text(json.dumps(report, indent=1))
    return report


def print_coverage(report: dict, out=sys.stdout):
    print(f"coverage over {report['files']} files ({report['mutants']} mutants: "
          f"{report['xsd_invalid']} XSD-invalid, {report['oracle_errors']} where an official XSLT fails); "
          f"directed mutants hitting their target: {report['directed_hit']}/{report['directed']}", file=out)
    for k, r in report["xslt"].items():
        pct = 100.0 * r["fired"] / r["ids"] if r["ids"] else 0
        print(f"  {k:22s} {r['file']}: {r['fired']}/{r['ids']} assert ids fired ({pct:.1f}%), "
              f"{len(r['never'])} never", file=out)


# Asserts the official XSLTs cannot fire on an XSD-valid document (read off the XSLTs; the
# --explain pass confirms them by trying): rule id -> reason.
DEAD = {
    "br-fr:cii": {
        "BR-FR-30_BT-128": "context ram:IncludedSupplyChainTradeLineItem, test counts its child "
                           "ram:AdditionalReferencedDocument, which CII lines cannot have (D22B puts it under "
                           "SpecifiedLineTradeAgreement / -Settlement): the count is always 0",
        "BR-FR-30_AFL": "context IncludedSupplyChainTradeLineItem/ram:AdditionalReferencedDocument: no such "
                        "element in CII D22B",
        "BR-FR-30_AVV": "context IncludedSupplyChainTradeLineItem/ram:AdditionalReferencedDocument: no such "
                        "element in CII D22B",
    },
    "br-fr:ubl": {
        "BR-FR-27_BG-32": "context ubl:Invoice/cac:Item/cac:AdditionalItemProperty: cac:Item is never a child "
                          "of the root",
        "BR-FR-27_BT-160": "context ubl:Invoice/cac:Item/…: cac:Item is never a child of the root",
        "BR-FR-27_EXT-FR-FE-159": "context ubl:Invoice/cac:Item/…: cac:Item is never a child of the root",
        "BR-FR-09_EXT-FR-FE-146": "context …/cac:Delivery/cac:DeliveryLocation reads $siret = "
                                  "cac:DeliveryLocation/cbc:ID (a DeliveryLocation inside the DeliveryLocation): "
                                  "always empty, the assert always holds",
        "BR-FR-29_BT-18": "counts cbc:ID[@schemeID='AFL'] of one cac:AdditionalDocumentReference: UBL 2.1 "
                          "allows one cbc:ID there",
        "BR-FR-30_BT-128": "counts cbc:ID[@schemeID='AFL'] of one line cac:DocumentReference: one cbc:ID allowed",
        "BR-FR-CO-10_BT-71-2": "distinct schemes of the cbc:ID of one cac:DeliveryLocation: one cbc:ID allowed",
        "BR-FR-CO-10_EXT-FR-FE-146-2": "distinct schemes of the cbc:ID of one line cac:DeliveryLocation: "
                                       "one cbc:ID allowed",
        "BR-FR-MV-10_EXT-FR-FE-184": "tests cbc:TaxInclusiveLineExtensionAmount, an element of UBL 2.3, "
                                     "absent from UBL 2.1: the assert always holds",
    },
    "extended-ctc-fr:ubl": {
        "BR-FREXT-54-1": "exists(cbc:Name) or exists(cbc:NameCode): cbc:Name is required in a UBL 2.1 "
                         "cac:AdditionalItemProperty",
        "BR-FREXT-12": "a GROUP sub-line without cbc:LineExtensionAmount: required in a UBL 2.1 line",
        "BR-FREXT-24": "a line without cbc:LineExtensionAmount: required in a UBL 2.1 line",
    },
    "extended-ctc-fr:cii": {},
}


def shadowed(xslt: Path) -> dict[str, str]:
    """Asserts that can never run: within one pattern (XSLT mode) a node is handled by the
    highest-priority template matching it, so a template whose match is the very same as a
    higher-priority one's never runs. {assert id: id of an assert of the winning template}."""
    xsl = "{http://www.w3.org/1999/XSL/Transform}"
    tree = etree.parse(str(xslt))
    groups: dict = {}
    for t in tree.getroot().iter(f"{xsl}template"):
        mode, match = t.get("mode") or "", " ".join((t.get("match") or "").split())
        ids = [a.text for a in t.iter(f"{xsl}attribute") if a.get("name") == "id" and a.text]
        if ids and mode.startswith("M"):
            groups.setdefault((mode, match), []).append((float(t.get("priority") or 0), ids))
    out = {}
    for rows in groups.values():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda r: -r[0])
        for _prio, ids in rows[1:]:
            for i in ids:
                out[i] = rows[0][1][0]
    return out


def explain_never(gen: FrGenerator, report: dict, out: Path) -> dict:
    """Why each never-fired assert did not fire: its recipe / directed mutation tried on every
    compatible base (tally of not applicable / XSD-invalid / XSLT error / valid but silent)."""
    reasons = {}
    path = out / "probe.xml"
    catalog = {k: {r["id"]: r for r in gen.catalog[k] if r["id"]} for k in XSLT_KEYS}
    for k, r in report["xslt"].items():
        targets = {t.rule: t for t in gen.targets[k]}
        shadow = shadowed(xslt_path(k))
        for rid in r["never"]:
            row = catalog[k].get(rid, {})
            t = targets.get(rid)
            test = " ".join((row.get("test") or "").split())
            if rid in shadow:
                why = (f"dead (shadowed): same match as the template of {shadow[rid]}, which has a higher "
                       f"priority in the same pattern, so this template never runs")
            elif test == "true()":
                why = "dead: the test is true()"
            elif rid in DEAD.get(k, {}):
                why = "dead: " + DEAD[k][rid]
            elif t is None or not (t.recipes or t.directed):
                why = "no recipe and no directed shape; random operators did not reach it"
            else:
                tally = {"not applicable": 0, "XSD-invalid": 0, "XSLT error": 0, "valid, silent": 0, "fires": 0}
                for b in gen.bases_for(k):
                    cand = gen.attempt(b, random.Random(f"explain:{b['file']}:{rid}"), t, path, set())
                    if cand is None:
                        tally["not applicable"] += 1
                    elif not cand["xsd_valid"]:
                        tally["XSD-invalid"] += 1
                    elif cand["oracle_errors"]:
                        tally["XSLT error"] += 1
                    elif gen.score(cand, t) == 3:
                        tally["fires"] += 1
                    else:
                        tally["valid, silent"] += 1
                how = "recipe " + ", ".join(x.name for x in t.recipes) if t.recipes else \
                    f"directed {t.directed.action}"
                why = how + ": " + ", ".join(f"{a} {b}" for a, b in tally.items() if b)
                if tally["XSD-invalid"] and not (tally["valid, silent"] or tally["fires"] or tally["XSLT error"]):
                    why += " (every attempt breaks the XSD: likely forbidden by the schema)"
                elif tally["XSLT error"] and not (tally["valid, silent"] or tally["fires"]):
                    why += " (the official XSLT stops with a dynamic error where it would fire)"
            reasons[f"{k}:{rid}"] = {"why": why, "context": row.get("context"),
                                     "test": " ".join((row.get("test") or "").split())[:300]}
    if path.exists():
        path.unlink()
    (out / "never.json").write_text(json.dumps(reasons, indent=1, ensure_ascii=False))
    return reasons


def probe(gen: FrGenerator, rule: str, out: Path) -> int:
    found = False
    path = out / "probe.xml"
    for k in XSLT_KEYS:
        for t in gen.targets[k]:
            if t.rule != rule:
                continue
            found = True
            print(f"{k} {rule}: recipes={[r.name for r in t.recipes]} directed={t.directed}")
            for b in gen.bases_for(k):
                cand = gen.attempt(b, random.Random(f"probe:{b['file']}"), t, path, set())
                if cand is None:
                    print(f"  {b['name']}: not applicable")
                    continue
                print(f"  {b['name']}: xsd_valid={cand['xsd_valid']} hit={gen.score(cand, t) == 3} "
                      f"ops={cand['ops']} {cand['xsd_errors'][:1]} {cand['oracle_errors'] or ''} "
                      f"fired={sorted(r for _, r in gen.fired(cand))[:8] if cand['oracle'] else ''}")
    if not found:
        print(f"{rule}: not an assert id of the four XSLTs")
    return 0 if found else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--count", type=int, default=3000, help="mutant slots (default 3000)")
    ap.add_argument("--topup", type=int, default=800, help="extra slots aimed at never-fired asserts (default 800)")
    ap.add_argument("--attempts", type=int, default=6, help="tries per slot (default 6)")
    ap.add_argument("--directed-share", type=float, default=0.75)
    ap.add_argument("--out", default=str(common.REPO / "conformance-out" / "fr"))
    ap.add_argument("--bases", help="bases folder (default OUT/bases)")
    ap.add_argument("--cache", help="oracle cache (default OUT/oracle-cache.jsonl)")
    ap.add_argument("--explain", action="store_true", help="say why each never-fired assert never fires")
    ap.add_argument("--probe", metavar="RULE", help="debug one assert's mutation on every base")
    args = ap.parse_args(argv)

    if not common.FR_DIR.is_dir():
        print(f"SKIP: {common.FR_DIR} is absent")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    bases = Path(args.bases) if args.bases else out / "bases"
    t0 = time.perf_counter()
    gen = FrGenerator(bases, args.seed, args.attempts, args.directed_share,
                      Path(args.cache) if args.cache else out / "oracle-cache.jsonl")
    if args.probe:
        return probe(gen, args.probe, out)
    manifest = gen.generate(args.count, args.topup, out, max(args.attempts, 10))
    kinds: dict[str, int] = {}
    for b in gen.bases:
        kinds[b["kind"]] = kinds.get(b["kind"], 0) + 1
    summary = {"seed": args.seed, "slots": args.count, "topup_budget": args.topup,
               "bases": len(gen.bases), "bases_per_kind": kinds, "mutants": len(manifest),
               "xsd_valid": sum(1 for m in manifest if m["xsd_valid"]),
               "oracle_errors": sum(1 for m in manifest if m["oracle_errors"]),
               "compared_files": len(gen.bases) + sum(1 for m in manifest if m["xsd_valid"] and not m["oracle_errors"]),
               "recipes": len(RECIPES),
               "generation_seconds": round(time.perf_counter() - t0, 1),
               "oracle_runs": gen.oracle.runs, "oracle_seconds": round(gen.oracle.schematron_seconds, 1)}
    print(json.dumps(summary))
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    report = coverage(gen, manifest, out)
    print_coverage(report)
    for k, r in report["xslt"].items():
        shadow = shadowed(xslt_path(k))
        dead = [x for x in r["never"] if x in DEAD.get(k, {}) or x in shadow]
        r["dead"] = dead
        if dead:
            print(f"    {k}: {len(dead)} of the never-fired are dead by construction: {' '.join(dead)}")
    (out / "coverage.json").write_text(json.dumps(report, indent=1))
    if args.explain:
        for key, v in explain_never(gen, report, out).items():
            print(f"  {key}: {v['why']}")
    gen.oracle.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
