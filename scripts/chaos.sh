#!/usr/bin/env bash
# The chaos scenarios in their long form: on the 4-validator `local` chain of
# scripts/localnet.sh (its own nodes on free loopback ports, subnet traffic running), one
# validator is killed with SIGKILL while it authors, one is stopped with SIGSTOP for 120 s, the
# network is split 2|2 for 120 s, and all four are killed and restarted; after each, every node
# must agree on every finalized hash and on total issuance. `.ci/run` runs the same test with
# 30 s faults. Prints one summary line per scenario; the full output is kept in
# $CARGO_TARGET_DIR/chaos.log.
#
#   scripts/chaos.sh            build (debug, as the tests) and run once
#   scripts/chaos.sh 3          run three times
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

runs="${1:-1}"
bash scripts/setup.sh
cargo build --locked -p myelin-node --tests
log="$CARGO_TARGET_DIR/chaos.log"
: > "$log"
for run in $(seq 1 "$runs"); do
  echo "== chaos run $run of $runs ($(date -u +%H:%M:%S))"
  status=0
  MYELIN_CHAOS=long cargo test --locked -p myelin-node --test chaos -- --nocapture \
    >> "$log" 2>&1 || status=$?
  grep -E '^chaos: ' "$log" | tail -n 6
  if [ "$status" -ne 0 ]; then
    grep -E 'panicked|timed out' "$log" | tail -n 3
    echo "FAILED (run $run); full output in $log" >&2
    exit "$status"
  fi
done
echo "passed $runs run(s); full output in $log"
