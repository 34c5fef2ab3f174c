#!/usr/bin/env bash
# A 4-authority `local` chain (Alice, Bob, Charlie, Dave; equal GRANDPA weights, any one may
# be down) on loopback.
#
#   scripts/localnet.sh start    build if needed, start the four nodes in the background
#   scripts/localnet.sh status   best and finalized block of each node
#   scripts/localnet.sh stop     stop the nodes cleanly (SIGTERM, then wait)
#   scripts/localnet.sh purge    stop and delete the chain data
#
# Ports: Alice RPC 9944 p2p 30333 Prometheus 9615; Bob 9945/30334/9616; Charlie 9946/30335/9617;
# Dave 9947/30336/9618.
# Data and logs live in MYELIN_LOCALNET_DIR (default ~/.local/share/myelin/localnet).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

dir="${MYELIN_LOCALNET_DIR:-$HOME/.local/share/myelin/localnet}"
names=(alice bob charlie dave)

index_of() { case "$1" in alice) echo 0 ;; bob) echo 1 ;; charlie) echo 2 ;; dave) echo 3 ;; esac; }
rpc_port() { echo $((9944 + $(index_of "$1"))); }
p2p_port() { echo $((30333 + $(index_of "$1"))); }
prom_port() { echo $((9615 + $(index_of "$1"))); }
node_key() { printf '%064x' $(( $(index_of "$1") + 1 )); }

is_running() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

start() {
  if [ ! -x "$MYELIN_NODE" ] || [ "${MYELIN_LOCALNET_BUILD:-1}" = 1 ]; then
    bash scripts/setup.sh
    cargo build --locked -p myelin-node
  fi
  mkdir -p "$dir"
  node_key alice > "$dir/alice.key"
  alice_peer=$("$MYELIN_NODE" key inspect-node-key --file "$dir/alice.key")
  bootnode="/ip4/127.0.0.1/tcp/$(p2p_port alice)/p2p/$alice_peer"
  for name in "${names[@]}"; do
    if is_running "$name"; then echo "$name already running (pid $(cat "$dir/$name.pid"))"; continue; fi
    args=(--chain local "--$name" --base-path "$dir/$name" --node-key "$(node_key "$name")"
      --listen-addr "/ip4/127.0.0.1/tcp/$(p2p_port "$name")"
      --rpc-port "$(rpc_port "$name")" --prometheus-port "$(prom_port "$name")"
      --rpc-cors all --no-mdns)
    [ "$name" = alice ] || args+=(--bootnodes "$bootnode")
    nohup "$MYELIN_NODE" "${args[@]}" > "$dir/$name.log" 2>&1 &
    echo $! > "$dir/$name.pid"
    echo "$name: pid $!, RPC ws://127.0.0.1:$(rpc_port "$name"), log $dir/$name.log"
  done
}

stop() {
  for name in "${names[@]}"; do
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
  for name in "${names[@]}"; do
    if ! is_running "$name"; then echo "$name: stopped"; continue; fi
    port=$(rpc_port "$name")
    best=$(rpc "$port" chain_getHeader | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
    fin_hash=$(rpc "$port" chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
    fin=$(rpc "$port" chain_getHeader "[\"$fin_hash\"]" | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
    echo "$name: best $((best)) finalized $((fin))"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  purge) stop; rm -rf "$dir" ;;
  *) echo "usage: $0 start|status|stop|purge" >&2; exit 2 ;;
esac
