#!/usr/bin/env python3
"""Generates mutants of valid invoices to exercise every EN 16931 rule (CEN schematron 1.3.16).

Sources: the CEN example invoices (../shared/corpus/cen/{ubl,cii}) plus any file or directory
given with --base. Every mutant is reproducible from (--seed, its index): the plan (which
operators, which rule to aim at) comes from the seed, and each mutant draws from its own
random stream. Mutants are written to OUT/mutants/mNNNNN.xml with OUT/manifest.jsonl:

  {"file": "OUT/mutants/m00042.xml", "index": 42, "source": "...cen/ubl/x.xml",
   "syntax": "ubl-invoice", "ops": ["change-amount /Invoice/cac:...: 12.50 -> 25.00"],
   "xsd_valid": true, "xsd_errors": []}

Operators (on the lxml tree): remove-element, duplicate-element, change-amount,
change-quantity, change-vat-rate, change-vat-category, change-date, change-currency,
change-scheme-id, swap-lines, empty-text, bogus-code, remove-attribute, flip-indicator,
change-text, add-element and add-attribute (schema-driven: the new element is a minimal
schema-valid instance inserted at its place in the content model), and rule-directed
mutations: for a schematron assertion whose test is a path shape (`not(P)`, `count(P) <= n`,
`count(P) = 1`, `exists(P)`, `P`, `normalize-space(P) != ''`), build a context node and make P
present, repeated or absent. Operators consult the XSD content model so that most mutants
stay XSD-valid; each mutant is validated with lxml and retried (other base, other draw) up to
--attempts times; a mutant still XSD-invalid is kept and marked so (the harness compares the
schematron on XSD-valid files only, since Liasse stops at the XSD layer).

With --coverage (default), runs the oracle on the XSD-valid mutants and prints which rule ids
of each XSLT fired at least once and which never did (also OUT/coverage.json).

With --facturx the bases (--base only) are CII invoices of the five Factur-X profiles: each
base is kept in its profile (BT-24), its mutants are checked against that profile's Factur-X
1.09 XSD, directed mutations aim at the assertions of that profile's schematron, and the oracle
is the profile's schematron (oracle.py --facturx). Manifest entries then carry "profile".

Usage:
  .venv/bin/python scripts/conformance/mutate.py --seed 1316 --count 2400 --out conformance-out
  .venv/bin/python scripts/conformance/mutate.py --facturx --no-cen --base DIR --count 600 --out conformance-out/fx
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
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import xsdmodel  # noqa: E402

FAMILY = {"ubl-invoice": "ubl", "ubl-creditnote": "ubl", "cii": "cii"}
FAMILY_XSLT = {"ubl": "EN16931-UBL-validation.xslt", "cii": "EN16931-CII-validation.xslt"}

VAT_CATEGORIES = ["S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B", "XX", "s", ""]
VAT_RATES = ["0", "0.00", "5.5", "10", "20", "25", "12", "-5", "7.125", "100"]
CURRENCIES = ["XYZ", "EUR", "USD", "SEK", "NOK", "GBP", "HUF", "eur", "EU"]
SCHEME_IDS = ["0088", "0002", "0009", "0060", "0184", "0192", "0204", "9930", "9957", "EM",
              "SEPA", "XX", "0000", "bogus", ""]
CODES = {
    "type": ["380", "381", "383", "384", "386", "389", "751", "326", "71", "999", ""],
    "country": ["FR", "DE", "SE", "XK", "1A", "XI", "ZZ", "fr", "FRA"],
    "payment": ["1", "10", "30", "31", "42", "48", "49", "57", "58", "59", "97", "ZZZ", "999"],
    "unit": ["C62", "H87", "EA", "XPP", "ZZ", "XXX", "kg", ""],
    "mime": ["application/pdf", "image/png", "text/plain", "application/zip", "bogus"],
    "reason": ["95", "100", "41", "ABK", "FC", "ZZZ", "999"],
    "exemption": ["VATEX-EU-79-C", "VATEX-EU-AE", "VATEX-EU-IC", "VATEX-EU-O", "VATEX-EU-G",
                  "VATEX-FR-FRANCHISE", "BOGUS"],
    "datecode": ["3", "35", "432", "5", "29", "72", "999"],
    "listid": ["STI", "MP", "ZZZ", "XX", "TST"],
    "doctype": ["130", "50", "916", "ZZZ"],
    "subject": ["AAI", "REG", "ZZZ"],
    "other": ["ZZZ", "X", "999", ""],
}
UBL_DATES = ["2024-01-15Z", "2024-01-15+02:00", "1999-01-01", "2099-12-31", "2024-02-30",
             "15.01.2024"]
CII_DATE_TEXTS = ["2024-01-15", "20241315", "20240230", "2024011", "19990101", "20991231",
                  "202401"]
CII_DATE_FORMATS = ["203", "610", "616", "ZZZ", ""]


# ---- small helpers --------------------------------------------------------------------------
def local(e) -> str:
    return etree.QName(e).localname


def short_path(e) -> str:
    parts = []
    while e is not None:
        parent = e.getparent()
        name = (f"{e.prefix}:" if e.prefix else "") + local(e)
        if parent is not None:
            same = [c for c in parent if c.tag == e.tag]
            if len(same) > 1:
                name += f"[{same.index(e) + 1}]"
        parts.append(name)
        e = parent
    return "/" + "/".join(reversed(parts))


def elements(doc):
    return [e for e in doc.getroot().iter() if isinstance(e.tag, str)]


def is_leaf(e) -> bool:
    return not any(isinstance(c.tag, str) for c in e)


def decimal_of(text):
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        return None


class Ctx:
    def __init__(self, doc, syntax, model, rng, directed):
        self.doc, self.syntax, self.model, self.rng = doc, syntax, model, rng
        self.family = FAMILY[syntax]
        self.directed = directed  # DirectedRules for the family

    def pick(self, seq):
        seq = list(seq)
        return self.rng.choice(seq) if seq else None


# ---- operators ------------------------------------------------------------------------------
def op_remove_element(c: Ctx):
    els = elements(c.doc)[1:]
    ok = [e for e in els if c.model.removable(e)]
    e = c.pick(ok if ok and c.rng.random() < 0.9 else els)
    if e is None:
        return None
    desc = f"remove-element {short_path(e)}"
    e.getparent().remove(e)
    return desc


def op_duplicate_element(c: Ctx):
    els = elements(c.doc)[1:]
    ok = [e for e in els if c.model.can_duplicate(e)]
    e = c.pick(ok if ok and c.rng.random() < 0.9 else els)
    if e is None:
        return None
    dup = copy.deepcopy(e)
    e.addnext(dup)
    return f"duplicate-element {short_path(e)}"


def amount_elements(c: Ctx):
    if c.family == "ubl":
        return [e for e in elements(c.doc) if is_leaf(e) and e.get("currencyID") is not None]
    return [e for e in elements(c.doc) if is_leaf(e) and local(e).endswith("Amount")]


def quantity_elements(c: Ctx):
    names = ("Quantity", "Percent", "Numeric", "Rate")
    return [e for e in elements(c.doc) if is_leaf(e) and local(e).endswith(names)
            and decimal_of(e.text) is not None]


def numeric_change(c: Ctx, e, what: str):
    v = decimal_of(e.text)
    if v is None:
        return None
    mode = c.pick(["+0.01", "x2", "more-decimals", "negative", "zero", "integer", "-0.01"])
    if mode == "+0.01":
        new = str(v + Decimal("0.01"))
    elif mode == "-0.01":
        new = str(v - Decimal("0.01"))
    elif mode == "x2":
        new = str(v * 2)
    elif mode == "more-decimals":
        new = f"{v.quantize(Decimal('0.01'))}{c.rng.choice('123456789')}"
    elif mode == "negative":
        new = str(-v if v else Decimal("-1.00"))
    elif mode == "zero":
        new = "0.00" if c.rng.random() < 0.5 else "0"
    else:
        new = str(int(v))
    old, e.text = e.text, new
    return f"{what} {short_path(e)}: {old} -> {new} ({mode})"


def op_change_amount(c: Ctx):
    e = c.pick(amount_elements(c))
    return numeric_change(c, e, "change-amount") if e is not None else None


def op_change_quantity(c: Ctx):
    e = c.pick(quantity_elements(c))
    return numeric_change(c, e, "change-quantity") if e is not None else None


def vat_rate_elements(c: Ctx):
    if c.family == "ubl":
        return [e for e in elements(c.doc) if local(e) == "Percent"
                and local(e.getparent()) in ("TaxCategory", "ClassifiedTaxCategory")]
    return [e for e in elements(c.doc) if local(e) == "RateApplicablePercent"]


def vat_category_elements(c: Ctx):
    if c.family == "ubl":
        return [e for e in elements(c.doc) if local(e) == "ID"
                and local(e.getparent()) in ("TaxCategory", "ClassifiedTaxCategory")]
    return [e for e in elements(c.doc) if local(e) == "CategoryCode"]


def set_text_one_or_all(c: Ctx, els, values, what):
    e = c.pick(els)
    if e is None:
        return None
    new = c.pick([v for v in values if v != (e.text or "").strip()])
    if c.rng.random() < 0.5:
        targets = [x for x in els if (x.text or "").strip() == (e.text or "").strip()]
        mode = "all-equal"
    else:
        targets, mode = [e], "one"
    old = e.text
    for t in targets:
        t.text = new
    return f"{what} {short_path(e)}: {old} -> {new!r} ({mode}, {len(targets)})"


def op_change_vat_rate(c: Ctx):
    return set_text_one_or_all(c, vat_rate_elements(c), VAT_RATES, "change-vat-rate")


def op_change_vat_category(c: Ctx):
    return set_text_one_or_all(c, vat_category_elements(c), VAT_CATEGORIES, "change-vat-category")


def op_change_date(c: Ctx):
    if c.family == "ubl":
        e = c.pick(e for e in elements(c.doc) if is_leaf(e) and local(e).endswith("Date"))
        if e is None:
            return None
        old, e.text = e.text, c.pick(UBL_DATES)
        return f"change-date {short_path(e)}: {old} -> {e.text}"
    e = c.pick(e for e in elements(c.doc) if local(e) in ("DateTimeString", "DateString"))
    if e is None:
        return None
    if c.rng.random() < 0.6:
        old, e.text = e.text, c.pick(CII_DATE_TEXTS)
        return f"change-date {short_path(e)}: {old} -> {e.text}"
    fmt = c.pick(CII_DATE_FORMATS)
    old = e.get("format")
    if fmt:
        e.set("format", fmt)
    elif old is not None:
        del e.attrib["format"]
    return f"change-date-format {short_path(e)}: {old} -> {fmt or '(removed)'}"


def op_change_currency(c: Ctx):
    new = c.pick(CURRENCIES)
    doc_codes = [e for e in elements(c.doc) if local(e) in
                 ("DocumentCurrencyCode", "TaxCurrencyCode", "InvoiceCurrencyCode")]
    attrs = [e for e in elements(c.doc) if e.get("currencyID") is not None]
    r = c.rng.random()
    if doc_codes and (r < 0.4 or not attrs):
        e = c.pick(doc_codes)
        old, e.text = e.text, new
        return f"change-currency {short_path(e)}: {old} -> {new}"
    if not attrs:
        return None
    if r < 0.7:
        e = c.pick(attrs)
        old = e.get("currencyID")
        e.set("currencyID", new)
        return f"change-currency {short_path(e)}/@currencyID: {old} -> {new}"
    old = c.pick(attrs).get("currencyID")
    n = 0
    for e in attrs:
        if e.get("currencyID") == old:
            e.set("currencyID", new)
            n += 1
    for e in doc_codes:
        if (e.text or "").strip() == old and local(e) != "TaxCurrencyCode":
            e.text = new
    return f"change-currency all {old} -> {new} ({n} attributes + document currency)"


def op_change_scheme_id(c: Ctx):
    els = [e for e in elements(c.doc) if e.get("schemeID") is not None]
    e = c.pick(els)
    if e is None:
        return None
    old = e.get("schemeID")
    new = c.pick([s for s in SCHEME_IDS if s != old])
    e.set("schemeID", new)
    return f"change-scheme-id {short_path(e)}/@schemeID: {old} -> {new!r}"


def op_swap_lines(c: Ctx):
    names = ("InvoiceLine", "CreditNoteLine", "IncludedSupplyChainTradeLineItem")
    groups: dict = {}
    for e in elements(c.doc):
        if local(e) in names or c.rng.random() < 0.02:
            groups.setdefault((e.getparent(), e.tag), []).append(e)
    groups = {k: v for k, v in groups.items() if len(v) >= 2 and k[0] is not None}
    if not groups:
        return None
    key = c.pick(sorted(groups, key=lambda k: (local(groups[k][0]) not in names, str(k[1]))))
    a, b = c.rng.sample(groups[key], 2)
    pa, pb = a.getparent(), b.getparent()
    ia, ib = pa.index(a), pb.index(b)
    ta, tb = a.tail, b.tail
    ph = etree.Comment("swap")
    pa.replace(a, ph)
    pb.replace(b, a)
    pa.replace(ph, b)
    a.tail, b.tail = tb, ta
    return f"swap-lines {short_path(a)} <-> {short_path(b)} ({ia}, {ib})"


def op_empty_text(c: Ctx):
    els = [e for e in elements(c.doc) if is_leaf(e) and (e.text or "").strip()]
    e = c.pick(els)
    if e is None:
        return None
    old, e.text = e.text, c.pick(["", " ", "  "])
    return f"empty-text {short_path(e)}: {old!r} -> {e.text!r}"


def code_family(e, attr=None) -> str:
    n = attr or local(e)
    parent = local(e.getparent()) if e.getparent() is not None else ""
    if n in ("unitCode",):
        return "unit"
    if n in ("mimeCode",):
        return "mime"
    if n in ("listID",):
        return "listid"
    if n in ("InvoiceTypeCode", "CreditNoteTypeCode") or (n == "TypeCode" and parent == "ExchangedDocument"):
        return "type"
    if n in ("IdentificationCode", "CountryID") or (n == "ID" and parent == "OriginTradeCountry"):
        return "country"
    if n == "PaymentMeansCode" or (n == "TypeCode" and "PaymentMeans" in parent):
        return "payment"
    if n.endswith("ReasonCode") and "Exemption" in n:
        return "exemption"
    if n.endswith("ReasonCode"):
        return "reason"
    if n in ("DescriptionCode", "DueDateTypeCode"):
        return "datecode"
    if n == "DocumentTypeCode" or (n == "TypeCode" and "ReferencedDocument" in parent):
        return "doctype"
    if n == "SubjectCode":
        return "subject"
    return "other"


def op_bogus_code(c: Ctx):
    cands = []
    for e in elements(c.doc):
        if is_leaf(e) and (local(e).endswith("Code") or local(e) == "CountryID"
                           or (local(e) == "ID" and local(e.getparent()) == "OriginTradeCountry")):
            cands.append((e, None))
        for a in ("unitCode", "mimeCode", "listID"):
            if e.get(a) is not None:
                cands.append((e, a))
    if not cands:
        return None
    e, attr = c.pick(cands)
    fam = code_family(e, attr)
    values = list(CODES[fam])
    if attr is None and c.rng.random() < 0.5:
        info = c.model.type_of(e)
        enums = (info.enums or c.model.enumerations(info.value_type)) if info else []
        if enums:
            values = enums
    old = e.get(attr) if attr else e.text
    new = c.pick([v for v in values if v != old] or values)
    if attr:
        e.set(attr, new)
        return f"bogus-code {short_path(e)}/@{attr}: {old} -> {new!r}"
    e.text = new
    return f"bogus-code {short_path(e)}: {old} -> {new!r}"


def op_remove_attribute(c: Ctx):
    cands = [(e, a) for e in elements(c.doc) for a in e.attrib]
    if not cands:
        return None
    e, a = c.pick(cands)
    old = e.get(a)
    del e.attrib[a]
    return f"remove-attribute {short_path(e)}/@{a} (was {old!r})"


def op_flip_indicator(c: Ctx):
    els = [e for e in elements(c.doc) if local(e) in ("ChargeIndicator", "Indicator")]
    e = c.pick(els)
    if e is None:
        return None
    old = (e.text or "").strip()
    new = c.pick([v for v in ("true", "false", "1", "0") if v != old])
    e.text = new
    return f"flip-indicator {short_path(e)}: {old} -> {new}"


def op_change_text(c: Ctx):
    els = [e for e in elements(c.doc) if is_leaf(e) and (e.text or "").strip()
           and decimal_of(e.text) is None]
    notes = [e for e in els if local(e) == "Note"]
    e = c.pick(notes) if notes and c.rng.random() < 0.15 else c.pick(els)
    if e is None:
        return None
    old = e.text
    mode = c.pick(["strip-prefix", "lower", "long", "spaces", "digits", "copy-sibling-value"])
    if local(e) == "Note" and c.rng.random() < 0.6:
        mode = "subject-code"
    if mode == "subject-code":
        new = f"#{c.pick(['AAI', 'QQQ', 'REG', 'AB', 'XYZW', 'Q1Q'])}#{old.strip()}"
    elif mode == "strip-prefix":
        new = old.strip()[2:] or "X"
    elif mode == "lower":
        new = old.lower() if old.lower() != old else old.upper()
    elif mode == "long":
        new = "1234567890" * c.rng.choice([2, 11, 40])
    elif mode == "spaces":
        new = f"  {old.strip()}  "
    elif mode == "digits":
        new = "".join(ch for ch in old if ch.isdigit()) or "12345"
    else:
        same = [x for x in elements(c.doc) if x is not e and x.tag == e.tag and x.text]
        if not same:
            return None
        new = c.pick(same).text
    e.text = new
    return f"change-text {short_path(e)}: {old!r} -> {new[:40]!r} ({mode})"


def op_add_element(c: Ctx):
    els = elements(c.doc)
    for _ in range(20):
        e = c.pick(els)
        ins = c.model.insertable(e)
        if ins:
            _, name = c.pick(ins)
            new = c.model.insert_child(e, name, rng=c.rng, optional_p=c.rng.choice([0, 0.3]))
            return f"add-element {short_path(new)}"
    return None


def op_add_attribute(c: Ctx):
    els = elements(c.doc)
    for _ in range(20):
        e = c.pick(els)
        decls = {k: v for k, v in c.model.attr_decls(e).items() if e.get(k) is None}
        if decls:
            name = c.pick(sorted(decls))
            value = c.model.value(decls[name][0], c.rng, name)
            e.set(name, value)
            return f"add-attribute {short_path(e)}/@{name}={value!r}"
    return None


def op_add_allowance_charge(c: Ctx, category=None, rate=None, doc_level=None):
    """A document-level (or line-level) allowance or charge, VAT category copied or drawn."""
    rng = c.rng
    charge = rng.random() < 0.5
    if doc_level is None:
        doc_level = rng.random() < 0.75
    amount = rng.choice(["10.00", "5.50", "100.00", "0.00", "12.345"])
    reason = rng.choice(["both", "code", "text", "none"])
    code = rng.choice(["95", "100", "41"] if not charge else ["FC", "ABK", "AA", "ZZZ"])
    if c.family == "ubl":
        cats = [e for e in elements(c.doc) if local(e) == "ClassifiedTaxCategory"]
        lines = [e for e in elements(c.doc) if local(e) in ("InvoiceLine", "CreditNoteLine")]
        cur = next((e.text for e in elements(c.doc) if local(e) == "DocumentCurrencyCode"), "EUR")
        owner = c.doc.getroot() if not lines or doc_level else rng.choice(lines)
        name = (common.NS_CAC, "AllowanceCharge")
        if not any(n == name for _, n in c.model.insertable(owner)):
            return None
        ac = c.model.insert_child(owner, name)
        for ch in list(ac):
            ac.remove(ch)
        def cbc(tag, text, **attrs):
            e = etree.SubElement(ac, f"{{{common.NS_CBC}}}{tag}", **attrs)
            e.text = text
            return e
        cbc("ChargeIndicator", "true" if charge else "false")
        if reason in ("both", "code"):
            cbc("AllowanceChargeReasonCode", code)
        if reason in ("both", "text"):
            cbc("AllowanceChargeReason", "Charge" if charge else "Discount")
        cbc("Amount", amount, currencyID=cur)
        if rng.random() < 0.3:
            cbc("BaseAmount", "100.00", currencyID=cur)
        if owner is c.doc.getroot() and rng.random() < 0.9:
            tc = etree.SubElement(ac, f"{{{common.NS_CAC}}}TaxCategory")
            if category is not None:
                cid, pct = category, rate
            elif cats and rng.random() < 0.5:
                src = rng.choice(cats)
                cid = next((x.text for x in src if local(x) == "ID"), "S")
                pct = next((x.text for x in src if local(x) == "Percent"), None)
            else:
                cid, pct = rng.choice(VAT_CATEGORIES), rng.choice(VAT_RATES + [None])
            etree.SubElement(tc, f"{{{common.NS_CBC}}}ID").text = cid
            if pct is not None:
                etree.SubElement(tc, f"{{{common.NS_CBC}}}Percent").text = pct
            ts = etree.SubElement(tc, f"{{{common.NS_CAC}}}TaxScheme")
            etree.SubElement(ts, f"{{{common.NS_CBC}}}ID").text = "VAT"
        return f"add-allowance-charge {short_path(ac)} charge={charge} amount={amount} reason={reason}"
    ram = lambda parent, tag, text=None: _sub(parent, common.NS_RAM, tag, text)
    owners = [e for e in elements(c.doc) if local(e) == "ApplicableHeaderTradeSettlement"]
    lines = [e for e in elements(c.doc) if local(e) == "SpecifiedLineTradeSettlement"]
    if not owners:
        return None
    owner = owners[0] if not lines or doc_level else rng.choice(lines)
    name = (common.NS_RAM, "SpecifiedTradeAllowanceCharge")
    if not any(n == name for _, n in c.model.insertable(owner)):
        return None
    ac = c.model.insert_child(owner, name)
    for ch in list(ac):
        ac.remove(ch)
    ind = ram(ac, "ChargeIndicator")
    _sub(ind, common.NS_UDT, "Indicator", "true" if charge else "false")
    if rng.random() < 0.3:
        ram(ac, "BasisAmount", "100.00")
    ram(ac, "ActualAmount", amount)
    if reason in ("both", "code"):
        ram(ac, "ReasonCode", code)
    if reason in ("both", "text"):
        ram(ac, "Reason", "Charge" if charge else "Discount")
    if owner is owners[0] and rng.random() < 0.9:
        tt = ram(ac, "CategoryTradeTax")
        cats = [e for e in elements(c.doc) if local(e) == "ApplicableTradeTax"]
        if category is not None:
            cid, pct = category, rate
        elif cats and rng.random() < 0.5:
            src = rng.choice(cats)
            cid = next((x.text for x in src if local(x) == "CategoryCode"), "S")
            pct = next((x.text for x in src if local(x) == "RateApplicablePercent"), None)
        else:
            cid, pct = rng.choice(VAT_CATEGORIES[:10]), rng.choice(VAT_RATES + [None])
        ram(tt, "TypeCode", "VAT")
        ram(tt, "CategoryCode", cid)
        if pct is not None:
            ram(tt, "RateApplicablePercent", pct)
    return f"add-allowance-charge {short_path(ac)} charge={charge} amount={amount} reason={reason}"


def _sub(parent, ns, tag, text=None):
    e = etree.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        e.text = text
    return e


def remove_vat_registrations(c: Ctx, party: str) -> int:
    """Removes the VAT identifiers of the seller / buyer / seller's tax representative."""
    n = 0
    if c.family == "ubl":
        owner = {"seller": "AccountingSupplierParty", "buyer": "AccountingCustomerParty",
                 "representative": "TaxRepresentativeParty"}[party]
        for e in elements(c.doc):
            if local(e) == "PartyTaxScheme" and any(local(a) == owner for a in e.iterancestors()) \
                    and c.model.removable(e):
                e.getparent().remove(e)
                n += 1
    else:
        owner = {"seller": "SellerTradeParty", "buyer": "BuyerTradeParty",
                 "representative": "SellerTaxRepresentativeTradeParty"}[party]
        for e in elements(c.doc):
            if local(e) == "SpecifiedTaxRegistration" and local(e.getparent()) == owner:
                e.getparent().remove(e)
                n += 1
        if party == "buyer" and c.rng.random() < 0.5:
            for e in elements(c.doc):
                if local(e) == "SpecifiedLegalOrganization" and local(e.getparent()) == owner:
                    e.getparent().remove(e)
                    n += 1
    return n


