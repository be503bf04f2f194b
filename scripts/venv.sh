#!/usr/bin/env bash
# Creates .venv/ with the test-only Python tools: the official-schematron oracle (saxonche),
# lxml for XSD, and factur-x for building Factur-X fixtures. The product never needs them.
set -euo pipefail
cd "$(dirname "$0")/.."
STAMP=.venv/.liasse-requirements
REQS="saxonche==13.1.1 lxml==6.1.3 factur-x==7.8 fpdf2==2.8.9"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$REQS" ]; then
    exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check $REQS
echo "$REQS" > "$STAMP"
