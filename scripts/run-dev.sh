#!/usr/bin/env bash
# Installs prerequisites, builds the node and the `myelin` CLI (linked into ~/.local/bin) and
# starts a single-node development chain (Alice authors and finalizes, RocksDB under a persistent
# data directory).
# The web explorer is served on http://127.0.0.1:8080 (MYELIN_EXPLORER=ADDR:PORT moves it,
# MYELIN_EXPLORER=off turns it off).
# Extra arguments go to myelin-node, e.g. `scripts/run-dev.sh --sealing instant`.
# MYELIN_DATA_DIR overrides the data directory; `--tmp` as an argument uses a throwaway one.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

bash scripts/setup.sh
cargo build --locked -p myelin-node -p myelin-cli
mkdir -p "$HOME/.local/bin"
ln -sf "$CARGO_TARGET_DIR/debug/myelin" "$HOME/.local/bin/myelin"
case ":$PATH:" in
  *":$HOME/.local/bin:"*) echo "myelin: the CLI is \`myelin\` ($HOME/.local/bin/myelin)" ;;
  *) echo "myelin: the CLI is $HOME/.local/bin/myelin (add it to PATH: export PATH=\"\$HOME/.local/bin:\$PATH\")" ;;
esac

data_dir="${MYELIN_DATA_DIR:-$HOME/.local/share/myelin/dev}"
rpc_port=9944
for arg in "$@"; do
  case "$arg" in --rpc-port=*) rpc_port="${arg#--rpc-port=}" ;; esac
done
base_args=(--base-path "$data_dir")
for arg in "$@"; do [ "$arg" = "--tmp" ] && base_args=(); done
explorer="${MYELIN_EXPLORER:-127.0.0.1:8080}"
for arg in "$@"; do case "$arg" in --explorer*) explorer=off ;; esac; done
if [ "$explorer" != off ] && (exec 3<>"/dev/tcp/${explorer%:*}/${explorer##*:}") 2>/dev/null; then
  echo "myelin: $explorer is taken, so no explorer (MYELIN_EXPLORER=ADDR:PORT picks another)" >&2
  explorer=off
fi
[ "$explorer" = off ] || base_args+=(--explorer "$explorer")

data_note="a temporary directory"
[ "${base_args[0]:-}" = --base-path ] && data_note="${base_args[1]}"
echo "myelin: dev chain data in $data_note"
[ "$explorer" = off ] || echo "myelin: explorer on http://$explorer/"
echo "myelin: JSON-RPC (HTTP and WebSocket) on 127.0.0.1:${rpc_port}, Prometheus on 127.0.0.1:9615"
exec "$MYELIN_NODE" --dev "${base_args[@]}" "$@"
