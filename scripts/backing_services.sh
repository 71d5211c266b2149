#!/usr/bin/env bash
# The scaled profile's backing services on this machine: Debian's PostgreSQL (records + Rasa's
# trackers) and Redis (Rasa's lock store), both on loopback, their data under var/backing/.
#   scripts/backing_services.sh start    install with apt-get when missing, start both (no-op when running)
#   scripts/backing_services.sh stop     stop both (`start|stop postgres|redis`: only one)
#   scripts/backing_services.sh restart postgres   pg_ctl restart -m fast (the restart test uses it)
#   scripts/backing_services.sh status   say what runs where; exit 1 when one is down
#   scripts/backing_services.sh env      DATABASE_URL=... and REDIS_URL=... lines (for `set -a; eval`)
#   scripts/backing_services.sh env --test   TEST_DATABASE_URL=... and TEST_REDIS_URL=... (the tests' own)
# Ports: BACKING_PG_PORT (default 55432) and BACKING_REDIS_PORT (default 56379); a taken port is
# replaced by a free one, remembered in var/backing/*.port. BACKING_DIR moves the data elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
backing=${BACKING_DIR:-$root/var/backing}
# The cluster lives in var/backing/postgres unless Debian's `postgres` user cannot reach the
# repository (a clone under /root): then under its home, the path remembered in postgres.datadir.
pgdata=$(cat "$backing/postgres.datadir" 2>/dev/null || echo "$backing/postgres")
pglog=$pgdata.log
redis_dir=$backing/redis
db_name=assistant
test_db_name=assistant_test
db_role=assistant

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

die() { echo "error: $*" >&2; exit 1; }

