#!/usr/bin/env bash
# The digitisation benchmark: the desk's page pipeline next to the tools an officer would
# otherwise use, run side by side on this machine, in release mode, with one table at the end.
#
#   bench/digitisation.sh
#
#   PAGES=200      pages assembled into one PDF (ours against img2pdf)
#   PDF_RUNS=3     timed runs of each PDF assembly (median)
#   THUMB_RUNS=20  timed runs of each thumbnail (median; ours against pdftoppm)
#   ARRIVALS=50    scanned pages handed to a desk, arrival to thumbnail (p50/p95/max)
#   OCR_PAGES=6    pages recognised by the OCR pool and by the tesseract command
#
# Speed is measured here and only here: no test asserts it. Needs img2pdf, poppler-utils and
# tesseract-ocr-vie (`./x` installs them). About 10 minutes on two shared cores once built.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hoso/target}

PAGES=${PAGES:-200}
PDF_RUNS=${PDF_RUNS:-3}
THUMB_RUNS=${THUMB_RUNS:-20}
ARRIVALS=${ARRIVALS:-50}
OCR_PAGES=${OCR_PAGES:-6}

for tool in img2pdf pdfinfo pdftoppm tesseract; do
    if ! command -v "$tool" >/dev/null; then
        echo "missing: $tool (apt-get install img2pdf poppler-utils tesseract-ocr-vie)" >&2
        exit 1
    fi
done

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
started=$SECONDS

# One build at a time: the machine's cores are shared.
echo "== building (release) =="
cargo build --release -p hoso-capture --features testpages \
    --example pipeline_bench --example ocr_bench
cargo build --release -p hoso-desk --example arrival_bench
built=$SECONDS

echo
echo "== PDF assembly and thumbnails: $PAGES pages =="
cargo run --release -q -p hoso-capture --features testpages --example pipeline_bench -- \
    --pages "$PAGES" --runs "$PDF_RUNS" --thumb-runs "$THUMB_RUNS" | tee "$logs/pipeline.txt"

echo
echo "== page arrival to thumbnail: $ARRIVALS pages =="
cargo run --release -q -p hoso-desk --example arrival_bench -- --pages "$ARRIVALS" \
    | tee "$logs/arrival.txt"

echo
echo "== OCR: $OCR_PAGES pages =="
# One OpenMP thread per engine: the pool's two workers are the parallelism.
OMP_THREAD_LIMIT=1 cargo run --release -q -p hoso-capture --features testpages \
    --example ocr_bench -- "$OCR_PAGES" | tee "$logs/ocr.txt"

# The OCR benchmark prints a table of its own; its rows become rows here (the one with the
# command limited to one OpenMP thread only if it prints it). Its last four columns are time
# (s), pages/s, CER raw and CER fixed.
awk -v pages="$OCR_PAGES" '
    /^tesseract CLI, page by page/ { cli = $(NF-3); cli_raw = $(NF-1) }
    /^  the same with OMP_THREAD_LIMIT=1/ { cli_one = $(NF-3) }
    /^OcrPool, /                   { pool = $(NF-3); pool_fixed = $NF }
    END {
        if (cli == "" || pool == "") {
            printf "SUMMARY\tOCR (output not understood, see above)\t—\t—\t—\t—\t—\n"
            exit
        }
        printf "SUMMARY\tOCR, %s pages: OcrPool (2 workers) vs CLI\t%s s\ttesseract CLI %s s\t%.3f\t—\t—\n",
            pages, pool, cli, pool / cli
        if (cli_one != "")
            printf "SUMMARY\tOCR, %s pages: OcrPool vs CLI, 1 OpenMP thread\t%s s\ttesseract CLI %s s\t%.3f\t—\t—\n",
                pages, pool, cli_one, pool / cli_one
        printf "SUMMARY\tOCR character error rate\t%s corrected\tCLI %s raw\t—\t—\t—\n",
            pool_fixed, cli_raw
    }' "$logs/ocr.txt" >"$logs/ocr-summary.txt"

echo
echo "== summary (ratio: ours / reference, lower is better) =="
{
    printf 'measure\tours\treference\tratio\tgoal\tverdict\n'
    cat "$logs/pipeline.txt" "$logs/arrival.txt" "$logs/ocr-summary.txt" |
        awk -F'\t' -v OFS='\t' '$1 == "SUMMARY" { print $2, $3, $4, $5, $6, $7 }'
} | column -t -s $'\t'
echo
echo "build $((built - started)) s, benchmarks $((SECONDS - built)) s ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
