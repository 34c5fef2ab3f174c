#!/usr/bin/env bash
# A local serving network: the dev chain's authority (Alice) as a validator and embeddings
# gateway, and three miner nodes serving the embeddings API, on the demo subnet 1.
#
#   scripts/serve.sh            with the real all-MiniLM-L6-v2 (run scripts/fetch-model.sh first)
#   scripts/serve.sh --tiny     with the tiny deterministic test model (no download)
#   scripts/serve.sh --cheat    the third miner answers every other API request with noise
#
# Prints `gateway: http://127.0.0.1:<port>/v1` once the gateway answers and all three miners
# advertise their API on chain, then `miners: <hotkey>@<addr> …`, `prometheus: <url>`,
# `validator-rpc: <url>` and `pids: <validator> <miner-a> <miner-b> <miner-c>`, and runs until
# interrupted (then stops every node it started). MYELIN_BUILD=0 skips the build
# (MYELIN_NODE and MYELIN_CLI override the binaries); MYELIN_SERVE_DIR keeps data and logs.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

tiny=0
cheat=0
for arg in "$@"; do
  case "$arg" in
    --tiny) tiny=1 ;;
    --cheat) cheat=1 ;;
    *) echo "usage: scripts/serve.sh [--tiny] [--cheat]" >&2; exit 2 ;;
  esac
done

if [ "${MYELIN_BUILD:-1}" = 1 ]; then
  bash scripts/setup.sh >&2
  cargo build --locked -p myelin-node -p myelin-cli >&2
fi
cli_bin="${MYELIN_CLI:-$CARGO_TARGET_DIR/debug/myelin}"

