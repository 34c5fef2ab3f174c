#!/usr/bin/env bash
# A 4-validator `local` chain (Alice, Bob, Charlie, Dave; equal GRANDPA weights, any one may
# be down), plus an optional non-validating full node with RPC, on loopback.
#
#   scripts/localnet.sh start [--full]   build if needed, start the nodes in the background
#   scripts/localnet.sh status           best and finalized block and peers of each node
#   scripts/localnet.sh stop             stop the nodes cleanly (SIGTERM, then wait)
#   scripts/localnet.sh purge            stop and delete the chain data
#
# Ports: Alice RPC 9944 p2p 30333 Prometheus 9615; Bob 9945/30334/9616; Charlie 9946/30335/9617;
# Dave 9947/30336/9618; the full node (`--full`) 9948/30337/9619.
# Every node peers only with its reserved set (the others) over the libp2p backend, the
# topology the chaos test (`node/tests/chaos.rs`, `scripts/chaos.sh`) runs: a link is cut with
# `system_removeReservedPeer` and restored with `system_addReservedPeer` on the node's RPC.
# Data and logs live in MYELIN_LOCALNET_DIR (default ~/.local/share/myelin/localnet).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

dir="${MYELIN_LOCALNET_DIR:-$HOME/.local/share/myelin/localnet}"
validators=(alice bob charlie dave)
all=(alice bob charlie dave full)

index_of() { case "$1" in alice) echo 0 ;; bob) echo 1 ;; charlie) echo 2 ;; dave) echo 3 ;; full) echo 4 ;; esac; }
rpc_port() { echo $((9944 + $(index_of "$1"))); }
p2p_port() { echo $((30333 + $(index_of "$1"))); }
prom_port() { echo $((9615 + $(index_of "$1"))); }
node_key() { printf '%064x' $(( $(index_of "$1") + 1 )); }

is_running() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

start() {
  local with_full=0
  [ "${1:-}" = --full ] && with_full=1
  if [ ! -x "$MYELIN_NODE" ] || [ "${MYELIN_LOCALNET_BUILD:-1}" = 1 ]; then
    bash scripts/setup.sh
    cargo build --locked -p myelin-node
  fi
  mkdir -p "$dir"
  local members=("${validators[@]}")
  [ "$with_full" = 1 ] && members+=(full)
  declare -A address
  for name in "${members[@]}"; do
    node_key "$name" > "$dir/$name.key"
    address[$name]="/ip4/127.0.0.1/tcp/$(p2p_port "$name")/p2p/$("$MYELIN_NODE" key inspect-node-key --file "$dir/$name.key")"
  done
  for name in "${members[@]}"; do
    if is_running "$name"; then echo "$name already running (pid $(cat "$dir/$name.pid"))"; continue; fi
    args=(--chain local --base-path "$dir/$name" --node-key-file "$dir/$name.key"
      --listen-addr "/ip4/127.0.0.1/tcp/$(p2p_port "$name")"
      --rpc-port "$(rpc_port "$name")" --prometheus-port "$(prom_port "$name")"
      --rpc-cors all --no-mdns --network-backend libp2p --reserved-only)
    if [ "$name" = full ]; then args+=(--name full); else args+=("--$name"); fi
    for peer in "${members[@]}"; do
      [ "$peer" = "$name" ] || args+=(--reserved-nodes "${address[$peer]}")
    done
    nohup "$MYELIN_NODE" "${args[@]}" > "$dir/$name.log" 2>&1 &
    echo $! > "$dir/$name.pid"
    echo "$name: pid $!, RPC ws://127.0.0.1:$(rpc_port "$name"), log $dir/$name.log"
  done
}

stop() {
  for name in "${all[@]}"; do
    if is_running "$name"; then
      pid=$(cat "$dir/$name.pid")
      kill -TERM "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "$name stopped"
    fi
    rm -f "$dir/$name.pid"
  done
}

rpc() { # port method [params]
  curl -s -H 'Content-Type: application/json' \
    -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":${3:-[]}}" "http://127.0.0.1:$1"
}

status() {
  for name in "${all[@]}"; do
    if ! is_running "$name"; then
      [ "$name" = full ] || echo "$name: stopped"
      continue
    fi
    port=$(rpc_port "$name")
    best=$(rpc "$port" chain_getHeader | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
    fin_hash=$(rpc "$port" chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
    fin=$(rpc "$port" chain_getHeader "[\"$fin_hash\"]" | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
    peers=$(rpc "$port" system_health | sed -n 's/.*"peers":\([0-9]*\).*/\1/p')
    echo "$name: best $((best)) finalized $((fin)) peers ${peers:-?}"
  done
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  status) status ;;
  purge) stop; rm -rf "$dir" ;;
  *) echo "usage: $0 start [--full]|status|stop|purge" >&2; exit 2 ;;
esac