def op_vat_scenario(c: Ctx, x=None):
    """A VAT category X made to appear on lines, breakdown and/or an allowance, with the
    other things the X-family rules look at (VAT identifiers, rate, exemption reason) varied."""
    rng = c.rng
    x = x or rng.choice(["S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B"])
    cats = vat_category_elements(c)
    steps = [f"category {x}"]
    if cats:
        old = (rng.choice(cats).text or "").strip()
        where = rng.choice(["all", "lines", "breakdown", "one"])
        for e in cats:
            in_line = any(local(a) in ("InvoiceLine", "CreditNoteLine", "IncludedSupplyChainTradeLineItem")
                          for a in e.iterancestors())
            in_breakdown = any(local(a) in ("TaxSubtotal",) for a in e.iterancestors()) or (
                c.family == "cii" and local(e.getparent()) == "ApplicableTradeTax" and not in_line)
            if (e.text or "").strip() != old:
                continue
            if where == "all" or (where == "lines" and in_line) or (where == "breakdown" and in_breakdown):
                e.text = x
            elif where == "one":
                e.text = x
                break
        steps.append(f"{where} {old}->{x}")
    if rng.random() < 0.4:
        d = op_add_allowance_charge(c, category=x, rate=rng.choice(["0", "20", "25", "-5", None]),
                                    doc_level=True)
        if d:
            steps.append(d)
    for party, p in (("seller", 0.35), ("buyer", 0.25), ("representative", 0.1)):
        if rng.random() < p:
            steps.append(f"removed {remove_vat_registrations(c, party)} {party} VAT registrations")
    if rng.random() < 0.5:
        rate = rng.choice(["0", "0.00", "5", "20", "25", "-5"])
        for e in vat_rate_elements(c):
            sib = [s for s in e.getparent() if local(s) in ("ID", "CategoryCode")]
            if sib and (sib[0].text or "").strip() == x:
                e.text = rate
        steps.append(f"rate {rate}")
    if rng.random() < 0.3:
        steps.append(toggle_exemption_reason(c, x))
    return "vat-scenario " + "; ".join(steps)


