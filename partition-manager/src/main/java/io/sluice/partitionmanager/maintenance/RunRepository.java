package io.sluice.partitionmanager.maintenance;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.common.fleet.InstanceName;
import io.sluice.partitionmanager.config.PartitionManagerConfig;
import io.sluice.partitionmanager.db.ExecutedStatement;

/** The bounded run history: successes and failures are each cut to their own limit, failures kept longer. */
@ApplicationScoped
public class RunRepository {

    private static final String INSERT = """
            INSERT INTO sluice_partman.run (set_name, trigger, started_at, duration_ms, outcome, lock_mode,
              fencing_token, statements, error, instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) RETURNING id""";

    /** Keeps the newest N of one class (ok / not ok); the index on (outcome, id) serves it. */
    private static final String PRUNE = """
            DELETE FROM sluice_partman.run WHERE (outcome = 'OK') = ? AND id < (
              SELECT id FROM sluice_partman.run WHERE (outcome = 'OK') = ? ORDER BY id DESC OFFSET ? LIMIT 1)""";

    private static final String LIST = """
            SELECT id, set_name, trigger, started_at, duration_ms, outcome, lock_mode, fencing_token, statements, error,
              instance
            FROM sluice_partman.run WHERE (?::text IS NULL OR set_name = ?) AND (?::text IS NULL OR outcome = ?)
            ORDER BY id DESC LIMIT ?""";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final PartitionManagerConfig config;

    public RunRepository(DataSource dataSource, ObjectMapper json, PartitionManagerConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
    }

    public RunRecord save(RunRecord run) throws SQLException {
        try (var c = dataSource.getConnection()) {
            long id;
            try (var st = c.prepareStatement(INSERT)) {
                st.setString(1, run.set());
                st.setString(2, run.trigger());
                st.setTimestamp(3, Timestamp.from(run.startedAt()));
                st.setLong(4, run.durationMs());
                st.setString(5, run.outcome().name());
                st.setString(6, run.lockMode());
                st.setObject(7, run.fencingToken());
                st.setString(8, json.writeValueAsString(run.statements()));
                st.setString(9, run.error());
                st.setString(10, InstanceName.current());
                try (var rs = st.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            boolean ok = run.outcome() == RunRecord.Outcome.OK;
            try (var st = c.prepareStatement(PRUNE)) {
                st.setBoolean(1, ok);
                st.setBoolean(2, ok);
                st.setInt(3, (ok ? config.history().keepSuccesses() : config.history().keepErrors()) - 1);
                st.executeUpdate();
            }
            return new RunRecord(id, run.set(), run.trigger(), run.startedAt(), run.durationMs(), run.outcome(),
                    run.lockMode(), run.fencingToken(), run.statements(), run.error(), InstanceName.current());
        }
    }

    public List<RunRecord> list(String set, RunRecord.Outcome outcome, int limit) throws SQLException {
        try (var c = dataSource.getConnection(); var st = c.prepareStatement(LIST)) {
            String o = outcome == null ? null : outcome.name();
            st.setString(1, set);
            st.setString(2, set);
            st.setString(3, o);
            st.setString(4, o);
            st.setInt(5, limit);
            List<RunRecord> runs = new ArrayList<>();
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    List<ExecutedStatement> statements = json.readValue(rs.getString("statements"),
                            new TypeReference<List<ExecutedStatement>>() {
                            });
                    runs.add(new RunRecord(rs.getLong("id"), rs.getString("set_name"), rs.getString("trigger"),
                            rs.getTimestamp("started_at").toInstant(), rs.getLong("duration_ms"),
                            RunRecord.Outcome.valueOf(rs.getString("outcome")), rs.getString("lock_mode"),
                            (Long) rs.getObject("fencing_token"), statements, rs.getString("error"),
                            rs.getString("instance")));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return runs;
        }
    }
}
