#!/usr/bin/env python3
"""The valid bases of the France RFE 1.4.0.03 conformance corpus (test-only).

Writes to OUT (default conformance-out/fr/bases/) French B2B invoices built with fr_invoice.py,
and OUT/bases.json (name, kind, syntax, XSD key, BT-24, what each one exercises). Kinds:

  cii-en16931, ubl-invoice-en16931, ubl-creditnote-en16931   BT-24 EN 16931: XSD (CII D22B /
        UBL 2.1) + CEN EN 16931 1.3.16 + BR-FR Flux 2 clean
  cii-extended-ctc-fr, ubl-invoice-extended-ctc-fr, ubl-creditnote-extended-ctc-fr
        BT-24 EXTENDED-CTC-FR: XSD + EXTENDED-CTC-FR + BR-FR clean
  fx-basicwl, fx-en16931, fx-extended   Factur-X 1.09.2 BT-24: the profile's XSD + BR-FR clean
        (and the profile's schematron from the France RFE folder clean too)

Every base is checked by the oracle when written: any XSD error or any finding (of any
severity) of the schematrons above stops the script with exit status 1.

Usage: .venv/bin/python scripts/conformance/fr_bases.py [OUT] [--list]
"""
from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import common  # noqa: E402
from fr_invoice import (BT24_EXT_CTC_FR, BT24_FX, STANDARD_NOTES, DocAC, Invoice,  # noqa: E402
                        Line, LineAC, Party, build, fr_vat_id, replace, siren_from, siret_of)

# ---- parties (synthetic identifiers: Luhn-valid SIRENs, keyed French VAT numbers) -------------
S_A = siren_from("8324179")
S_B = siren_from("4410286")
S_C = siren_from("3521907")
B_1 = siren_from("5120334")
B_2 = siren_from("2173041")
B_3 = siren_from("7902265")
P_1 = siren_from("6005318")

SELLER_A = Party("Imprimerie Delmas et Fils SAS", siren=S_A, siret=siret_of(S_A), vat=fr_vat_id(S_A),
                 endpoint=("0225", S_A), street="12 rue des Tanneurs", city="Toulouse", postcode="31000")
SELLER_B = Party("Conseil Azur SARL", siren=S_B, siret=siret_of(S_B, "00027"), vat=fr_vat_id(S_B),
                 endpoint=("0225", f"{S_B}_FACTURATION"), other_ids=[("0224", "AZUR-CLIENTS.2026")],
                 street="4 quai des Chartrons", city="Bordeaux", postcode="33000",
                 trading_name="Azur Conseil")
SELLER_C = Party("Transports Vidal SA", siren=S_C, siret=siret_of(S_C), vat=fr_vat_id(S_C),
                 endpoint=("0009", siret_of(S_C)), street="Zone du Port", city="Marseille",
                 postcode="13002")
BUYER_1 = Party("Atelier Lumière SARL", siren=B_1, siret=siret_of(B_1), vat=fr_vat_id(B_1),
                endpoint=("0225", B_1), street="8 avenue Foch", city="Lyon", postcode="69006")
BUYER_2 = Party("Ville de Saint-Aubin", siren=B_2, legal_scheme="0009", legal_id=siret_of(B_2),
                endpoint=("0009", siret_of(B_2)), street="1 place de la Mairie",
                city="Saint-Aubin", postcode="73410")
BUYER_3 = Party("Menuiserie Roux EURL", siren=B_3, siret=siret_of(B_3), vat=fr_vat_id(B_3),
                endpoint=("EM", "factures@menuiserie-roux.example"), street="3 rue Haute",
                city="Nantes", postcode="44000")
BUYER_B2B_SUFFIX = replace(BUYER_1, endpoint=("0225", f"{B_1}_COMPTA-FOURNISSEURS.2"))
BUYER_DE = Party("Müller Druck GmbH", siren=None, legal_scheme=None, vat="DE123456789",
                 endpoint=("EM", "rechnung@mueller-druck.example"), country="DE",
                 street="Hauptstraße 5", city="München", postcode="80331")
BUYER_CH = Party("Helvetia Papier AG", siren=None, legal_scheme=None, vat=None,
                 endpoint=("EM", "ap@helvetia-papier.example"), country="CH",
                 street="Bahnhofstrasse 1", city="Zürich", postcode="8001")