def toggle_exemption_reason(c: Ctx, x: str) -> str:
    if c.family == "ubl":
        holders = [e for e in elements(c.doc) if local(e) == "TaxCategory"
                   and local(e.getparent()) == "TaxSubtotal"]
        names = [(common.NS_CBC, "TaxExemptionReasonCode"), (common.NS_CBC, "TaxExemptionReason")]
    else:
        holders = [e for e in elements(c.doc) if local(e) == "ApplicableTradeTax"
                   and local(e.getparent()) == "ApplicableHeaderTradeSettlement"]
        names = [(common.NS_RAM, "ExemptionReason"), (common.NS_RAM, "ExemptionReasonCode")]
    holders = [h for h in holders if any(local(s) in ("ID", "CategoryCode") and (s.text or "").strip() == x
                                         for s in h)] or holders
    if not holders:
        return "no breakdown"
    h = c.pick(holders)
    present = [ch for ch in h if (etree.QName(ch).namespace, local(ch)) in names]
    if present:
        for ch in present:
            h.remove(ch)
        return "exemption reason removed"
    ins = {n for _, n in c.model.insertable(h)}
    name = c.pick([n for n in names if n in ins])
    if name is None:
        return "exemption reason not insertable"
    e = c.model.insert_child(h, name, rng=c.rng)
    e.text = "VATEX-EU-79-C" if name[1].endswith("Code") else "Exempt"
    return f"exemption reason {name[1]} added"