pg_bin() {
  # The newest server Debian installed (postgresql-NN puts its binaries here, not on PATH).
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_missing() {
  local packages=()
  pg_bin >/dev/null || packages+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
  [ ${#packages[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    die "${packages[*]} missing and apt-get is not available.
       Install Debian/Ubuntu's 'postgresql' and 'redis-server' packages (or point DATABASE_URL and
       REDIS_URL at servers you run yourself)."
  fi
  echo "==> Installing ${packages[*]} with apt-get (scaled profile: records and trackers, Rasa's lock store; $(date +%H:%M:%S))"
  # Debian's packages try to start their own system instances; we run ours, so ask them not to.
  if ! "${sudo[@]}" env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null; then
    "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null || \
      die "could not install ${packages[*]} with apt-get; install them by hand: apt-get install ${packages[*]}"
  fi
  pg_bin >/dev/null || die "postgresql is installed but no server was found under /usr/lib/postgresql/*/bin"
}

# initdb and the server refuse to run as root: as root we run them as Debian's `postgres` user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    getent passwd postgres >/dev/null || die "no 'postgres' user; reinstall Debian's postgresql package"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  # The first port above the default that nothing listens on (no Python needed here).
  local port=$1
  for _ in $(seq 200); do
    port=$((port + 1))
    port_taken "$port" || { echo "$port"; return 0; }
  done
  die "no free port found above $1; set BACKING_PG_PORT / BACKING_REDIS_PORT"
}

# The port to start on: the remembered one, else the default, else any free one.
choose_port() {
  local file=$1 default=$2 port
  port=$(cat "$file" 2>/dev/null || echo "$default")
  if port_taken "$port"; then
    port=$default
    port_taken "$port" && port=$(free_port "$default")
  fi
  echo "$port" > "$file"
  echo "$port"
}

secret() { head -c 18 /dev/urandom | base64 | tr -d '/+=' ; }

pg_running() {
  local bin; bin=$(pg_bin) || return 1
  [ -f "$pgdata/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1
}

pg_port() { cat "$backing/postgres.port"; }

psql_admin() {
  # As the cluster's superuser over loopback TCP (no Unix socket: the cluster makes none).
  PGPASSWORD=$(cat "$backing/postgres.superuser") "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$(pg_port)" -U postgres -d postgres "$@"
}

start_postgres() {
  local bin; bin=$(pg_bin)
  if pg_running; then return 0; fi
  mkdir -p "$backing"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$backing" 2>/dev/null; then
      pgdata=/var/lib/postgresql/gov-assistant-$(echo "$backing" | sha256sum | cut -c1-12)/data
      pglog=$pgdata.log
      mkdir -p "$(dirname "$pgdata")"; chown postgres "$(dirname "$pgdata")"
      echo "$pgdata" > "$backing/postgres.datadir"
    fi
    echo "==> Creating a PostgreSQL cluster in ${pgdata#$root/}"
    rm -rf "$pgdata"
    mkdir -p "$pgdata"
    ( umask 077; [ -f "$backing/postgres.superuser" ] || secret > "$backing/postgres.superuser"
      [ -f "$backing/postgres.assistant" ] || secret > "$backing/postgres.assistant" )
    local pwfile; pwfile=$(mktemp)
    cp "$backing/postgres.superuser" "$pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$pgdata" "$pwfile"; fi
    chmod 700 "$pgdata"
    as_pg "$bin/initdb" -D "$pgdata" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$backing/initdb.log" 2>&1 || {
        rm -f "$pwfile"; cat "$backing/initdb.log" >&2; die "initdb failed (log above)"; }
    rm -f "$pwfile"
    # Loopback only, no Unix socket (its default folder may not exist or be ours), small footprint.
    cat >>"$pgdata/postgresql.conf" <<EOF

# scripts/backing_services.sh: local scaled profile
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 100
shared_buffers = 64MB
fsync = on
logging_collector = off
EOF
  fi
  local port; port=$(choose_port "$backing/postgres.port" "${BACKING_PG_PORT:-55432}")
  if [ "$(id -u)" -eq 0 ]; then touch "$pglog"; chown postgres "$pglog"; fi
  as_pg "$bin/pg_ctl" -D "$pgdata" -o "-p $port" -l "$pglog" -w -t 60 start >/dev/null || {
    tail -20 "$pglog" >&2; die "PostgreSQL did not start (log: ${pglog#$root/})"; }
  ensure_database
  echo "==> PostgreSQL running on 127.0.0.1:$port (data ${pgdata#$root/})"
}

ensure_database() {
  # The product's role and its two databases (the running system's and the tests'); idempotent.
  local password; password=$(cat "$backing/postgres.assistant")
  psql_admin <<EOF
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$db_role', '$password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$db_role') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', '$db_role', '$password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, '$db_role') FROM unnest(ARRAY['$db_name', '$test_db_name']) AS d
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
EOF
}

redis_running() {
  [ -f "$backing/redis.pid" ] && kill -0 "$(cat "$backing/redis.pid")" 2>/dev/null
}

start_redis() {
  if redis_running; then return 0; fi
  mkdir -p "$redis_dir"
  local port; port=$(choose_port "$backing/redis.port" "${BACKING_REDIS_PORT:-56379}")
  # Rasa keeps only short-lived conversation locks here: no snapshots, no append-only file.
  cat >"$backing/redis.conf" <<EOF
# Written by scripts/backing_services.sh
bind 127.0.0.1
protected-mode yes
port $port
daemonize yes
pidfile $backing/redis.pid
logfile $backing/redis.log
dir $redis_dir
save ""
appendonly no
databases 16
maxmemory 64mb
EOF
  redis-server "$backing/redis.conf" || die "redis-server did not start (log: ${backing#$root/}/redis.log)"
  local waited=0
  until redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; do
    sleep 0.1; waited=$((waited + 1))
    [ $waited -lt 100 ] || die "Redis did not answer on 127.0.0.1:$port (log: ${backing#$root/}/redis.log)"
  done
  echo "==> Redis running on 127.0.0.1:$port"
}

stop_postgres() {
  local bin
  if bin=$(pg_bin) && pg_running; then
    as_pg "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null && echo "==> PostgreSQL stopped"
  fi
}

restart_postgres() {
  # What the restart test does to the server under load: sessions are cut (-m fast), then it is back.
  pg_running || die "PostgreSQL is not running; start it first: $0 start"
  as_pg "$(pg_bin)/pg_ctl" -D "$pgdata" -o "-p $(pg_port)" -l "$pglog" -m fast -w -t 60 restart >/dev/null || {
    tail -20 "$pglog" >&2; die "PostgreSQL did not restart (log: ${pglog#$root/})"; }
  echo "==> PostgreSQL restarted on 127.0.0.1:$(pg_port)"
}

stop_redis() {
  if redis_running; then
    local pid; pid=$(cat "$backing/redis.pid")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "==> Redis stopped"
  fi
}

status() {
  local code=0
  if pg_running; then echo "postgresql: running on 127.0.0.1:$(pg_port) (${pgdata#$root/})"
  else echo "postgresql: stopped"; code=1; fi
  if redis_running; then echo "redis: running on 127.0.0.1:$(cat "$backing/redis.port") (pid $(cat "$backing/redis.pid"))"
  else echo "redis: stopped"; code=1; fi
  return $code
}

print_env() {
  pg_running && redis_running || die "the backing services are not running; start them: scripts/backing_services.sh start"
  local password; password=$(cat "$backing/postgres.assistant")
  local pg="postgresql+psycopg://$db_role:$password@127.0.0.1:$(pg_port)"
  local redis="redis://127.0.0.1:$(cat "$backing/redis.port")"
  if [ "${1:-}" = "--test" ]; then
    echo "TEST_DATABASE_URL=$pg/$test_db_name"
    echo "TEST_REDIS_URL=$redis/15"
  else
    echo "DATABASE_URL=$pg/$db_name"
    echo "REDIS_URL=$redis/1"
  fi
}

case "${1:-} ${2:-}" in
  "start "|"start all") install_missing; start_postgres; start_redis ;;
  "start postgres") install_missing; start_postgres ;;
  "start redis") install_missing; start_redis ;;
  "stop "|"stop all") stop_postgres; stop_redis ;;
  "stop postgres") stop_postgres ;;
  "stop redis") stop_redis ;;
  "restart postgres") restart_postgres ;;
  "status ") status ;;
  "env "|"env --test") print_env "${2:-}" ;;
  *) echo "usage: $0 start|stop [postgres|redis] | restart postgres | status | env [--test]" >&2; exit 2 ;;
esac
