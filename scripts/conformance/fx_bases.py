#!/usr/bin/env python3
"""The valid bases of the Factur-X conformance corpus (test-only).

Writes to OUT (default conformance-out/fx/bases/) XML invoices that are valid against their
Factur-X 1.09 profile XSD, for the five profiles:

* from scripts/fixtures/invoice_builder.py (through make_facturx.invoice_xml, which prunes what
  the MINIMUM and BASIC WL schemas leave out): the standard invoice, a three-line invoice at
  three VAT rates, a credit note, per profile;
* the CEN CII example invoices (../shared/corpus/cen/cii) with BT-24 rewritten to the BASIC,
  EN 16931 and EXTENDED profiles, kept where the result is valid against that profile's XSD.

Usage: .venv/bin/python scripts/conformance/fx_bases.py [OUT]
"""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "fixtures"))
import common  # noqa: E402
import make_facturx  # noqa: E402
from invoice_builder import InvoiceParams, Line  # noqa: E402


def builder_variants() -> dict[str, InvoiceParams]:
    return {
        "standard": InvoiceParams(number="F2026-0900"),
        "three-rates": InvoiceParams(number="F2026-0901", lines=[
            Line("Ramette papier A4", Decimal("12"), Decimal("4.35"), Decimal("20")),
            Line("Livre broché", Decimal("3"), Decimal("18.90"), Decimal("5.5")),
            Line("Transport", Decimal("1"), Decimal("35.00"), Decimal("10")),
        ]),
        "credit-note": InvoiceParams(number="A2026-0042", type_code="381"),
    }


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else common.REPO / "conformance-out" / "fx" / "bases"
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for profile in common.FX_PROFILES:
        for name, params in builder_variants().items():
            (out / f"builder-{name}-{profile}.xml").write_bytes(make_facturx.invoice_xml(profile, params=params))
            written += 1
    cen = common.CORPUS_DIR / "cii"
    schemas = {p: etree.XMLSchema(etree.parse(str(common.fx_xsd_path(p)))) for p in ("basic", "en16931", "extended")}
    for source in sorted(cen.glob("*.xml")) if cen.is_dir() else []:
        for profile, schema in schemas.items():
            doc = etree.parse(str(source))
            common.set_fx_profile(doc, profile)
            if schema.validate(doc):
                (out / f"cen-{source.stem}-{profile}.xml").write_bytes(
                    etree.tostring(doc, xml_declaration=True, encoding="UTF-8"))
                written += 1
    print(f"fx_bases: {written} bases in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
