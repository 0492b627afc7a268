#!/usr/bin/env bash
# Brings up a REAL Infrahub on 127.0.0.1 for checking the Infrahub adapter and stand-in against it
# (test tooling, never part of what users install). Idempotent: reuses the virtualenv, the Neo4j
# jars, the databases, the secrets and any process that is still running.
#
# Docker images are not reachable here, so every piece runs as a plain process:
#   Neo4j 2025.10.1 community  embedded (org.neo4j:neo4j jars from Maven Central) behind a tiny
#                              Java launcher with a Bolt connector on 127.0.0.1:17687, auth off
#                              (the Neo4j server tarball is not on Maven Central);
#   RabbitMQ (Debian)          its own node `infrahub-peer@localhost` on 127.0.0.1:5682;
#   Redis (shared, 6379)       DB 4 for Infrahub's cache;
#   PostgreSQL (shared, 5432)  database `infrahub_prefect` for the task manager;
#   Prefect server             Infrahub's task manager app on 127.0.0.1:14200;
#   Infrahub API server        uvicorn infrahub.server:app on 127.0.0.1:18000;
#   task worker                prefect worker --type infrahubasync --pool infrahub-worker.
# Infrahub 1.11.9 uses no APOC procedures (grep of the installed package), so none is loaded.
set -euo pipefail

INFRAHUB_VERSION="${INFRAHUB_VERSION:-1.11.9}"
NEO4J_VERSION="${NEO4J_VERSION:-2025.10.1}"
HERE="$(cd "$(dirname "$0")" && pwd)"
# Working data: INFRAHUB_PEER_DIR, else $PEERS_DIR/infrahub, else .peers/infrahub in the repository.
PEER_DIR="${INFRAHUB_PEER_DIR:-${PEERS_DIR:-$HERE/../../../.peers}/infrahub}"
PORT="${INFRAHUB_PEER_PORT:-18000}"
BOLT_PORT=17687
AMQP_PORT=5682
PREFECT_PORT=14200
PYTHON="${PEER_PYTHON:-$HOME/.pyenv/versions/3.12.1/bin/python}"
JAVA_HOME_21="${PEER_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

