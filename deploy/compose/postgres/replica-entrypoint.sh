#!/usr/bin/env bash
# Streaming replica: on first start copy the primary with pg_basebackup (-R writes standby.signal and
# primary_conninfo), then run postgres as a hot standby. Runs as the postgres user (compose: user: postgres).
set -euo pipefail

: "${PGDATA:?}" "${PRIMARY_HOST:?}" "${POSTGRES_REPLICATION_PASSWORD:?}"
export PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  until pg_isready -h "$PRIMARY_HOST" -p 5432 -U replicator -q; do
    echo "replica: waiting for $PRIMARY_HOST"; sleep 1
  done
  echo "replica: pg_basebackup from $PRIMARY_HOST"
  # -C -S: a physical slot, so the primary keeps the WAL this replica still needs.
  pg_basebackup -h "$PRIMARY_HOST" -p 5432 -U replicator -D "$PGDATA" \
      -R -X stream -C -S "${REPLICATION_SLOT:-replica1}" -c fast
fi
chmod 0700 "$PGDATA"

exec postgres "$@"
