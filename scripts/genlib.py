"""What the generators of committed Swift share (scripts/gen-syntax-rules.py,
scripts/gen-facturx-rules.py): reading the official compiled schematron, pinning its bytes,
spelling Swift strings, and writing a generated file or checking that the committed one is
current. Python 3 standard library only.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys

XSL = "{http://www.w3.org/1999/XSL/Transform}"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def text_of(element) -> str:
    """The text of an XSLT/SVRL element, whitespace normalised ("" for none)."""
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip() if element is not None else ""


def swift_string(s: str) -> str:
    """A one-line Swift string literal of `s`, whitespace normalised."""
    s = re.sub(r"\s+", " ", s.strip())
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pinned_sha256(path: str, sha256: str, tool: str, what: str) -> str:
    """The SHA-256 of the file at `path`, after checking it is the pinned one; exits otherwise."""
    with open(path, "rb") as f:
        actual = hashlib.sha256(f.read()).hexdigest()
    if actual != sha256:
        sys.exit(f"{tool}: {path} has sha256 {actual}, expected {sha256} ({what})")
    return actual


def write_or_check(target: str, output: str, *, check: bool, tool: str, shown: str) -> int | None:
    """With `check`, compares `output` with the file at `target` and returns the exit status
    (1 when stale). Otherwise writes it and returns None, so the caller goes on to report."""
    if check:
        try:
            with open(target, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = ""
        if current != output:
            print(f"{tool}: {shown} is stale; run python3 scripts/{tool}.py", file=sys.stderr)
            return 1
        print(f"{tool}: {shown} is up to date")
        return 0
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as f:
        f.write(output)
    return None