RANDOM_OPS = {
    "remove-element": (op_remove_element, 8),
    "duplicate-element": (op_duplicate_element, 6),
    "change-amount": (op_change_amount, 10),
    "change-quantity": (op_change_quantity, 4),
    "change-vat-rate": (op_change_vat_rate, 6),
    "change-vat-category": (op_change_vat_category, 8),
    "change-date": (op_change_date, 5),
    "change-currency": (op_change_currency, 5),
    "change-scheme-id": (op_change_scheme_id, 5),
    "swap-lines": (op_swap_lines, 2),
    "empty-text": (op_empty_text, 5),
    "bogus-code": (op_bogus_code, 8),
    "remove-attribute": (op_remove_attribute, 4),
    "flip-indicator": (op_flip_indicator, 3),
    "change-text": (op_change_text, 4),
    "add-element": (op_add_element, 6),
    "add-attribute": (op_add_attribute, 3),
    "add-allowance-charge": (op_add_allowance_charge, 8),
    "vat-scenario": (op_vat_scenario, 14),
}


# ---- rule-directed mutations ----------------------------------------------------------------
def split_top(s: str, sep: str) -> list[str]:
    """Splits on sep outside of brackets, parentheses and quotes."""
    out, depth, cur, q = [], 0, [], None
    i = 0
    while i < len(s):
        ch = s[i]
        if q:
            if ch == q:
                q = None
        elif ch in "'\"":
            q = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and s.startswith(sep, i):
            out.append("".join(cur))
            cur = []
            i += len(sep)
            continue
        cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def strip_predicates(s: str) -> str:
    out, depth = [], 0
    for ch in s:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def unwrap(s: str) -> str:
    s = s.strip()
    while s.startswith("(") and s.endswith(")") and balanced_inner(s):
        s = s[1:-1].strip()
    return s


def balanced_inner(s: str) -> bool:
    depth = 0
    for i, ch in enumerate(s):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(s) - 1:
            return False
    return True


QNAME = re.compile(r"^@?[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*$|^@[A-Za-z_][\w.-]*$")


def parse_path(expr: str, nsmap: dict):
    """A location path of child / attribute steps -> (descendant, [[alternatives], ...]).

    Each alternative is ("elem" | "attr", clark name). Predicates are dropped (best effort).
    None when the expression is not such a path."""
    s = strip_predicates(expr.strip())
    descendant = False
    if s.startswith("//"):
        descendant, s = True, s[2:]
    elif s.startswith("/"):
        s = s[1:]
        descendant = None  # absolute
    steps = []
    for raw in split_top(s, "/"):
        raw = raw.strip()
        alts = [unwrap(a).strip() for a in split_top(unwrap(raw), "|")]
        step = []
        for a in alts:
            if a == "..":
                step.append(("parent", ".."))
                continue
            if not QNAME.match(a):
                return None
            if a.startswith("@"):
                name = a[1:]
                if ":" in name:
                    return None
                step.append(("attr", name))
            else:
                p, _, n = a.partition(":")
                if p not in nsmap:
                    return None
                step.append(("elem", f"{{{nsmap[p]}}}{n}"))
        steps.append(step)
    if not steps or any(not st for st in steps):
        return None
    return descendant, steps


def _xp_str(v):
    if isinstance(v, list):
        v = v[0] if v else ""
    if isinstance(v, etree._Element):
        v = "".join(v.itertext())
    return str(v)


_fns = etree.FunctionNamespace(None)
_fns["ends-with"] = lambda _ctx, a, b: _xp_str(a).endswith(_xp_str(b))
_fns["upper-case"] = lambda _ctx, a: _xp_str(a).upper()
_fns["lower-case"] = lambda _ctx, a: _xp_str(a).lower()
_fns["exists"] = lambda _ctx, a: bool(a)
_fns["empty"] = lambda _ctx, a: not a
_fns["matches"] = lambda _ctx, a, b: re.search(_xp_str(b), _xp_str(a)) is not None


def context_xpath(match: str) -> str:
    parts = []
    for p in split_top(match, "|"):
        p = p.strip().rstrip("/")
        if not p.startswith("/"):
            p = "//" + p
        p = re.sub(r"=\s*false\(\)", "= 'false'", p)
        p = re.sub(r"=\s*true\(\)", "= 'true'", p)
        parts.append(p)
    return " | ".join(parts)


class DirectedRule:
    def __init__(self, rid, flag, context, action, paths, count=0, nsmap=None, codes=None):
        self.id, self.flag, self.context, self.action = rid, flag, context, action
        self.paths, self.count, self.nsmap, self.codes = paths, count, nsmap, codes or set()

    def __repr__(self):
        return f"{self.id}:{self.action}"


_STEP = r"(?:@?[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*|@[A-Za-z_][\w.-]*)"
PATH_TOKEN = re.compile(rf"(?<![\w:@$'./-])(?://?)?{_STEP}(?:/{_STEP})*(?![\w(:.-])")


def test_shapes(test: str):
    """(action, expression, number) guesses for a schematron test, most specific first."""
    body = unwrap(test)
    shapes = []
    m = re.match(r"^not\s*\((.*)\)$", body)
    if m and balanced_inner("(" + m.group(1) + ")"):
        inner = m.group(1)
        parts = split_top(inner, " and ")
        if len(parts) > 1:
            shapes.append(("present-all", parts, 1))
        else:
            shapes.append(("present", inner, 1))
    m = re.match(r"^not\s*\(\s*([^()]*)\)\s+or\s+(.*)$", body)
    if m and m.group(2).startswith(m.group(1).strip() + "[") and "round(. * 100) div 100" in body:
        shapes.append(("decimals", m.group(1), 2))  # amount with more than 2 decimals
    if m:
        shapes.append(("present", m.group(1), 1))
    m = re.match(r"^count\s*\((.*)\)\s*(<=|=|<)\s*(\d+)$", body)
    if m and balanced_inner("(" + m.group(1) + ")"):
        if m.group(2) == "=":
            shapes.append(("count-eq", m.group(1), int(m.group(3))))
        else:
            shapes.append(("repeat", m.group(1), int(m.group(3)) + (m.group(2) == "<=")))
    m = re.match(r"^exists\s*\((.*)\)$", body)
    if m and balanced_inner("(" + m.group(1) + ")"):
        shapes.append(("absent", m.group(1), 0))
    m = re.match(r"^normalize-space\s*\(([^()]*)\)\s*!=\s*''(\s+or\b.*)?$", body)
    if m:
        shapes.append(("blank", m.group(1), 0))
    m = re.match(r"^string-length\(normalize-space\(([^()]*)\)\)\s*<=\s*(\d+)$", body)
    if m:
        shapes.append(("long", m.group(1), int(m.group(2)) + 1))
    plain = body
    while True:
        p2 = re.sub(r"xs:decimal\s*\(([^()]*)\)", r"\1", plain)
        if p2 == plain:
            break
        plain = p2
    m = re.match(r"^\(*\s*([\w:/@.-]+)\s*\)*\s*(>=|>|=)\s*0\s*\)*(\s+or\b.*)?$", plain)
    if m:
        shapes.append(("numeric", m.group(1), {">=": -1, ">": 0, "=": 5}[m.group(2)]))
    m = re.match(r"^string-length\(substring-after\((.*),\s*'\.'\)\)\s*<=\s*(\d+)$", body)
    if m:
        shapes.append(("decimals", m.group(1), int(m.group(2))))
    m = re.search(r"contains\('\s*([^']*)',\s*concat\(' ',\s*normalize-space\(([^()]*)\),\s*' '\)\)", body)
    if m:
        shapes.append(("code", m.group(2), set(m.group(1).split())))
    m = re.search(r"contains\(\s*'\s*([^']*)',\s*substring\(([^(),]+),\s*1,\s*2\)\s*\)", body)
    if m:
        shapes.append(("prefix", m.group(2).strip(), set(m.group(1).split())))
    m = re.match(r"^\(?\s*(@\w+)\s*=\s*'", body)
    if m:
        shapes.append(("code", m.group(1), set(re.findall(r"=\s*'([^']*)'", body))))
    shapes.append(("absent", body, 0))
    # a boolean combination of paths only (not / and / or / exists): make every path present
    bare = strip_predicates(body)
    tokens = list(dict.fromkeys(t.group(0) for t in PATH_TOKEN.finditer(bare)))
    residue = re.sub(r"\b(not|and|or|exists)\b|[()\s]", "", PATH_TOKEN.sub("", bare))
    if tokens and not residue:
        # without negation the test holds when any path exists: make them all absent
        shapes.append(("present-all" if re.search(r"\bnot\b", bare) else "absent-all", tokens, 1))
    return shapes