VENDOR_2 = Party("Papeterie Marchand SAS", siren=siren_from("5550123"), country="FR")
PAYEE = Party("Factor Finance SA", siren=P_1, siret=siret_of(P_1), street=None)
SHIP_TO = Party("Entrepôt Lumière", siret=siret_of(B_1, "00021"), street="ZI Nord", city="Vénissieux",
                postcode="69200")
TAX_REP = Party("Représentation Fiscale Paris", vat=fr_vat_id(siren_from("9001234")),
                street="10 rue de Rivoli", city="Paris", postcode="75004")

EX_AE = ("VATEX-EU-AE", "Autoliquidation")
EX_K = ("VATEX-EU-IC", "Livraison intracommunautaire exonérée, article 262 ter I du CGI")
EX_G = ("VATEX-EU-G", "Exportation hors UE, article 262 I du CGI")
EX_E = ("VATEX-EU-132", "Exonération de TVA, article 261-4-4° du CGI")
EX_E2 = ("VATEX-EU-143", "Exonération de TVA, article 262 ter du CGI")
EX_O = ("VATEX-EU-O", "Hors champ d'application de la TVA")
EX_Z = (None, None)


def L(i, name, qty, price, cat="S", rate="20", **kw):
    return Line(str(i), name, D(str(qty)), D(str(price)), cat, None if rate is None else D(str(rate)), **kw)


def lines3():
    return [L(1, "Impression de brochures A4 (lot de 100)", 4, "86.50"),
            L(2, "Livres brochés", 3, "18.90", rate="5.5"),
            L(3, "Transport et livraison", 1, "35.00", rate="10")]


def base(number, **kw) -> Invoice:
    kw.setdefault("seller", SELLER_A)
    kw.setdefault("buyer", BUYER_1)
    kw.setdefault("lines", lines3())
    return Invoice(number, **kw)


