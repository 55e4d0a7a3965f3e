#!/usr/bin/env bash
# Everything kubelab needs on a fresh Debian machine: a Docker engine (see install-docker.sh),
# the npm packages, and the built CLI and cluster-side bundle.
# --test also installs what the test suites use on the host: Debian's etcd-server (the package's
# own service is not started here) and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
bash scripts/install-docker.sh
if [ "${1:-}" = "--test" ]; then
  # Debian's etcd-server (the store's suite runs a real etcd on 127.0.0.1) and chromium (the
  # dashboard's browser suite drives it with playwright-core).
  missing=""
  command -v etcd >/dev/null 2>&1 || missing="$missing etcd-server"
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  if [ -n "$missing" ]; then
    echo "setup: installing$missing from Debian's packages (for the tests)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  # Debian starts the packaged etcd service where an init system runs; the tests start their own.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
    $SUDO systemctl disable --now etcd >/dev/null 2>&1 || true
  fi
fi
# node-pty (the dashboard's terminals) compiles a small native module when npm installs it.
tools=""
command -v make >/dev/null 2>&1 || tools="$tools make"
command -v g++ >/dev/null 2>&1 || tools="$tools g++"
command -v python3 >/dev/null 2>&1 || tools="$tools python3"
if [ -n "$tools" ]; then
  echo "setup: installing$tools from Debian's packages (to build node-pty)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $tools >/dev/null
fi
# Electron's binary is only for the desktop app; the CLI, the dashboard and the tests do without it.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-fund --no-audit
npm run build
