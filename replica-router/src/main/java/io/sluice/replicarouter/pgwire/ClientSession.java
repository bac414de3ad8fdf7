package io.sluice.replicarouter.pgwire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import io.sluice.common.problem.ProblemException;
import io.sluice.common.sql.Classification.RouteHint;
import io.sluice.common.sql.Lsn;
import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRole;
import io.sluice.replicarouter.pgwire.FrameDecoder.Frame;
import io.sluice.replicarouter.pgwire.WireMetrics.ErrorKind;
import io.sluice.replicarouter.pool.PoolGate;
import io.sluice.replicarouter.routing.Route;
import io.sluice.replicarouter.routing.RouteHints;
import io.sluice.replicarouter.sql.SessionReset;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One client connection of the wire listener: its login (SSLRequest answered 'N', StartupMessage, SCRAM-SHA-256),
 * then its messages, one at a time. Outside a transaction each simple query, and each extended-protocol batch up
 * to its Sync, is routed on its own (reads to a fresh replica, the rest to the primary) and runs on a server
 * connection taken from {@link ServerPools}; the server's answers are relayed back until ReadyForQuery. Status
 * 'I' gives the server connection back (after reading the commit LSN of a write, for this client's
 * read-your-writes, and resetting it when the statements may have left session state); 'T' or 'E' keep it for the
 * rest of the transaction. Session state the listener cannot carry between server connections pins the client to
 * its server connection until it leaves. All state is touched on the client's own event-loop context.
 */
final class ClientSession implements ServerConnection.Sink {

    private static final Logger LOG = Logger.getLogger(ClientSession.class);

    private enum Phase {
        STARTUP, SASL_INITIAL, SASL_FINAL, WELCOME, READY, CLOSED
    }

    /** What a routed unit of work (one simple query, one extended batch) asks for. */
    private record Intent(boolean readOnly, Optional<RouteHint> hint, boolean dirty, boolean pins,
            String[] setting, Set<String> tables) {
    }

    private final WireListener wire;
    private final NetSocket socket;
    private final Context context;
    private final long id;
    private final int pid;
    private final int secret;
    private final FrameDecoder decoder;
    private final Deque<Frame> queue = new ArrayDeque<>();
    private final List<Frame> batch = new ArrayList<>();
    private final ExtendedBatch.Statements statements = new ExtendedBatch.Statements();
    private Phase phase = Phase.STARTUP;
    private String user = "";
    private String database = "";
    private Map<String, String> params = new TreeMap<>();
    private ScramServer scram;
    private boolean busy;
    private boolean paused;
    private boolean skipUntilSync;
    private long statementsRun;
    private boolean loggedIn;
    private boolean gone;

    // The server connection lent to this client, and what happened on it since it was taken.
    private ServerConnection server;
    private String target;
    private String reason;
    private boolean pinnedSession;
    private boolean wrote;
    private boolean dirty;
    private boolean failedInBatch;
    private boolean copyIn;
    private boolean epilogue;
    private boolean epilogueFailed;
    private long epilogueLsn = -1;
    private int drop;
    private Set<String> touched = Set.of();
    private Map<String, String> pendingKey;
    private long commitLsn = -1;
    private final Set<String> writtenTables = new java.util.LinkedHashSet<>();
    private Buffer out = Buffer.buffer();

    ClientSession(WireListener wire, NetSocket socket, Context context, long id, int pid, int secret) {
        this.wire = wire;
        this.socket = socket;
        this.context = context;
        this.id = id;
        this.pid = pid;
        this.secret = secret;
        this.decoder = new FrameDecoder(wire.maxMessageSize(), true);
    }

    void start() {
        socket.handler(this::onClientBytes);
        socket.closeHandler(v -> closed());
        socket.exceptionHandler(e -> LOG.debugf("wire client %d: %s", id, e.getMessage()));
        wire.vertx().setTimer(wire.loginTimeout().toMillis(), t -> {
            if (phase != Phase.READY && phase != Phase.CLOSED) {
                fatal("08006", "the client did not log in within " + wire.loginTimeout());
            }
        });
    }

