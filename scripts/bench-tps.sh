#!/usr/bin/env bash
# Transaction throughput of a release node: how many transactions of each kind a dev chain
# finalizes, how full its blocks get, and what limited them. A benchmark, not a test.
#
#   scripts/bench-tps.sh                       transfer, add-stake and set-weights
#   scripts/bench-tps.sh transfer 30000        one kind, a chosen count
#   scripts/bench-tps.sh growth 10000          a full subnet (4096 UIDs, 256 validators weighting
#                                              every UID each tempo) over 10,000 blocks: the
#                                              database's growth and the node's peak RSS
#
# For each kind: a fresh `--dev` chain (6 s Aura blocks, GRANDPA finality) from the release
# node, then the load generator (node/examples/bench_tps.rs) funds its senders, pre-signs the
# transactions, submits them with a bounded number in flight and follows finalized blocks.
# Results go to stdout and $CARGO_TARGET_DIR/bench-tps/<kind>.txt.
#
# The node is the release build with `runtime-benchmarks`, the one scripts/bench.sh builds
# (a second release feature set would be a second ~900-crate build); the generator is the debug
# build of the tests (in release, the node's dev-dependencies would change the release node's
# features and rebuild it). MYELIN_BUILD=0 skips both builds; BENCH_TPS_GENERATOR names
# another generator binary.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"
source scripts/local-network.sh

export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
if [ "${MYELIN_BUILD:-1}" = 1 ]; then
  bash scripts/setup.sh
  cargo build --locked --release --features runtime-benchmarks -p myelin-node
  cargo build --locked -p myelin-node --example bench_tps
fi
node="$CARGO_TARGET_DIR/release/myelin-node"
generator="${BENCH_TPS_GENERATOR:-$CARGO_TARGET_DIR/debug/examples/bench_tps}"
out="$CARGO_TARGET_DIR/bench-tps"
mkdir -p "$out"

if [ $# -gt 0 ]; then
  runs=("$1:${2:-20000}")
else
  runs=(transfer:20000 add-stake:6000 set-weights:6400)
fi

pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; true; }
trap cleanup EXIT INT TERM

for run in "${runs[@]}"; do
  kind="${run%%:*}"; count="${run##*:}"
  base=$(mktemp -d)
  take_port; rpc=$port
  # growth: blocks sealed every SEALING_MS (100) and finalized at once, so 10,000 blocks take
  # minutes rather than the 17 hours of 6 s blocks; the state and the blocks are the same.
  extra=(); generator_extra=()
  if [ "$kind" = growth ]; then
    extra=(--sealing "${SEALING_MS:-100}" --pool-type single-state)
    generator_extra=(--blocks "$count" --db-path "$base/chains")
  fi
  # A pool big enough for what the generator keeps in flight (12,000, some in blocks).
  "$node" --dev "${extra[@]}" --base-path "$base" --rpc-port "$rpc" --no-prometheus --no-telemetry \
    --pool-limit 16384 --pool-kbytes 65536 --rpc-max-connections 100 \
    --rpc-max-request-size 64 --rpc-max-response-size 64 > "$base/node.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf -H 'Content-Type: application/json' \
      -d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader","params":[]}' \
      "http://127.0.0.1:$rpc" > /dev/null && break
    sleep 0.5
  done
  echo "== $kind × $count ($(date -u +%H:%M:%S))"
  if [ "$kind" = growth ]; then generator_extra+=(--node-pid "$pid"); fi
  "$generator" --url "ws://127.0.0.1:$rpc" --kind "$kind" --count "$count" \
    --node-log "$base/node.log" "${generator_extra[@]}" | tee "$out/$kind.txt"
  echo "peak RSS of the node: $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")" | tee -a "$out/$kind.txt"
  cleanup; pid=""
  rm -rf "$base"
done