keep_dir=1
dir="${MYELIN_SERVE_DIR:-}"
if [ -z "$dir" ]; then dir=$(mktemp -d -t myelin-serve.XXXXXX); keep_dir=0; fi
mkdir -p "$dir"
pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ] && [ "$status" -ne 130 ] && [ "$status" -ne 143 ]; then
    echo "serve: stopped (status $status); logs in $dir" >&2
    for log in "$dir"/*.log; do echo "--- tail of $log" >&2; tail -n 15 "$log" >&2; done
  elif [ "$keep_dir" = 0 ]; then
    rm -rf "$dir"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

source "$MYELIN_ROOT/scripts/local-network.sh"
choose_model serve

roles=(validator miner-a miner-b miner-c)
declare -A rpc p2p api
for role in "${roles[@]}"; do
  take_port; rpc[$role]=$port
  take_port; p2p[$role]=$port
  take_port; api[$role]=$port
done
take_port; prometheus=$port
url="ws://127.0.0.1:${rpc[validator]}"
cli() { "$cli_bin" --url "$url" --wait in-block "$@"; }
in_wave() {
  local name=$1; shift
  ( cli "$@" >/dev/null 2>"$dir/$name.err" \
      || { echo "serve: $name failed: $(grep -m1 error: "$dir/$name.err")" >&2; exit 1; } ) &
  wave+=($!)
}
hotkey_uri() { echo "//Serve-$1"; }

for role in "${roles[@]}"; do
  key_type=mine; [ "$role" = validator ] && key_type=vali
  "$MYELIN_NODE" key insert --chain dev --base-path "$dir/$role" --key-type "$key_type" \
    --scheme sr25519 --suri "$(hotkey_uri "$role")"
done

printf '%064x' 1 > "$dir/validator.node-key"
peer=$("$MYELIN_NODE" key inspect-node-key --file "$dir/validator.node-key")
common=(--chain dev --model-dir "$models" --offchain-worker always --no-mdns --no-telemetry
  --rpc-cors all)
"$MYELIN_NODE" "${common[@]}" --alice --validator --force-authoring --base-path "$dir/validator" \
  --node-key-file "$dir/validator.node-key" --port "${p2p[validator]}" \
  --rpc-port "${rpc[validator]}" --prometheus-port "$prometheus" \
  --gateway "127.0.0.1:${api[validator]}" --gateway-client-rate "${MYELIN_GATEWAY_RATE:-50}" \
  --gateway-miner-timeout "${MYELIN_GATEWAY_TIMEOUT_MS:-5000}" > "$dir/validator.log" 2>&1 &
pids+=($!)
for role in miner-a miner-b miner-c; do
  mode=()
  [ "$cheat" = 1 ] && [ "$role" = miner-c ] && mode=(--miner-mode cheat-organic)
  "$MYELIN_NODE" "${common[@]}" --base-path "$dir/$role" "${mode[@]}" --no-prometheus \
    --port "${p2p[$role]}" --rpc-port "${rpc[$role]}" \
    --inference-api "127.0.0.1:${api[$role]}" \
    --bootnodes "/ip4/127.0.0.1/tcp/${p2p[validator]}/p2p/$peer" > "$dir/$role.log" 2>&1 &
  pids+=($!)
done
echo "serve: 4 nodes started (validator RPC $url), data and logs in $dir" >&2

for _ in $(seq 1 120); do
  "$cli_bin" --url "$url" subnet list --json >/dev/null 2>&1 && break
  sleep 0.5
done

echo "serve: registering the validator and three miners on subnet 1" >&2
wave=()
in_wave rate-limit subnet set-hyperparam --wallet //Alice --netuid 1 \
  --param weights-set-rate-limit --value 0
owners=(validator:Bob miner-a:Charlie miner-b:Dave miner-c:Eve)
for pair in "${owners[@]}"; do
  role=${pair%%:*}; owner=${pair##*:}
  in_wave "register-$role" subnet register --wallet "//$owner" --hotkey "$(hotkey_uri "$role")" \
    --netuid 1 --max-burn 100
done
for pid in "${wave[@]}"; do wait "$pid"; done

# Alice's transactions go one per wave (one nonce each).
cli subnet set-hyperparam --wallet //Alice --netuid 1 --param serving-rate-limit --value 0 \
  >/dev/null
echo "serve: setting the task (audit rate ${MYELIN_AUDIT_RATE:-0.05}), staking, funding fees" >&2
wave=()
in_wave set-task inference set-task --wallet //Alice --netuid 1 --model "$model" \
  --inputs "$inputs" --interval 5 --commit-window 2 --reveal-window 2 --threshold 0.9 \
  --speed-weight 0.2 --audit-rate "${MYELIN_AUDIT_RATE:-0.05}"
in_wave stake stake add --wallet //Bob --hotkey "$(hotkey_uri validator)" --netuid 1 --amount 1000
in_wave fund-validator wallet transfer --wallet //Ferdie --to "$(hotkey_uri validator)" --amount 100
for pair in "${owners[@]:1}"; do
  role=${pair%%:*}; owner=${pair##*:}
  in_wave "fund-$role" wallet transfer --wallet "//$owner" --to "$(hotkey_uri "$role")" \
    --amount 100
done
for pid in "${wave[@]}"; do wait "$pid"; done

echo "serve: waiting for the miners to advertise their API on chain" >&2
deadline=$(( $(date +%s) + ${MYELIN_SERVE_TIMEOUT:-300} ))
while :; do
  graph=$("$cli_bin" --url "$url" subnet show --netuid 1 --json 2>/dev/null || echo '{}')
  served=$(python3 -c '
import json, sys
graph = json.loads(sys.argv[1])
print(sum(1 for a in graph.get("axons", []) if a and a.get("protocol") == 4))' "$graph")
  if [ "$served" -ge 3 ] && curl -sf "http://127.0.0.1:${api[validator]}/v1/models" \
      | grep -q '"sha256"'; then
    break
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "serve: timed out with $served miner(s) advertised" >&2
    exit 1
  fi
  sleep 2
done
miners=""
for role in miner-a miner-b miner-c; do
  address=$("$MYELIN_NODE" key inspect --scheme sr25519 --output-type json "$(hotkey_uri "$role")" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["ss58Address"])')
  miners+="$role=$address@127.0.0.1:${api[$role]} "
done
echo "gateway: http://127.0.0.1:${api[validator]}/v1"
echo "miners: ${miners% }"
echo "prometheus: http://127.0.0.1:$prometheus/metrics"
echo "validator-rpc: $url"
echo "models: $models"
echo "pids: ${pids[*]}"
while :; do sleep 3600 & wait $!; done