VAT_FAMILY = re.compile(r"^BR-(S|Z|E|AE|IC|G|O|AF|AG|B)-\d+$")
FAMILY_CATEGORY = {"S": "S", "Z": "Z", "E": "E", "AE": "AE", "IC": "K", "G": "G", "O": "O",
                   "AF": "L", "AG": "M", "B": "B"}


def directed_rules(xslt: Path) -> list[DirectedRule]:
    out = []
    for r in common.rule_catalog(xslt):
        test = " ".join((r["test"] or "").split())
        ns = r["namespaces"]
        fam = VAT_FAMILY.match(r["id"] or "")
        shapes = test_shapes(test)
        if fam:  # VAT-category rules: only the value shapes, else a VAT scenario of that category
            shapes = [sh for sh in shapes if sh[0] in ("numeric", "decimals", "code", "prefix")]
            if not shapes:
                out.append(DirectedRule(r["id"], r["flag"], r["context"], "vat-scenario", [], 0, ns,
                                        {FAMILY_CATEGORY[fam.group(1)]}))
                continue
        for action, expr, n in shapes:
            if action in ("present-all", "absent-all"):
                paths = [p for p in (parse_path(e, ns) for e in expr) if p]
                if paths:
                    out.append(DirectedRule(r["id"], r["flag"], r["context"], action, paths, 1, ns))
                    break
                continue
            if expr.strip() == ".":
                paths = [(False, [])]
            else:
                paths = [parse_path(expr, ns)]
            if paths[0]:
                codes = n if action in ("code", "prefix") else None
                out.append(DirectedRule(r["id"], r["flag"], r["context"], action, paths,
                                        0 if codes is not None else n, ns, codes))
                if action == "numeric":
                    out[-1].count = n
                break
    return out


def candidates_for_step(c: Ctx, step):
    """Elements that have, or may receive, a child (or attribute) named by the step."""
    out = []
    if step[0][0] == "attr":
        names = {n for _, n in step}
        for e in elements(c.doc):
            if names & set(c.model.attr_decls(e)):
                out.append(e)
        return out
    names = {n for k, n in step if k == "elem"}
    for e in elements(c.doc):
        if any(ch.tag in names for ch in e):
            out.append(e)
            continue
        ins = {f"{{{n[0]}}}{n[1]}" for _, n in c.model.insertable(e, replace_choice=True)}
        if ins & names:
            out.append(e)
    return out


def ensure_child(c: Ctx, node, step, fresh=False):
    """An existing child matching the step, else a new one inserted; None if impossible."""
    if step[0][0] == "parent":
        return node.getparent()
    names = [n for k, n in step if k == "elem"]
    existing = [ch for ch in node if ch.tag in names]
    if existing and not fresh:
        return c.pick(existing)
    ins = {f"{{{n[0]}}}{n[1]}": n for _, n in c.model.insertable(node, replace_choice=True)}
    ok = [n for n in names if n in ins]
    if not ok:
        return None
    return c.model.insert_child(node, ins[c.pick(ok)], rng=c.rng, replace_choice=True)


def walk_create(c: Ctx, start, steps, chain=None):
    node = start
    for step in steps:
        if step[0][0] == "attr":
            return None
        node = ensure_child(c, node, step)
        if node is None:
            return None
        if chain is not None:
            chain.append(node)
    return node


def reach_create(c: Ctx, tag: str):
    """Creates an element `tag` somewhere it may live, building the missing ancestors."""
    doc_types: dict = {}
    for e in elements(c.doc):
        doc_types.setdefault(c.model.doc_type_key(e), []).append(e)
    chains = c.model.chains_to(tag, doc_types)
    c.rng.shuffle(chains)
    for e, path in chains[:20]:
        ins = {f"{{{n[0]}}}{n[1]}": n for _, n in c.model.insertable(e, replace_choice=True)}
        if path[0] not in ins:
            continue
        node = c.model.insert_child(e, ins[path[0]], rng=c.rng, replace_choice=True)
        for t in path[1:]:
            node = ensure_child(c, node, [("elem", t)])
            if node is None:
                break
        if node is not None:
            return node
    return None


PRED_FUNCS = re.compile(r"(?:normalize-space|upper-case|lower-case|xs:decimal)\s*\(([^()]*)\)")


def parse_predicate(pred: str, nsmap: dict):
    """[(path, value)] for predicates made of `path = 'v'` / `= true()` / `= false()` terms."""
    out = []
    for term in split_top(pred, " and "):
        t = term.strip()
        while True:
            t2 = PRED_FUNCS.sub(r"\1", t)
            if t2 == t:
                break
            t = t2
        m = re.match(r"^\(?\s*([\w:/@.-]+?)\s*\)?\s*=\s*('([^']*)'|false\(\)|true\(\))\s*$", t)
        if not m:
            return None
        value = m.group(3) if m.group(3) is not None else m.group(2)[:-2]
        target = m.group(1)
        if target == ".":
            out.append((None, value))
            continue
        parsed = parse_path(target, nsmap)
        if not parsed or parsed[0] is not False:
            return None
        out.append((parsed, value))
    return out


def parse_context_alt(alt: str, nsmap: dict):
    """A context alternative -> (descendant, steps, predicates per step) or None."""
    s = alt.strip().rstrip("/")
    descendant = False
    if s.startswith("//"):
        descendant, s = True, s[2:]
    elif s.startswith("/"):
        descendant, s = None, s[1:]
    steps, preds = [], []
    for raw in split_top(s, "/"):
        raw = raw.strip()
        name = strip_predicates(raw)
        parsed = parse_path(name, nsmap)
        if not parsed or len(parsed[1]) != 1:
            return None
        steps.append(parsed[1][0])
        plist = []
        depth, cur, found = 0, [], []
        for ch in raw:
            if ch == "[":
                depth += 1
                if depth == 1:
                    cur = []
                    continue
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    found.append("".join(cur))
                    continue
            if depth >= 1:
                cur.append(ch)
        for f in found:
            pp = parse_predicate(f, nsmap)
            if pp is not None:  # predicates we cannot satisfy are dropped (best effort)
                plist.extend(pp)
        preds.append(plist)
    return descendant, steps, preds


def satisfy(c: Ctx, node, preds) -> bool:
    for path, value in preds:
        if path is None:
            node.text = value
            continue
        if not make_present(c, node, path, 1):
            return False
        for t in targets_of(c, node, path):
            if isinstance(t, tuple):
                t[0].set(t[1], value)
            else:
                t.text = value
    return True


def create_context(c: Ctx, alt: str, nsmap: dict):
    m = re.match(r"^//(?:(\w+):)?\*\[ends-with\(name\(\),\s*'(\w+)'\)\]$", alt.strip())
    if m:
        if not hasattr(c.model, "_tags_of_type"):
            c.model._build_reach()
        ns = nsmap.get(m.group(1)) if m.group(1) else None
        tags = sorted({t for ts in c.model._tags_of_type.values() for t in ts
                       if t.endswith(m.group(2)) and (ns is None or t.startswith(f"{{{ns}}}"))})
        return reach_create(c, c.pick(tags)) if tags else None
    parsed = parse_context_alt(alt, nsmap)
    if not parsed:
        return None
    descendant, steps, preds = parsed
    root = c.doc.getroot()
    if descendant is None:
        if steps[0][0][1] != root.tag or not satisfy(c, root, preds[0]):
            return None
        node, rest, rest_preds = root, steps[1:], preds[1:]
    else:
        starts = candidates_for_step(c, steps[0])
        if starts:
            node, rest, rest_preds = c.pick(starts), steps, preds
        else:
            first = reach_create(c, c.pick([n for _, n in steps[0]]))
            if first is None or not satisfy(c, first, preds[0]):
                return None
            node, rest, rest_preds = first, steps[1:], preds[1:]
    for step, plist in zip(rest, rest_preds):
        node = ensure_child(c, node, step)
        if node is None or not satisfy(c, node, plist):
            return None
    return node


def context_nodes(c: Ctx, rule: DirectedRule, create: bool):
    try:
        found = c.doc.getroot().xpath(context_xpath(rule.context), namespaces=rule.nsmap)
        found = [f for f in found if isinstance(f, etree._Element)]
    except (etree.XPathError, TypeError, ValueError, re.error):
        found = []
    if found or not create:
        return found
    # the context does not exist here: build it (simple predicates satisfied, others dropped)
    alts = split_top(rule.context, "|")
    c.rng.shuffle(alts)
    for alt in alts:
        node = create_context(c, alt, rule.nsmap)
        if node is not None:
            return [node]
    return []


