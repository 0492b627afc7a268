#!/usr/bin/env bash
# Stops the real Infrahub that up.sh started (test tooling): task worker, API server, task
# manager and Neo4j by their pid files, each waited for (SIGKILL after 30 s), then its RabbitMQ
# node. The task worker does not exit on SIGTERM (it was killed after 30 s each time here).
# PostgreSQL and redis are shared with the other peers and left running.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PEER_DIR="${INFRAHUB_PEER_DIR:-${PEERS_DIR:-$HERE/../../../.peers}/infrahub}"
RUN="$PEER_DIR/run"
log() { printf '[infrahub-peer] %s\n' "$*" >&2; }

for p in worker server prefect neo4j; do
  f="$RUN/$p.pid"
  [ -s "$f" ] || continue
  pid=$(cat "$f")
  if ! kill -0 "$pid" 2>/dev/null; then rm -f "$f"; continue; fi
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$p (pid $pid) still running after 30 s; killing it"
    kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$f"
  log "$p stopped"
done

if RABBITMQ_NODENAME=infrahub-peer@localhost rabbitmqctl -q status >/dev/null 2>&1; then
  RABBITMQ_NODENAME=infrahub-peer@localhost rabbitmqctl -q stop >/dev/null && log "rabbitmq node stopped"
fi
