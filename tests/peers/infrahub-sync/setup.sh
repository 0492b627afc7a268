#!/usr/bin/env bash
# Installs the reference tool, infrahub-sync 2.0.1 from PyPI, with pynautobot and pynetbox
# (which its Nautobot and NetBox adapters import), into a Python 3.11 virtualenv (test tooling,
# never part of what users install). Idempotent.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# As the peers' up.sh: INFRAHUB_SYNC_VENV, else $PEERS_DIR/infrahub-sync/venv, else .peers/ in the repository.
VENV="${INFRAHUB_SYNC_VENV:-${PEERS_DIR:-$HERE/../../../.peers}/infrahub-sync/venv}"
mkdir -p "$(dirname "$VENV")"
PYTHON="${PEER_PYTHON311:-$HOME/.pyenv/versions/3.11.7/bin/python}"
VERSION="${INFRAHUB_SYNC_VERSION:-2.0.1}"
if [ "$("$VENV/bin/pip" show infrahub-sync 2>/dev/null | sed -n 's/^Version: //p')" = "$VERSION" ]; then
  echo "infrahub-sync $VERSION already in $VENV" >&2
else
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q "infrahub-sync==$VERSION" pynautobot pynetbox
fi
"$VENV/bin/pip" show infrahub-sync infrahub-sdk pynautobot pynetbox 2>/dev/null | sed -n 's/^\(Name\|Version\): //p' | paste - - >&2
echo "$VENV/bin/infrahub-sync"