    int pid() {
        return pid;
    }

    int secret() {
        return secret;
    }

    /** The server connection running this client's statement now, for a CancelRequest, or null. */
    ServerConnection running() {
        return busy && !epilogue ? server : null;
    }

    // ---- client side

    private void onClientBytes(Buffer bytes) {
        try {
            decoder.feed(bytes, this::onClientFrame);
        } catch (FrameDecoder.Malformed e) {
            protocolError(e.getMessage());
        }
    }

    private void onClientFrame(Frame f) {
        try {
            switch (phase) {
                case STARTUP -> startup(f);
                case SASL_INITIAL, SASL_FINAL -> sasl(f);
                case WELCOME -> queue.add(f);
                case READY -> {
                    if (busy || !queue.isEmpty()) {
                        if (copyIn && server != null && isCopy(f.type())) {
                            server.write(Messages.frame(f.type(), f.body()));
                        } else {
                            queue.add(f);
                            if (queue.size() > 10_000 && !paused) {
                                paused = true;
                                socket.pause();
                            }
                        }
                    } else {
                        process(f);
                    }
                }
                case CLOSED -> {
                    // the connection is going away
                }
            }
        } catch (FrameDecoder.Malformed e) {
            protocolError(e.getMessage());
        }
    }

    private static boolean isCopy(byte type) {
        return type == 'd' || type == 'c' || type == 'f';
    }

    private void drain() {
        while (!busy && phase == Phase.READY && !queue.isEmpty()) {
            process(queue.poll());
        }
        if (paused && queue.size() < 1000) {
            paused = false;
            socket.resume();
        }
    }

    private void process(Frame f) {
        if (skipUntilSync && f.type() != 'S') {
            return;
        }
        switch (f.type()) {
            case 'Q' -> simpleQuery(f);
            case 'P', 'B', 'D', 'E', 'C' -> batch.add(f);
            case 'S' -> {
                if (skipUntilSync) {
                    skipUntilSync = false;
                    batch.clear();
                    socket.write(Messages.readyForQuery('I'));
                } else {
                    dispatchBatch(f, true);
                }
            }
            case 'H' -> dispatchBatch(f, false);
            case 'X' -> socket.close();
            case 'd', 'c', 'f' -> {
                // copy messages after a COPY ended (e.g. it failed): PostgreSQL ignores them too
            }
            default -> protocolError("unsupported message type '" + (char) f.type() + "'");
        }
    }

    private void simpleQuery(Frame f) {
        String sql = new Messages.Cursor(f.body(), 0).cstring();
        Buffer message = Messages.frame('Q', f.body());
        StatementIntent s = wire.intentOf(sql);
        Intent intent = new Intent(s.readOnly(), s.hint(), s.dirty(), s.pinsSession(), s.setting(),
                s.readOnly() ? Set.of() : wire.tablesWrittenBy(sql));
        run(intent, conn -> message, 1, true);
    }

    private void dispatchBatch(Frame end, boolean sync) {
        List<Frame> frames = new ArrayList<>(batch);
        frames.add(end);
        batch.clear();
        ExtendedBatch eb = ExtendedBatch.of(frames, statements);
        boolean readOnly = true;
        boolean dirtying = false;
        boolean pins = false;
        Optional<RouteHint> hint = Optional.empty();
        String[] setting = null;
        Set<String> tables = new java.util.LinkedHashSet<>();
        Set<String> distinct = new HashSet<>(eb.texts());
        for (String sql : distinct) {
            StatementIntent s = wire.intentOf(sql);
            if (!s.readOnly()) {
                tables.addAll(wire.tablesWrittenBy(sql));
            }
            readOnly &= s.readOnly();
            dirtying |= s.dirty();
            pins |= s.pinsSession();
            hint = hint.or(s::hint);
            setting = distinct.size() == 1 ? s.setting() : null;
        }
        run(new Intent(readOnly, hint, dirtying, pins, setting, tables), conn -> {
            Buffer bytes = eb.encode(conn.statements());
            drop += eb.injectedAnswers();
            touched = eb.touched();
            return bytes;
        }, eb.executes(), sync);
    }

