#!/usr/bin/env bash
# Installs what sluice-dist's tests need beyond the JDK and Maven: zsh (with its zpty module),
# which CompletionTest types into, and GNU time (/usr/bin/time), with which the walkthrough runs
# scripts/startup-bench.sh. Does nothing when both are there; needs root (or sudo) otherwise.
set -euo pipefail
if command -v zsh >/dev/null && [ -x /usr/bin/time ]; then
  exit 0
fi
sudo_if_needed=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_if_needed=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_if_needed[@]}" apt-get update -q
"${sudo_if_needed[@]}" apt-get install -y -q --no-install-recommends zsh time
