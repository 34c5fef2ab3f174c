#!/usr/bin/env bash
# Myelin's inference subnet, end to end on one machine: a validator node (the dev chain's
# authority, Alice) and three miner nodes (honest, noisy, lazy) on the demo subnet 1. The chain
# challenges the miners every round; their off-chain workers run the model, commit and reveal;
# the validator's worker scores them and sets weights; Yuma turns those into incentive.
#
#   scripts/demo.sh            with the real all-MiniLM-L6-v2 (run scripts/fetch-model.sh first)
#   scripts/demo.sh --tiny     with the tiny deterministic test model (no download; what CI runs)
#
# Succeeds once the metagraph shows incentive honest > noisy > lazy = 0 and the honest miner
# holds stake from its emission; fails after MYELIN_DEMO_TIMEOUT seconds (default 900).
# MYELIN_DEMO_DIR keeps data and logs (default: a temporary directory, removed on success).
# MYELIN_DEMO_BUILD=0 skips the build (the binaries must exist; MYELIN_NODE and MYELIN_CLI
# override their paths).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$MYELIN_ROOT"

tiny=0
for arg in "$@"; do
  case "$arg" in
    --tiny) tiny=1 ;;
    *) echo "usage: scripts/demo.sh [--tiny]" >&2; exit 2 ;;
  esac
done

if [ "${MYELIN_DEMO_BUILD:-1}" = 1 ]; then
  bash scripts/setup.sh
  cargo build --locked -p myelin-node -p myelin-cli
fi
cli_bin="${MYELIN_CLI:-$CARGO_TARGET_DIR/debug/myelin}"
command -v python3 >/dev/null || { echo "demo: python3 is needed to read JSON" >&2; exit 1; }

