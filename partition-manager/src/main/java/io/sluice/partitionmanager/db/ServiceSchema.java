package io.sluice.partitionmanager.db;

import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * The service's own schema ({@value #SCHEMA}): set definitions, run history, archives, conversions and the fencing
 * token. Created at start-up (on the main thread, before HTTP opens); every statement is idempotent.
 */
@ApplicationScoped
public class ServiceSchema {

    public static final String SCHEMA = "sluice_partman";

    private static final Logger LOG = Logger.getLogger(ServiceSchema.class);

    private static final String DDL = """
            CREATE SCHEMA IF NOT EXISTS sluice_partman;
            CREATE TABLE IF NOT EXISTS sluice_partman.partition_set (
                schema_name text NOT NULL, table_name text NOT NULL, column_name text NOT NULL,
                interval_name text NOT NULL, premake int NOT NULL, retention_keep text, retention_mode text,
                archive_store text, archive_path text, timezone text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (schema_name, table_name));
            CREATE TABLE IF NOT EXISTS sluice_partman.run (
                id bigserial PRIMARY KEY, set_name text, trigger text NOT NULL, started_at timestamptz NOT NULL,
                duration_ms bigint NOT NULL, outcome text NOT NULL, lock_mode text, fencing_token bigint,
                statements jsonb NOT NULL, error text);
            CREATE INDEX IF NOT EXISTS run_outcome_id ON sluice_partman.run (outcome, id);
            ALTER TABLE sluice_partman.run ADD COLUMN IF NOT EXISTS instance text;
            CREATE TABLE IF NOT EXISTS sluice_partman.fence (id int PRIMARY KEY, token bigint NOT NULL);
            INSERT INTO sluice_partman.fence VALUES (1, 0) ON CONFLICT DO NOTHING;
            CREATE TABLE IF NOT EXISTS sluice_partman.archive (
                id uuid PRIMARY KEY, schema_name text NOT NULL, table_name text NOT NULL,
                partition_name text NOT NULL, range_from text NOT NULL, range_to text NOT NULL,
                row_count bigint NOT NULL, columns jsonb NOT NULL, schema_hash text NOT NULL, sha256 text NOT NULL,
                content_digest text NOT NULL, store text NOT NULL, location text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(), restored_at timestamptz);
            CREATE TABLE IF NOT EXISTS sluice_partman.conversion (
                id uuid PRIMARY KEY, schema_name text NOT NULL, table_name text NOT NULL, column_name text NOT NULL,
                interval_name text NOT NULL, key_column text NOT NULL, batch_size int NOT NULL,
                phase text NOT NULL, last_key text, copied_rows bigint NOT NULL DEFAULT 0,
                total_rows bigint NOT NULL DEFAULT 0, replayed_changes bigint NOT NULL DEFAULT 0,
                started_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
                finished_at timestamptz, error text);
            ALTER TABLE sluice_partman.conversion ADD COLUMN IF NOT EXISTS key_columns text[],
                ADD COLUMN IF NOT EXISTS last_key_parts text[], ADD COLUMN IF NOT EXISTS throttle_ms int NOT NULL DEFAULT 0,
                ADD COLUMN IF NOT EXISTS accepted text[], ADD COLUMN IF NOT EXISTS equivalence_passed boolean,
                ADD COLUMN IF NOT EXISTS equivalence_compared int, ADD COLUMN IF NOT EXISTS equivalence_differences text[],
                ADD COLUMN IF NOT EXISTS swap_lock_ms bigint,
                ADD COLUMN IF NOT EXISTS swap_lock_wait_ms bigint, ADD COLUMN IF NOT EXISTS swap_attempts int,
                ADD COLUMN IF NOT EXISTS swap_tail_changes bigint, ADD COLUMN IF NOT EXISTS swap_rechecked_keys bigint;
            """;

    private final DataSource dataSource;

    public ServiceSchema(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            // Two instances starting together must not race on CREATE ... IF NOT EXISTS (it is not atomic).
            st.execute("SELECT pg_advisory_xact_lock(hashtext('sluice_partman.schema'))");
            st.execute(DDL);
            c.commit();
            c.setAutoCommit(true);
        }
        LOG.infof("Schema %s ready", SCHEMA);
    }
}