log() { printf '[infrahub-peer] %s\n' "$*" >&2; }
started=$(date +%s)
mkdir -p "$PEER_DIR"
PEER_DIR="$(cd "$PEER_DIR" && pwd)"
VENV="$PEER_DIR/venv"
RUN="$PEER_DIR/run"
SECRETS="$PEER_DIR/secrets"
ENV_FILE="$PEER_DIR/peer.env"
mkdir -p "$RUN" "$SECRETS" "$PEER_DIR/storage" "$PEER_DIR/git" "$PEER_DIR/neo4j-data"
chmod 700 "$SECRETS"
# The services are started from here so that their relative paths land in PEER_DIR.
cd "$PEER_DIR"
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_port() { # host:port, seconds, what
  for _ in $(seq 1 "$2"); do
    (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null && return 0
    sleep 1
  done
  log "$3 did not open $1"; return 1
}
gen() { head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
secret() { [ -s "$SECRETS/$1" ] || (umask 077 && printf '%s' "$2" >"$SECRETS/$1"); cat "$SECRETS/$1"; }

# --- Debian packages and shared services ---------------------------------------------------
. "$HERE/../services.sh"
peer_services rabbitmq-server maven

# --- secrets (never printed) ----------------------------------------------------------------
uuid() { "$PYTHON" -c 'import uuid; print(uuid.uuid4())'; }
BROKER_PASSWORD=$(secret broker-password "$(gen 24)")
PG_PASSWORD=$(secret pg-password "$(gen 24)")
ADMIN_TOKEN=$(secret admin-token "$(uuid)")
AGENT_TOKEN=$(secret agent-token "$(uuid)")
SECRET_KEY=$(secret secret-key "$(gen 48)")
ADMIN_PASSWORD=$(secret admin-password "$(gen 24)")

# --- Neo4j (embedded, Bolt) -----------------------------------------------------------------
L="$PEER_DIR/neo4j-launcher"
mkdir -p "$L/src"
cp "$HERE/neo4j/Neo4jPeer.java" "$L/src/Neo4jPeer.java"
sed "s/@NEO4J_VERSION@/$NEO4J_VERSION/" "$HERE/neo4j/pom.xml" >"$L/pom.xml"
if [ ! -s "$L/lib/neo4j-$NEO4J_VERSION.jar" ]; then
  log "fetching Neo4j $NEO4J_VERSION jars from Maven Central (about 1 min)"
  rm -rf "$L/lib"
  (cd "$L" && JAVA_HOME="$JAVA_HOME_21" mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib >"$RUN/mvn.log" 2>&1) ||
    { tail -20 "$RUN/mvn.log" >&2; exit 1; }
fi
if [ ! -s "$L/classes/Neo4jPeer.class" ] || [ "$L/src/Neo4jPeer.java" -nt "$L/classes/Neo4jPeer.class" ]; then
  "$JAVA_HOME_21/bin/javac" -cp "$L/lib/*" -d "$L/classes" "$L/src/Neo4jPeer.java"
fi
if alive "$RUN/neo4j.pid"; then
  log "neo4j already running (pid $(cat "$RUN/neo4j.pid"))"
else
  nohup "$JAVA_HOME_21/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$L/classes:$L/lib/*" \
    Neo4jPeer "$PEER_DIR/neo4j-data" "$BOLT_PORT" >"$RUN/neo4j.log" 2>&1 </dev/null &
  echo $! >"$RUN/neo4j.pid"
fi

# --- RabbitMQ: a node of its own (the Debian service is left alone) -------------------------
RMQ="$PEER_DIR/rabbitmq"
mkdir -p "$RMQ/mnesia" "$RMQ/log"
(umask 077 && cat >"$RMQ/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
default_user = infrahub
default_pass = $BROKER_PASSWORD
loopback_users = none
EOF
)
echo '[].' >"$RMQ/enabled_plugins"
# rabbitmq-server drops to the rabbitmq user when started as root.
chown -R rabbitmq:rabbitmq "$RMQ"
export RABBITMQ_NODENAME=infrahub-peer@localhost RABBITMQ_CONFIG_FILE="$RMQ/rabbitmq.conf" \
  RABBITMQ_MNESIA_BASE="$RMQ/mnesia" RABBITMQ_LOG_BASE="$RMQ/log" RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ/enabled_plugins" \
  RABBITMQ_DIST_PORT=25682 RABBITMQ_PID_FILE="$RMQ/rabbitmq.pid" ERL_EPMD_ADDRESS=127.0.0.1
if rabbitmqctl -q -n "$RABBITMQ_NODENAME" status >/dev/null 2>&1; then
  log "rabbitmq node already running"
else
  nohup rabbitmq-server >"$RUN/rabbitmq.out" 2>&1 </dev/null &
fi

# --- PostgreSQL database for the task manager -----------------------------------------------
peer_database infrahub_prefect "$PG_PASSWORD"

# --- infrahub-server from PyPI --------------------------------------------------------------
if [ ! -x "$VENV/bin/infrahub" ] || [ "$("$VENV/bin/pip" show infrahub-server 2>/dev/null | sed -n 's/^Version: //p')" != "$INFRAHUB_VERSION" ]; then
  log "installing infrahub-server==$INFRAHUB_VERSION into $VENV (about 1 min)"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q "infrahub-server==$INFRAHUB_VERSION"
fi

# --- environment shared by the task manager, the server and the worker ----------------------
SERVER_ENV="$SECRETS/server.env"
(umask 077 && cat >"$SERVER_ENV" <<EOF
INFRAHUB_PRODUCTION=false
INFRAHUB_LOG_LEVEL=INFO
INFRAHUB_ADDRESS=http://127.0.0.1:$PORT
INFRAHUB_INTERNAL_ADDRESS=http://127.0.0.1:$PORT
INFRAHUB_DB_TYPE=neo4j
INFRAHUB_DB_ADDRESS=127.0.0.1
INFRAHUB_DB_PORT=$BOLT_PORT
INFRAHUB_DB_PROTOCOL=bolt
INFRAHUB_DB_USERNAME=neo4j
INFRAHUB_DB_PASSWORD=unused-auth-is-off
INFRAHUB_BROKER_DRIVER=rabbitmq
INFRAHUB_BROKER_ADDRESS=127.0.0.1
INFRAHUB_BROKER_PORT=$AMQP_PORT
INFRAHUB_BROKER_USERNAME=infrahub
INFRAHUB_BROKER_PASSWORD=$BROKER_PASSWORD
INFRAHUB_BROKER_NAMESPACE=infrahub_peer
INFRAHUB_CACHE_DRIVER=redis
INFRAHUB_CACHE_ADDRESS=127.0.0.1
INFRAHUB_CACHE_PORT=6379
INFRAHUB_CACHE_DATABASE=4
INFRAHUB_WORKFLOW_DRIVER=worker
INFRAHUB_WORKFLOW_ADDRESS=127.0.0.1
INFRAHUB_WORKFLOW_PORT=$PREFECT_PORT
PREFECT_API_URL=http://127.0.0.1:$PREFECT_PORT/api
PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://infrahub_prefect:$PG_PASSWORD@127.0.0.1:5432/infrahub_prefect
PREFECT_SERVER_ANALYTICS_ENABLED=false
PREFECT_SERVER_API_MAX_PARAMETER_SIZE=0
PREFECT_HOME=$PEER_DIR/prefect-home
INFRAHUB_INITIAL_ADMIN_TOKEN=$ADMIN_TOKEN
INFRAHUB_INITIAL_ADMIN_PASSWORD=$ADMIN_PASSWORD
INFRAHUB_INITIAL_AGENT_TOKEN=$AGENT_TOKEN
INFRAHUB_SECURITY_SECRET_KEY=$SECRET_KEY
INFRAHUB_ALLOW_ANONYMOUS_ACCESS=true
INFRAHUB_ANALYTICS_ENABLE=false
INFRAHUB_TELEMETRY_OPTOUT=true
INFRAHUB_STORAGE_DRIVER=local
INFRAHUB_STORAGE_LOCAL_PATH=$PEER_DIR/storage
INFRAHUB_GIT_REPOSITORIES_DIRECTORY=$PEER_DIR/git
INFRAHUB_GIT_GLOBAL_CONFIG_FILE=$PEER_DIR/gitconfig
EOF
)
set -a; . "$SERVER_ENV"; set +a

wait_port 127.0.0.1:$BOLT_PORT 120 neo4j
wait_port 127.0.0.1:$AMQP_PORT 60 rabbitmq

# --- task manager (Prefect server as Infrahub packages it) ----------------------------------
if alive "$RUN/prefect.pid"; then
  log "task manager already running (pid $(cat "$RUN/prefect.pid"))"
else
  nohup "$VENV/bin/uvicorn" --host 127.0.0.1 --port "$PREFECT_PORT" --factory \
    infrahub.prefect_server.app:create_infrahub_prefect >"$RUN/prefect.log" 2>&1 </dev/null &
  echo $! >"$RUN/prefect.pid"
fi
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$PREFECT_PORT/api/health" && break; sleep 1; done
curl -sf -o /dev/null "http://127.0.0.1:$PREFECT_PORT/api/health" || { log "task manager not healthy; see $RUN/prefect.log"; exit 1; }

# --- API server ---------------------------------------------------------------------------
if alive "$RUN/server.pid"; then
  log "infrahub server already running (pid $(cat "$RUN/server.pid"))"
else
  nohup "$VENV/bin/uvicorn" --host 127.0.0.1 --port "$PORT" infrahub.server:app >"$RUN/server.log" 2>&1 </dev/null &
  echo $! >"$RUN/server.pid"
fi
# The first start initialises the database (core schema, accounts, task manager flows): about a
# minute on an idle machine, over ten minutes on a loaded one.
code=000
for _ in $(seq 1 "${INFRAHUB_START_TIMEOUT:-1800}"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/config" || true)
  [ "$code" = 200 ] && break
  alive "$RUN/server.pid" || break
  sleep 1
done
[ "$code" = 200 ] || { log "Infrahub did not answer /api/config within ${INFRAHUB_START_TIMEOUT:-1800} s (last HTTP $code); see $RUN/server.log"; tail -30 "$RUN/server.log" >&2; exit 1; }

# --- task worker --------------------------------------------------------------------------
if alive "$RUN/worker.pid"; then
  log "task worker already running (pid $(cat "$RUN/worker.pid"))"
else
  INFRAHUB_API_TOKEN="$AGENT_TOKEN" INFRAHUB_TIMEOUT=60 nohup "$VENV/bin/prefect" worker start \
    --type infrahubasync --pool infrahub-worker --with-healthcheck >"$RUN/worker.log" 2>&1 </dev/null &
  echo $! >"$RUN/worker.pid"
fi

# --- client env (address and admin token), mode 600 ---------------------------------------
(umask 077 && printf 'INFRAHUB_ADDRESS=http://127.0.0.1:%s\nINFRAHUB_API_TOKEN=%s\n' "$PORT" "$ADMIN_TOKEN" >"$ENV_FILE")

# --- the project's schema, through the API as infrahubctl schema load does ------------------
if [ "${SKIP_SCHEMA:-0}" != 1 ]; then
  (cd "$HERE/../../.." && INFRAHUB_ADDRESS="http://127.0.0.1:$PORT" INFRAHUB_API_TOKEN="$ADMIN_TOKEN" npx --no-install tsx tests/peers/infrahub/load-schema.ts "${INFRAHUB_PEER_SCHEMA:-configs/schemas}") \
    || { log "schema load failed"; exit 1; }
fi

log "Infrahub $INFRAHUB_VERSION up in $(($(date +%s) - started)) s"
echo "listening on http://127.0.0.1:$PORT"
echo "token: set -a; . $ENV_FILE; set +a   # INFRAHUB_ADDRESS, INFRAHUB_API_TOKEN"
