#!/usr/bin/env bash
# Installs Debian's wrk, the HTTP load generator the `load` benchmark drives, when it is missing.
# Needs root or sudo; the load benchmark calls it by itself when wrk is not on PATH.
set -euo pipefail
command -v wrk >/dev/null && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# The package lists may be missing on a fresh machine: update them only when the first try fails.
$sudo apt-get install -y wrk || { $sudo apt-get update && $sudo apt-get install -y wrk; }
command -v wrk >/dev/null || { echo "install-wrk.sh: wrk is still not on PATH" >&2; exit 1; }
