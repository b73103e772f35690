#!/usr/bin/env bash
# The sync benchmarks, side by side in one run, in release mode:
#
#   bench/sync.sh [goodput|cuts|memory|ingest]
#
#   goodput  the desk's upload over a shaped loopback link (2 Mbit/s, 300 ms RTT) against
#            `curl --upload-file` of the same bytes to the same hub through the same link
#   cuts     bytes re-sent per cut when an upload is cut at random bytes
#   memory   peak memory of `hoso sync` uploading a large backlog (BENCH_BACKLOG_MIB, 2048)
#   ingest   69 communes' desks syncing to one hub at once
#
# Speed is measured here and only here: no test asserts it. Needs curl.
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hoso/target}
command -v curl >/dev/null || { echo "missing: curl" >&2; exit 1; }

cargo build --release -p hoso-hub -p hoso-desk --bins
cargo build --release -p hoso-desk --example sync_bench
"$CARGO_TARGET_DIR/release/examples/sync_bench" "$@"