# ---- the catalogue: name -> (kind, syntax, invoice, what it exercises) -----------------------
def catalogue() -> list[tuple[str, str, str, Invoice, str]]:
    out = []

    def add(name, kind, syntax, inv, note):
        out.append((name, kind, syntax, inv, note))

    # --- EN 16931, CII -------------------------------------------------------------------------
    add("cii-en-b2b-3rates", "cii-en16931", "cii",
        base("F2026-1001", bar="B2B", cadre="B1"),
        "BAR B2B, SIREN 0002 + SIRET 0009 + VAT, BT-49 0225 = buyer SIREN, three VAT rates, B1")
    add("cii-en-allowances", "cii-en16931", "cii",
        base("F2026-1002", seller=SELLER_B, bar="B2B", buyer=BUYER_B2B_SUFFIX, cadre="S1",
             lines=[L(1, "Conseil (jour)", 5, "650.00", gross=D("700"),),
                    L(2, "Frais de déplacement", 1, "120.00",
                      acs=[LineAC(False, D("20.00"), "95", "Remise"), LineAC(True, D("5.00"), "FC", "Fret")]),
                    L(3, "Formation (heure)", "7.5", "80.00", rate="10")],
             doc_acs=[DocAC(False, D("150.00"), reason_code="95", reason="Remise commerciale"),
                      DocAC(True, D("45.00"), reason_code="FC", reason="Frais de dossier"),
                      DocAC(False, D("12.40"), rate=D("10"), reason="Remise fidélité", base=D("124.00"),
                            percent=D("10"))]),
        "document allowances / charges (reason codes, base, percent), line ones, gross price, 0224, BT-34 suffix")
    add("cii-en-credit-381", "cii-en16931", "cii",
        base("A2026-0042", type_code="381", bar="B2B", preceding=[("F2026-0999", date(2026, 8, 30), "380")],
             due=None, means=None, terms="Avoir imputable sur la prochaine facture."),
        "credit note 381 with its preceding invoice (BR-FR-CO-05)")
    add("cii-en-paid-B2", "cii-en16931", "cii",
        base("F2026-1004", cadre="B2", bar="B2B", paid_in_full=True, due=date(2026, 9, 15), means="48",
             terms="Facture acquittée par carte le 15/09/2026."),
        "B2 already-paid invoice: BT-113 = BT-112, BT-115 = 0, BT-9 present (BR-FR-CO-09)")
    add("cii-en-siret-legal-email", "cii-en16931", "cii",
        base("F2026-1005", buyer=BUYER_3, cadre="M1", seller=SELLER_C,
             lines=[L(1, "Palettes bois", 20, "12.00"), L(2, "Manutention (heure)", 3, "45.00")]),
        "no BAR note, BT-49 scheme EM, BT-34 scheme 0009 (SIRET), M1 mixed")
    add("cii-en-buyer-siret-0009", "cii-en16931", "cii",
        base("F2026-1006", buyer=BUYER_2, cadre="S1", bar="B2C",
             lines=[L(1, "Maintenance éclairage public", 1, "1250.00")]),
        "buyer legal id SIRET (scheme 0009), BT-49 0009, BAR B2C")
    add("cii-en-reverse-AE", "cii-en16931", "cii",
        base("F2026-1007", bar="B2B", cadre="S1", exemptions={("AE", D("0")): EX_AE},
             lines=[L(1, "Travaux de sous-traitance BTP", 1, "8400.00", cat="AE", rate="0")]),
        "reverse charge AE 0 % with exemption reason")
    add("cii-en-intra-K", "cii-en16931", "cii",
        base("F2026-1008", buyer=BUYER_DE, bar="B2BINT", cadre="B1", delivery_date=date(2026, 9, 10),
             ship_country="DE", exemptions={("K", D("0")): EX_K},
             lines=[L(1, "Papier couché 135 g (palette)", 6, "410.00", cat="K", rate="0")]),
        "intra-community supply K, BAR B2BINT, foreign buyer without SIREN, delivery date")
    add("cii-en-export-G", "cii-en16931", "cii",
        base("F2026-1009", buyer=BUYER_CH, bar="B2BINT", cadre="B1", exemptions={("G", D("0")): EX_G},
             lines=[L(1, "Cartons imprimés", 500, "1.15", cat="G", rate="0")]),
        "export G outside the EU")
    add("cii-en-exempt-E", "cii-en16931", "cii",
        base("F2026-1010", bar="B2B", cadre="S1", exemptions={("E", D("0")): EX_E},
             lines=[L(1, "Formation professionnelle continue", 2, "900.00", cat="E", rate="0"),
                    L(2, "Support de cours", 2, "25.00")]),
        "exempt E + standard S")
    add("cii-en-selfbilling-389", "cii-en16931", "cii",
        base("AF2026-0001", type_code="389", bar="B2B", cadre="S1"),
        "self-billed invoice 389 (BR-FR-22: BT-34 0225 starts with the seller SIREN)")
    add("cii-en-usd", "cii-en16931", "cii",
        base("F2026-1012", currency="USD", tax_currency="EUR", tax_in_tax_currency=D("81.23"), bar="B2B",
             cadre="B1"),
        "invoice in USD, VAT accounting currency EUR with BT-111 (BR-FR-CO-12)")
    add("cii-en-corrective-384", "cii-en16931", "cii",
        base("F2026-1013", type_code="384", bar="B2B", preceding=[("F2026-1001", date(2026, 9, 1), None)]),
        "corrective invoice 384 with exactly one preceding invoice (BR-FR-CO-04)")
    add("cii-en-prepayment-386", "cii-en16931", "cii",
        base("AC2026-0007", type_code="386", bar="B2B", cadre="B1", due=date(2026, 9, 1),
             lines=[L(1, "Acompte 30 % sur commande PO-2026-117", 1, "1500.00")]),
        "prepayment invoice 386 whose due date precedes its issue date (allowed, BR-FR-CO-07)")
    add("cii-en-single-taxable-0231", "cii-en16931", "cii",
        base("F2026-1015", seller=replace(SELLER_A, other_ids=[("0231", siren_from("3120786"))]),
             notes=STANDARD_NOTES + [("TXD", "MEMBRE_ASSUJETTI_UNIQUE")], tax_rep=TAX_REP, bar="B2B"),
        "member of a single taxable person (GlobalID 0231): TXD note and tax representative (BR-FR-CO-14/15)")
    add("cii-en-credit-262", "cii-en16931", "cii",
        base("A2026-0262", type_code="262", bar="B2B", contract="CT-2026-044",
             period=(date(2026, 1, 1), date(2026, 6, 30)), due=None, means=None, terms=None,
             lines=[L(1, "Remise de fin d'année sur volumes", 1, "320.00")]),
        "remittance credit note 262 with contract and invoicing period (BR-FR-CO-03)")
    add("cii-en-zero-Z", "cii-en16931", "cii",
        base("F2026-1017", bar="B2B", lines=[L(1, "Journaux (taux zéro)", 10, "2.50", cat="Z", rate="0"),
                                            L(2, "Abonnement numérique", 1, "9.90", rate="2.1")]),
        "zero-rated Z with 2.1 %")
    add("cii-en-attachments", "cii-en16931", "cii",
        base("F2026-1018", bar="B2B", attachments=[("PJ-1", "LISIBLE", True)]),
        "attachment with BT-123 code LISIBLE and an embedded PDF (CEN CII warns past one coded attachment)")
    add("cii-en-payee-shipto", "cii-en16931", "cii",
        base("F2026-1019", bar="B2B", payee=PAYEE, ship_to=SHIP_TO, delivery_date=date(2026, 9, 12),
             cadre="B1"),
        "payee with SIREN + SIRET (BR-FR-09 BT-60), ship-to with SIRET (BT-71)")
    add("cii-en-out-of-scope-O", "cii-en16931", "cii",
        base("F2026-1020", seller=replace(SELLER_A, vat=None), buyer=replace(BUYER_1, vat=None),
             bar="OUTOFSCOPE", exemptions={("O", None): EX_O},
             lines=[L(1, "Débours refacturés", 1, "64.00", cat="O", rate=None)]),
        "not subject to VAT O, BAR OUTOFSCOPE, no VAT identifiers")
    add("cii-en-dom-rates", "cii-en16931", "cii",
        base("F2026-1021", bar="B2B", cadre="M4", preceding=[("AC2026-0007", date(2026, 8, 1), None)],
             lines=[L(1, "Matériel (DOM)", 2, "199.99", rate="8.5"), L(2, "Presse", 4, "3.10", rate="2.1"),
                    L(3, "Pose", "1.25", "60.00", rate="8.5", unit="HUR")]),
        "overseas rates 8.5 / 2.1, M4 final invoice, quantity with decimals, unit HUR")

    # --- EN 16931, UBL Invoice ------------------------------------------------------------------
    add("ubl-en-b2b-3rates", "ubl-invoice-en16931", "ubl",
        base("F2026-2001", bar="B2B", cadre="S1"), "BAR B2B, SIREN / SIRET / VAT, 0225, three rates")
    add("ubl-en-allowances", "ubl-invoice-en16931", "ubl",
        base("F2026-2002", seller=SELLER_B, buyer=BUYER_B2B_SUFFIX, bar="B2B", cadre="M1",
             lines=[L(1, "Conseil (jour)", 5, "650.00", gross=D("700")),
                    L(2, "Frais de déplacement", 1, "120.00", acs=[LineAC(False, D("20.00"), "95", "Remise")]),
                    L(3, "Formation (heure)", "7.5", "80.00", rate="10")],
             doc_acs=[DocAC(False, D("150.00"), reason_code="95", reason="Remise commerciale"),
                      DocAC(True, D("45.00"), reason_code="FC", reason="Frais de dossier")]),
        "allowances and charges, gross price, 0224 private id")
    add("ubl-en-paid-S2", "ubl-invoice-en16931", "ubl",
        base("F2026-2003", cadre="S2", bar="B2B", paid_in_full=True, due=date(2026, 9, 15), means="48",
             terms="Facture acquittée."),
        "S2 already paid (BR-FR-CO-09)")
    add("ubl-en-reverse-AE", "ubl-invoice-en16931", "ubl",
        base("F2026-2004", bar="B2B", exemptions={("AE", D("0")): EX_AE},
             lines=[L(1, "Travaux de sous-traitance", 1, "8400.00", cat="AE", rate="0")]),
        "reverse charge AE")
    add("ubl-en-intra-K", "ubl-invoice-en16931", "ubl",
        base("F2026-2005", buyer=BUYER_DE, bar="B2BINT", cadre="B1", delivery_date=date(2026, 9, 10),
             ship_country="DE", exemptions={("K", D("0")): EX_K},
             lines=[L(1, "Papier couché (palette)", 6, "410.00", cat="K", rate="0")]),
        "intra-community K, foreign buyer")
    add("ubl-en-usd", "ubl-invoice-en16931", "ubl",
        base("F2026-2006", currency="USD", tax_currency="EUR", tax_in_tax_currency=D("81.23"), bar="B2B"),
        "USD with EUR VAT total (BR-FR-CO-12)")
    add("ubl-en-selfbilling-389", "ubl-invoice-en16931", "ubl",
        base("AF2026-0002", type_code="389", bar="B2B"), "self-billed 389")
    add("ubl-en-attachments-payee", "ubl-invoice-en16931", "ubl",
        base("F2026-2008", bar="B2B", payee=PAYEE, ship_to=SHIP_TO, delivery_date=date(2026, 9, 12),
             attachments=[("PJ-1", "LISIBLE", True), ("PJ-2", "BORDEREAU_SUIVI", False)]),
        "attachments, payee, delivery location with SIRET")
    add("ubl-en-corrective-384", "ubl-invoice-en16931", "ubl",
        base("F2026-2009", type_code="384", bar="B2B", preceding=[("F2026-2001", date(2026, 9, 1), None)]),
        "corrective 384 with one BillingReference")
    add("ubl-en-email-0009", "ubl-invoice-en16931", "ubl",
        base("F2026-2010", seller=SELLER_C, buyer=BUYER_3, cadre="B7",
             lines=[L(1, "Palettes bois", 20, "12.00"), L(2, "Manutention", 3, "45.00", unit="HUR")]),
        "BT-34 0009, BT-49 EM, no BAR note, B7")
    add("ubl-en-single-taxable-0231", "ubl-invoice-en16931", "ubl",
        base("F2026-2011", seller=replace(SELLER_A, other_ids=[("0231", siren_from("3120786"))]),
             notes=STANDARD_NOTES + [("TXD", "MEMBRE_ASSUJETTI_UNIQUE")], tax_rep=TAX_REP, bar="B2B"),
        "single taxable person 0231 + TXD + tax representative")
    # --- EN 16931, UBL CreditNote ---------------------------------------------------------------
    add("ubl-en-cn-381", "ubl-creditnote-en16931", "ubl",
        base("A2026-3001", type_code="381", bar="B2B", preceding=[("F2026-2001", date(2026, 9, 1), None)],
             means="30", due=date(2026, 10, 1)),
        "credit note 381 with preceding invoice and payment due date")
    add("ubl-en-cn-261-selfbilled", "ubl-creditnote-en16931", "ubl",
        base("AA2026-0261", type_code="261", bar="B2B", preceding=[("AF2026-0002", date(2026, 9, 2), None)],
             means=None, due=None, terms=None, lines=[L(1, "Régularisation autofacture", 1, "100.00")]),
        "self-billed credit note 261 (BR-FR-22 for UBL)")
    add("ubl-en-cn-262", "ubl-creditnote-en16931", "ubl",
        base("A2026-3262", type_code="262", bar="B2B", contract="CT-2026-044",
             period=(date(2026, 1, 1), date(2026, 6, 30)), means=None, due=None, terms=None,
             lines=[L(1, "Remise sur volumes", 1, "320.00")]),
        "credit note 262 with contract and period (BR-FR-CO-03)")

    # --- EXTENDED-CTC-FR ------------------------------------------------------------------------
    ext = dict(bt24=BT24_EXT_CTC_FR)
    sub_lines = [
        L(1, "Lot d'impression catalogue", 1, "0", status="GROUP"),
        L("1.1", "Catalogue 48 pages", 200, "2.35", status="DETAIL", parent="1"),
        L("1.2", "Couverture pelliculée", 200, "0.40", status="DETAIL", parent="1"),
        L("1.3", "Bon à tirer validé le 02/09", 1, "0", status="INFORMATION", parent="1"),
        L(2, "Livraison", 1, "35.00", rate="10"),
    ]
    add("cii-ext-sublines", "cii-extended-ctc-fr", "cii",
        base("F2026-4001", bar="B2B", cadre="B1", lines=sub_lines,
             attachments=[("PJ-1", "LISIBLE", True), ("PJ-2", "RIB", False), ("PJ-3", "BON_LIVRAISON", False)],
             **ext),
        "sub-lines: a GROUP line, its DETAIL lines and an INFORMATION line (BR-FREXT-05/06/08/11/12)")
    tol_lines = [L(1, "Étiquettes (mille)", "3.333", "12.99"), L(2, "Rubans", 7, "1.333"),
                 L(3, "Colis", 3, "9.999")]
    add("cii-ext-tolerance", "cii-extended-ctc-fr", "cii",
        base("F2026-4002", bar="B2B", lines=tol_lines, line_total_delta=D("0.02"), **ext),
        "BT-106 written 0.02 off the sum of 3 lines (tolerated: 0.01 per line, BR-FREXT-CO-10)")
    add("cii-ext-multi-E", "cii-extended-ctc-fr", "cii",
        base("F2026-4003", bar="B2B", cadre="S1",
             lines=[L(1, "Formation continue", 2, "900.00", cat="E", rate="0", exemption=EX_E),
                    L(2, "Prestation médicale", 1, "300.00", cat="E", rate="0", exemption=EX_E2),
                    L(3, "Support de cours", 2, "25.00")],
             doc_acs=[DocAC(False, D("50.00"), cat="E", rate=D("0"), reason="Remise", reason_code="95",
                            exemption=EX_E)], **ext),
        "two E breakdowns with different exemption reasons, reasons on lines and allowance (BR-FREXT-E-01/08)")
    add("cii-ext-O-and-S", "cii-extended-ctc-fr", "cii",
        base("F2026-4004", bar="B2B", cadre="M1",
             lines=[L(1, "Débours", 1, "64.00", cat="O", rate=None, exemption=EX_O),
                    L(2, "Honoraires", 1, "500.00")], **ext),
        "O and S on one invoice (allowed in EXTENDED-CTC-FR)")
    add("cii-ext-credit-line-refs", "cii-extended-ctc-fr", "cii",
        base("A2026-4005", type_code="381", bar="B2B", due=None, means=None, terms="Avoir.",
             preceding=[("F2026-4001", date(2026, 9, 1), "380")], **ext),
        "credit note with a typed preceding invoice reference (EXT-FR-FE-02)")
    add("cii-ext-au-rates", "cii-extended-ctc-fr", "cii",
        base("F2026-4006", bar="B2B", cadre="S4", preceding=[("AC2026-0007", date(2026, 8, 1), "386")],
             lines=[L(1, "Service", 3, "33.333333", rate="20", base_qty=D("1")),
                    L(2, "Fourniture", "2.5", "10.10", rate="5.5")], line_total_delta=D("-0.01"), **ext),
        "price with six decimals, S4 final invoice, BT-106 0.01 under (tolerated)")
    add("ubl-ext-sublines", "ubl-invoice-extended-ctc-fr", "ubl",
        base("F2026-5001", bar="B2B", cadre="B1", lines=[replace(x) for x in sub_lines], **ext),
        "UBL sub-lines through BillingReference (DocumentStatusCode, BillingReferenceLine)")
    add("ubl-ext-tolerance", "ubl-invoice-extended-ctc-fr", "ubl",
        base("F2026-5002", bar="B2B", lines=[replace(x) for x in tol_lines], line_total_delta=D("0.02"), **ext),
        "UBL BT-106 0.02 off over 3 lines (tolerated)")
    add("ubl-ext-multi-E", "ubl-invoice-extended-ctc-fr", "ubl",
        base("F2026-5003", bar="B2B",
             lines=[L(1, "Formation continue", 2, "900.00", cat="E", rate="0", exemption=EX_E),
                    L(2, "Prestation médicale", 1, "300.00", cat="E", rate="0", exemption=EX_E2),
                    L(3, "Support de cours", 2, "25.00")], **ext),
        "UBL two E breakdowns with different exemption reasons")
    add("ubl-ext-cn-381", "ubl-creditnote-extended-ctc-fr", "ubl",
        base("A2026-5004", type_code="381", bar="B2B", preceding=[("F2026-5001", date(2026, 9, 1), "380")],
             means=None, due=None, terms=None, **ext),
        "UBL EXTENDED-CTC-FR credit note")

    # multi-vendor (M8) and bidirectional (S9) invoices: GROUP lines per seller with its
    # sub-invoice number (AFL, type 130), DETAIL lines with "#AFL#" exemption texts, VAT
    # breakdowns per sub-invoice, the GROUP lines' VAT totals (BR-FR-MV-01…14, BR-FR-BD-02/13)
    for syntax, kind, num, bd in (("cii", "cii-extended-ctc-fr", "F2026-4101", False),
                                  ("ubl", "ubl-invoice-extended-ctc-fr", "F2026-5101", False),
                                  ("cii", "cii-extended-ctc-fr", "AF2026-4102", True),
                                  ("ubl", "ubl-invoice-extended-ctc-fr", "AF2026-5102", True)):
        other = BUYER_1 if bd else VENDOR_2
        sub2 = f"SUB-{other.siren[:4]}-01"
        mlines = [
            L(1, "Sous-facture du vendeur", 1, "0", status="GROUP", seller=SELLER_A, afl=num, avv="B1",
              group_tax=True),
            L("1.1", "Impression", 10, "12.00", status="DETAIL", parent="1", seller=SELLER_A, afl=num,
              exemption=(None, f"#{num}#TVA 20 %")),
            L("1.2", "Transport", 1, "30.00", rate="10", status="DETAIL", parent="1", seller=SELLER_A, afl=num,
              exemption=(None, f"#{num}#TVA 10 %")),
            L(2, "Sous-facture " + ("de l'acheteur" if bd else "d'un second vendeur"), 1, "0", status="GROUP",
              seller=other, afl=sub2, avv="S1", group_tax=True),
            L("2.1", "Prestation", 2, "45.00", status="DETAIL", parent="2", seller=other, afl=sub2,
              exemption=(None, f"#{sub2}#TVA 20 %")),
        ]
        name = f"{'cii' if syntax == 'cii' else 'ubl'}-ext-{'bidirectional-S9' if bd else 'multivendor-M8'}"
        add(name, kind, syntax,
            base(num, bar="B2B", cadre="S9" if bd else "M8", type_code="389" if bd else "380", lines=mlines,
                 bt24=BT24_EXT_CTC_FR),
            ("bidirectional S9 self-billed invoice: one GROUP for the seller, one for the buyer (BR-FR-BD-02/13)"
             if bd else "multi-vendor M8: two sellers' sub-invoices as GROUP lines (BR-FR-MV-01…12)"))

    # --- Factur-X profiles (BR-FR on the CII of a Factur-X) ------------------------------------
    for prof, extra in (("basicwl", dict(profile="basicwl")), ("en16931", {}), ("extended", {})):
        fx = dict(bt24=BT24_FX[prof], delivery_date=date(2026, 9, 10), **extra)
        add(f"fx-{prof}-b2b", f"fx-{prof}", "cii", base(f"FX2026-{prof[:3].upper()}1", bar="B2B", **fx),
            f"Factur-X {prof}: BAR B2B, three rates")
        add(f"fx-{prof}-credit", f"fx-{prof}", "cii",
            base(f"FX2026-{prof[:3].upper()}2", type_code="381", bar="B2B", due=None, means=None,
                 terms="Avoir.", preceding=[("FX2026-0001", date(2026, 9, 1), None)], **fx),
            f"Factur-X {prof}: credit note")
    add("fx-en16931-allowances", "fx-en16931", "cii",
        base("FX2026-EN3", seller=SELLER_B, buyer=BUYER_3, cadre="S1", bt24=BT24_FX["en16931"],
             delivery_date=date(2026, 9, 10),
             doc_acs=[DocAC(False, D("10.00"), reason_code="95", reason="Remise")]),
        "Factur-X EN 16931: allowance, e-mail BT-49")
    add("fx-extended-sublines", "fx-extended", "cii",
        base("FX2026-EXT3", bar="B2B", bt24=BT24_FX["extended"], delivery_date=date(2026, 9, 10),
             lines=[replace(x) for x in sub_lines]),
        "Factur-X EXTENDED with sub-lines")
    return out


