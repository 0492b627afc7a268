#!/usr/bin/env bash
# Brings up a REAL NetBox on 127.0.0.1 for checking the NetBox adapter against it (test tooling,
# never part of what users install). Idempotent: reuses the virtualenv, database, instance
# directory, tokens and a running server when they exist.
#
# PyPI carries NetBox only from 4.7.0 on (pip index versions netbox), so this installs 4.7.x,
# the nearest release to the 4.1 the stand-in imitates.
#
# Shares one PostgreSQL cluster (5432) and one redis-server (6379) with the Nautobot peer;
# every apt-get and every service start runs under one lock (services.sh). NetBox uses database
# `netbox` (role `netbox`) and redis DBs 2 (tasks) and 3 (caching).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

NETBOX_VERSION="${NETBOX_VERSION:-4.7.3}"
# Working data: NETBOX_PEER_DIR, else $PEERS_DIR/netbox, else .peers/netbox in the repository.
PEER_DIR="${NETBOX_PEER_DIR:-${PEERS_DIR:-$HERE/../../../.peers}/netbox}"
mkdir -p "$PEER_DIR"
PEER_DIR="$(cd "$PEER_DIR" && pwd)"
PORT="${NETBOX_PEER_PORT:-18081}"
PYTHON="${PEER_PYTHON:-$HOME/.pyenv/versions/3.12.1/bin/python}"
VENV="$PEER_DIR/venv"
ROOT="$PEER_DIR/root"
ENV_FILE="$ROOT/peer.env"
DB_PASSWORD_FILE="$ROOT/secrets/db-password"

log() { printf '[netbox-peer] %s\n' "$*" >&2; }
started=$(date +%s)
mkdir -p "$ROOT/conf" "$ROOT/secrets" "$ROOT/run" "$ROOT/media" "$ROOT/reports" "$ROOT/scripts" "$ROOT/static"
chmod 700 "$ROOT/secrets"

# --- Debian services (shared) ------------------------------------------------------------
. "$HERE/../services.sh"
peer_services libpq-dev

# --- database ---------------------------------------------------------------------------
[ -s "$DB_PASSWORD_FILE" ] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DB_PASSWORD_FILE")
DB_PASSWORD=$(cat "$DB_PASSWORD_FILE")
peer_database netbox "$DB_PASSWORD"

# --- NetBox from PyPI --------------------------------------------------------------------
if [ ! -x "$VENV/bin/netbox" ] || [ "$("$VENV/bin/netbox" version 2>/dev/null)" != "$NETBOX_VERSION" ]; then
  log "installing netbox==$NETBOX_VERSION into $VENV (about 75 s)"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q "netbox==$NETBOX_VERSION"
fi

# --- instance configuration (outside the repository) -------------------------------------
gen() { head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
[ -s "$ROOT/secrets/secret-key" ] || (umask 077 && gen 60 >"$ROOT/secrets/secret-key")
[ -s "$ROOT/secrets/pepper" ] || (umask 077 && gen 64 >"$ROOT/secrets/pepper")
: >"$ROOT/conf/__init__.py"
cat >"$ROOT/conf/configuration.py" <<'PY'
# Local NetBox for the infrahub-sync-ts peer check; written by tests/peers/netbox/up.sh.
import os

_SECRETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'secrets')


def _secret(name):
    with open(os.path.join(_SECRETS, name)) as f:
        return f.read().strip()


ALLOWED_HOSTS = ['127.0.0.1', 'localhost']
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'netbox',
        'USER': 'netbox',
        'PASSWORD': _secret('db-password'),
        'HOST': '127.0.0.1',
        'PORT': '5432',
        'CONN_MAX_AGE': 300,
    }
}
REDIS = {
    'tasks': {'HOST': '127.0.0.1', 'PORT': 6379, 'USERNAME': '', 'PASSWORD': '', 'DATABASE': 2, 'SSL': False},
    'caching': {'HOST': '127.0.0.1', 'PORT': 6379, 'USERNAME': '', 'PASSWORD': '', 'DATABASE': 3, 'SSL': False},
}
SECRET_KEY = _secret('secret-key')
API_TOKEN_PEPPERS = {1: _secret('pepper')}
CENSUS_REPORTING_ENABLED = False
RELEASE_CHECK_URL = None
ISOLATED_DEPLOYMENT = True
PY

export NETBOX_ROOT="$ROOT"
nb() { (cd "$ROOT" && "$VENV/bin/netbox" "$@"); }

log "migrating (first run: a few minutes)"
nb migrate --no-input >"$ROOT/run/migrate.log" 2>&1 || { tail -20 "$ROOT/run/migrate.log" >&2; exit 1; }

# --- superuser and API tokens (v1 `Token <40 chars>` and v2 `Bearer nbt_<key>.<secret>`) ----
if [ ! -s "$ENV_FILE" ]; then
  V1=$(gen 40)
  nb shell --no-imports -c "
from users.models import Token, User
u, _ = User.objects.get_or_create(username='admin', defaults={'is_superuser': True})
u.is_superuser = True; u.set_password('$(gen 24)'); u.save()
Token.objects.filter(user=u, description__startswith='peer-check').delete()
Token(user=u, version=1, token='$V1', description='peer-check v1').save()
t = Token(user=u, version=2, description='peer-check v2'); t.save()
print('V2=nbt_' + t.key + '.' + t.token)
" >"$ROOT/run/token.out"
  V2=$(sed -n 's/^V2=//p' "$ROOT/run/token.out")
  rm -f "$ROOT/run/token.out"
  (umask 077 && printf 'NETBOX_ADDRESS=http://127.0.0.1:%s\nNETBOX_TOKEN=%s\nNETBOX_TOKEN_V1=%s\n' "$PORT" "$V2" "$V1" >"$ENV_FILE")
fi

# --- WSGI server (gunicorn) -------------------------------------------------------------
PIDFILE="$ROOT/run/gunicorn.pid"
if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  log "gunicorn already running (pid $(cat "$PIDFILE"))"
else
  (cd "$ROOT" && "$VENV/bin/gunicorn" netbox.wsgi --bind "127.0.0.1:$PORT" --workers 4 --threads 2 \
    --timeout 300 --pid "$PIDFILE" --daemon --access-logfile "$ROOT/run/access.log" --error-logfile "$ROOT/run/error.log")
fi
set -a; . "$ENV_FILE"; set +a
for _ in $(seq 1 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $NETBOX_TOKEN" "http://127.0.0.1:$PORT/api/status/" || true)
  [ "$code" = 200 ] && break
  sleep 1
done
[ "$code" = 200 ] || { log "NetBox did not answer /api/status/ (last HTTP $code); see $ROOT/run/error.log"; exit 1; }

log "NetBox $("$VENV/bin/netbox" version) up in $(($(date +%s) - started)) s"
echo "listening on http://127.0.0.1:$PORT"
echo "token: set -a; . $ENV_FILE; set +a   # NETBOX_ADDRESS, NETBOX_TOKEN (v2), NETBOX_TOKEN_V1"
