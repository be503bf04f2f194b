"""A French B2B invoice model and its two writers (UN/CEFACT CII D22B and UBL 2.1), test-only.

The valid bases of the France RFE 1.4.0.03 conformance corpus (fr_bases.py) are built from it.
Every amount is computed here with Decimal (line nets, allowances and charges, VAT breakdown
per category / rate / exemption reason, document totals), so that an invoice is clean for the
CEN EN 16931 schematron (EN 16931 documents) or the EXTENDED-CTC-FR one, and for BR-FR Flux 2.

What the model covers beyond scripts/fixtures/invoice_builder.py: SIREN (scheme 0002) and SIRET
(0009) for every party, VAT identifiers, electronic addresses (BT-34 / BT-49, any scheme),
private identifiers (0224) and the single-taxable-person one (0231), the B1…M9 billing frame
(BT-23), notes with subject codes (PMT, PMD, AAB, TXD, BAR: CII `ram:SubjectCode`, UBL
`#CODE#text`), several VAT categories and rates with exemption reasons, document- and line-level
allowances and charges, credit notes and their preceding-invoice references, payee / ship-to
parties, attachments (BT-125 / BT-123), product characteristics, and for EXTENDED-CTC-FR the
sub-lines (GROUP / DETAIL / INFORMATION, parent line) and the tolerated rounding differences.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
from invoice_builder import fr_vat_id, luhn_ok, siret as make_siret  # noqa: E402

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UBL_INV = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CN = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT, "cac": CAC, "cbc": CBC}

BT24_EN16931 = "urn:cen.eu:en16931:2017"
BT24_EXT_CTC_FR = "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"
BT24_FX = {
    "basicwl": "urn:factur-x.eu:1p0:basicwl",
    "en16931": "urn:cen.eu:en16931:2017",
    "extended": "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
}
# UBL document type codes that go in a CreditNote (the others in an Invoice)
CREDIT_TYPES = {"381", "261", "262", "396", "502", "503"}
CENT = Decimal("0.01")


def r2(x: Decimal) -> Decimal:
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def amt(x: Decimal) -> str:
    return format(r2(x), "f")


def num(x: Decimal) -> str:
    s = format(Decimal(x).normalize(), "f")
    return s if s != "-0" else "0"


def siren_from(prefix: str) -> str:
    """A Luhn-valid SIREN from a digit prefix (via invoice_builder.siret)."""
    s = make_siret(prefix)[:9]
    assert luhn_ok(s)
    return s


def siret_of(siren: str, nic: str = "00013") -> str:
    """A 14-digit SIRET starting with `siren` (Luhn-completed when possible)."""
    return make_siret(siren, nic[:4])


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------

@dataclass
class Party:
    name: str
    siren: str | None = None               # legal registration (BT-30 / BT-47), scheme below
    legal_scheme: str | None = "0002"      # 0002 SIREN; 0009 puts a SIRET there
    legal_id: str | None = None            # overrides the legal id (else siren, or siret for 0009)
    siret: str | None = None               # GlobalID / PartyIdentification scheme 0009
    other_ids: list = field(default_factory=list)  # [(scheme, value)] more GlobalIDs (0224, 0231, 0088)
    vat: str | None = None                 # BT-31 / BT-48
    country: str = "FR"
    street: str = "1 rue de la Paix"
    city: str = "Paris"
    postcode: str = "75002"
    endpoint: tuple | None = None          # (scheme, value): BT-34 / BT-49
    trading_name: str | None = None


@dataclass
class LineAC:
    charge: bool
    amount: Decimal
    reason_code: str | None = None
    reason: str | None = None


@dataclass
class Line:
    id: str
    name: str
    qty: Decimal
    price: Decimal
    cat: str = "S"
    rate: Decimal | None = Decimal("20")
    unit: str = "C62"
    exemption: tuple | None = None          # (code, text) on the line (EXTENDED-CTC-FR only)
    acs: list = field(default_factory=list)  # LineAC
    base_qty: Decimal | None = None         # BT-149
    gross: Decimal | None = None            # BT-148 (price discount = gross - net)
    status: str | None = None               # EXT: DETAIL / GROUP / INFORMATION
    parent: str | None = None               # EXT: parent line id
    amount: Decimal | None = None           # forced BT-131 (tolerance / group lines)
    attributes: list = field(default_factory=list)  # [(name, value)] BT-160 / BT-161
    period: tuple | None = None             # (start, end) BT-134 / BT-135
    note: str | None = None
    seller: Party | None = None             # multi-vendor: the line's seller (CII ItemSellerTradeParty,
                                            # UBL Item/ManufacturerParty)
    afl: str | None = None                  # multi-vendor: sub-invoice number (AFL reference, type 130)
    avv: str | None = None                  # multi-vendor: AVV reference
    group_tax: bool = False                 # GROUP line: its VAT total (sum of its #AFL# breakdowns)
    line_ref: tuple | None = None           # (id, date): preceding invoice at line level

    def __post_init__(self):
        for k in ("qty", "price", "rate", "base_qty", "gross", "amount"):
            v = getattr(self, k)
            if v is not None and not isinstance(v, Decimal):
                setattr(self, k, Decimal(str(v)))

    @property
    def in_totals(self) -> bool:
        return self.status in (None, "DETAIL")

    def net(self) -> Decimal:
        if self.amount is not None:
            return self.amount
        base = self.qty * self.price / (self.base_qty or Decimal(1))
        adj = sum(((a.amount if a.charge else -a.amount) for a in self.acs), Decimal(0))
        return r2(base + adj)


@dataclass
class DocAC:
    charge: bool
    amount: Decimal
    cat: str = "S"
    rate: Decimal | None = Decimal("20")
    reason_code: str | None = None
    reason: str | None = None
    base: Decimal | None = None
    percent: Decimal | None = None
    exemption: tuple | None = None          # EXT: (code, text)

    def __post_init__(self):
        self.amount = Decimal(str(self.amount))
        if self.rate is not None:
            self.rate = Decimal(str(self.rate))


@dataclass
class Invoice:
    number: str
    seller: Party
    buyer: Party
    lines: list
    issue: date = date(2026, 9, 15)
    type_code: str = "380"
    cadre: str | None = "S1"
    bt24: str = BT24_EN16931
    currency: str = "EUR"
    tax_currency: str | None = None        # BT-6
    tax_in_tax_currency: Decimal | None = None  # BT-111
    notes: list = field(default_factory=lambda: list(STANDARD_NOTES))
    bar: str | None = None                  # BAR treatment (note subject BAR)
    doc_acs: list = field(default_factory=list)
    exemptions: dict = field(default_factory=dict)  # (cat, rate) -> (code, text) in the breakdown
    preceding: list = field(default_factory=list)   # [(id, date, type_code|None)]
    contract: str | None = None
    order: str | None = "PO-2026-117"
    buyer_reference: str | None = "SERVICE-ACHATS"
    period: tuple | None = None             # (start, end) BT-73 / BT-74
    delivery_date: date | None = None       # BT-72
    due: date | None = date(2026, 10, 15)
    terms: str | None = "Paiement à 30 jours date de facture."
    means: str | None = "30"                # BT-81
    iban: str = "FR7630006000011234567890189"
    prepaid: Decimal = Decimal("0")
    paid_in_full: bool = False              # BT-113 = BT-112 (billing frames B2 / S2 / M2)
    rounding: Decimal | None = None         # BT-114
    payee: Party | None = None
    ship_to: Party | None = None
    ship_country: str | None = None         # BT-80 (deliver-to country)
    tax_rep: Party | None = None
    attachments: list = field(default_factory=list)  # [(id, code BT-123, with_binary)]
    line_total_delta: Decimal = Decimal("0")  # EXT tolerance: BT-106 written off by this much
    profile: str = "full"                   # "full" or "basicwl" (no lines in the XML)

    def __post_init__(self):
        self.prepaid = Decimal(str(self.prepaid))

    @property
    def credit(self) -> bool:
        return self.type_code in CREDIT_TYPES

    def all_notes(self) -> list:
        out = list(self.notes)
        if self.bar:
            out.append(("BAR", self.bar))
        return out


STANDARD_NOTES = [
    ("PMT", "Indemnité forfaitaire pour frais de recouvrement : 40 EUR."),
    ("PMD", "Pénalités de retard : trois fois le taux d'intérêt légal."),
    ("AAB", "Pas d'escompte pour paiement anticipé."),
]


@dataclass
class Totals:
    breakdown: list        # [(cat, rate, exemption, basis, tax)]
    line_total: Decimal    # BT-106 (as written)
    allowances: Decimal    # BT-107
    charges: Decimal       # BT-108
    tax_basis: Decimal     # BT-109
    tax: Decimal           # BT-110
    grand: Decimal         # BT-112
    payable: Decimal       # BT-115
    line_nets: dict        # line id -> BT-131
    group_tax: dict = field(default_factory=dict)  # GROUP line id -> its VAT total


def totals(inv: Invoice) -> Totals:
    nets = {}
    for ln in inv.lines:
        nets[ln.id] = ln.net()
    for ln in inv.lines:  # group lines carry the sum of their children
        if ln.status == "GROUP" and ln.amount is None:
            nets[ln.id] = r2(sum((nets[c.id] for c in inv.lines if c.parent == ln.id
                                  and c.status in ("GROUP", "DETAIL")), Decimal(0)))
    groups: dict = {}
    order = []
    for ln in inv.lines:
        if not ln.in_totals:
            continue
        key = (ln.cat, ln.rate, ln.exemption or inv.exemptions.get((ln.cat, ln.rate)))
        if key not in groups:
            groups[key] = Decimal(0)
            order.append(key)
        groups[key] += nets[ln.id]
    for ac in inv.doc_acs:
        key = (ac.cat, ac.rate, ac.exemption or inv.exemptions.get((ac.cat, ac.rate)))
        if key not in groups:
            groups[key] = Decimal(0)
            order.append(key)
        groups[key] += ac.amount if ac.charge else -ac.amount
    breakdown = []
    for key in order:
        cat, rate, ex = key
        basis = r2(groups[key])
        tax = r2(basis * (rate or 0) / 100)
        breakdown.append((cat, rate, ex, basis, tax))
    group_tax = {}
    for ln in inv.lines:
        if ln.group_tax and ln.afl:
            group_tax[ln.id] = r2(sum((b[4] for b in breakdown if b[2] and b[2][1]
                                       and b[2][1].startswith(f"#{ln.afl}#")), Decimal(0)))
    line_total = r2(sum((nets[ln.id] for ln in inv.lines if ln.in_totals), Decimal(0)))
    allowances = r2(sum((a.amount for a in inv.doc_acs if not a.charge), Decimal(0)))
    charges = r2(sum((a.amount for a in inv.doc_acs if a.charge), Decimal(0)))
    line_total_written = line_total + inv.line_total_delta
    tax_basis = line_total_written - allowances + charges
    tax = r2(sum((b[4] for b in breakdown), Decimal(0)))
    grand = tax_basis + tax
    if inv.paid_in_full:
        inv.prepaid = grand
    payable = grand - inv.prepaid + (inv.rounding or 0)
    return Totals(breakdown, line_total_written, allowances, charges, tax_basis, tax, grand,
                  payable, nets, group_tax)


# --------------------------------------------------------------------------------------------
# A small element writer
# --------------------------------------------------------------------------------------------

def sub(parent, qname: str, text=None, **attrs):
    prefix, local = qname.split(":")
    e = etree.SubElement(parent, f"{{{NS[prefix]}}}{local}")
    if text is not None:
        e.text = str(text)
    for k, v in attrs.items():
        if v is not None:
            e.set(k, str(v))
    return e


def d102(d: date) -> str:
    return d.strftime("%Y%m%d")


# --------------------------------------------------------------------------------------------
# CII (D22B)
# --------------------------------------------------------------------------------------------

def _cii_date(parent, qname: str, d: date, dt: str = "udt"):
    w = sub(parent, qname)
    sub(w, f"{dt}:DateTimeString", d102(d), format="102")
    return w


def _cii_party(parent, qname: str, p: Party, seller_like: bool = True):
    e = sub(parent, qname)
    if p.siret:
        sub(e, "ram:GlobalID", p.siret, schemeID="0009")
    for scheme, value in p.other_ids:
        sub(e, "ram:GlobalID", value, schemeID=scheme)
    sub(e, "ram:Name", p.name)
    legal = p.legal_id or (p.siret if p.legal_scheme == "0009" else p.siren)
    if legal or p.trading_name:
        lo = sub(e, "ram:SpecifiedLegalOrganization")
        if legal:
            sub(lo, "ram:ID", legal, schemeID=p.legal_scheme)
        if p.trading_name:
            sub(lo, "ram:TradingBusinessName", p.trading_name)
    if p.street is not None:
        addr = sub(e, "ram:PostalTradeAddress")
        sub(addr, "ram:PostcodeCode", p.postcode)
        sub(addr, "ram:LineOne", p.street)
        sub(addr, "ram:CityName", p.city)
        sub(addr, "ram:CountryID", p.country)
    if p.endpoint:
        u = sub(e, "ram:URIUniversalCommunication")
        sub(u, "ram:URIID", p.endpoint[1], schemeID=p.endpoint[0])
    if p.vat:
        sub(sub(e, "ram:SpecifiedTaxRegistration"), "ram:ID", p.vat, schemeID="VA")
    return e


def _cii_tax(parent, qname, cat, rate, exemption, basis=None, tax=None, typecode=True):
    t = sub(parent, qname)
    if tax is not None:
        sub(t, "ram:CalculatedAmount", amt(tax))
    if typecode:
        sub(t, "ram:TypeCode", "VAT")
    if exemption and exemption[1]:
        sub(t, "ram:ExemptionReason", exemption[1])
    if basis is not None:
        sub(t, "ram:BasisAmount", amt(basis))
    sub(t, "ram:CategoryCode", cat)
    if exemption and exemption[0]:
        sub(t, "ram:ExemptionReasonCode", exemption[0])
    if rate is not None:
        sub(t, "ram:RateApplicablePercent", num(rate))
    return t


def build_cii(inv: Invoice) -> bytes:
    t = totals(inv)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice",
                         nsmap={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT})
    ctx = sub(root, "rsm:ExchangedDocumentContext")
    if inv.cadre is not None:
        sub(sub(ctx, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", inv.cadre)
    sub(sub(ctx, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", inv.bt24)
    doc = sub(root, "rsm:ExchangedDocument")
    sub(doc, "ram:ID", inv.number)
    sub(doc, "ram:TypeCode", inv.type_code)
    _cii_date(doc, "ram:IssueDateTime", inv.issue)
    for code, text in inv.all_notes():
        n = sub(doc, "ram:IncludedNote")
        sub(n, "ram:Content", text)
        if code:
            sub(n, "ram:SubjectCode", code)
    tx = sub(root, "rsm:SupplyChainTradeTransaction")
    if inv.profile != "basicwl":
        for ln in inv.lines:
            _cii_line(tx, inv, ln, t)
    ag = sub(tx, "ram:ApplicableHeaderTradeAgreement")
    if inv.buyer_reference:
        sub(ag, "ram:BuyerReference", inv.buyer_reference)
    _cii_party(ag, "ram:SellerTradeParty", inv.seller)
    _cii_party(ag, "ram:BuyerTradeParty", inv.buyer)
    if inv.tax_rep:
        rep = sub(ag, "ram:SellerTaxRepresentativeTradeParty")
        sub(rep, "ram:Name", inv.tax_rep.name)
        addr = sub(rep, "ram:PostalTradeAddress")
        sub(addr, "ram:PostcodeCode", inv.tax_rep.postcode)
        sub(addr, "ram:LineOne", inv.tax_rep.street)
        sub(addr, "ram:CityName", inv.tax_rep.city)
        sub(addr, "ram:CountryID", inv.tax_rep.country)
        sub(sub(rep, "ram:SpecifiedTaxRegistration"), "ram:ID", inv.tax_rep.vat, schemeID="VA")
    if inv.order:
        sub(sub(ag, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", inv.order)
    if inv.contract:
        sub(sub(ag, "ram:ContractReferencedDocument"), "ram:IssuerAssignedID", inv.contract)
    for att_id, code, binary in inv.attachments:
        a = sub(ag, "ram:AdditionalReferencedDocument")
        sub(a, "ram:IssuerAssignedID", att_id)
        sub(a, "ram:TypeCode", "916")
        sub(a, "ram:Name", code)
        if binary:
            sub(a, "ram:AttachmentBinaryObject", "JVBERi0xLjQK", mimeCode="application/pdf",
                filename=f"{att_id}.pdf")
    dl = sub(tx, "ram:ApplicableHeaderTradeDelivery")
    if inv.ship_to or inv.ship_country:
        st = sub(dl, "ram:ShipToTradeParty")
        if inv.ship_to and inv.ship_to.siret:
            sub(st, "ram:GlobalID", inv.ship_to.siret, schemeID="0009")
        if inv.ship_to:
            sub(st, "ram:Name", inv.ship_to.name)
        addr = sub(st, "ram:PostalTradeAddress")
        if inv.ship_to:
            sub(addr, "ram:PostcodeCode", inv.ship_to.postcode)
            sub(addr, "ram:LineOne", inv.ship_to.street)
            sub(addr, "ram:CityName", inv.ship_to.city)
        sub(addr, "ram:CountryID", inv.ship_country or inv.ship_to.country)
    if inv.delivery_date:
        ev = sub(dl, "ram:ActualDeliverySupplyChainEvent")
        _cii_date(ev, "ram:OccurrenceDateTime", inv.delivery_date)
    st = sub(tx, "ram:ApplicableHeaderTradeSettlement")
    if inv.means:
        sub(st, "ram:PaymentReference", inv.number)
    if inv.tax_currency:
        sub(st, "ram:TaxCurrencyCode", inv.tax_currency)
    sub(st, "ram:InvoiceCurrencyCode", inv.currency)
    if inv.payee:
        _cii_party(st, "ram:PayeeTradeParty", inv.payee)
    if inv.means:
        pm = sub(st, "ram:SpecifiedTradeSettlementPaymentMeans")
        sub(pm, "ram:TypeCode", inv.means)
        if inv.means in ("30", "58"):
            sub(sub(pm, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", inv.iban)
    for cat, rate, ex, basis, tax in t.breakdown:
        _cii_tax(st, "ram:ApplicableTradeTax", cat, rate, ex, basis, tax)
    if inv.period:
        p = sub(st, "ram:BillingSpecifiedPeriod")
        _cii_date(p, "ram:StartDateTime", inv.period[0])
        _cii_date(p, "ram:EndDateTime", inv.period[1])
    for ac in inv.doc_acs:
        a = sub(st, "ram:SpecifiedTradeAllowanceCharge")
        sub(sub(a, "ram:ChargeIndicator"), "udt:Indicator", "true" if ac.charge else "false")
        if ac.percent is not None:
            sub(a, "ram:CalculationPercent", num(ac.percent))
        if ac.base is not None:
            sub(a, "ram:BasisAmount", amt(ac.base))
        sub(a, "ram:ActualAmount", amt(ac.amount))
        if ac.reason_code:
            sub(a, "ram:ReasonCode", ac.reason_code)
        if ac.reason:
            sub(a, "ram:Reason", ac.reason)
        ex = ac.exemption if inv.bt24 == BT24_EXT_CTC_FR else None
        _cii_tax(a, "ram:CategoryTradeTax", ac.cat, ac.rate, ex)
    if inv.terms or inv.due:
        pt = sub(st, "ram:SpecifiedTradePaymentTerms")
        if inv.terms:
            sub(pt, "ram:Description", inv.terms)
        if inv.due:
            _cii_date(pt, "ram:DueDateDateTime", inv.due)
    ms = sub(st, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    sub(ms, "ram:LineTotalAmount", amt(t.line_total))
    if inv.doc_acs and any(a.charge for a in inv.doc_acs):
        sub(ms, "ram:ChargeTotalAmount", amt(t.charges))
    if inv.doc_acs and any(not a.charge for a in inv.doc_acs):
        sub(ms, "ram:AllowanceTotalAmount", amt(t.allowances))
    sub(ms, "ram:TaxBasisTotalAmount", amt(t.tax_basis))
    sub(ms, "ram:TaxTotalAmount", amt(t.tax), currencyID=inv.currency)
    if inv.tax_currency and inv.tax_currency != inv.currency:
        sub(ms, "ram:TaxTotalAmount", amt(inv.tax_in_tax_currency), currencyID=inv.tax_currency)
    if inv.rounding is not None:
        sub(ms, "ram:RoundingAmount", amt(inv.rounding))
    sub(ms, "ram:GrandTotalAmount", amt(t.grand))
    if inv.prepaid:
        sub(ms, "ram:TotalPrepaidAmount", amt(inv.prepaid))
    sub(ms, "ram:DuePayableAmount", amt(t.payable))
    for pid, pdate, ptype in inv.preceding:
        r = sub(st, "ram:InvoiceReferencedDocument")
        sub(r, "ram:IssuerAssignedID", pid)
        if ptype and inv.bt24 == BT24_EXT_CTC_FR:
            sub(r, "ram:TypeCode", ptype)
        if pdate:
            _cii_date(r, "ram:FormattedIssueDateTime", pdate, "qdt")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _cii_line(tx, inv: Invoice, ln: Line, t: Totals):
    it = sub(tx, "ram:IncludedSupplyChainTradeLineItem")
    dd = sub(it, "ram:AssociatedDocumentLineDocument")
    sub(dd, "ram:LineID", ln.id)
    if ln.parent:
        sub(dd, "ram:ParentLineID", ln.parent)
    if ln.status:
        sub(dd, "ram:LineStatusReasonCode", ln.status)
    if ln.note:
        sub(sub(dd, "ram:IncludedNote"), "ram:Content", ln.note)
    pr = sub(it, "ram:SpecifiedTradeProduct")
    sub(pr, "ram:Name", ln.name)
    for name, value in ln.attributes:
        ch = sub(pr, "ram:ApplicableProductCharacteristic")
        sub(ch, "ram:Description", name)
        sub(ch, "ram:Value", value)
    ag = sub(it, "ram:SpecifiedLineTradeAgreement")
    if ln.gross is not None:
        g = sub(ag, "ram:GrossPriceProductTradePrice")
        sub(g, "ram:ChargeAmount", num(ln.gross))
        if ln.base_qty is not None:
            sub(g, "ram:BasisQuantity", num(ln.base_qty), unitCode=ln.unit)
        if ln.gross != ln.price:
            a = sub(g, "ram:AppliedTradeAllowanceCharge")
            sub(sub(a, "ram:ChargeIndicator"), "udt:Indicator", "false")
            sub(a, "ram:ActualAmount", num(ln.gross - ln.price))
    n = sub(ag, "ram:NetPriceProductTradePrice")
    sub(n, "ram:ChargeAmount", num(ln.price))
    if ln.base_qty is not None:
        sub(n, "ram:BasisQuantity", num(ln.base_qty), unitCode=ln.unit)
    if ln.seller:
        sp = sub(ag, "ram:ItemSellerTradeParty")
        sub(sp, "ram:Name", ln.seller.name)
        sub(sub(sp, "ram:SpecifiedLegalOrganization"), "ram:ID", ln.seller.siren, schemeID="0002")
        sub(sub(sp, "ram:PostalTradeAddress"), "ram:CountryID", ln.seller.country)
    de = sub(it, "ram:SpecifiedLineTradeDelivery")
    sub(de, "ram:BilledQuantity", num(ln.qty), unitCode=ln.unit)
    se = sub(it, "ram:SpecifiedLineTradeSettlement")
    ex = ln.exemption if inv.bt24 == BT24_EXT_CTC_FR else None
    if ln.cat is not None:
        _cii_tax(se, "ram:ApplicableTradeTax", ln.cat, ln.rate, ex)
    if ln.period:
        p = sub(se, "ram:BillingSpecifiedPeriod")
        _cii_date(p, "ram:StartDateTime", ln.period[0])
        _cii_date(p, "ram:EndDateTime", ln.period[1])
    for ac in ln.acs:
        a = sub(se, "ram:SpecifiedTradeAllowanceCharge")
        sub(sub(a, "ram:ChargeIndicator"), "udt:Indicator", "true" if ac.charge else "false")
        sub(a, "ram:ActualAmount", amt(ac.amount))
        if ac.reason_code:
            sub(a, "ram:ReasonCode", ac.reason_code)
        if ac.reason:
            sub(a, "ram:Reason", ac.reason)
    ms = sub(se, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    sub(ms, "ram:LineTotalAmount", amt(t.line_nets[ln.id]))
    if ln.id in t.group_tax:
        sub(ms, "ram:TaxTotalAmount", amt(t.group_tax[ln.id]), currencyID=inv.currency)
    if ln.line_ref:
        r = sub(se, "ram:InvoiceReferencedDocument")
        sub(r, "ram:IssuerAssignedID", ln.line_ref[0])
        _cii_date(r, "ram:FormattedIssueDateTime", ln.line_ref[1], "qdt")
    for code, value in (("AFL", ln.afl), ("AVV", ln.avv)):
        if value:
            r = sub(se, "ram:AdditionalReferencedDocument")
            sub(r, "ram:IssuerAssignedID", value)
            sub(r, "ram:TypeCode", "130")
            sub(r, "ram:ReferenceTypeCode", code)


# --------------------------------------------------------------------------------------------
# UBL 2.1 (Invoice and CreditNote)
# --------------------------------------------------------------------------------------------

def _ubl_party(parent, p: Party, cur: str):
    e = sub(parent, "cac:Party")
    if p.endpoint:
        sub(e, "cbc:EndpointID", p.endpoint[1], schemeID=p.endpoint[0])
    if p.siret:
        sub(sub(e, "cac:PartyIdentification"), "cbc:ID", p.siret, schemeID="0009")
    for scheme, value in p.other_ids:
        sub(sub(e, "cac:PartyIdentification"), "cbc:ID", value, schemeID=scheme)
    if p.trading_name:
        sub(sub(e, "cac:PartyName"), "cbc:Name", p.trading_name)
    a = sub(e, "cac:PostalAddress")
    sub(a, "cbc:StreetName", p.street)
    sub(a, "cbc:CityName", p.city)
    sub(a, "cbc:PostalZone", p.postcode)
    sub(sub(a, "cac:Country"), "cbc:IdentificationCode", p.country)
    if p.vat:
        ts = sub(e, "cac:PartyTaxScheme")
        sub(ts, "cbc:CompanyID", p.vat)
        sub(sub(ts, "cac:TaxScheme"), "cbc:ID", "VAT")
    le = sub(e, "cac:PartyLegalEntity")
    sub(le, "cbc:RegistrationName", p.name)
    legal = p.legal_id or (p.siret if p.legal_scheme == "0009" else p.siren)
    if legal:
        sub(le, "cbc:CompanyID", legal, schemeID=p.legal_scheme)
    return e


def _ubl_taxcat(parent, qname, cat, rate, exemption):
    tc = sub(parent, qname)
    sub(tc, "cbc:ID", cat)
    if rate is not None:
        sub(tc, "cbc:Percent", num(rate))
    if exemption and exemption[0]:
        sub(tc, "cbc:TaxExemptionReasonCode", exemption[0])
    if exemption and exemption[1]:
        sub(tc, "cbc:TaxExemptionReason", exemption[1])
    sub(sub(tc, "cac:TaxScheme"), "cbc:ID", "VAT")
    return tc


def build_ubl(inv: Invoice) -> bytes:
    t = totals(inv)
    credit = inv.credit
    ns = UBL_CN if credit else UBL_INV
    root = etree.Element(f"{{{ns}}}{'CreditNote' if credit else 'Invoice'}",
                         nsmap={None: ns, "cac": CAC, "cbc": CBC})
    cur = inv.currency
    sub(root, "cbc:CustomizationID", inv.bt24)
    if inv.cadre is not None:
        sub(root, "cbc:ProfileID", inv.cadre)
    sub(root, "cbc:ID", inv.number)
    sub(root, "cbc:IssueDate", inv.issue.isoformat())
    if not credit and inv.due:
        sub(root, "cbc:DueDate", inv.due.isoformat())
    sub(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", inv.type_code)
    for code, text in inv.all_notes():
        sub(root, "cbc:Note", f"#{code}#{text}" if code else text)
    sub(root, "cbc:DocumentCurrencyCode", cur)
    if inv.tax_currency:
        sub(root, "cbc:TaxCurrencyCode", inv.tax_currency)
    if inv.buyer_reference:
        sub(root, "cbc:BuyerReference", inv.buyer_reference)
    if inv.period:
        p = sub(root, "cac:InvoicePeriod")
        sub(p, "cbc:StartDate", inv.period[0].isoformat())
        sub(p, "cbc:EndDate", inv.period[1].isoformat())
    if inv.order:
        sub(sub(root, "cac:OrderReference"), "cbc:ID", inv.order)
    for pid, pdate, ptype in inv.preceding:
        r = sub(sub(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        sub(r, "cbc:ID", pid)
        if pdate:
            sub(r, "cbc:IssueDate", pdate.isoformat())
        if ptype and inv.bt24 == BT24_EXT_CTC_FR:
            sub(r, "cbc:DocumentTypeCode", ptype)
    if inv.contract:
        sub(sub(root, "cac:ContractDocumentReference"), "cbc:ID", inv.contract)
    for att_id, code, binary in inv.attachments:
        a = sub(root, "cac:AdditionalDocumentReference")
        sub(a, "cbc:ID", att_id)
        sub(a, "cbc:DocumentDescription", code)
        if binary:
            sub(sub(a, "cac:Attachment"), "cbc:EmbeddedDocumentBinaryObject", "JVBERi0xLjQK",
                mimeCode="application/pdf", filename=f"{att_id}.pdf")
    _ubl_party(sub(root, "cac:AccountingSupplierParty"), inv.seller, cur)
    _ubl_party(sub(root, "cac:AccountingCustomerParty"), inv.buyer, cur)
    if inv.payee:
        pe = sub(root, "cac:PayeeParty")
        if inv.payee.siret:
            sub(sub(pe, "cac:PartyIdentification"), "cbc:ID", inv.payee.siret, schemeID="0009")
        sub(sub(pe, "cac:PartyName"), "cbc:Name", inv.payee.name)
        if inv.payee.siren:
            sub(sub(pe, "cac:PartyLegalEntity"), "cbc:CompanyID", inv.payee.siren,
                schemeID=inv.payee.legal_scheme)
    if inv.tax_rep:
        rep = sub(root, "cac:TaxRepresentativeParty")
        sub(sub(rep, "cac:PartyName"), "cbc:Name", inv.tax_rep.name)
        a = sub(rep, "cac:PostalAddress")
        sub(a, "cbc:StreetName", inv.tax_rep.street)
        sub(a, "cbc:CityName", inv.tax_rep.city)
        sub(a, "cbc:PostalZone", inv.tax_rep.postcode)
        sub(sub(a, "cac:Country"), "cbc:IdentificationCode", inv.tax_rep.country)
        ts = sub(rep, "cac:PartyTaxScheme")
        sub(ts, "cbc:CompanyID", inv.tax_rep.vat)
        sub(sub(ts, "cac:TaxScheme"), "cbc:ID", "VAT")
    if inv.delivery_date or inv.ship_to or inv.ship_country:
        d = sub(root, "cac:Delivery")
        if inv.delivery_date:
            sub(d, "cbc:ActualDeliveryDate", inv.delivery_date.isoformat())
        if inv.ship_to or inv.ship_country:
            loc = sub(d, "cac:DeliveryLocation")
            if inv.ship_to and inv.ship_to.siret:
                sub(loc, "cbc:ID", inv.ship_to.siret, schemeID="0009")
            a = sub(loc, "cac:Address")
            if inv.ship_to:
                sub(a, "cbc:StreetName", inv.ship_to.street)
                sub(a, "cbc:CityName", inv.ship_to.city)
                sub(a, "cbc:PostalZone", inv.ship_to.postcode)
            sub(sub(a, "cac:Country"), "cbc:IdentificationCode",
                inv.ship_country or inv.ship_to.country)
            if inv.ship_to:
                sub(sub(sub(d, "cac:DeliveryParty"), "cac:PartyName"), "cbc:Name", inv.ship_to.name)
    if inv.means:
        pm = sub(root, "cac:PaymentMeans")
        sub(pm, "cbc:PaymentMeansCode", inv.means)
        if credit and inv.due:
            sub(pm, "cbc:PaymentDueDate", inv.due.isoformat())
        sub(pm, "cbc:PaymentID", inv.number)
        if inv.means in ("30", "58"):
            sub(sub(pm, "cac:PayeeFinancialAccount"), "cbc:ID", inv.iban)
    if inv.terms:
        sub(sub(root, "cac:PaymentTerms"), "cbc:Note", inv.terms)
    for ac in inv.doc_acs:
        a = sub(root, "cac:AllowanceCharge")
        sub(a, "cbc:ChargeIndicator", "true" if ac.charge else "false")
        if ac.reason_code:
            sub(a, "cbc:AllowanceChargeReasonCode", ac.reason_code)
        if ac.reason:
            sub(a, "cbc:AllowanceChargeReason", ac.reason)
        if ac.percent is not None:
            sub(a, "cbc:MultiplierFactorNumeric", num(ac.percent))
        sub(a, "cbc:Amount", amt(ac.amount), currencyID=cur)
        if ac.base is not None:
            sub(a, "cbc:BaseAmount", amt(ac.base), currencyID=cur)
        ex = ac.exemption if inv.bt24 == BT24_EXT_CTC_FR else None
        _ubl_taxcat(a, "cac:TaxCategory", ac.cat, ac.rate, ex)
    tt = sub(root, "cac:TaxTotal")
    sub(tt, "cbc:TaxAmount", amt(t.tax), currencyID=cur)
    for cat, rate, ex, basis, tax in t.breakdown:
        s = sub(tt, "cac:TaxSubtotal")
        sub(s, "cbc:TaxableAmount", amt(basis), currencyID=cur)
        sub(s, "cbc:TaxAmount", amt(tax), currencyID=cur)
        _ubl_taxcat(s, "cac:TaxCategory", cat, rate, ex)
    if inv.tax_currency and inv.tax_currency != cur:
        sub(sub(root, "cac:TaxTotal"), "cbc:TaxAmount", amt(inv.tax_in_tax_currency),
            currencyID=inv.tax_currency)
    lm = sub(root, "cac:LegalMonetaryTotal")
    sub(lm, "cbc:LineExtensionAmount", amt(t.line_total), currencyID=cur)
    sub(lm, "cbc:TaxExclusiveAmount", amt(t.tax_basis), currencyID=cur)
    sub(lm, "cbc:TaxInclusiveAmount", amt(t.grand), currencyID=cur)
    if inv.doc_acs and any(not a.charge for a in inv.doc_acs):
        sub(lm, "cbc:AllowanceTotalAmount", amt(t.allowances), currencyID=cur)
    if inv.doc_acs and any(a.charge for a in inv.doc_acs):
        sub(lm, "cbc:ChargeTotalAmount", amt(t.charges), currencyID=cur)
    if inv.prepaid:
        sub(lm, "cbc:PrepaidAmount", amt(inv.prepaid), currencyID=cur)
    if inv.rounding is not None:
        sub(lm, "cbc:PayableRoundingAmount", amt(inv.rounding), currencyID=cur)
    sub(lm, "cbc:PayableAmount", amt(t.payable), currencyID=cur)
    for ln in inv.lines:
        _ubl_line(root, inv, ln, t, credit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _ubl_line(root, inv: Invoice, ln: Line, t: Totals, credit: bool):
    cur = inv.currency
    e = sub(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    sub(e, "cbc:ID", ln.id)
    if ln.note:
        sub(e, "cbc:Note", ln.note)
    sub(e, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", num(ln.qty), unitCode=ln.unit)
    sub(e, "cbc:LineExtensionAmount", amt(t.line_nets[ln.id]), currencyID=cur)
    if ln.period:
        p = sub(e, "cac:InvoicePeriod")
        sub(p, "cbc:StartDate", ln.period[0].isoformat())
        sub(p, "cbc:EndDate", ln.period[1].isoformat())
    if ln.status:
        br = sub(e, "cac:BillingReference")
        r = sub(br, "cac:InvoiceDocumentReference")
        sub(r, "cbc:ID", inv.number)
        sub(r, "cbc:DocumentStatusCode", ln.status)
        if ln.parent:
            sub(sub(br, "cac:BillingReferenceLine"), "cbc:ID", ln.parent)
    if ln.line_ref:
        r = sub(sub(e, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        sub(r, "cbc:ID", ln.line_ref[0])
        sub(r, "cbc:IssueDate", ln.line_ref[1].isoformat())
    for code, value in (("AFL", ln.afl), ("AVV", ln.avv)):
        if value:
            dr = sub(e, "cac:DocumentReference")
            sub(dr, "cbc:ID", value, schemeID=code)
            sub(dr, "cbc:DocumentTypeCode", "130")
    for ac in ln.acs:
        a = sub(e, "cac:AllowanceCharge")
        sub(a, "cbc:ChargeIndicator", "true" if ac.charge else "false")
        if ac.reason_code:
            sub(a, "cbc:AllowanceChargeReasonCode", ac.reason_code)
        if ac.reason:
            sub(a, "cbc:AllowanceChargeReason", ac.reason)
        sub(a, "cbc:Amount", amt(ac.amount), currencyID=cur)
    if ln.id in t.group_tax:
        sub(sub(e, "cac:TaxTotal"), "cbc:TaxAmount", amt(t.group_tax[ln.id]), currencyID=cur)
    item = sub(e, "cac:Item")
    sub(item, "cbc:Name", ln.name)
    if ln.cat is not None:
        ex = ln.exemption if inv.bt24 == BT24_EXT_CTC_FR else None
        _ubl_taxcat(item, "cac:ClassifiedTaxCategory", ln.cat, ln.rate, ex)
    for name, value in ln.attributes:
        ap = sub(item, "cac:AdditionalItemProperty")
        sub(ap, "cbc:Name", name)
        sub(ap, "cbc:Value", value)
    if ln.seller:
        mp = sub(item, "cac:ManufacturerParty")
        sub(sub(sub(mp, "cac:PostalAddress"), "cac:Country"), "cbc:IdentificationCode", ln.seller.country)
        le = sub(mp, "cac:PartyLegalEntity")
        sub(le, "cbc:RegistrationName", ln.seller.name)
        sub(le, "cbc:CompanyID", ln.seller.siren, schemeID="0002")
    price = sub(e, "cac:Price")
    sub(price, "cbc:PriceAmount", num(ln.price), currencyID=cur)
    if ln.base_qty is not None:
        sub(price, "cbc:BaseQuantity", num(ln.base_qty), unitCode=ln.unit)
    if ln.gross is not None and ln.gross != ln.price:
        a = sub(price, "cac:AllowanceCharge")
        sub(a, "cbc:ChargeIndicator", "false")
        sub(a, "cbc:Amount", num(ln.gross - ln.price), currencyID=cur)
        sub(a, "cbc:BaseAmount", num(ln.gross), currencyID=cur)


def build(inv: Invoice, syntax: str) -> bytes:
    """syntax: 'cii' or 'ubl' (Invoice or CreditNote after the type code)."""
    return build_cii(inv) if syntax == "cii" else build_ubl(inv)


__all__ = ["Party", "Line", "LineAC", "DocAC", "Invoice", "Totals", "totals", "build", "build_cii",
           "build_ubl", "siren_from", "siret_of", "fr_vat_id", "replace", "BT24_EN16931",
           "BT24_EXT_CTC_FR", "BT24_FX", "STANDARD_NOTES", "CREDIT_TYPES", "NS"]
