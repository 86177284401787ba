#!/usr/bin/env bash
# Installs the Debian packages of Chit's HA cluster that are missing: PostgreSQL 15,
# Patroni, etcd and HAProxy. Needs root (or sudo). Safe to run again.
set -euo pipefail
need=()
command -v patroni >/dev/null 2>&1 || need+=(patroni)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
/usr/bin/python3 -c 'import psycopg2' >/dev/null 2>&1 || need+=(python3-psycopg2)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${need[@]}"
fi
