#!/usr/bin/env python3
"""Compares Liasse's EN 16931 findings with the official CEN schematron, file by file.

For each XSD-valid file, the expected findings come from the oracle (oracle.py: CEN schematron
1.3.16 run by Saxon) and the actual ones from

    LIASSE validate --json --no-xsd --rules en16931 FILE...

(called in batches; one JSON object per line and per file, with "file" and "findings").
The SET of (rule, severity) pairs is compared; Liasse findings whose rule is "XSD" or starts
with "LIASSE-" are ignored. Files that are not XSD-valid are not compared (Liasse stops at the
XSD layer), nor files on which the official schematron itself fails (dynamic error in Saxon).

Inputs: files or directories, or --manifest (default, when no input is given:
conformance-out/manifest.jsonl written by mutate.py, plus the CEN examples unless --no-cen).
--sample N --seed S compares a fixed-seed sample of N files of that corpus.

With --france (France RFE 1.4.0.03), the corpus is conformance-out/fr (fr_bases.py bases +
fr_mutate.py mutants); per file, the (rule, severity) pairs of BR-FR Flux 2 are compared with
`LIASSE validate --json --no-xsd --rules br-fr`, and, for the files whose BT-24 is
EXTENDED-CTC-FR, those of the EXTENDED-CTC-FR XSLT with `--rules extended-ctc-fr`. A file agrees
when every rule set it has agrees. The oracle reads and fills conformance-out/fr/oracle-cache.jsonl
(--no-cache to run every XSLT again). --br-fr-mode warning: the _WARNING BR-FR XSLT, and the same
option passed to Liasse.

Exit status: 0 all agree, 1 at least one disagreement, 2 setup error (no Liasse, no input).

Usage:
  .venv/bin/python scripts/conformance/compare.py [--liasse .build/debug/liasse]
        [--manifest conformance-out/manifest.jsonl] [--sample 300 --seed 7] [FILE|DIR ...]
  # harness self-test without the Swift side:
  .venv/bin/python scripts/conformance/compare.py --liasse scripts/conformance/fake_liasse.py
  .venv/bin/python scripts/conformance/compare.py --liasse "scripts/conformance/fake_liasse.py --mode drop"
  .venv/bin/python scripts/conformance/compare.py --france --manifest conformance-out/fr/manifest.jsonl \
        [--sample 200 --seed 7] [--no-cache] [--br-fr-mode warning]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import oracle as oracle_mod  # noqa: E402

DEFAULT_LIASSE = str(common.REPO / ".build" / "debug" / "liasse")
DEFAULT_MANIFEST = common.REPO / "conformance-out" / "manifest.jsonl"


def ignored(rule: str) -> bool:
    return rule == "XSD" or rule.startswith("LIASSE-")


def pairs(findings) -> set[tuple[str, str]]:
    return {(f.get("rule") or "", f.get("severity") or "") for f in findings
            if not ignored(f.get("rule") or "")}


def liasse_command(spec: str) -> list[str]:
    cmd = shlex.split(spec)
    if cmd and cmd[0].endswith(".py"):
        cmd = [sys.executable] + cmd
    return cmd


def run_liasse(cmd: list[str], files: list[str], batch: int, timeout: float, rules: str = "en16931",
               extra: list[str] | None = None):
    """{file: result dict}, {file: error string}, seconds spent."""
    results: dict[str, dict] = {}
    errors: dict[str, str] = {}
    spent = 0.0
    for i in range(0, len(files), batch):
        chunk = files[i:i + batch]
        argv = cmd + ["validate", "--json", "--no-xsd", "--rules", rules] + (extra or []) + chunk
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            for f in chunk:
                errors[f] = f"liasse timed out after {timeout:.0f} s on a batch of {len(chunk)}"
            continue
        spent += time.perf_counter() - t0
        by_real = {os.path.realpath(f): f for f in chunk}
        for line in proc.stdout.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            name = obj.get("file")
            if name not in by_real.values():
                name = by_real.get(os.path.realpath(str(name)), name)
            results[name] = obj
        if proc.returncode not in (0, 1):
            tail = (proc.stderr or "").strip().splitlines()[-3:]
            for f in chunk:
                if f not in results:
                    errors[f] = f"liasse exit {proc.returncode}: {' | '.join(tail)}"
        for f in chunk:
            if f not in results and f not in errors:
                errors[f] = "no JSON line for this file in liasse's output"
    return results, errors, spent


def load_corpus(args) -> tuple[list[str], dict[str, dict], Counter]:
    """Files to compare, manifest entries by file, counts of files left out and why."""
    skipped: Counter = Counter()
    meta: dict[str, dict] = {}
    if args.inputs:
        return common.expand_inputs(args.inputs), meta, skipped
    manifest = Path(args.manifest)
    if not manifest.is_file():
        print(f"no input files and no manifest at {manifest}: run mutate.py first "
              f"(or scripts/conformance/run.sh)", file=sys.stderr)
        sys.exit(2)
    files = []
    with open(manifest, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            m = json.loads(line)
            if not m.get("xsd_valid"):
                skipped["XSD-invalid mutant (not compared)"] += 1
                continue
            if m.get("oracle_error"):
                skipped["official schematron fails on it (not compared)"] += 1
                continue
            f = m["file"]
            if not os.path.exists(f):  # manifest written from another working directory
                alt = manifest.parent / "mutants" / Path(f).name
                f = str(alt) if alt.exists() else f
            files.append(f)
            meta[f] = m
    if not args.no_cen and not args.facturx:
        files = common.cen_examples() + files
    if not args.no_cen and args.facturx:
        # the valid bases the Factur-X mutants come from (fx_bases.py) are part of the corpus
        files = sorted({m["source"] for m in meta.values() if m.get("source")}) + files
    return files, meta, skipped


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", help="files or directories (default: the manifest)")
    ap.add_argument("--liasse", default=DEFAULT_LIASSE,
                    help=f"Liasse binary, or a command line (default {DEFAULT_LIASSE})")
    ap.add_argument("--manifest", default=str(DEFAULT_MANIFEST))
    ap.add_argument("--no-cen", action="store_true",
                    help="with --manifest: do not add the CEN examples to the corpus")
    ap.add_argument("--sample", type=int, help="compare a fixed-seed sample of N files")
    ap.add_argument("--seed", type=int, default=7, help="seed of --sample (default 7)")
    ap.add_argument("--batch", type=int, default=200, help="files per Liasse invocation")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per Liasse batch")
    ap.add_argument("--show", type=int, default=40, help="disagreeing files printed in full")
    ap.add_argument("--show-rules", type=int, default=60, help="per-rule lines printed")
    ap.add_argument("--report", help="write the full comparison as JSON to this file")
    ap.add_argument("--facturx", action="store_true",
                    help="Factur-X profile rules: oracle.py --facturx against liasse --rules facturx")
    ap.add_argument("--france", action="store_true",
                    help="France RFE 1.4.0.03: liasse --rules br-fr / extended-ctc-fr against the "
                         "official XSLTs (manifest default conformance-out/fr/manifest.jsonl)")
    ap.add_argument("--br-fr-mode", choices=["fatal", "warning"], default="fatal",
                    help="with --france: the _WARNING BR-FR XSLT, and `--br-fr-mode warning` passed to Liasse")
    ap.add_argument("--cache", help="with --france: oracle cache (default: oracle-cache.jsonl beside the manifest)")
    ap.add_argument("--no-cache", action="store_true", help="with --france: run every XSLT again")
    args = ap.parse_args(argv)
    if args.france:
        return main_france(args)

    common.require_shared()
    cmd = liasse_command(args.liasse)
    exe = cmd[1] if len(cmd) > 1 and cmd[0] == sys.executable else (cmd[0] if cmd else "")
    if not cmd or not (os.path.isfile(exe) or shutil_which(exe)):
        print(f"Liasse not found: {args.liasse!r} (build it, or pass --liasse)", file=sys.stderr)
        return 2

    files, meta, skipped = load_corpus(args)
    files = list(dict.fromkeys(files))
    if args.sample is not None and args.sample < len(files):
        files = sorted(random.Random(args.seed).sample(sorted(files), args.sample))
    if not files:
        print("nothing to compare", file=sys.stderr)
        return 2

    # expected: the official schematron, on XSD-valid files only
    orc = oracle_mod.Oracle(xsd=True, schematron=True, facturx=args.facturx)
    expected: dict[str, set] = {}
    profile_of: dict[str, str] = {}
    t0 = time.perf_counter()
    for f in files:
        res = orc.check(f)
        if res.get("profile"):
            profile_of[f] = res["profile"]
        if res["syntax"] is None:
            skipped["not UBL / CII (not compared)"] += 1
        elif not res["xsd_valid"]:
            skipped["XSD-invalid (not compared)"] += 1
        elif res.get("error"):
            skipped["official schematron fails on it (not compared)"] += 1
        else:
            expected[f] = pairs(res["findings"])
    oracle_s = time.perf_counter() - t0
    compared = list(expected)
    if not compared:
        print("no XSD-valid file to compare", file=sys.stderr)
        return 2

    actual, errors, liasse_s = run_liasse(cmd, compared, args.batch, args.timeout,
                                          "facturx" if args.facturx else "en16931")

    rows = []
    per_rule_missing: Counter = Counter()
    per_rule_extra: Counter = Counter()
    for f in compared:
        row = {"file": f, "expected": sorted(expected[f])}
        if f in errors:
            row["error"] = errors[f]
            row["missing"], row["extra"] = sorted(expected[f]), []
        else:
            got = pairs(actual[f].get("findings") or [])
            row["actual"] = sorted(got)
            row["missing"] = sorted(expected[f] - got)
            row["extra"] = sorted(got - expected[f])
        for r, s in row["missing"]:
            per_rule_missing[f"{r} ({s})"] += 1
        for r, s in row["extra"]:
            per_rule_extra[f"{r} ({s})"] += 1
        if f in meta:
            row["source"] = meta[f].get("source")
            row["ops"] = meta[f].get("ops")
        rows.append(row)

    bad = [r for r in rows if r["missing"] or r["extra"] or r.get("error")]
    for r in bad[: args.show]:
        print(f"DISAGREE {r['file']}")
        if r.get("source"):
            print(f"  mutant of {Path(r['source']).name}: {'; '.join(r.get('ops') or [])}")
        if r.get("error"):
            print(f"  error: {r['error']}")
        if r["missing"]:
            print("  missing in Liasse: " + ", ".join(f"{a} ({b})" for a, b in r["missing"]))
        if r["extra"]:
            print("  extra in Liasse:   " + ", ".join(f"{a} ({b})" for a, b in r["extra"]))
    if len(bad) > args.show:
        print(f"... and {len(bad) - args.show} more disagreeing files (--show N, --report FILE)")

    n = len(compared)
    agree = n - len(bad)
    summary = {
        "files_compared": n,
        "agree": agree,
        "disagree": len(bad),
        "agreement_pct": round(100.0 * agree / n, 2),
        "skipped": dict(skipped),
        "liasse_errors": len(errors),
        "oracle_ms_per_file": round(1000 * oracle_s / len(files), 2),
        "liasse_ms_per_file": round(1000 * liasse_s / n, 2),
        "rules_missing_in_liasse": dict(per_rule_missing.most_common()),
        "rules_extra_in_liasse": dict(per_rule_extra.most_common()),
    }
    print()
    print(f"files compared: {n}   agree: {agree}   disagree: {len(bad)}   "
          f"agreement: {summary['agreement_pct']}%")
    if args.facturx:
        bad_files = {r["file"] for r in bad}
        summary["profiles"] = {}
        for profile in common.FX_PROFILES:
            mine = [f for f in compared if profile_of.get(f) == profile]
            ok = sum(1 for f in mine if f not in bad_files)
            summary["profiles"][profile] = {"files": len(mine), "agree": ok}
            if mine:
                print(f"  Factur-X {profile:9s} files {len(mine):5d}   agree {ok:5d}   "
                      f"agreement {round(100.0 * ok / len(mine), 2)}%")
    for why, k in sorted(skipped.items()):
        print(f"left out of the corpus: {k} ({why})")
    if errors:
        print(f"Liasse gave no result for {len(errors)} files")
    print(f"time per file: oracle (XSD + schematron) {summary['oracle_ms_per_file']} ms, "
          f"Liasse {summary['liasse_ms_per_file']} ms (whole batches, process start included)")
    if per_rule_missing or per_rule_extra:
        print("per-rule disagreements (files):")
        keys = sorted(set(per_rule_missing) | set(per_rule_extra),
                      key=lambda k: (-(per_rule_missing[k] + per_rule_extra[k]), common.rule_sort_key(k)))
        for key in keys[: args.show_rules]:
            print(f"  {key:32s} missing in Liasse {per_rule_missing[key]:5d}   "
                  f"extra in Liasse {per_rule_extra[key]:5d}")
        if len(keys) > args.show_rules:
            print(f"  ... and {len(keys) - args.show_rules} more rules (--show-rules N, --report FILE)")
    if args.report:
        Path(args.report).write_text(json.dumps({"summary": summary, "files": rows}, indent=1))
    return 1 if bad else 0


DEFAULT_FR_MANIFEST = common.REPO / "conformance-out" / "fr" / "manifest.jsonl"


def load_france_corpus(args) -> tuple[list[str], dict[str, dict], Counter]:
    """Files (bases first, then mutants) with their manifest / bases.json entries, and the
    counts of files left out and why."""
    skipped: Counter = Counter()
    meta: dict[str, dict] = {}
    if args.inputs:
        return common.expand_inputs(args.inputs), meta, skipped
    manifest = Path(args.manifest if args.manifest != str(DEFAULT_MANIFEST) else DEFAULT_FR_MANIFEST)
    bases_json = manifest.parent / "bases" / "bases.json"
    if not manifest.is_file() or not bases_json.is_file():
        print(f"no French corpus at {manifest.parent}: run fr_bases.py and fr_mutate.py first "
              f"(or scripts/conformance/run.sh --france)", file=sys.stderr)
        sys.exit(2)
    files = []
    for b in json.loads(bases_json.read_text()):
        f = str(manifest.parent / "bases" / Path(b["file"]).name)
        files.append(f)
        meta[f] = {**b, "file": f, "role": "base"}
    with open(manifest, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            m = json.loads(line)
            if not m.get("xsd_valid"):
                skipped["XSD-invalid mutant (not compared)"] += 1
                continue
            if m.get("oracle_errors"):
                skipped["an official XSLT fails on it (not compared)"] += 1
                continue
            f = str(manifest.parent / "mutants" / Path(m["file"]).name)
            files.append(f)
            meta[f] = {**m, "file": f, "role": "mutant"}
    return files, meta, skipped


def main_france(args) -> int:
    """France RFE: per file, the (rule, severity) pairs of each French rule set (BR-FR; and
    EXTENDED-CTC-FR for the files whose BT-24 names it) against Liasse's for --rules <set>."""
    if not common.FR_DIR.is_dir():
        print(f"SKIP: {common.FR_DIR} is absent (France RFE 1.4.0.03 artefacts); no French comparison")
        return 0
    cmd = liasse_command(args.liasse)
    exe = cmd[1] if len(cmd) > 1 and cmd[0] == sys.executable else (cmd[0] if cmd else "")
    if not cmd or not (os.path.isfile(exe) or shutil_which(exe)):
        print(f"Liasse not found: {args.liasse!r} (build it, or pass --liasse)", file=sys.stderr)
        return 2
    files, meta, skipped = load_france_corpus(args)
    files = list(dict.fromkeys(files))
    if args.sample is not None and args.sample < len(files):
        files = sorted(random.Random(args.seed).sample(sorted(files), args.sample))
    if not files:
        print("nothing to compare", file=sys.stderr)
        return 2
    cache = None if args.no_cache else (args.cache or (
        str(Path(args.manifest).parent / "oracle-cache.jsonl") if args.manifest != str(DEFAULT_MANIFEST)
        else str(DEFAULT_FR_MANIFEST.parent / "oracle-cache.jsonl")))
    if args.inputs and not args.cache:
        cache = None
    orc = oracle_mod.FranceOracle(xsd=True, warning=args.br_fr_mode == "warning", cache=cache)
    expected: dict[tuple[str, str], set] = {}   # (file, pack) -> pairs
    kind_of: dict[str, str] = {}
    t0 = time.perf_counter()
    for f in files:
        m = meta.get(f, {})
        res = orc.check(f, xsd_key=m.get("xsd_key"))
        if res["syntax"] is None:
            skipped["not UBL / CII (not compared)"] += 1
            continue
        if not res["xsd_valid"]:
            skipped["XSD-invalid (not compared)"] += 1
            continue
        if res["errors"]:
            skipped["an official XSLT fails on it (not compared)"] += 1
            continue
        kind_of[f] = m.get("kind") or res["xsd_key"]
        for pack, findings in res["packs"].items():
            expected[(f, pack)] = pairs(findings)
    oracle_s = time.perf_counter() - t0
    orc.close()
    if not expected:
        print("no XSD-valid file to compare", file=sys.stderr)
        return 2

    extra = ["--br-fr-mode", "warning"] if args.br_fr_mode == "warning" else []
    rows = []
    per_rule_missing: Counter = Counter()
    per_rule_extra: Counter = Counter()
    liasse_s = 0.0
    n_errors = 0
    for pack in common.FR_PACKS:
        todo = [f for (f, p) in expected if p == pack]
        if not todo:
            continue
        actual, errors, spent = run_liasse(cmd, todo, args.batch, args.timeout, pack, extra)
        liasse_s += spent
        n_errors += len(errors)
        for f in todo:
            exp = expected[(f, pack)]
            row = {"file": f, "pack": pack, "kind": kind_of.get(f), "expected": sorted(exp)}
            if f in errors:
                row["error"] = errors[f]
                row["missing"], row["extra"] = sorted(exp), []
            else:
                got = pairs(actual[f].get("findings") or [])
                row["actual"] = sorted(got)
                row["missing"] = sorted(exp - got)
                row["extra"] = sorted(got - exp)
            for r, sv in row["missing"]:
                per_rule_missing[f"{pack} {r} ({sv})"] += 1
            for r, sv in row["extra"]:
                per_rule_extra[f"{pack} {r} ({sv})"] += 1
            m = meta.get(f, {})
            row["source"], row["ops"], row["target"] = m.get("source"), m.get("ops"), m.get("target")
            rows.append(row)

    bad = [r for r in rows if r["missing"] or r["extra"] or r.get("error")]
    for r in bad[: args.show]:
        print(f"DISAGREE [{r['pack']}] {r['file']}")
        if r.get("source"):
            print(f"  mutant of {Path(r['source']).name}: {'; '.join(r.get('ops') or [])}")
        if r.get("error"):
            print(f"  error: {r['error']}")
        if r["missing"]:
            print("  missing in Liasse: " + ", ".join(f"{a} ({b})" for a, b in r["missing"]))
        if r["extra"]:
            print("  extra in Liasse:   " + ", ".join(f"{a} ({b})" for a, b in r["extra"]))
    if len(bad) > args.show:
        print(f"... and {len(bad) - args.show} more disagreements (--show N, --report FILE)")
    compared_files = sorted({r["file"] for r in rows})
    bad_files = {r["file"] for r in bad}
    n = len(compared_files)
    agree = n - len(bad_files)
    summary = {
        "files_compared": n, "agree": agree, "disagree": len(bad_files),
        "agreement_pct": round(100.0 * agree / n, 2) if n else 0.0,
        "comparisons": len(rows), "comparisons_disagreeing": len(bad),
        "skipped": dict(skipped), "liasse_errors": n_errors,
        "oracle_seconds": round(oracle_s, 2), "oracle_schematron_runs": orc.runs,
        "oracle_cache_hits": orc.cache_hits,
        "oracle_ms_per_file": round(1000 * oracle_s / len(files), 2),
        "liasse_ms_per_file": round(1000 * liasse_s / max(n, 1), 2),
        "rules_missing_in_liasse": dict(per_rule_missing.most_common()),
        "rules_extra_in_liasse": dict(per_rule_extra.most_common()),
        "packs": {}, "kinds": {},
    }
    print()
    print(f"files compared: {n}   agree: {agree}   disagree: {len(bad_files)}   "
          f"agreement: {summary['agreement_pct']}%")
    for pack in common.FR_PACKS:
        mine = [r for r in rows if r["pack"] == pack]
        if mine:
            ok = sum(1 for r in mine if not (r["missing"] or r["extra"] or r.get("error")))
            summary["packs"][pack] = {"files": len(mine), "agree": ok}
            print(f"  --rules {pack:16s} files {len(mine):5d}   agree {ok:5d}   "
                  f"agreement {round(100.0 * ok / len(mine), 2)}%")
    kinds = Counter(kind_of[f] for f in compared_files)
    for kind, k in sorted(kinds.items()):
        ok = sum(1 for f in compared_files if kind_of[f] == kind and f not in bad_files)
        summary["kinds"][kind] = {"files": k, "agree": ok}
    print("  per kind of base: " + ", ".join(f"{kind} {summary['kinds'][kind]['agree']}/{k}"
                                            for kind, k in sorted(kinds.items())))
    for why, k in sorted(skipped.items()):
        print(f"left out of the corpus: {k} ({why})")
    if n_errors:
        print(f"Liasse gave no result for {n_errors} (file, rule set) pairs")
    print(f"oracle: {summary['oracle_seconds']} s for {len(files)} files "
          f"({orc.runs} XSLT runs, {orc.cache_hits} cached results); "
          f"Liasse {summary['liasse_ms_per_file']} ms per file (whole batches, process start included)")
    if per_rule_missing or per_rule_extra:
        print("per-rule disagreements (files):")
        keys = sorted(set(per_rule_missing) | set(per_rule_extra),
                      key=lambda k: (-(per_rule_missing[k] + per_rule_extra[k]), common.rule_sort_key(k)))
        for key in keys[: args.show_rules]:
            print(f"  {key:48s} missing in Liasse {per_rule_missing[key]:5d}   "
                  f"extra in Liasse {per_rule_extra[key]:5d}")
    if args.report:
        Path(args.report).write_text(json.dumps({"summary": summary, "files": rows}, indent=1))
    return 1 if bad else 0


def shutil_which(name: str):
    import shutil
    return shutil.which(name)


if __name__ == "__main__":
    sys.exit(main())
