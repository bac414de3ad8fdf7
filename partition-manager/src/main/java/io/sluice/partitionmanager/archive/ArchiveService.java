package io.sluice.partitionmanager.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.common.hash.Hashes;
import io.sluice.common.problem.ProblemException;
import io.sluice.partitionmanager.PartitionManagerProblem;
import io.sluice.partitionmanager.db.Catalog;
import io.sluice.partitionmanager.metrics.PartitionManagerMetrics;
import io.sluice.partitionmanager.policy.ArchiveTarget;
import io.sluice.partitionmanager.policy.SqlIdentifier;

/**
 * Exports a partition with COPY into a gzip file of a store, writes its manifest, then reads the stored file back
 * and checks SHA-256, row count and row digest. Only a verified archive lets retention detach or drop.
 */
@ApplicationScoped
public class ArchiveService {

    private static final Logger LOG = Logger.getLogger(ArchiveService.class);

    private final Map<String, ArchiveStore> stores;
    private final ArchiveRepository repository;
    private final Catalog catalog;
    private final ObjectMapper json;
    private final Clock clock;
    private final PartitionManagerMetrics metrics;

    public ArchiveService(Instance<ArchiveStore> stores, ArchiveRepository repository, Catalog catalog,
            ObjectMapper json, Clock clock, PartitionManagerMetrics metrics) {
        this.stores = stores.stream().collect(Collectors.toMap(ArchiveStore::name, s -> s));
        this.repository = repository;
        this.catalog = catalog;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
    }

    public boolean hasStore(String name) {
        return stores.containsKey(name);
    }

    public static String fileName(UUID id) {
        return id + ".copy.gz";
    }

    /** Exports and verifies; throws (and archives nothing usable) when the stored file does not read back intact. */
    public ArchiveManifest archive(Connection c, ArchiveTarget target, String schema, String table, String partitionSchema,
            String partition, String from, String to) throws SQLException, IOException {
        ArchiveStore store = store(target.store());
        var info = catalog.table(c, partitionSchema, partition).orElseThrow(
                () -> new IllegalStateException("partition " + partition + " vanished"));
        List<ArchiveManifest.Column> columns = new ArrayList<>();
        info.columnTypes().forEach((name, type) -> columns.add(new ArchiveManifest.Column(name, type)));
        UUID id = UUID.randomUUID();
        String file = fileName(id);
        String copy = "COPY %s.%s (%s) TO STDOUT".formatted(SqlIdentifier.quote(partitionSchema),
                SqlIdentifier.quote(partition), columnList(columns));
        MessageDigest sha = sha256();
        RowDigest rows = new RowDigest();
        try (OutputStream out = store.create(target.path(), file);
                var digesting = new DigestOutputStream(out, sha);
                var gzip = new GZIPOutputStream(digesting, 1 << 16)) {
            c.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, new Tee(gzip, rows));
        }
        var manifest = new ArchiveManifest(id, schema, table, partition, from, to, rows.rows(), columns,
                schemaHash(columns), HexFormat.of().formatHex(sha.digest()), rows.digest(), store.name(),
                target.path(), file, clock.instant(), null);
        try (OutputStream out = store.create(target.path(), id + ".manifest.json")) {
            out.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        }
        verify(manifest);
        repository.save(c, manifest);
        metrics.recordArchive("verified");
        LOG.infof("Archived %s.%s (%d rows) to %s", partitionSchema, partition, rows.rows(),
                store.describe(target.path(), file));
        return manifest;
    }

    /** Re-reads the stored file: its SHA-256, then its rows' count and digest, must match the manifest. */
    public void verify(ArchiveManifest m) throws IOException {
        MessageDigest sha = sha256();
        RowDigest rows = new RowDigest();
        ArchiveStore store = store(m.store());
        try (InputStream in = store.open(m.location(), m.file())) {
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
        }
        try (var gzip = new GZIPInputStream(store.open(m.location(), m.file()), 1 << 16)) {
            gzip.transferTo(rows);
        } catch (IOException e) {
            // A corrupt file often cannot even be decompressed; the checksum comparison below says so.
            LOG.debugf("archive %s does not decompress: %s", m.id(), e.getMessage());
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(m.sha256()) || rows.rows() != m.rowCount() || !rows.digest().equals(m.contentDigest())) {
            metrics.recordArchive("corrupt");
            throw new ProblemException(PartitionManagerProblem.ARCHIVE_INVALID,
                    "archive %s of %s did not verify: sha256 %s (expected %s), %d rows (expected %d)"
                            .formatted(m.id(), m.partition(), actual, m.sha256(), rows.rows(), m.rowCount()));
        }
    }

    /** Loads an archive's rows into {@code target} (which must exist with the manifest's columns) and verifies them. */
    public long load(Connection c, ArchiveManifest m, String target) throws SQLException, IOException {
        String columns = columnList(m.columns());
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (InputStream in = new GZIPInputStream(store(m.store()).open(m.location(), m.file()), 1 << 16)) {
            copy.copyIn("COPY %s (%s) FROM STDIN".formatted(target, columns), in);
        }
        RowDigest rows = new RowDigest();
        copy.copyOut("COPY %s (%s) TO STDOUT".formatted(target, columns), rows);
        if (rows.rows() != m.rowCount() || !rows.digest().equals(m.contentDigest())) {
            throw new ProblemException(PartitionManagerProblem.ARCHIVE_INVALID,
                    "restored %d rows with digest %s; the manifest says %d rows, digest %s"
                            .formatted(rows.rows(), rows.digest(), m.rowCount(), m.contentDigest()));
        }
        return rows.rows();
    }

    static String columnList(List<ArchiveManifest.Column> columns) {
        return columns.stream().map(col -> SqlIdentifier.quote(col.name())).collect(Collectors.joining(", "));
    }

    static String schemaHash(List<ArchiveManifest.Column> columns) {
        return Hashes.sha256Hex(columns.stream().map(col -> col.name() + " " + col.type())
                .collect(Collectors.joining("\n")), 32);
    }

    private ArchiveStore store(String name) {
        ArchiveStore store = stores.get(name);
        if (store == null) {
            throw new IllegalStateException("no archive store named " + name);
        }
        return store;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes to both streams: the compressed file and the row digest. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