    /**
     * Sends work to the server connection this client holds, or routes it and takes one.
     *
     * @param awaitsReady whether the work ends with a Sync or a simple query (ReadyForQuery follows), not a Flush
     */
    private void run(Intent intent, java.util.function.Function<ServerConnection, Buffer> payload, int count,
            boolean awaitsReady) {
        busy = true;
        if (server != null) {
            noteEffects(intent, server, true);
            wire.metrics().statements(target, "pinned", count);
            statementsRun += count;
            server.write(payload.apply(server));
            busy = awaitsReady;
            return;
        }
        route(intent, payload, count, awaitsReady, Set.of());
    }

    private void route(Intent intent, java.util.function.Function<ServerConnection, Buffer> payload, int count,
            boolean awaitsReady, Set<Node> exclude) {
        Route route;
        try {
            RouteHints hints = commitLsn < 0 ? RouteHints.NONE : RouteHints.NONE.withMinLsn(commitLsn);
            route = wire.router().route(intent.readOnly(), intent.hint(), hints, exclude);
        } catch (ProblemException e) {
            wire.metrics().error(ErrorKind.UNAVAILABLE);
            answerError("57P03", e.getMessage(), awaitsReady);
            return;
        }
        Map<String, String> key = params;
        wire.pools().acquire(route.node(), key).subscribe().with(
                conn -> onContext(() -> attached(conn, route, intent, payload, count, awaitsReady)),
                e -> onContext(() -> {
                    if (e instanceof PoolGate.Refused) {
                        wire.metrics().error(ErrorKind.OVERLOADED);
                        answerError("53300", "the router is at capacity: no server connection to "
                                + route.node().name() + " came free in time; retry shortly", awaitsReady);
                    } else if (route.target() == NodeRole.REPLICA && exclude.isEmpty()) {
                        LOG.warnf("wire client %d: replica %s unreachable (%s); routing the read again", id,
                                route.node().name(), e.getMessage());
                        Set<Node> tried = new HashSet<>(exclude);
                        tried.add(route.node());
                        route(intent, payload, count, awaitsReady, tried);
                    } else {
                        wire.metrics().error(ErrorKind.UNAVAILABLE);
                        String state = e instanceof ServerConnection.ConnectFailure cf ? cf.sqlState() : "08006";
                        answerError(state, "could not reach " + route.node().name() + ": " + e.getMessage(),
                                awaitsReady);
                    }
                }));
    }

    private void attached(ServerConnection conn, Route route, Intent intent,
            java.util.function.Function<ServerConnection, Buffer> payload, int count, boolean awaitsReady) {
        if (phase == Phase.CLOSED) {
            wire.pools().release(conn, true);
            return;
        }
        server = conn;
        conn.lend(this);
        target = route.target() == NodeRole.REPLICA ? "replica" : "primary";
        reason = route.reason().tag();
        noteEffects(intent, conn, false);
        if (intent.setting() != null) {
            Map<String, String> next = new TreeMap<>(params);
            next.put(intent.setting()[0], intent.setting()[1]);
            pendingKey = next;
        }
        wire.metrics().statements(target, reason, count);
        statementsRun += count;
        conn.write(payload.apply(conn));
        busy = awaitsReady;
        if (!busy) {
            drain();
        }
    }

    private void noteEffects(Intent intent, ServerConnection conn, boolean held) {
        boolean write = !intent.readOnly() && conn.role() == NodeRole.PRIMARY;
        wrote |= write;
        if (write) {
            writtenTables.addAll(intent.tables());
        }
        dirty |= intent.dirty();
        // A session SET inside a transaction, or any other session state: this client keeps its server connection.
        pinnedSession |= intent.pins() || (held && intent.setting() != null);
    }

