#!/usr/bin/env bash
# Installs the shells the completion tests type into (sluice-dist's CompletionTest): zsh, with
# its zpty module (bash is there already). Does nothing when zsh is there; needs root (or sudo) otherwise.
set -euo pipefail
if command -v zsh >/dev/null; then
  exit 0
fi
sudo_if_needed=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_if_needed=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_if_needed[@]}" apt-get update -q
"${sudo_if_needed[@]}" apt-get install -y -q --no-install-recommends zsh
