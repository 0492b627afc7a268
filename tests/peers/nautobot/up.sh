#!/usr/bin/env bash
# Brings up a REAL Nautobot 2.4 on 127.0.0.1 for checking the adapter against it (test tooling,
# never part of what users install). Idempotent: reuses the virtualenv, database, superuser,
# token and running server when they exist. PostgreSQL and Redis are shared with the NetBox
# peer: one cluster on 5432, one redis on 6379; Nautobot uses database `nautobot` and redis
# DBs 0 (Celery) and 1 (cache). apt and service starts are serialised by services.sh.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
NAUTOBOT_VERSION="${NAUTOBOT_VERSION:-2.4.44}"
# Working data: NAUTOBOT_PEER_DIR, else $PEERS_DIR/nautobot, else .peers/nautobot in the repository.
PEER_DIR="${NAUTOBOT_PEER_DIR:-${PEERS_DIR:-$HERE/../../../.peers}/nautobot}"
PORT="${NAUTOBOT_PEER_PORT:-18080}"
PYTHON="${PEER_PYTHON:-$HOME/.pyenv/versions/3.12.1/bin/python}"
DB_NAME=nautobot
DB_USER=nautobot

mkdir -p "$PEER_DIR"
cd "$PEER_DIR"
PEER_DIR="$(pwd)"
log() { printf '[nautobot-peer] %s\n' "$*" >&2; }

# Secrets live outside the repository, created once.
secret_file() {
  local f="$PEER_DIR/$1"
  [ -s "$f" ] || (umask 077 && "$PYTHON" -c "import secrets;print(secrets.token_hex($2))" >"$f")
  cat "$f"
}
DB_PASSWORD="$(secret_file db_password 16)"
SECRET_KEY="$(secret_file secret_key 32)"
TOKEN="$(secret_file token 20)" # 40 hex characters, the length of a Nautobot token key

# --- system services (shared with the other peers) -------------------------------------------
. "$HERE/../services.sh"
peer_services

# --- database -----------------------------------------------------------------------------------
peer_database "$DB_USER" "$DB_PASSWORD"

# --- Nautobot itself ----------------------------------------------------------------------------
installed="$(venv/bin/pip show nautobot 2>/dev/null | sed -n 's/^Version: //p' || true)"
if [ ! -x venv/bin/nautobot-server ] || [ "$installed" != "$NAUTOBOT_VERSION" ]; then
  log "installing nautobot==$NAUTOBOT_VERSION into $PEER_DIR/venv (a few minutes)"
  [ -x venv/bin/python ] || "$PYTHON" -m venv venv
  venv/bin/pip install -q "nautobot==$NAUTOBOT_VERSION" >&2
fi

export NAUTOBOT_ROOT="$PEER_DIR/root"
export NAUTOBOT_DB_NAME="$DB_NAME" NAUTOBOT_DB_USER="$DB_USER" NAUTOBOT_DB_PASSWORD="$DB_PASSWORD"
export NAUTOBOT_DB_HOST=127.0.0.1 NAUTOBOT_DB_PORT=5432
export NAUTOBOT_REDIS_HOST=127.0.0.1 NAUTOBOT_REDIS_PORT=6379
export NAUTOBOT_SECRET_KEY="$SECRET_KEY" NAUTOBOT_ALLOWED_HOSTS="127.0.0.1 localhost"
export NAUTOBOT_CONFIG="$NAUTOBOT_ROOT/nautobot_config.py"
mkdir -p "$NAUTOBOT_ROOT"
if [ ! -f "$NAUTOBOT_CONFIG" ]; then
  log "writing $NAUTOBOT_CONFIG"
  venv/bin/nautobot-server init --disable-installation-metrics "$NAUTOBOT_CONFIG" >&2 </dev/null
fi

if ! venv/bin/nautobot-server migrate --check >/dev/null 2>&1; then
  log "migrating the database (the first time takes a few minutes)"
  venv/bin/nautobot-server migrate --no-input >"$PEER_DIR/migrate.log" 2>&1 || { tail -20 "$PEER_DIR/migrate.log" >&2; exit 1; }
fi

log "ensuring superuser admin and its API token"
NAUTOBOT_PEER_TOKEN="$TOKEN" venv/bin/nautobot-server shell >"$PEER_DIR/shell.log" 2>&1 <<'PY'
import os
from django.contrib.auth import get_user_model
from nautobot.users.models import Token
User = get_user_model()
user, _ = User.objects.get_or_create(username="admin", defaults={"is_superuser": True, "is_staff": True})
if not user.is_superuser:
    user.is_superuser = True
    user.is_staff = True
user.set_password("admin")
user.save()
key = os.environ["NAUTOBOT_PEER_TOKEN"]
if not Token.objects.filter(key=key).exists():
    Token.objects.create(user=user, key=key, write_enabled=True, description="infrahub-sync peer check")
PY

# --- the server ---------------------------------------------------------------------------------
PIDFILE="$PEER_DIR/server.pid"
if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  log "server already running (pid $(cat "$PIDFILE"))"
else
  log "starting nautobot-server runserver on 127.0.0.1:$PORT"
  setsid venv/bin/nautobot-server runserver --noreload --insecure "127.0.0.1:$PORT" >"$PEER_DIR/server.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
fi
for _ in $(seq 1 120); do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Token $TOKEN" "http://127.0.0.1:$PORT/api/status/" || true)"
  [ "$code" = 200 ] && break
  sleep 1
done
[ "$code" = 200 ] || { log "server did not answer 200 on /api/status/ (last: $code); see $PEER_DIR/server.log"; exit 1; }

echo "listening on http://127.0.0.1:$PORT"
echo "export NAUTOBOT_ADDRESS=http://127.0.0.1:$PORT NAUTOBOT_TOKEN=\$(cat $PEER_DIR/token)"
