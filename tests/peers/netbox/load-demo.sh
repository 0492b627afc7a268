#!/usr/bin/env bash
# Replaces the peer NetBox's database with the public NetBox demo data (netbox-demo-data's
# netbox-demo-v4.2.sql, passed as the argument), migrates it to the installed NetBox (4.7.x) and
# starts the server again (test tooling). Everything the peer had is dropped.
#
# The v4.2 dump was taken from a development build: it records circuits.0050_virtual_circuits as
# applied but has only two of the three tables the released migration creates
# (circuits_virtualcircuit, circuits_virtualcircuittermination; no circuits_virtualcircuittype),
# so `migrate` to 4.7 stops at circuits.0053_owner with `relation "circuits_virtualcircuittype"
# does not exist`. Both tables are empty in the dump: they are dropped and the migration's record
# deleted, so the released 0050 creates all three again (nothing later in the dump depends on it).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DUMP="${1:?usage: load-demo.sh <netbox-demo-vX.Y.sql>}"
[ -r "$DUMP" ] || { echo "cannot read $DUMP" >&2; exit 2; }
PEER_DIR="${NETBOX_PEER_DIR:-${PEERS_DIR:-$HERE/../../../.peers}/netbox}"
ROOT="$PEER_DIR/root"
log() { printf '[netbox-demo] %s\n' "$*" >&2; }
. "$HERE/../services.sh"
peer_services libpq-dev

PIDFILE="$ROOT/run/gunicorn.pid"
if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  log "stopping gunicorn (pid $(cat "$PIDFILE"))"
  kill "$(cat "$PIDFILE")"
  sleep 3
fi

log "dropping database netbox and loading $(basename "$DUMP")"
(cd / && su postgres -c "dropdb --if-exists netbox")
mkdir -p "$ROOT/secrets" "$ROOT/run"
DB_PASSWORD_FILE="$ROOT/secrets/db-password"
[ -s "$DB_PASSWORD_FILE" ] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DB_PASSWORD_FILE")
peer_database netbox "$(cat "$DB_PASSWORD_FILE")"
(cd / && su postgres -c "psql -q -v ON_ERROR_STOP=1 -d netbox" <"$DUMP" >"$ROOT/run/demo-load.log" 2>&1) || { tail -20 "$ROOT/run/demo-load.log" >&2; exit 1; }

for t in circuits_virtualcircuittermination circuits_virtualcircuit; do
  # In the netbox database (psql_admin would ask the postgres database, which has no such table).
  rows=$(cd / && su postgres -c "psql -tAq -d netbox -c 'SELECT count(*) FROM $t'" 2>/dev/null | tr -d ' ' || echo none)
  [ -n "$rows" ] || rows=none
  [ "$rows" = none ] && continue
  [ "$rows" = 0 ] || { log "$t has $rows rows; not dropping it"; exit 1; }
  (cd / && su postgres -c "psql -q -d netbox -c 'DROP TABLE $t CASCADE'")
done
(cd / && su postgres -c "psql -q -d netbox -c \"DELETE FROM django_migrations WHERE app = 'circuits' AND name = '0050_virtual_circuits'\"")
for t in $(cd / && su postgres -c "psql -tAq -d netbox -c \"SELECT tablename FROM pg_tables WHERE schemaname='public'\""); do
  (cd / && su postgres -c "psql -q -d netbox -c 'ALTER TABLE public.\"$t\" OWNER TO netbox'")
done

# The tokens in peer.env belonged to the dropped database: up.sh makes new ones.
rm -f "$ROOT/peer.env"
log "migrating to the installed NetBox and starting it (up.sh)"
"$HERE/up.sh"
