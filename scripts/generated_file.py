"""Writing a generated source file, or checking that the committed one is current.

Shared by the generators of committed Swift (scripts/gen-syntax-rules.py,
scripts/gen-facturx-rules.py). Python 3 standard library only.
"""

from __future__ import annotations

import os
import sys


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
