#!/usr/bin/env bash
# Fuzzes the runtime for a time budget (the long form of the short run in the tests):
#
#   scripts/fuzz.sh               30 minutes from seed 0
#   MINUTES=120 SEED=1000 scripts/fuzz.sh
#   EXTRINSICS=1000000 MINUTES=600 scripts/fuzz.sh   until a million extrinsics were offered
#
# Seeds run one after another; the first failure stops the run and prints its seed and the
# minimal blocks and operations that reproduce it (replay them with --seed). FUZZ_PROFILE=debug
# reuses the test build instead of compiling the release one.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

bash scripts/setup.sh
profile="${FUZZ_PROFILE:-release}"
flags=(--locked -p myelin-fuzz)
[ "$profile" = release ] && flags+=(--release)
SKIP_WASM_BUILD=1 cargo build "${flags[@]}"
"$CARGO_TARGET_DIR/$profile/myelin-fuzz" --seed "${SEED:-0}" --minutes "${MINUTES:-30}" \
  --extrinsics "${EXTRINSICS:-18446744073709551615}"