def start_node(c: Ctx, ctx, path):
    descendant, steps = path
    if descendant is None:
        root = c.doc.getroot()
        if not steps or steps[0][0][1] != root.tag:
            return None, None
        return root, steps[1:]
    if descendant and steps:
        starts = candidates_for_step(c, steps[0])
        if starts:
            return c.pick(starts), steps
        if steps[0][0][0] == "attr":
            tags = [t for _, n in steps[0] for t in c.model.tags_with_attribute(n)]
            made = reach_create(c, c.pick(tags)) if tags else None
            return (made, steps) if made is not None else (None, None)
        made = reach_create(c, c.pick([n for _, n in steps[0]]))
        if made is None:
            return None, None
        return made.getparent(), steps
    return ctx, steps


def make_present(c: Ctx, ctx, path, want=1):
    """Makes the path exist (want >= 2: occur that many times, repeating the deepest step
    that the schema lets repeat); True on success."""
    node, steps = start_node(c, ctx, path)
    if node is None:
        return False
    if not steps:
        return want <= 1
    *prefix, last = steps
    if last[0][0] == "parent":
        return False
    chain = [node]
    node = walk_create(c, node, prefix, chain)
    if node is None:
        return False
    if last[0][0] == "attr":
        decls = c.model.attr_decls(node)
        name = c.pick([n for _, n in last if n in decls])
        if name is None:
            return False
        if node.get(name) is None:
            node.set(name, c.model.value(decls[name][0], c.rng, name))
        if want >= 2:  # repeat the owner of the attribute
            return repeat_in_chain(c, chain, want)
        return True
    names = [n for _, n in last]
    have = [ch for ch in node if ch.tag in names]
    if not have:
        if ensure_child(c, node, last) is None:
            return False
        have = [ch for ch in node if ch.tag in names]
    if want <= 1:
        return True
    while len(have) < want:
        if c.model.can_duplicate(have[-1]):
            have[-1].addnext(copy.deepcopy(have[-1]))
        elif ensure_child(c, node, last, fresh=True) is not None:
            pass
        else:
            return repeat_in_chain(c, chain + [have[-1]], want)
        have = [ch for ch in node if ch.tag in names]
    return True


def repeat_in_chain(c: Ctx, chain, want):
    """Duplicates the deepest element of the chain (below the start) that may repeat."""
    for e in reversed(chain[1:]):
        if c.model.can_duplicate(e):
            for _ in range(want - 1):
                if not c.model.can_duplicate(e):
                    break
                e.addnext(copy.deepcopy(e))
            return True
    return False


def targets_of(c: Ctx, ctx, path):
    """Existing nodes (element or (element, attribute)) the path designates from ctx."""
    node, steps = start_node(c, ctx, path)
    if node is None:
        return []
    if not steps:
        return [node]
    nodes = [node]
    descendant = path[0]
    if descendant:
        nodes = [e for e in elements(c.doc)]
        first = steps[0]
        if first[0][0] == "attr":
            return [(e, n) for e in nodes for _, n in first if e.get(n) is not None]
        names = [n for _, n in first]
        nodes = [e for e in nodes if e.tag in names]
        steps = steps[1:]
    for i, step in enumerate(steps):
        if step[0][0] == "parent":
            nodes = [nd.getparent() for nd in nodes if nd.getparent() is not None]
            continue
        if step[0][0] == "attr":
            return [(nd, n) for nd in nodes for _, n in step if nd.get(n) is not None]
        names = [n for _, n in step]
        nodes = [ch for nd in nodes for ch in nd if ch.tag in names]
    return nodes


def code_value(c: Ctx, node, attr, codes):
    if attr is None:
        info = c.model.type_of(node)
        enums = (info.enums or c.model.enumerations(info.value_type)) if info else []
        outside = [v for v in enums if v not in codes]
        if enums:
            return c.pick(outside) if outside else None
    return c.pick(["ZZZ", "XX", "0000", "ZZ9", "bogus"])


def apply_directed(c: Ctx, rule: DirectedRule):
    if rule.action == "vat-scenario":
        d = op_vat_scenario(c, x=next(iter(rule.codes)))
        return f"rule:{rule.id} {d}" if d else None
    ctxs = context_nodes(c, rule, create=True)
    if not ctxs:
        return None
    ctx = c.pick(ctxs)
    desc = f"rule:{rule.id} {rule.action} {short_path(ctx)}"
    action = rule.action
    if action == "count-eq":
        action = c.pick(["absent", "repeat"])
    if action == "present-all":
        ok = all(make_present(c, ctx, p, 1) for p in rule.paths)
        return desc if ok else None
    if action == "absent-all":
        removed = 0
        for p in rule.paths:
            for t in targets_of(c, ctx, p):
                if isinstance(t, tuple):
                    del t[0].attrib[t[1]]
                    removed += 1
                elif t.getparent() is not None:
                    t.getparent().remove(t)
                    removed += 1
        return desc + f" ({removed} removed)" if removed else None
    path = rule.paths[0]
    if action in ("present", "repeat"):
        want = 1 if action == "present" else max(rule.count, 2)
        return desc + f" x{want}" if make_present(c, ctx, path, want) else None
    if action in ("decimals", "code", "long", "numeric", "prefix"):
        if path[1] and not make_present(c, ctx, path, 1):
            return None
        tg = targets_of(c, ctx, path)
        if not tg:
            return None
        t = c.pick(tg)
        node, attr = t if isinstance(t, tuple) else (t, None)
        if action == "prefix":
            old = (node.get(attr) if attr else node.text) or ""
            new = c.pick(["ZZ", "99", "xx"]) + old.strip()[2:]
        elif action == "long":
            new = "1234567890123456789"[: max(rule.count, 1)]
        elif action == "numeric":
            new = {-1: c.pick(["-1", "-0.01", "-10.00"]), 0: "0", 5: c.pick(["5", "0.5", "25"])}[rule.count]
        elif action == "decimals":
            old = node.get(attr) if attr else node.text
            v = decimal_of(old)
            if v is None:
                v = Decimal("1")
            new = f"{v.quantize(Decimal('0.01'))}{c.rng.choice('123456789')}" \
                + ("7" * c.rng.choice([0, 0, 1, 2]))
        else:
            new = code_value(c, node, attr, rule.codes)
            if new is None:
                return None
        if attr:
            node.set(attr, new)
        else:
            node.text = new
        return desc + f" {short_path(node)}{'/@' + attr if attr else ''} = {new!r}"
    # absent / blank: remove (or blank) what the path designates
    tg = targets_of(c, ctx, path)
    if not tg:
        return None
    if isinstance(tg[0], tuple):
        for nd, n in tg:
            if action == "blank":
                nd.set(n, "")
            else:
                del nd.attrib[n]
        return desc + (" attribute blanked" if action == "blank" else " attribute removed")
    if action == "blank" or c.rng.random() < 0.3:
        leafs = [t for t in tg if is_leaf(t)]
        if not leafs:
            return None
        for t in leafs:
            t.text = c.pick(["", " "])
        return desc + " blanked"
    for t in tg:
        if t.getparent() is not None:
            t.getparent().remove(t)
    return desc + " removed"


