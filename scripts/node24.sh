#!/usr/bin/env bash
# Prepares a Node 24 toolchain folder and prints its bin folder, for running the suite on a
# second Node major: `scripts/node24.sh [DIR]` (DIR defaults to .cache/node24 in this clone).
#
# The toolchain is the npm registry's `node-linux-<arch>` package: the one `npx -y node@24`
# installs under the hood. We install it directly into a folder of our own because npx keeps it
# only until its next run prunes it from its cache, and we need its headers, not just the binary.
# The package has the layout node-gyp expects of a --nodedir (bin/node, include/node/*.h), so the
# printed folder's parent is the --nodedir for building native addons (better-sqlite3):
#
#   bin=$(scripts/node24.sh); PATH="$bin:$PATH" npm ci --nodedir="$(dirname "$bin")"
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-"$repo/.cache/node24"}
package="node-linux-$(node -p process.arch)"
toolchain="$dir/node_modules/$package"

has_node24() {
  [[ -x "$toolchain/bin/node" && -f "$toolchain/include/node/node.h" ]] &&
    [[ "$("$toolchain/bin/node" --version)" == v24.* ]]
}

if ! has_node24; then
  mkdir -p "$dir"
  # Quiet so that stdout carries only the path; npm's errors still reach stderr.
  npm install --prefix "$dir" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    --loglevel=error "$package@24" >&2
fi

if ! has_node24; then
  echo "node24: $toolchain has no Node 24 binary with headers after installing $package@24" >&2
  exit 1
fi
echo "$toolchain/bin"
