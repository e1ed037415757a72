#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster on this machine, for the history's tests and for trying a
# shared history (see docs/history.md).
#
#   scripts/postgres-local.sh up       install (Debian packages) when missing, create, start; idempotent.
#                                      The last line printed is the JDBC URL, credentials included:
#                                        [history]
#                                        url = "<that line>"
#   scripts/postgres-local.sh url      print the URL of the running cluster
#   scripts/postgres-local.sh status   whether it runs
#   scripts/postgres-local.sh restart  stop it (fast: clients are disconnected) and start it again, data kept
#   scripts/postgres-local.sh down     stop it and delete its data (it is throw-away)
#
# It listens on 127.0.0.1 only (port $SLUICE_POSTGRES_PORT, default 55432), keeps everything
# under $SLUICE_POSTGRES_DIR (default /var/tmp/sluice-postgres), and runs with fsync off: a
# machine crash may lose it, which is what throw-away means. Run as root, the server runs as the
# `postgres` user the Debian package creates (PostgreSQL refuses to run as root).
set -euo pipefail

readonly PORT=${SLUICE_POSTGRES_PORT:-55432}
readonly BASE=${SLUICE_POSTGRES_DIR:-/var/tmp/sluice-postgres}
readonly DATA=$BASE/data
readonly LOG=$BASE/postgres.log
readonly PASSWORD_FILE=$BASE/password
readonly BIN=/usr/lib/postgresql/15/bin
readonly DB_USER=sluice
readonly DB_NAME=sluice

started_at=$SECONDS

say() { echo "[postgres-local +$((SECONDS - started_at))s] $*" >&2; }
die() { echo "[postgres-local] error: $*" >&2; exit 1; }

# As the server's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_packages() {
  [[ -x $BIN/postgres ]] && return
  [[ $(id -u) == 0 ]] || die "PostgreSQL 15 is not installed; run '$0 up' as root once to install it"
  say "installing postgresql-15"
  local apt=(apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends postgresql-15 postgresql-client-15)
  if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" >/tmp/postgres-local-apt.log 2>&1; then
    # A fresh machine (or container) often has no package lists yet.
    say "install failed; updating package lists and trying again"
    apt-get -o DPkg::Lock::Timeout=900 update -q >>/tmp/postgres-local-apt.log 2>&1 \
      || { tail -20 /tmp/postgres-local-apt.log; die "apt-get update failed (log: /tmp/postgres-local-apt.log)"; }
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" >>/tmp/postgres-local-apt.log 2>&1 \
      || { tail -20 /tmp/postgres-local-apt.log; die "cannot install postgresql-15 (log: /tmp/postgres-local-apt.log)"; }
  fi
  [[ -x $BIN/postgres ]] || die "postgresql-15 is installed but $BIN/postgres is missing"
}

running() {
  [[ -f $DATA/PG_VERSION ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() {
  echo "jdbc:postgresql://127.0.0.1:$PORT/$DB_NAME?user=$DB_USER&password=$(cat "$PASSWORD_FILE")"
}

create_cluster() {
  say "creating a cluster in $DATA"
  mkdir -p "$BASE"
  # A random password: the cluster is reachable by every local user, the password file by its owner only.
  (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$PASSWORD_FILE")
  if [[ $(id -u) == 0 ]]; then
    chown -R postgres:postgres "$BASE"
  fi
  as_owner "$BIN/initdb" -D "$DATA" -U "$DB_USER" --pwfile="$PASSWORD_FILE" --auth=scram-sha-256 \
    -E UTF8 --locale=C >"$BASE/initdb.log" 2>&1 || { tail -20 "$BASE/initdb.log" >&2; die "initdb failed"; }
}

up() {
  install_packages
  [[ -f $DATA/PG_VERSION ]] || create_cluster
  if ! running; then
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
      die "port $PORT is taken by another program; choose another with SLUICE_POSTGRES_PORT"
    fi
    say "starting PostgreSQL 15 on 127.0.0.1:$PORT"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $PORT -k $BASE -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >/dev/null || { tail -20 "$LOG" >&2; die "PostgreSQL did not start (log: $LOG)"; }
  fi
  if ! PGPASSWORD=$(cat "$PASSWORD_FILE") "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    PGPASSWORD=$(cat "$PASSWORD_FILE") "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -qc \
      "CREATE DATABASE $DB_NAME" >/dev/null || die "cannot create the database $DB_NAME"
  fi
  say "ready"
  url
}

restart() {
  running || die "not running: start it with '$0 up'"
  say "restarting"
  as_owner "$BIN/pg_ctl" -D "$DATA" -w -m fast stop >/dev/null
  up >/dev/null
  say "restarted"
}

down() {
  if running; then
    say "stopping"
    as_owner "$BIN/pg_ctl" -D "$DATA" -w -m fast stop >/dev/null
  fi
  rm -rf "$BASE"
  say "removed $BASE"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  restart) restart ;;
  url) running || die "not running: start it with '$0 up'"; url ;;
  status) if running; then echo "running on 127.0.0.1:$PORT ($DATA)"; else echo "not running"; exit 1; fi ;;
  *)
    echo "usage: $0 up|down|restart|url|status" >&2
    exit 2
    ;;
esac
