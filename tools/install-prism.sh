#!/usr/bin/env bash
# Installs the independent OpenAPI validator the WhatsApp simulator's tests run behind
# (@stoplight/prism-cli, proxy mode) into .tools/prism of the project, once.
# Idempotent: does nothing when the pinned version is already there.
# Usage: tools/install-prism.sh   (prints the path of the prism executable)
set -euo pipefail
cd "$(dirname "$0")/.."

version=5.14.2
prefix=.tools/prism
bin="$prefix/node_modules/.bin/prism"

installed() {
  [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "$version" ]
}

if ! installed; then
  command -v npm >/dev/null 2>&1 || { echo "install-prism: npm not found (Node 18.20+ needed)" >&2; exit 1; }
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@stoplight/prism-cli@$version" >&2
  installed || { echo "install-prism: prism $version did not install" >&2; exit 1; }
fi
echo "$PWD/$bin"
