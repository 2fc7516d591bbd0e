#!/usr/bin/env bash
# Builds the test S3 server, SeaweedFS's `weed`, at the version pinned in scripts/seaweedfs-build/go.mod, and links
# it as .venv/bin/weed (kernel-bridge/tests/s3_server.py starts it). Safe to run again.
#
# SeaweedFS is built from its Go module through that small wrapper module: `go install` refuses SeaweedFS's own
# replace directive, a wrapper's go.mod may carry it. The wrapper's go.sum pins every dependency by checksum.
# The build takes many minutes on two cores, so the binary is cached outside the checkout, named by the pinned
# version and the hash of the wrapper and the Go toolchain; a fresh clone (CI) on the same machine reuses it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { printf '\n==> %s\n' "$*"; }

wrapper=scripts/seaweedfs-build
command -v go >/dev/null || { echo "spyglass setup: 'go' is required to build the test S3 server (SeaweedFS)" >&2; exit 1; }
[ -x .venv/bin/python ] || { echo "spyglass setup: run scripts/setup.sh first (it makes .venv)" >&2; exit 1; }
version=$(awk '$1 == "require" && $2 == "github.com/seaweedfs/seaweedfs" { print $3 }' "$wrapper/go.mod")
[ -n "$version" ] || { echo "spyglass setup: no SeaweedFS version in $wrapper/go.mod" >&2; exit 1; }
cache=${SPYGLASS_S3_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spyglass}
key=$( { cat "$wrapper/go.mod" "$wrapper/go.sum" "$wrapper/tools.go"; go version; } | sha256sum | cut -c1-12)
dir=$cache/seaweedfs-$version-$key
binary=$dir/weed

mkdir -p "$cache"
exec 8>"$cache/seaweedfs.lock"
flock 8  # two checkouts (or CI and a developer) setting up at once build it once

if [ -x "$binary" ]; then
  say "SeaweedFS $version up to date ($binary)"
else
  say "Building SeaweedFS $version (the test S3 server) from its Go module; many minutes on two cores, once"
  started=$(date +%s)
  mkdir -p "$dir"
  (cd "$wrapper" && go build -o "$dir/weed.partial" github.com/seaweedfs/seaweedfs/weed)
  mv "$dir/weed.partial" "$binary"
  echo "SeaweedFS built in $(($(date +%s) - started)) s, $(du -h "$binary" | cut -f1)"
  # Builds of other pins are dead weight (a binary of about 200 MB each).
  for old in "$cache"/seaweedfs-*; do
    [ "$old" = "$dir" ] || [ ! -d "$old" ] || rm -rf "$old"
  done
fi

ln -sfn "$binary" .venv/bin/weed
"$binary" version >/dev/null 2>&1 || { echo "spyglass setup: $binary does not run" >&2; exit 1; }
say "Test S3 server ready (.venv/bin/weed -> $binary)"
