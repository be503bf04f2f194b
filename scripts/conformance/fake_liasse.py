#!/usr/bin/env python3
"""A stand-in for `liasse validate --json`, to test compare.py before the Swift side exists.

It answers with the official schematron itself (oracle.py), in the shape of the
`liasse validate --json` contract (ARCHITECTURE.md §5), so compare.py must report 100 %
agreement; the other modes break it on purpose to show the disagreement report:

  --mode agree     (default) the oracle's findings, plus a LIASSE-FAKE-01 information finding
                   on every file (compare.py must ignore LIASSE-* rules)
  --mode drop      also drops one finding on about one file in five that has findings
  --mode extra     also adds a bogus BR-CO-10 fatal on about one file in five
  --mode severity  also turns one fatal into a warning on about one file in five

With --rules br-fr or --rules extended-ctc-fr (France RFE 1.4.0.03) it answers with
oracle.FranceOracle: that rule set's official XSLT for the file's syntax (the _WARNING BR-FR
variant with --br-fr-mode warning), nothing for extended-ctc-fr on a file whose BT-24 is not
EXTENDED-CTC-FR; results are read from / added to the French oracle cache
(conformance-out/fr/oracle-cache.jsonl, or FAKE_LIASSE_FR_CACHE).

FAKE_LIASSE_MODE in the environment also sets the mode. Usage (as compare.py calls it):
  fake_liasse.py [--mode M] validate --json --no-xsd --rules en16931|facturx|br-fr|extended-ctc-fr FILE...
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oracle as oracle_mod  # noqa: E402


def picked(path: str, salt: str) -> bool:
    """About one file in five, always the same ones (from the name, not the run)."""
    return hashlib.sha256(f"{salt}:{Path(path).name}".encode()).digest()[0] < 52


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="fake_liasse.py")
    ap.add_argument("--mode", default=os.environ.get("FAKE_LIASSE_MODE", "agree"),
                    choices=["agree", "drop", "extra", "severity"])
    ap.add_argument("command", choices=["validate"])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-xsd", action="store_true")
    ap.add_argument("--rules", default="en16931")
    ap.add_argument("--br-fr-mode", choices=["fatal", "warning"], default="fatal")
    ap.add_argument("files", nargs="+")
    try:
        args = ap.parse_args(argv)
    except SystemExit:
        return 2
    rules = set(args.rules.split(","))
    if rules not in ({"en16931"}, {"facturx"}, {"br-fr"}, {"extended-ctc-fr"}):
        print("fake liasse only knows --rules en16931, facturx, br-fr or extended-ctc-fr", file=sys.stderr)
        return 2
    if rules <= {"br-fr", "extended-ctc-fr"}:
        return france(args, next(iter(rules)))
    orc = oracle_mod.Oracle(xsd=not args.no_xsd, schematron=True, facturx=rules == {"facturx"})
    any_invalid = False
    for f in args.files:
        if not os.path.isfile(f):
            print(f"{f}: unreadable", file=sys.stderr)
            return 2
        res = orc.check(f)
        findings = []
        if res["xsd_valid"] is False:
            findings = [{"rule": "XSD", "severity": "fatal", "message": e} for e in res["xsd_errors"]]
        else:
            findings = [{"rule": x["rule"], "severity": x["severity"], "message": x["message"],
                         "bt": None, "path": x["location"], "line": None}
                        for x in res["findings"]]
            if args.mode == "drop" and findings and picked(f, "drop"):
                victim = sorted((x["rule"], x["severity"]) for x in findings)[0]
                findings = [x for x in findings if (x["rule"], x["severity"]) != victim]
            elif args.mode == "extra" and picked(f, "extra"):
                findings.append({"rule": "BR-CO-10", "severity": "fatal", "message": "fake"})
            elif args.mode == "severity" and picked(f, "severity"):
                fatal = sorted(x["rule"] for x in findings if x["severity"] == "fatal")
                for x in findings:
                    if fatal and x["rule"] == fatal[0]:
                        x["severity"] = "warning"
        findings.append({"rule": "LIASSE-FAKE-01", "severity": "information",
                         "message": "answered by the fake liasse (official schematron)"})
        valid = not any(x["severity"] == "fatal" for x in findings)
        any_invalid |= not valid
        out = {"file": f, "syntax": res["syntax"], "profile": None, "valid": valid,
               "findings": findings}
        if res.get("error"):
            out["error"] = res["error"]
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if any_invalid else 0


def break_findings(findings: list[dict], f: str, mode: str, bogus: str) -> list[dict]:
    if mode == "drop" and findings and picked(f, "drop"):
        victim = sorted((x["rule"], x["severity"]) for x in findings)[0]
        return [x for x in findings if (x["rule"], x["severity"]) != victim]
    if mode == "extra" and picked(f, "extra"):
        return findings + [{"rule": bogus, "severity": "fatal", "message": "fake"}]
    if mode == "severity" and picked(f, "severity"):
        fatal = sorted(x["rule"] for x in findings if x["severity"] == "fatal")
        for x in findings:
            if fatal and x["rule"] == fatal[0]:
                x["severity"] = "warning"
    return findings


def france(args, pack: str) -> int:
    import common
    cache = os.environ.get("FAKE_LIASSE_FR_CACHE") or str(common.REPO / "conformance-out" / "fr" / "oracle-cache.jsonl")
    orc = oracle_mod.FranceOracle(xsd=not args.no_xsd, warning=args.br_fr_mode == "warning",
                                  cache=cache if Path(cache).parent.is_dir() else None)
    any_invalid = False
    for f in args.files:
        if not os.path.isfile(f):
            print(f"{f}: unreadable", file=sys.stderr)
            return 2
        res = orc.check(f, packs=[pack] if pack in common.fr_packs_for(common.bt24_of(f)) else [])
        if res.get("xsd_valid") is False:
            findings = [{"rule": "XSD", "severity": "fatal", "message": e} for e in res["xsd_errors"]]
        else:
            findings = [{"rule": x["rule"], "severity": x["severity"], "message": x["message"],
                         "bt": None, "path": x["location"], "line": None}
                        for x in res["packs"].get(pack, [])]
            findings = break_findings(findings, f, args.mode, "BR-FR-10_BT-30")
        findings.append({"rule": "LIASSE-FAKE-01", "severity": "information",
                         "message": "answered by the fake liasse (official France RFE XSLT)"})
        valid = not any(x["severity"] == "fatal" for x in findings)
        any_invalid |= not valid
        out = {"file": f, "syntax": res.get("syntax"), "profile": res.get("bt24"), "valid": valid,
               "findings": findings}
        if res.get("errors"):
            out["error"] = "; ".join(res["errors"].values())
        print(json.dumps(out, ensure_ascii=False), flush=True)
    orc.close()
    return 1 if any_invalid else 0


if __name__ == "__main__":
    sys.exit(main())
