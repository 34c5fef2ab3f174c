#!/usr/bin/env bash
# Installs every prerequisite for building and testing Myelin on a fresh Debian machine.
# Idempotent: each step checks first and does nothing when already satisfied.
set -euo pipefail

need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
compgen -G "/usr/lib/llvm-*/lib/libclang.so" >/dev/null || need_apt+=(libclang-dev)
command -v mold >/dev/null 2>&1 || need_apt+=(mold)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v make >/dev/null 2>&1 || need_apt+=(make)
# scripts/serve.sh asks the gateway over HTTP with curl.
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
# scripts/demo.sh reads the metagraph's JSON with python3.
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
[ -f /usr/include/openssl/ssl.h ] || need_apt+=(libssl-dev)
# The serving test drives the gateway with the openai Python SDK, in a virtualenv.
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt+=(python3-venv)
# The explorer test (node/tests/explorer.rs) drives Debian's headless Chromium; only the test
# command asks for it (MYELIN_SETUP_BROWSER=1), a dev chain does not need it.
if [ "${MYELIN_SETUP_BROWSER:-0}" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fi

if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if ! command -v rustup >/dev/null 2>&1; then
  echo "setup: rustup is required (https://rustup.rs)" >&2
  exit 1
fi
installed_targets=$(rustup target list --installed)
grep -qx wasm32v1-none <<<"$installed_targets" || rustup target add wasm32v1-none
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
# The unmodified openai SDK from PyPI, for the serving test (node/tests/serving.rs).
pyenv_dir="${MYELIN_PYENV:-$HOME/.cache/myelin-py}"
if ! "$pyenv_dir/bin/python" -c 'import openai' >/dev/null 2>&1; then
  echo "setup: installing the openai Python SDK in $pyenv_dir"
  python3 -m venv "$pyenv_dir"
  "$pyenv_dir/bin/pip" install -q 'openai>=1.40,<4'
fi
echo "setup: prerequisites present"
