# Sourced by the peers' up.sh (test tooling): the Debian services every real peer server uses,
# one PostgreSQL cluster on 5432 and one redis on 6379, shared by all of them.

# Installs postgresql, redis-server and the extra Debian packages named, and starts both
# services. -o: the daemons started here must not inherit (and so hold) the lock. Redis keeps its
# dump file in /tmp, not in whatever folder up.sh was run from.
peer_services() {
  flock -o /tmp/apt.lock sh -c '
    need=""
    for p in postgresql redis-server "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"; done
    if [ -n "$need" ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need
    fi
    cluster=$(pg_lsclusters -h | awk "\$3 == 5432 {print \$1\" \"\$2\" \"\$4; exit}")
    set -- $cluster
    [ "${3:-}" = online ] || pg_ctlcluster "$1" "$2" start
    redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG ||
      { redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir /tmp && sleep 1; }
  ' sh "$@" >&2
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null
}

psql_admin() { (cd /tmp && su postgres -c "psql -v ON_ERROR_STOP=1 -tAq -c \"$1\""); }

# A login role and a database of the same name, owned by it; an existing role gets the password
# again, so a regenerated password file still works.
peer_database() {
  if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='$1'")" = 1 ]; then
    psql_admin "ALTER ROLE $1 LOGIN PASSWORD '$2'"
  else
    psql_admin "CREATE ROLE $1 LOGIN PASSWORD '$2'"
  fi
  [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='$1'")" = 1 ] ||
    (cd /tmp && su postgres -c "createdb -O $1 $1")
}
