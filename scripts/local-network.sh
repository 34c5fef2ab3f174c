# Shared by scripts/demo.sh and scripts/serve.sh (sourced, not run): free loopback ports and
# the subnet's model. Expects `tiny`, `dir` and `cli_bin` to be set.

# Free loopback ports.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port=$(( 20000 + RANDOM % 20000 ))
# Sets `port` to the next free port (no subshell, so successive calls differ).
take_port() {
  while ! port_free "$next_port"; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}

# The model: sets `models` (a directory of models for the nodes), `model` (the subnet's model
# within it) and `inputs` (challenge inputs per round); $1 names the caller in errors.
choose_model() {
  if [ "$tiny" = 1 ]; then
    models="$dir/models"
    "$cli_bin" inference tiny-model --out "$models/tiny" >/dev/null
    model="$models/tiny"
    inputs=4
  else
    models="${MYELIN_MODEL_DIR:-$HOME/.myelin/models}"
    model="$models/all-minilm-l6-v2"
    [ -f "$model/model.safetensors" ] || {
      echo "$1: no model in $model; run scripts/fetch-model.sh (or use --tiny)" >&2; exit 1; }
    inputs=8
  fi
}
