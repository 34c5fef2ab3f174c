# Shared environment for Myelin scripts (sourced, not executed).
# One target directory that outlives clones, so a fresh checkout reuses earlier builds.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/myelin-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
MYELIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MYELIN_ROOT
MYELIN_NODE="${MYELIN_NODE:-$CARGO_TARGET_DIR/debug/myelin-node}"
export MYELIN_NODE
# The target dir lives outside the workspace, so tell the WASM builder where Cargo.lock is: the
# runtime's WASM then builds with the same locked dependency versions as everything else.
export WASM_BUILD_WORKSPACE_HINT="$MYELIN_ROOT"