    /** An error of the listener's own instead of the server's answer; the client stays connected. */
    private void answerError(String sqlState, String message, boolean awaitsReady) {
        socket.write(Messages.error("ERROR", sqlState, message));
        if (awaitsReady) {
            socket.write(Messages.readyForQuery('I'));
        } else {
            skipUntilSync = true;
        }
        busy = false;
        drain();
    }

    // ---- server side

    @Override
    public void onServerFrames(ServerConnection from, List<Frame> frames) {
        onContext(() -> {
            if (from != server || phase == Phase.CLOSED) {
                return;
            }
            for (Frame f : frames) {
                if (epilogue) {
                    epilogueFrame(f);
                } else {
                    relay(f);
                }
                if (f.type() == 'Z') {
                    // Nothing follows a ReadyForQuery: one Sync or query at a time is outstanding.
                    break;
                }
            }
            flush();
        });
    }

    private void relay(Frame f) {
        byte type = f.type();
        if ((type == '1' || type == '3') && drop > 0) {
            drop--;
            return;
        }
        switch (type) {
            case 'E' -> {
                failedInBatch = true;
                drop = 0;
            }
            case 'G' -> copyIn = true;
            case 'C' -> {
                // The client dropped every prepared statement of the session, the router's renamed ones too.
                String tag = new Messages.Cursor(f.body(), 0).cstring();
                if (tag.equals("DEALLOCATE ALL") || tag.equals("DISCARD ALL")) {
                    server.statements().clear();
                }
            }
            case 'S' -> {
                // A SET changed a reported setting: the connection's own record follows, for later clients' welcome.
                Messages.Cursor c = new Messages.Cursor(f.body(), 0);
                server.noteParameter(c.cstring(), c.cstring());
            }
            default -> {
            }
        }
        out.appendBuffer(Messages.frame(type, f.body()));
        if (type == 'Z') {
            flush();
            readyForQuery((char) f.body().getByte(0));
        }
    }

    private void flush() {
        if (out.length() == 0) {
            return;
        }
        socket.write(out);
        out = Buffer.buffer();
        ServerConnection s = server;
        if (s != null && socket.writeQueueFull()) {
            s.socket().pause();
            socket.drainHandler(v -> s.socket().resume());
        }
    }

    private void readyForQuery(char status) {
        copyIn = false;
        drop = 0;
        if (failedInBatch) {
            server.statements().removeAll(touched);
        }
        boolean settingTaken = pendingKey != null && !failedInBatch;
        failedInBatch = false;
        touched = Set.of();
        if (settingTaken) {
            // Later statements take connections opened with the new value; this one is reset (dirty) and goes
            // back under its old parameters.
            params = pendingKey;
        }
        pendingKey = null;
        if (status != 'I' || pinnedSession) {
            busy = false;
            drain();
            return;
        }
        boolean readLsn = wrote && server.role() == NodeRole.PRIMARY;
        if (!readLsn && !dirty) {
            giveBack(true);
            return;
        }
        epilogue = true;
        epilogueFailed = false;
        epilogueLsn = -1;
        server.write(Messages.query(SessionReset.epilogue(readLsn, dirty, false,
                server.role() == NodeRole.REPLICA)));
    }

