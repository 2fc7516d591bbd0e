#!/usr/bin/env bash
# Builds the engines virtualenv (.venv-engines): the query engines that read a team store's Parquet without
# Spyglass, pinned in kernel-bridge/requirements-engines.txt (DuckDB with its httpfs extension from PyPI, PySpark),
# plus Spark's S3A connector jars from Maven Central. Nothing is fetched when the engines run. Safe to run again.
#
# Built once per requirements file, jar list and interpreter: the venv lives in a cache outside the checkout,
# named by their hash, and .venv-engines links to it (PySpark is a 450 MB download, the AWS SDK bundle 690 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n==> %s\n' "$*"; }

requirements=kernel-bridge/requirements-engines.txt
# hadoop-aws must match the Hadoop that PySpark bundles (pyspark/jars/hadoop-client-api-*.jar); Maven brings the
# AWS SDK bundle and the other runtime jars it declares.
S3A_JARS="org.apache.hadoop:hadoop-aws:3.5.0"
python=${SPYGLASS_ENGINES_PYTHON:-python3}
cache=${SPYGLASS_ENGINES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spyglass}
key=$( { cat "$requirements"; echo "$S3A_JARS"; "$python" -c 'import sys; print(sys.version)'; } \
  | sha256sum | cut -c1-16)
venv=$cache/venv-engines-$key

need_apt=()
command -v java >/dev/null || need_apt+=(default-jre-headless)
command -v mvn >/dev/null || need_apt+=(maven)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "Installing ${need_apt[*]} (Spark runs on a JVM; Maven fetches the S3A jars)"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

mkdir -p "$cache"
exec 9>"$cache/venv-engines.lock"
flock 9  # two checkouts (or CI and a developer) setting up at once build the venv once

if [ -f "$venv/.complete" ]; then
  say "Engines venv up to date ($venv)"
else
  say "Building the engines venv ($venv): DuckDB + httpfs, PySpark, the S3A jars"
  started=$(date +%s)
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q -r "$requirements"

  # A throwaway Maven repository, so the jars are stored once (in the venv), not also in ~/.m2.
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  deps=""
  for coordinate in $S3A_JARS; do
    IFS=: read -r group artifact version <<<"$coordinate"
    deps+="<dependency><groupId>$group</groupId><artifactId>$artifact</artifactId><version>$version</version></dependency>"
  done
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>spyglass.local</groupId><artifactId>s3a-jars</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>$deps</dependencies></project>
EOF
  mvn -q -B -f "$work/pom.xml" -Dmaven.repo.local="$work/m2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$venv/s3a-jars"

  "$venv/bin/python" - "$venv/s3a-jars" <<'EOF'
import importlib.resources, pathlib, sys
import duckdb, pyspark
hadoop = sorted(pathlib.Path(pyspark.__file__).parent.glob("jars/hadoop-client-api-*.jar"))
aws = sorted(pathlib.Path(sys.argv[1]).glob("hadoop-aws-*.jar"))
if not hadoop or not aws or hadoop[0].name.removeprefix("hadoop-client-api-") != aws[0].name.removeprefix("hadoop-aws-"):
    sys.exit(f"spyglass setup: hadoop-aws ({aws}) does not match PySpark's Hadoop ({hadoop}); update S3A_JARS")
extension = importlib.resources.files("duckdb_extension_httpfs") / "extensions" / f"v{duckdb.__version__}"
duckdb.connect().execute(f"LOAD '{extension / 'httpfs.duckdb_extension'}'")
EOF
  touch "$venv/.complete"
  echo "engines venv built in $(($(date +%s) - started)) s, $(du -sh "$venv" | cut -f1)"
  for old in "$cache"/venv-engines-*; do
    [ "$old" = "$venv" ] || [ ! -d "$old" ] || rm -rf "$old"
  done
fi

if [ -e .venv-engines ] && [ ! -L .venv-engines ]; then
  echo "spyglass setup: .venv-engines is a directory, not the link this script makes; remove it" >&2
  exit 1
fi
ln -sfn "$venv" .venv-engines
say "Engines venv ready (.venv-engines)"