keep_dir=1
dir="${MYELIN_DEMO_DIR:-}"
if [ -z "$dir" ]; then dir=$(mktemp -d -t myelin-demo.XXXXXX); keep_dir=0; fi
mkdir -p "$dir"
pids=()
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ]; then
    echo "demo: failed; logs in $dir" >&2
    for log in "$dir"/*.log; do echo "--- tail of $log" >&2; tail -n 15 "$log" >&2; done
  elif [ "$keep_dir" = 0 ]; then
    rm -rf "$dir"
  fi
}
trap cleanup EXIT

source "$MYELIN_ROOT/scripts/local-network.sh"
choose_model demo

roles=(validator honest noisy lazy)
declare -A rpc p2p
for role in "${roles[@]}"; do
  take_port; rpc[$role]=$port
  take_port; p2p[$role]=$port
done
url="ws://127.0.0.1:${rpc[validator]}"
cli() { "$cli_bin" --url "$url" --wait in-block "$@"; }
# Runs `cli` in the background (pid appended to `wave`); a failure prints its error line.
in_wave() {
  local name=$1; shift
  ( cli "$@" >/dev/null 2>"$dir/$name.err" \
      || { echo "demo: $name failed: $(grep -m1 error: "$dir/$name.err")" >&2; exit 1; } ) &
  wave+=($!)
}
hotkey_uri() { case "$1" in validator) echo "//DemoValidator" ;; *) echo "//DemoMiner-$1" ;; esac; }

# Each node holds its hotkey in its keystore: `vali` for the validator, `mine` for miners.
for role in "${roles[@]}"; do
  key_type=mine; [ "$role" = validator ] && key_type=vali
  "$MYELIN_NODE" key insert --chain dev --base-path "$dir/$role" --key-type "$key_type" \
    --scheme sr25519 --suri "$(hotkey_uri "$role")"
done

printf '%064x' 1 > "$dir/validator.node-key"
peer=$("$MYELIN_NODE" key inspect-node-key --file "$dir/validator.node-key")
common=(--chain dev --model-dir "$models" --offchain-worker always --no-prometheus --no-mdns
  --no-telemetry --rpc-cors all)
"$MYELIN_NODE" "${common[@]}" --alice --validator --force-authoring --base-path "$dir/validator" \
  --node-key-file "$dir/validator.node-key" --port "${p2p[validator]}" \
  --rpc-port "${rpc[validator]}" > "$dir/validator.log" 2>&1 &
pids+=($!)
for role in honest noisy lazy; do
  "$MYELIN_NODE" "${common[@]}" --base-path "$dir/$role" --miner-mode "$role" \
    --port "${p2p[$role]}" --rpc-port "${rpc[$role]}" \
    --bootnodes "/ip4/127.0.0.1/tcp/${p2p[validator]}/p2p/$peer" > "$dir/$role.log" 2>&1 &
  pids+=($!)
done
echo "demo: 4 nodes started (validator RPC $url), data and logs in $dir"

for _ in $(seq 1 120); do
  "$cli_bin" --url "$url" subnet list --json >/dev/null 2>&1 && break
  sleep 0.5
done

# Setup, each coldkey in parallel: Bob owns the validator, Charlie/Dave/Eve one miner each.
echo "demo: registering the validator and three miners on subnet 1"
wave=()
in_wave rate-limit subnet set-hyperparam --wallet //Alice --netuid 1 \
  --param weights-set-rate-limit --value 0
owners=(validator:Bob honest:Charlie noisy:Dave lazy:Eve)
for pair in "${owners[@]}"; do
  role=${pair%%:*}; owner=${pair##*:}
  in_wave "register-$role" subnet register --wallet "//$owner" --hotkey "$(hotkey_uri "$role")" \
    --netuid 1 --max-burn 100
done
for pid in "${wave[@]}"; do wait "$pid"; done

echo "demo: setting the task, staking the validator, funding hotkey fees"
wave=()
in_wave set-task inference set-task --wallet //Alice --netuid 1 --model "$model" \
  --inputs "$inputs" --interval 5 --commit-window 2 --reveal-window 2 --threshold 0.9 \
  --speed-weight 0.2
in_wave stake stake add --wallet //Bob --hotkey //DemoValidator --netuid 1 --amount 1000
in_wave fund-validator wallet transfer --wallet //Ferdie --to //DemoValidator --amount 100
for pair in "${owners[@]:1}"; do
  role=${pair%%:*}; owner=${pair##*:}
  in_wave "fund-$role" wallet transfer --wallet "//$owner" --to "$(hotkey_uri "$role")" \
    --amount 100
done
for pid in "${wave[@]}"; do wait "$pid"; done
"$cli_bin" --url "$url" inference show --netuid 1

# The hotkeys' addresses, to find their UIDs in the metagraph.
declare -A address
for role in "${roles[@]}"; do
  address[$role]=$("$MYELIN_NODE" key inspect --scheme sr25519 --output-type json \
    "$(hotkey_uri "$role")" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ss58Address"])')
done

# Waits until the metagraph ranks the miners; prints it as it goes.
echo "demo: waiting for rounds, scores and an epoch (about a minute per epoch on 6 s blocks)"
deadline=$(( $(date +%s) + ${MYELIN_DEMO_TIMEOUT:-900} ))
while :; do
  graph=$("$cli_bin" --url "$url" subnet show --netuid 1 --json 2>/dev/null || echo '{}')
  verdict=$(python3 - "$graph" "${address[validator]}" "${address[honest]}" \
    "${address[noisy]}" "${address[lazy]}" <<'EOF'
import json, sys
graph = json.loads(sys.argv[1])
hotkeys = graph.get("hotkeys", [])
roles = dict(zip(["validator", "honest", "noisy", "lazy"], sys.argv[2:]))
if not all(a in hotkeys for a in roles.values()):
    print("wait for the registrations")
    sys.exit()
uid = {role: hotkeys.index(a) for role, a in roles.items()}
inc = {role: float(graph["incentive"][u]) for role, u in uid.items()}
honest_stake = float(graph["stake"][uid["honest"]])
permit = graph["validatorPermit"][uid["validator"]]
ok = inc["honest"] > inc["noisy"] > 0 and inc["lazy"] == 0 and honest_stake > 0
print("%s block %s: incentive honest %.4f, noisy %.4f, lazy %.4f; honest miner's stake %s MYL; "
      "validator permit %s" % ("done" if ok else "wait", graph.get("block"), inc["honest"],
      inc["noisy"], inc["lazy"], graph["stake"][uid["honest"]], permit))
EOF
)
  echo "demo: ${verdict#* }"
  case "$verdict" in done*) break ;; esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "demo: timed out before the metagraph ranked honest > noisy > lazy = 0" >&2
    exit 1
  fi
  sleep 6
done
echo "demo: the honest miner's challenge in the current round, as its node expanded it:"
"$cli_bin" --url "$url" inference challenge --netuid 1 --hotkey //DemoMiner-honest \
  --model-dir "$models"
echo "demo: success — the honest miner earns the most, the noisy one less, the lazy one nothing"
