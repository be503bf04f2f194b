#!/usr/bin/env bash
# Conformance harness: Liasse's EN 16931 findings against the official CEN schematron 1.3.16.
#
#   scripts/conformance/run.sh                # CI mode: a fixed-seed sample of 300 files
#   scripts/conformance/run.sh --full         # every file of the corpus (3,000 mutant slots + CEN examples)
#   scripts/conformance/run.sh --fake [MODE]  # harness self-test with fake_liasse.py (agree|drop|extra|severity)
#
# Options: --liasse PATH (default .build/debug/liasse), --sample N (default 300),
#          --sample-seed S (default 7), --seed S (corpus seed, default 1316), --count N (default 3000),
#          --regen (rebuild the corpus even if conformance-out/ matches), --explain (why rules never fire).
# Sets up the test-only tools (scripts/venv.sh, scripts/fetch-artefacts.sh), generates the
# corpus into conformance-out/ (git-ignored; reused when seed, count and scripts are unchanged),
# then runs compare.py. Exit status: compare.py's (0 agree, 1 disagreement, 2 setup error);
# 0 with a SKIP message when ../shared (official schematron, CEN examples) is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."

SHARED=${LIASSE_SHARED:-../shared}
if [ ! -d "$SHARED/artefacts/cen-1.3.16" ] || [ ! -d "$SHARED/corpus/cen" ]; then
    echo "SKIP: $SHARED (official CEN schematron and examples) is absent; no conformance run"
    exit 0
fi

MODE=sample SAMPLE=300 SAMPLE_SEED=7 SEED=1316 COUNT=3000 REGEN=0 EXPLAIN=()
LIASSE=.build/debug/liasse
while [ $# -gt 0 ]; do
    case "$1" in
        --full) MODE=full ;;
        --sample) SAMPLE=$2; shift ;;
        --sample-seed) SAMPLE_SEED=$2; shift ;;
        --seed) SEED=$2; shift ;;
        --count) COUNT=$2; shift ;;
        --liasse) LIASSE=$2; shift ;;
        --regen) REGEN=1 ;;
        --explain) EXPLAIN=(--explain) ;;
        --fake)
            LIASSE="scripts/conformance/fake_liasse.py"
            case "${2:-}" in agree|drop|extra|severity) LIASSE="$LIASSE --mode $2"; shift ;; esac ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

bash scripts/venv.sh
bash scripts/fetch-artefacts.sh
PY=.venv/bin/python
OUT=conformance-out

first=${LIASSE%% *}
if [ ! -x "$first" ] && [ ! -f "$first" ]; then
    echo "Liasse binary not found at $first: build it first (swift build), or use --liasse PATH / --fake" >&2
    exit 2
fi

# the corpus is a pure function of these: reuse it when nothing changed
stamp=$( { echo "seed=$SEED count=$COUNT"; cat scripts/conformance/{common,oracle,xsdmodel,mutate}.py;
           sha256sum "$SHARED"/artefacts/cen-1.3.16/*.xslt; ls "$SHARED"/corpus/cen/*/; } | sha256sum | cut -c1-16)
if [ "$REGEN" = 1 ] || [ ! -f "$OUT/.stamp" ] || [ "$(cat "$OUT/.stamp")" != "$stamp" ] \
        || [ ${#EXPLAIN[@]} -gt 0 ]; then
    echo "+ $PY scripts/conformance/mutate.py --seed $SEED --count $COUNT --out $OUT ${EXPLAIN[*]}"
    rm -f "$OUT/.stamp"
    "$PY" scripts/conformance/mutate.py --seed "$SEED" --count "$COUNT" --out "$OUT" "${EXPLAIN[@]}"
    echo "$stamp" > "$OUT/.stamp"
else
    echo "corpus: reusing $OUT (seed $SEED, $COUNT slots; --regen to rebuild)"
    cat "$OUT/summary.json"; echo
fi

args=(--liasse "$LIASSE" --manifest "$OUT/manifest.jsonl" --report "$OUT/compare-$MODE.json")
if [ "$MODE" = sample ]; then
    args+=(--sample "$SAMPLE" --seed "$SAMPLE_SEED")
fi
echo "+ $PY scripts/conformance/compare.py ${args[*]}"
set +e
"$PY" scripts/conformance/compare.py "${args[@]}"
rc=$?
set -e
exit $rc