    private void epilogueFrame(Frame f) {
        switch (f.type()) {
            case 'D' -> {
                if (epilogueLsn < 0 && wrote) {
                    Messages.Cursor c = new Messages.Cursor(f.body(), 0);
                    c.int16();
                    int len = c.int32();
                    if (len > 0) {
                        epilogueLsn = Lsn.parse(c.bytes(len).toString(StandardCharsets.UTF_8));
                    }
                }
            }
            case 'E' -> epilogueFailed = true;
            case 'S' -> {
                // RESET ALL reports the settings it put back.
                Messages.Cursor c = new Messages.Cursor(f.body(), 0);
                server.noteParameter(c.cstring(), c.cstring());
            }
            case 'Z' -> {
                epilogue = false;
                if (epilogueLsn >= 0) {
                    commitLsn = Math.max(commitLsn, epilogueLsn);
                    if (!writtenTables.isEmpty()) {
                        // cache-service's invalidation stream, as for /sql (a rolled-back write invalidates too).
                        wire.invalidations().publish(Set.copyOf(writtenTables), epilogueLsn, server.node().name())
                                .subscribe().with(ok -> {
                                }, e -> LOG.debugf("wire client %d: invalidation not published: %s", id,
                                        e.getMessage()));
                    }
                }
                if (epilogueFailed) {
                    LOG.warnf("wire client %d: the server connection to %s could not be reset; closing it", id,
                            server.node().name());
                }
                giveBack(!epilogueFailed);
            }
            default -> {
            }
        }
    }

    private void giveBack(boolean keep) {
        ServerConnection conn = server;
        server = null;
        wrote = false;
        dirty = false;
        writtenTables.clear();
        drop = 0;
        wire.pools().release(conn, keep);
        busy = false;
        drain();
    }

    @Override
    public void onServerClosed(ServerConnection from) {
        onContext(() -> {
            if (from != server || phase == Phase.CLOSED) {
                return;
            }
            server = null;
            wire.pools().release(from, false);
            if (epilogue) {
                epilogue = false;
                busy = false;
                drain();
                return;
            }
            wire.metrics().error(ErrorKind.SERVER_LOST);
            flush();
            fatal("08006", "the connection to " + from.node().name() + " was lost");
        });
    }

    // ---- login

    private void startup(Frame f) {
        Messages.Cursor c = new Messages.Cursor(f.body(), 0);
        int code = c.int32();
        if (code == Messages.SSL_REQUEST || code == Messages.GSSENC_REQUEST) {
            socket.write(Buffer.buffer().appendByte((byte) 'N'));
            decoder.expectUntyped();
            return;
        }
        if (code == Messages.CANCEL_REQUEST) {
            wire.cancel(c.int32(), c.int32());
            socket.close();
            return;
        }
        if (code >>> 16 != 3) {
            fatal("08P01", "unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xffff)
                    + ": the router speaks 3.0");
            return;
        }
        List<String> unrecognized = new ArrayList<>();
        while (true) {
            String name = c.cstring();
            if (name.isEmpty()) {
                break;
            }
            String value = c.cstring();
            switch (name) {
                case "user" -> user = value;
                case "database" -> database = value;
                case "replication" -> {
                    fatal("08P01", "replication connections are not supported by the router");
                    return;
                }
                default -> {
                    if (name.startsWith("_pq_.")) {
                        unrecognized.add(name);
                    } else {
                        params.put(name.toLowerCase(java.util.Locale.ROOT), value);
                    }
                }
            }
        }
        if (user.isEmpty()) {
            fatal("28000", "no PostgreSQL user name specified in startup packet");
            return;
        }
        if (database.isEmpty()) {
            database = user;
        }
        if ((code & 0xffff) != 0 || !unrecognized.isEmpty()) {
            Buffer body = Buffer.buffer().appendInt(0).appendInt(unrecognized.size());
            unrecognized.forEach(n -> Messages.cstring(body, n));
            socket.write(Messages.frame('v', body));
        }
        scram = new ScramServer(wire.credential(user));
        socket.write(Messages.authentication(10, Messages.cstring(Buffer.buffer(), ScramMath.MECHANISM)
                .appendByte((byte) 0)));
        phase = Phase.SASL_INITIAL;
    }

