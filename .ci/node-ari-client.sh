#!/usr/bin/env bash
# Installs the Node.js ari-client (version locked in src/test/node/ari-client/package-lock.json)
# that AriNodeClientTest drives the ARI simulator with. Idempotent: does nothing when the locked
# version is already installed. Called by .ci/run before the build.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=src/test/node/ari-client

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Installing: nodejs npm"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi

marker="$dir/node_modules/.package-lock.json"
if [ -d "$dir/node_modules/ari-client" ] && [ -f "$marker" ] && [ "$marker" -nt "$dir/package-lock.json" ]; then
  echo "ari-client already installed"
  exit 0
fi
(cd "$dir" && npm ci --no-audit --no-fund)
