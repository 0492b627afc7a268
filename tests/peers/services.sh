# Sourced by the peers' up.sh (test tooling): the Debian services every real peer server uses,
# one PostgreSQL cluster on 5432 and one redis on 6379, shared by all of them.

# The peers' working folder: PEERS_DIR, else .peers/ in the repository (git-ignored).
PEERS_ROOT="${PEERS_DIR:-$(dirname "${BASH_SOURCE[0]}")/../../.peers}"
PEERS_ROOT="$(mkdir -p "$PEERS_ROOT" && cd "$PEERS_ROOT" && pwd)"

# Installs postgresql, redis-server and the extra Debian packages named, and starts both
# services, under one lock so peers brought up together do not race (checkouts that share one
# PEERS_DIR share the lock; apt-get also waits for dpkg's own lock, which covers every checkout).
# -o: the daemons started here must not inherit (and so hold) the lock. Redis keeps its dump file
# in the peers' folder, not in whatever folder up.sh was run from.
peer_services() {
  flock -o "$PEERS_ROOT/services.lock" sh -c '
    need=""
    for p in postgresql redis-server "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"; done
    if [ -n "$need" ]; then
      apt-get -o DPkg::Lock::Timeout=600 update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq $need
    fi
    cluster=$(pg_lsclusters -h | awk "\$3 == 5432 {print \$1\" \"\$2\" \"\$4; exit}")
    set -- $cluster
    [ "${3:-}" = online ] || pg_ctlcluster "$1" "$2" start
    redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG ||
      { redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$0" && sleep 1; }
  ' "$PEERS_ROOT" "$@" >&2
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null
}

psql_admin() { (cd / && su postgres -c "psql -v ON_ERROR_STOP=1 -tAq -c \"$1\""); }

# A login role and a database of the same name, owned by it; an existing role gets the password
# again, so a regenerated password file still works.
peer_database() {
  if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='$1'")" = 1 ]; then
    psql_admin "ALTER ROLE $1 LOGIN PASSWORD '$2'"
  else
    psql_admin "CREATE ROLE $1 LOGIN PASSWORD '$2'"
  fi
  [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='$1'")" = 1 ] ||
    (cd / && su postgres -c "createdb -O $1 $1")
}
