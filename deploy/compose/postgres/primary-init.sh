#!/usr/bin/env bash
# Runs once, on the primary's first start (docker-entrypoint-initdb.d): the replication role, its pg_hba line
# and the extensions query-monitor reads.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v repl_password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'repl_password';
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SQL

# "all" in pg_hba does not match replication connections; the replica needs its own line.
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
