#!/usr/bin/env bash
# Regenerates the runtime's benchmarked weights (runtime/src/weights/*.rs) by running the FRAME
# benchmarks of every Myelin pallet on this machine.
#
#   scripts/bench.sh                  all pallets
#   scripts/bench.sh pallet_subnets   one pallet
#
# Also writes each benchmark's worst measured case to runtime/src/weights/worst_cases.txt (the
# test runtime/tests/weights.rs checks the charged weights against it) and raises a weight
# whose fitted line passes below it (scripts/bench-worst.py).
#
# Each weight term is the larger of the least-squares and the median-slopes fits
# (`--output-analysis max`): the charge errs on the side of the measurements.
#
# Builds the node with `--features runtime-benchmarks` (a separate feature set; the default
# build stays lean). STEPS and REPEAT tune precision (defaults 50 and 20). The benchmarks run in
# the release WASM runtime either way; BENCH_PROFILE=debug reuses the debug host build (much
# quicker to build, but its slower host functions overestimate weights).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

bash scripts/setup.sh
# frame-benchmarking-cli carries a WASM test runtime for `benchmark storage`, which Myelin does
# not run; its build script cannot find itself in this workspace's metadata, so skip that blob.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
profile="${BENCH_PROFILE:-release}"
if [ "$profile" = release ]; then
  cargo build --locked --release --features runtime-benchmarks -p myelin-node
else
  cargo build --locked --features runtime-benchmarks -p myelin-node
fi
node="$CARGO_TARGET_DIR/$profile/myelin-node"

pallets=("$@")
[ "${#pallets[@]}" -gt 0 ] || pallets=(pallet_subnets pallet_stake pallet_yuma pallet_emission pallet_inference)
raw="$CARGO_TARGET_DIR/bench"
mkdir -p "$raw"
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
    --output-analysis max \
    --header scripts/weights-header.txt \
    --output "runtime/src/weights/$pallet.rs" \
    --json-file "$raw/$pallet.json"
done
# Every benchmark's worst measured case, which runtime/tests/weights.rs holds the charged
# weights to (all five pallets' raw results, the ones just run and the ones kept from before);
# a weight whose fit passes below it gets its base raised to cover it.
python3 scripts/bench-worst.py runtime/src/weights "$raw"/pallet_*.json
cargo fmt --all
