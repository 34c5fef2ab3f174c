#!/usr/bin/env bash
# Runs the TryRuntime API checks (runtime/tests/try_runtime.rs): the runtime built with the
# `try-runtime` feature passes its upgrade checks and every pallet's try_state on a chain that
# ran epochs, and fails them on a broken invariant. The feature rebuilds the runtime and its
# pallets (several minutes), so CI only type-checks it (scripts/test.sh, clippy step).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

bash scripts/setup.sh
SKIP_WASM_BUILD=1 cargo test --locked -p myelin-runtime --features try-runtime --test try_runtime
