#!/usr/bin/env bash
# Regenerates the runtime's benchmarked weights (runtime/src/weights/*.rs) by running the FRAME
# benchmarks of every Myelin pallet on this machine.
#
#   scripts/bench.sh                  all pallets
#   scripts/bench.sh pallet_subnets   one pallet
#
# Builds the node with `--features runtime-benchmarks` (a separate feature set; the default
# build stays lean). STEPS and REPEAT tune precision (defaults 50 and 20). The benchmarks run in
# the release WASM runtime either way; BENCH_PROFILE=debug reuses the debug host build (much
# quicker to build, but its slower host functions overestimate weights).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

bash scripts/setup.sh
profile="${BENCH_PROFILE:-release}"
if [ "$profile" = release ]; then
  cargo build --locked --release --features runtime-benchmarks -p myelin-node
else
  cargo build --locked --features runtime-benchmarks -p myelin-node
fi
node="$CARGO_TARGET_DIR/$profile/myelin-node"

pallets=("$@")
[ "${#pallets[@]}" -gt 0 ] || pallets=(pallet_subnets pallet_stake pallet_yuma pallet_emission pallet_inference)
for pallet in "${pallets[@]}"; do
  echo "bench: $pallet"
  "$node" benchmark pallet \
    --chain dev \
    --pallet "$pallet" \
    --extrinsic '*' \
    --steps "${STEPS:-50}" \
    --repeat "${REPEAT:-20}" \
    --wasm-execution compiled \
    --heap-pages 4096 \
    --header scripts/weights-header.txt \
    --output "runtime/src/weights/$pallet.rs"
done
cargo fmt --all
