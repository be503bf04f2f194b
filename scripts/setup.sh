#!/usr/bin/env bash
# Installs what building and testing Liasse needs on a fresh Debian 12 machine (as root):
# the C libraries and tools from Debian, then the official artefacts. Idempotent: only
# what is missing is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
    libarchive-dev libxml2-dev libqpdf-dev zlib1g-dev libsqlite3-dev libhpdf-dev
    qpdf poppler-utils systemd python3-venv pkg-config time faketime
)
missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
./scripts/fetch-artefacts.sh