# ---- generation -----------------------------------------------------------------------------
class Generator:
    def __init__(self, bases: list[str], seed: int, directed_share: float, attempts: int,
                 use_oracle: bool = True, facturx: bool = False):
        self.seed = seed
        self.facturx = facturx
        self.oracle = None
        if use_oracle:
            import oracle as oracle_mod
            self.oracle = oracle_mod.Oracle(xsd=False, schematron=True, facturx=facturx)
        self.directed_share = directed_share
        self.attempts = attempts
        # family: "ubl" / "cii", or with --facturx "fx:<profile>"; key (schema, model): the
        # syntax, or the family with --facturx
        self.families = [f"fx:{p}" for p in common.FX_PROFILES] if facturx else ["ubl", "cii"]
        self.bases: dict[str, list[tuple[str, str]]] = {f: [] for f in self.families}
        self.family_of: dict[str, str] = {}
        self.models: dict[str, xsdmodel.XsdModel] = {}
        self.schemas: dict[str, etree.XMLSchema] = {}
        self.parsed: dict[str, etree._ElementTree] = {}
        for b in bases:
            syntax = common.detect_syntax(b)
            if syntax is None:
                print(f"skipping {b}: not UBL / CII", file=sys.stderr)
                continue
            family = FAMILY[syntax]
            if facturx:
                profile = common.fx_profile_of(b)
                if profile is None:
                    print(f"skipping {b}: not a Factur-X profile in BT-24", file=sys.stderr)
                    continue
                family = f"fx:{profile}"
            doc = etree.parse(b)
            if not self.schema(family if facturx else syntax).validate(doc):
                print(f"skipping {b}: not XSD-valid", file=sys.stderr)
                continue
            self.parsed[b] = doc
            self.family_of[b] = family
            self.bases[family].append((b, syntax))
        if facturx:
            self.directed = {f: [r for r in directed_rules(common.fx_xslt_path(f[3:])) if r.id]
                             for f in self.families}
        else:
            self.directed = {f: directed_rules(common.xslt_path(x)) for f, x in FAMILY_XSLT.items()}

    def key(self, base: str, syntax: str) -> str:
        return self.family_of[base] if self.facturx else syntax

    def schema(self, key):
        if key not in self.schemas:
            path = common.fx_xsd_path(key[3:]) if key.startswith("fx:") else common.xsd_path(key)
            self.schemas[key] = etree.XMLSchema(etree.parse(str(path)))
            self.models[key] = xsdmodel.XsdModel(path)
        return self.schemas[key]

    def plan(self, count: int) -> list[dict]:
        """Which family, and (for directed mutants) which rule, for each index.

        Directed slots go round shuffled lists of the targetable assertions of each XSLT, the
        families in proportion to their number of assertions; the others are split evenly."""
        rng = random.Random(f"plan:{self.seed}")
        cycles = {}
        for fam, rules in self.directed.items():
            r = list(rules) if self.bases[fam] else []
            rng.shuffle(r)
            cycles[fam] = r
        pos = {f: 0 for f in cycles}
        total = sum(len(r) for r in cycles.values())
        plan = []
        if self.facturx:
            # every profile with bases gets its share: directed slots in proportion to the
            # profile's assertions (at least a fifth of an even share), random ones evenly
            live = [f for f in self.families if self.bases[f]]
            weights = [max(len(cycles[f]), total / (5 * max(len(live), 1))) for f in live]
            for i in range(count):
                if total and rng.random() < self.directed_share:
                    fam = rng.choices(live, weights=weights)[0]
                    rule = cycles[fam][pos[fam] % len(cycles[fam])] if cycles[fam] else None
                    pos[fam] += 1
                else:
                    fam = live[rng.randrange(len(live))]
                    rule = None
                plan.append({"family": fam, "rule": rule})
            return plan
        for i in range(count):
            if total and rng.random() < self.directed_share:
                fam = "ubl" if rng.random() < len(cycles["ubl"]) / total else "cii"
                rule = cycles[fam][pos[fam] % len(cycles[fam])]
                pos[fam] += 1
            else:
                fam = "ubl" if rng.random() < 0.5 else "cii"
                if not self.bases[fam]:
                    fam = "cii" if fam == "ubl" else "ubl"
                rule = None
            plan.append({"family": fam, "rule": rule})
        return plan

    def mutate_once(self, base, syntax, rng, rule):
        doc = copy.deepcopy(self.parsed[base])
        family = self.family_of[base] if self.facturx else FAMILY[syntax]
        c = Ctx(doc, syntax, self.models[self.key(base, syntax)], rng, self.directed[family])
        ops = []
        if rule is not None:
            d = apply_directed(c, rule)
            if d is None:
                return None, []
            ops.append(d)
            extra = 1 if rng.random() < 0.2 else 0
        else:
            extra = rng.choices([1, 2, 3], weights=[60, 25, 15])[0]
        names = list(RANDOM_OPS)
        weights = [RANDOM_OPS[n][1] for n in names]
        tries = 0
        while extra and tries < 10:
            tries += 1
            name = rng.choices(names, weights=weights)[0]
            d = RANDOM_OPS[name][0](c)
            if d:
                ops.append(d)
                extra -= 1
        return (doc, ops) if ops else (None, [])

    def attempt(self, base, syntax, rng, rule, path: Path, seen: set):
        """One try: a candidate dict, or None (no change possible / duplicate)."""
        doc, ops = self.mutate_once(base, syntax, rng, rule)
        if doc is None:
            return None
        data = etree.tostring(doc, xml_declaration=True, encoding="UTF-8")
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            return None
        schema = self.schemas[self.key(base, syntax)]
        cand = {"source": base, "syntax": syntax, "ops": ops, "data": data, "digest": digest,
                "xsd_valid": bool(schema.validate(doc)), "xsd_errors": [], "rules": None,
                "oracle_error": None}
        if not cand["xsd_valid"]:
            cand["xsd_errors"] = [f"line {e.line}: {e.message}" for e in schema.error_log][:5]
            return cand
        if self.oracle is not None:
            path.write_bytes(data)
            res = self.oracle.check(str(path))
            if res.get("error"):
                cand["oracle_error"] = res["error"][:300]
            else:
                cand["rules"] = sorted({f"{f['rule']}:{f['severity']}" for f in res["findings"]},
                                       key=common.rule_sort_key)
        return cand

    @staticmethod
    def score(cand, rule) -> int:
        if not cand["xsd_valid"]:
            return 0
        if cand["oracle_error"]:
            return 1
        if rule is None or any(r.split(":")[0] == rule.id for r in cand["rules"] or []):
            return 3
        return 2

    def slot(self, i: int, fam: str, rule, attempts: int, mdir: Path, seen: set) -> dict | None:
        """Mutant number i: the best of up to `attempts` tries (XSD-valid, new, and for a
        directed slot firing its target), written to mdir; its manifest entry."""
        rng = random.Random(f"{self.seed}:{i}")
        path = mdir / f"m{i:05d}.xml"
        best, tries = None, 0
        order = rng.sample(self.bases[fam], len(self.bases[fam]))
        for attempt in range(attempts):
            tries = attempt + 1
            base, syntax = order[attempt % len(order)]
            # a directed slot whose last try still misses falls back to random operators
            use_rule = rule if (attempt < attempts - 1 or best is None or
                                self.score(best, rule) >= 2) else None
            cand = self.attempt(base, syntax, rng, use_rule, path, seen)
            if cand is None:
                continue
            if best is None or self.score(cand, rule) > self.score(best, rule):
                best = cand
            if self.score(best, rule) == 3:
                break
        if best is None:
            if path.exists():
                path.unlink()
            return None
        seen.add(best["digest"])
        path.write_bytes(best["data"])
        hit = None
        if rule is not None and best["rules"] is not None:
            hit = any(r.split(":")[0] == rule.id for r in best["rules"])
        extra = {"profile": self.family_of[best["source"]][3:]} if self.facturx else {}
        return {**extra, "file": str(path), "index": i, "source": best["source"],
                "syntax": best["syntax"], "target_rule": rule.id if rule is not None else None,
                "target_hit": hit, "ops": best["ops"],
                "xsd_valid": best["xsd_valid"], "xsd_errors": best["xsd_errors"],
                "oracle_error": best["oracle_error"], "oracle_rules": best["rules"],
                "attempts": tries}

    def generate(self, count: int, out: Path, topup: int = 0) -> list[dict]:
        mdir = out / "mutants"
        if mdir.exists():
            shutil.rmtree(mdir)
        mdir.mkdir(parents=True)
        seen = {hashlib.sha256(etree.tostring(d, xml_declaration=True, encoding="UTF-8")).hexdigest()
                for d in self.parsed.values()}
        manifest = []
        for i, entry in enumerate(self.plan(count)):
            m = self.slot(i, entry["family"], entry["rule"], self.attempts, mdir, seen)
            if m:
                manifest.append(m)
        if topup and self.oracle is not None:
            manifest += self.top_up(manifest, count, topup, mdir, seen)
        with open(out / "manifest.jsonl", "w", encoding="utf-8") as f:
            for m in manifest:
                f.write(json.dumps(m, ensure_ascii=False) + "\n")
        return manifest

    def top_up(self, manifest, start: int, budget: int, mdir: Path, seen: set) -> list[dict]:
        """Extra slots (numbered from `start`) aimed at directed rules that fired nowhere yet,
        with twice the attempts; deterministic, since it depends only on the corpus so far."""
        fam_of = (lambda m: "fx:" + m["profile"]) if self.facturx else (lambda m: FAMILY[m["syntax"]])
        fired = {(fam_of(m), r.split(":")[0]) for m in manifest
                 if m["xsd_valid"] and m["oracle_rules"] for r in m["oracle_rules"]}
        for fam, bases in self.bases.items():
            for b, _ in bases:
                res = self.oracle.check(b)
                fired |= {(fam, f["rule"]) for f in res["findings"]}
        todo = [(fam, r) for fam in self.families if self.bases[fam]
                for r in self.directed[fam] if (fam, r.id) not in fired]
        out = []
        i = start
        while todo and i < start + budget:  # rounds over the rules still unfired
            fam, rule = todo.pop(0)
            if (fam, rule.id) in fired:
                continue
            m = self.slot(i, fam, rule, self.attempts, mdir, seen)
            i += 1
            if m:
                out.append(m)
                if m["xsd_valid"] and m["oracle_rules"]:
                    fired |= {(fam, r.split(":")[0]) for r in m["oracle_rules"]}
            if (fam, rule.id) not in fired:
                todo.append((fam, rule))
        return out