# findings a base is built to carry: the EXTENDED-CTC-FR VAT breakdown check is run both without
# the exemption reasons ("ini") and with them ("rev"); a warning on one of the two is by design
# when a category has several breakdowns told apart by their exemption reasons
ALLOWED = {
    "cii-ext-multi-E": {("BR-FXEXT-E-08ini", "warning")},
    "ubl-ext-multi-E": {("BR-FREXT-E-08ini", "warning")},
    "cii-ext-multivendor-M8": {("BR-FXEXT-S-08ini", "warning")},
    "ubl-ext-multivendor-M8": {("BR-FREXT-S-08ini", "warning")},
    "cii-ext-bidirectional-S9": {("BR-FXEXT-S-08ini", "warning")},
    "ubl-ext-bidirectional-S9": {("BR-FREXT-S-08ini", "warning")},
}

KIND_XSD = {"cii-en16931": "cii", "cii-extended-ctc-fr": "cii", "fx-basicwl": "fx:basicwl",
            "fx-en16931": "fx:en16931", "fx-extended": "fx:extended"}


def xsd_key_of(kind: str, data: bytes) -> str:
    if kind in KIND_XSD:
        return KIND_XSD[kind]
    return "ubl-creditnote" if b"<CreditNote" in data[:400] else "ubl-invoice"


