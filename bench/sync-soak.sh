#!/usr/bin/env bash
# The crash soak: the syncing desk killed with SIGKILL at random moments, KILLS times (default
# 1000; `./x test` runs 50), while dossiers keep being registered; at the end every dossier and
# file must be on the hub exactly once, hash-verified. SEED replays a run (the test prints it).
#
#   bench/sync-soak.sh            KILLS=5000 bench/sync-soak.sh            SEED=… bench/sync-soak.sh
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/hoso/target}
export HOSO_SYNC_KILLS=${KILLS:-1000}
[ -n "${SEED:-}" ] && export HOSO_SYNC_SEED="$SEED"
cargo build -p hoso-hub --bins
cargo test -p hoso-desk --test sync_crash -- --nocapture
