#!/usr/bin/env bash
# Installs prerequisites, builds everything and runs every test: unit, runtime, end-to-end
# (real node binaries on loopback ports), chaos on the 4-validator chain (short form) and the web
# explorer in headless Chromium; then formatting and clippy checks.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

MYELIN_SETUP_BROWSER=1 bash scripts/setup.sh

step() { printf '\n==> %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

# The shared target dir only grows (every feature set and toolchain leaves its artifacts); when
# the disk runs low, drop the incremental caches first, which cost only a slower first rebuild.
free_kb=$(df -Pk "$(dirname "$CARGO_TARGET_DIR")" | awk 'NR==2 {print $4}')
if [ "${free_kb:-0}" -lt $((20 * 1024 * 1024)) ] && [ -d "$CARGO_TARGET_DIR/debug/incremental" ]; then
  step "low disk ($((free_kb / 1024 / 1024)) GiB free): removing incremental caches"
  rm -rf "$CARGO_TARGET_DIR/debug/incremental"
fi

step "upgrade fixture: the runtime with the next spec_version, for the upgrade-by-referendum test"
# Same WASM project, one feature more; its blob is kept aside, then the regular runtime is rebuilt
# (touching its sources re-runs the WASM build, which would otherwise keep the fixture's blob).
cargo build --locked -p myelin-runtime --features upgrade-fixture
mkdir -p "$CARGO_TARGET_DIR/upgrade-fixture"
cp "$CARGO_TARGET_DIR/debug/wbuild/myelin-runtime/myelin_runtime.wasm" \
  "$CARGO_TARGET_DIR/upgrade-fixture/myelin_runtime.wasm"
touch runtime/src/lib.rs

step "build (workspace, debug: the same profile the tests use)"
cargo build --locked --workspace --all-targets 2>&1 | tee "$CARGO_TARGET_DIR/last-build.log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"
# The clippy pass below lints with the benchmark features on; rustc's own warnings of the default
# build (unused code, imports or crate dependencies) are caught here instead.
if grep -E '^warning' "$CARGO_TARGET_DIR/last-build.log"; then
  echo "build: the warnings above fail the run" >&2
  exit 1
fi

step "tests"
# --no-fail-fast: one failing crate must not hide the others' results.
cargo test --locked --no-fail-fast --workspace 2>&1 | tee "$CARGO_TARGET_DIR/last-test.log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"

step "benchmarks, run once each as tests (runtime-benchmarks feature)"
cargo test --locked --no-fail-fast -p pallet-subnets -p pallet-stake -p pallet-yuma \
  -p pallet-emission -p pallet-inference --features runtime-benchmarks 2>&1 \
  | tee -a "$CARGO_TARGET_DIR/last-test.log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"

step "format"
cargo fmt --all -- --check

step "clippy (every crate and target, with the benchmark and try-runtime code; no WASM needed)"
# One pass with runtime-benchmarks and try-runtime on: it lints the default code too (the features
# only add code), and re-checks the dependencies once instead of once per feature set.
# (The features are the pallets' and the runtime's: the node's own `runtime-benchmarks` would
# pull in the benchmarking CLI's whole dependency tree, which is not Myelin's code.)
features=""
for crate in pallet-subnets pallet-stake pallet-yuma pallet-emission pallet-governance \
  pallet-inference myelin-runtime; do
  features+="$crate/runtime-benchmarks,$crate/try-runtime,"
done
SKIP_WASM_BUILD=1 cargo clippy --locked --workspace --all-targets --features "${features%,}" \
  -- -D warnings

step "done"
grep -E '^test result:' "$CARGO_TARGET_DIR/last-test.log" | awk '{p+=$4; f+=$6} END {printf "%d passed, %d failed\n", p, f}'