def vouchers(kind: str) -> tuple[str, ...]:
    """Rule sets that must find nothing on a base of this kind, beyond its compared ones."""
    if kind.endswith("-en16931") and not kind.startswith("fx-"):
        return ("en16931",)
    if kind.startswith("fx-"):
        return ("fx:" + kind[3:],)
    return ()


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0]) if args else common.REPO / "conformance-out" / "fr" / "bases"
    if "--list" in argv:
        for name, kind, syntax, _inv, note in catalogue():
            print(f"{name:32s} {kind:32s} {note}")
        return 0
    if not common.FR_DIR.is_dir():
        print(f"SKIP: {common.FR_DIR} is absent")
        return 0
    import oracle as oracle_mod
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.xml"):
        old.unlink()
    orc = oracle_mod.FranceOracle(cache=out.parent / "oracle-cache.jsonl")
    rows, bad = [], []
    for name, kind, syntax, inv, note in catalogue():
        data = build(inv, syntax)
        path = out / f"{name}.xml"
        path.write_bytes(data)
        key = xsd_key_of(kind, data)
        res = orc.check(str(path), xsd_key=key, extra=vouchers(kind))
        allowed = ALLOWED.get(name, set())
        findings = {p: [x for x in oracle_mod.fr_pairs(f) if tuple(x) not in allowed]
                    for p, f in res["packs"].items()}
        findings = {p: f for p, f in findings.items() if f}
        expected_packs = set(common.fr_packs_for(res["bt24"])) | set(vouchers(kind))
        problems = []
        if not res["xsd_valid"]:
            problems.append(f"XSD {key}: {res['xsd_errors'][:3]}")
        if findings:
            problems.append(f"findings {findings}")
        if res["errors"]:
            problems.append(f"schematron errors {res['errors']}")
        if set(res["packs"]) != expected_packs:
            problems.append(f"rule sets run {sorted(res['packs'])}, expected {sorted(expected_packs)}")
        if problems:
            bad.append(f"{name}: " + "; ".join(problems))
        rows.append({"name": name, "file": str(path), "kind": kind, "syntax": res["syntax"],
                     "xsd_key": key, "bt24": res["bt24"], "packs": common.fr_packs_for(res["bt24"]),
                     "checked_with": sorted(expected_packs), "note": note,
                     "expected_findings": sorted(list(x) for x in ALLOWED.get(name, ()))})
    (out / "bases.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"fr_bases: {len(rows)} bases in {out}: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    if bad:
        print(f"fr_bases: {len(bad)} bases are not clean:", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        return 1
    print("fr_bases: every base is XSD-valid and clean for its rule sets "
          "(BR-FR; CEN EN 16931 / EXTENDED-CTC-FR / Factur-X profile)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