    private void sasl(Frame f) {
        if (f.type() != 'p') {
            protocolError("expected a SASL response, got message type '" + (char) f.type() + "'");
            return;
        }
        try {
            if (phase == Phase.SASL_INITIAL) {
                Messages.Cursor c = new Messages.Cursor(f.body(), 0);
                String mechanism = c.cstring();
                int length = c.int32();
                if (!ScramMath.MECHANISM.equals(mechanism)) {
                    fatal("28000", "unsupported SASL mechanism " + mechanism);
                    return;
                }
                String first = length < 0 ? "" : c.bytes(length).toString(StandardCharsets.UTF_8);
                socket.write(Messages.authentication(11, Buffer.buffer(scram.serverFirst(first))));
                phase = Phase.SASL_FINAL;
                return;
            }
            String serverFinal = scram.serverFinal(f.body().toString(StandardCharsets.UTF_8));
            socket.write(Messages.authentication(12, Buffer.buffer(serverFinal)));
            socket.write(Messages.authenticationOk());
        } catch (ScramMath.ScramFailure e) {
            wire.metrics().login(false);
            LOG.infof("wire client %d: login as %s refused (%s)", id, user, e.getMessage());
            fatal("28P01", "password authentication failed for user \"" + user + "\"");
            return;
        }
        if (!database.equals(wire.database())) {
            wire.metrics().login(false);
            fatal("3D000", "database \"" + database + "\" is not served by this router");
            return;
        }
        phase = Phase.WELCOME;
        welcome();
    }

    /** ParameterStatus from a real server connection with the client's parameters, BackendKeyData, ReadyForQuery. */
    private void welcome() {
        Optional<Node> node = wire.nodes().primary().or(() -> wire.nodes().all().stream().filter(Node::isUp)
                .findFirst());
        if (node.isEmpty()) {
            wire.metrics().login(false);
            fatal("57P03", "no database node is reachable");
            return;
        }
        wire.pools().acquire(node.get(), params).subscribe().with(conn -> onContext(() -> {
            Map<String, String> reported = conn.parameters();
            wire.pools().release(conn, true);
            if (phase == Phase.CLOSED) {
                return;
            }
            Buffer hello = Buffer.buffer();
            reported.forEach((k, v) -> hello.appendBuffer(Messages.parameterStatus(k, v)));
            hello.appendBuffer(Messages.backendKeyData(pid, secret)).appendBuffer(Messages.readyForQuery('I'));
            socket.write(hello);
            phase = Phase.READY;
            wire.metrics().login(true);
            LOG.infof("wire client %d: %s logged in to %s from %s", id, user, database, socket.remoteAddress());
            drain();
        }), e -> onContext(() -> {
            wire.metrics().login(false);
            String state = e instanceof ServerConnection.ConnectFailure cf ? cf.sqlState()
                    : e instanceof PoolGate.Refused ? "53300" : "08006";
            fatal(state, "the router could not open a server session: " + e.getMessage());
        }));
    }

    // ---- endings

    private void protocolError(String message) {
        wire.metrics().error(ErrorKind.PROTOCOL);
        LOG.infof("wire client %d: protocol error: %s", id, message);
        fatal("08P01", message);
    }

    private void fatal(String sqlState, String message) {
        if (phase == Phase.CLOSED) {
            return;
        }
        loggedIn = phase == Phase.READY;
        phase = Phase.CLOSED;
        socket.write(Messages.error("FATAL", sqlState, message));
        socket.close();
    }

    private void closed() {
        boolean wasIn = loggedIn || phase == Phase.READY;
        if (gone) {
            return;
        }
        gone = true;
        phase = Phase.CLOSED;
        wire.forget(this);
        ServerConnection conn = server;
        server = null;
        if (conn != null) {
            if (busy && !epilogue) {
                wire.cancel(conn);
            }
            wire.pools().release(conn, false);
        }
        LOG.infof("wire client %d: disconnected after %d statements%s", id, statementsRun,
                wasIn ? "" : " (before logging in)");
    }

    private void onContext(Runnable action) {
        if (io.vertx.core.Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
