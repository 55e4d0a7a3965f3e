#!/usr/bin/env bash
# Everything kubelab needs on a fresh Debian machine: a Docker engine (see install-docker.sh),
# the npm packages, and the built CLI and cluster-side bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-docker.sh
npm ci --no-fund --no-audit
npm run build
