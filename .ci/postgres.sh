# Start and stop a private PostgreSQL cluster; exports JITSTUDIO_TEST_PG_URL when it is up.
PG_DIR="${PG_DIR:-$(mktemp -d /tmp/jitstudio-pg.XXXXXX)}"
PG_PORT="${PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)"
}

_as_pg_user() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd -r -M postgres
    chown -R postgres "$PG_DIR"
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

start_postgres() {
  local bin; bin="$(_pg_bin)"
  [ -x "$bin/initdb" ] || { echo "ci: no initdb found"; return 1; }
  mkdir -p "$PG_DIR"
  _as_pg_user "'$bin/initdb' -D '$PG_DIR/data' -U postgres --auth=trust -E UTF8 >'$PG_DIR/initdb.log' 2>&1" || { cat "$PG_DIR/initdb.log"; return 1; }
  _as_pg_user "'$bin/pg_ctl' -D '$PG_DIR/data' -o \"-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off\" -l '$PG_DIR/server.log' -w start" >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
  export JITSTUDIO_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "ci: PostgreSQL up at 127.0.0.1:$PG_PORT"
}

stop_postgres() {
  local bin; bin="$(_pg_bin)"
  [ -d "$PG_DIR/data" ] && _as_pg_user "'$bin/pg_ctl' -D '$PG_DIR/data' -m fast stop" >/dev/null 2>&1 || true
}