def load_manifest(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fx_coverage(manifest: list[dict], base_rules: dict[str, list[str]], out: Path) -> dict:
    """With --facturx: which rule ids of each profile schematron fired on the XSD-valid files."""
    fired: dict[str, dict[str, int]] = {p: {} for p in common.FX_PROFILES}
    rows = [(m["profile"], m["oracle_rules"]) for m in manifest if m["xsd_valid"] and not m["oracle_error"]]
    rows += [(common.fx_profile_of(b), r) for b, r in base_rules.items()]
    files = 0
    for profile, rules in rows:
        if rules is None or profile is None:
            continue
        files += 1
        for r in {r.split(":")[0] for r in rules}:
            fired[profile][r] = fired[profile].get(r, 0) + 1
    directed = [m for m in manifest if m["target_rule"]]
    report = {"files": files, "oracle_errors": sum(1 for m in manifest if m["oracle_error"]),
              "directed": len(directed), "directed_hit": sum(1 for m in directed if m["target_hit"]),
              "xslt": {}}
    for profile in common.FX_PROFILES:
        ids = common.rule_ids(common.fx_xslt_path(profile)) | {common.FX_NOT_USED}
        hit = sorted(set(fired[profile]) & ids, key=common.rule_sort_key)
        never = sorted(ids - set(fired[profile]), key=common.rule_sort_key)
        report["xslt"][f"Factur-X {profile}"] = {"rules": len(ids), "fired": len(hit), "never": never,
                                                 "fired_counts": {r: fired[profile][r] for r in hit}}
    (out / "coverage.json").write_text(json.dumps(report, indent=1))
    return report


def coverage(manifest: list[dict], base_rules: dict[str, list[str]], out: Path) -> dict:
    """Which rule ids of each XSLT fired at least once on the XSD-valid files (bases included)."""
    fired: dict[str, dict[str, int]] = {x: {} for x in common.XSLT_FILES}
    files = errors = 0
    rows = [(m["syntax"], m["oracle_rules"]) for m in manifest
            if m["xsd_valid"] and not m["oracle_error"]]
    rows += [(common.detect_syntax(b), r) for b, r in base_rules.items()]
    for syntax, rules in rows:
        if rules is None:
            continue
        files += 1
        x = common.SYNTAXES[syntax][2]
        for r in {r.split(":")[0] for r in rules}:
            fired[x][r] = fired[x].get(r, 0) + 1
    errors = sum(1 for m in manifest if m["oracle_error"])
    directed = [m for m in manifest if m["target_rule"]]
    report = {"files": files, "oracle_errors": errors,
              "directed": len(directed), "directed_hit": sum(1 for m in directed if m["target_hit"]),
              "xslt": {}}
    for x in common.XSLT_FILES:
        ids = common.rule_ids(common.xslt_path(x))
        hit = sorted(set(fired[x]) & ids, key=common.rule_sort_key)
        never = sorted(ids - set(fired[x]), key=common.rule_sort_key)
        report["xslt"][x] = {"rules": len(ids), "fired": len(hit), "never": never,
                             "fired_counts": {r: fired[x][r] for r in hit}}
    (out / "coverage.json").write_text(json.dumps(report, indent=1))
    return report


def print_coverage(report: dict, out=sys.stdout):
    print(f"coverage over {report['files']} XSD-valid files (mutants + bases; "
          f"{report['oracle_errors']} mutants left out: the official schematron itself fails on "
          f"them); directed mutants hitting their target: "
          f"{report['directed_hit']}/{report['directed']}", file=out)
    for x, r in report["xslt"].items():
        pct = 100.0 * r["fired"] / r["rules"] if r["rules"] else 0
        print(f"  {x}: {r['fired']}/{r['rules']} rule ids fired ({pct:.1f}%), "
              f"{len(r['never'])} never", file=out)
        if r["never"]:
            print("    never: " + " ".join(r["never"]), file=out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1316)
    ap.add_argument("--count", type=int, default=3000, help="number of mutant slots (default 3000)")
    ap.add_argument("--out", default=str(common.REPO / "conformance-out"))
    ap.add_argument("--base", action="append", default=[],
                    help="extra valid invoice (file or directory), repeatable")
    ap.add_argument("--no-cen", action="store_true", help="do not use the CEN examples as bases")
    ap.add_argument("--directed-share", type=float, default=0.6,
                    help="share of mutants aimed at one schematron assertion (default 0.6)")
    ap.add_argument("--attempts", type=int, default=10,
                    help="tries per mutant to get an XSD-valid new document (that fires its target)")
    ap.add_argument("--topup", type=int, default=400,
                    help="extra slots, after --count, aimed at rules that fired nowhere (default 400)")
    ap.add_argument("--no-oracle", action="store_true",
                    help="do not run the schematron while generating (no targeting, no coverage)")
    ap.add_argument("--explain", action="store_true",
                    help="after the coverage, try each never-fired rule on every base and say why")
    ap.add_argument("--facturx", action="store_true",
                    help="Factur-X profile mode: bases kept in their BT-24 profile, profile XSD and schematron")
    ap.add_argument("--probe", metavar="RULE",
                    help="debug: try the directed mutation of RULE on every base, report hits")
    args = ap.parse_args(argv)

    common.require_shared()
    bases = ([] if args.no_cen else common.cen_examples()) + common.expand_inputs(args.base)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    gen = Generator(bases, args.seed, args.directed_share, args.attempts, not args.no_oracle,
                    facturx=args.facturx)
    if args.probe:
        return probe(gen, args.probe, out)
    manifest = gen.generate(args.count, out, 0 if args.no_oracle else args.topup)
    valid = sum(m["xsd_valid"] for m in manifest)
    used_bases = [b for fam in gen.bases.values() for b, _ in fam]
    summary = {"seed": args.seed, "slots": args.count, "topup_budget": args.topup,
               "mutants": len(manifest),
               "xsd_valid": valid, "xsd_invalid": len(manifest) - valid,
               "oracle_errors": sum(1 for m in manifest if m["oracle_error"]),
               "bases": len(used_bases),
               "directed_rules": {f: len(r) for f, r in gen.directed.items()},
               "generation_seconds": round(time.perf_counter() - t0, 1)}
    print(json.dumps(summary))
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    if gen.oracle is not None:
        base_rules = {}
        for b in used_bases:
            res = gen.oracle.check(b)
            base_rules[b] = [f"{f['rule']}:{f['severity']}" for f in res["findings"]]
        report = (fx_coverage if args.facturx else coverage)(manifest, base_rules, out)
        print_coverage(report)
        if args.explain and not args.facturx:
            for key, v in explain_never(gen, report, out).items():
                print(f"  {key}: {v['why']}")
    return 0


def explain_never(gen: "Generator", report: dict, out: Path) -> dict:
    """Why each never-fired rule did not fire: tries its directed mutation on every base."""
    catalog = {}
    for x in common.XSLT_FILES:
        for row in common.rule_catalog(common.xslt_path(x)):
            catalog[(x, row["id"])] = row
    reasons = {}
    path = out / "probe.xml"
    for x, r in report["xslt"].items():
        fam = next(f for f, name in FAMILY_XSLT.items() if name == x)
        for rid in r["never"]:
            row = catalog[(x, rid)]
            test = " ".join(row["test"].split())
            rules = [d for d in gen.directed[fam] if d.id == rid]
            if test == "true()":
                why = "test is true(): can never fail"
            elif not rules:
                why = "no directed shape; random operators did not reach it"
            else:
                tally = {"not applicable": 0, "XSD-invalid": 0, "schematron error": 0,
                         "valid, no fire": 0, "fires": 0}
                for base, syntax in gen.bases[fam]:
                    cand = gen.attempt(base, syntax, random.Random(f"explain:{base}"), rules[0], path, set())
                    if cand is None:
                        tally["not applicable"] += 1
                    elif not cand["xsd_valid"]:
                        tally["XSD-invalid"] += 1
                    elif cand["oracle_error"]:
                        tally["schematron error"] += 1
                    elif gen.score(cand, rules[0]) == 3:
                        tally["fires"] += 1
                    else:
                        tally["valid, no fire"] += 1
                why = "directed " + rules[0].action + ": " + ", ".join(
                    f"{k} {v}" for k, v in tally.items() if v)
            reasons[f"{x}:{rid}"] = {"why": why, "context": row["context"], "test": test[:300]}
    if path.exists():
        path.unlink()
    (out / "never.json").write_text(json.dumps(reasons, indent=1))
    return reasons


def probe(gen: "Generator", rule_id: str, out: Path) -> int:
    rules = [r for fam in gen.directed.values() for r in fam if r.id == rule_id]
    if not rules:
        print(f"{rule_id}: no directed shape (only random operators can reach it)")
        return 1
    rule = rules[0]
    fam = next(f for f, rs in gen.directed.items() if rule in rs)
    print(f"{rule_id}: action={rule.action} paths={rule.paths} context={rule.context}")
    path = out / "probe.xml"
    for base, syntax in gen.bases[fam]:
        rng = random.Random(f"probe:{base}")
        cand = gen.attempt(base, syntax, rng, rule, path, set())
        if cand is None:
            print(f"  {Path(base).name}: not applicable")
            continue
        print(f"  {Path(base).name}: xsd_valid={cand['xsd_valid']} "
              f"hit={gen.score(cand, rule) == 3} ops={cand['ops']} "
              f"{cand['xsd_errors'][:1]} {cand['oracle_error'] or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
