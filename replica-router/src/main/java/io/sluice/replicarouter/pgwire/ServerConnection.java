package io.sluice.replicarouter.pgwire;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sluice.replicarouter.node.Node;
import io.sluice.replicarouter.node.NodeRole;
import io.sluice.replicarouter.pgwire.FrameDecoder.Frame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * One raw protocol connection to a node, opened and authenticated by the router itself (trust, cleartext, md5 or
 * SCRAM-SHA-256, as the server asks). While lent to a client its messages go to that client's {@link Sink}; it
 * remembers the server-side names of the prepared statements it holds, so they are prepared again only where
 * missing.
 */
final class ServerConnection {

    /** Whoever the connection's messages currently go to. */
    interface Sink {
        /** The messages of one read from the socket, in order. */
        void onServerFrames(ServerConnection from, List<Frame> frames);

        void onServerClosed(ServerConnection from);
    }

    /** A login the server refused, or a connection that failed before it was ready. */
    static final class ConnectFailure extends RuntimeException {
        private final String sqlState;

        ConnectFailure(String sqlState, String message) {
            super(message, null, false, false);
            this.sqlState = sqlState;
        }

        String sqlState() {
            return sqlState;
        }
    }

    private final Node node;
    private final NodeRole role;
    private final Map<String, String> key;
    private final NetSocket socket;
    private final FrameDecoder decoder = new FrameDecoder(Integer.MAX_VALUE, false);
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Set<String> statements = new HashSet<>();
    private volatile Sink sink;
    private volatile boolean closed;
    private int pid;
    private int secret;

    private ServerConnection(Node node, NodeRole role, Map<String, String> key, NetSocket socket) {
        this.node = node;
        this.role = role;
        this.key = key;
        this.socket = socket;
    }

    /**
     * Connects and logs in.
     *
     * @param key the client's session parameters (application_name, TimeZone, ...), sent in the startup message;
     *        connections are reused only for clients with the same ones
     */
    static Future<ServerConnection> open(NetClient client, Node node, NodeRole role, String host, int port,
            String user, String password, String database, Map<String, String> key,
            Map<String, String> fixedParameters) {
        return client.connect(port, host).compose(socket -> {
            ServerConnection conn = new ServerConnection(node, role, key, socket);
            return conn.login(user, password, database, fixedParameters).onFailure(e -> socket.close());
        });
    }

    private Future<ServerConnection> login(String user, String password, String database,
            Map<String, String> fixedParameters) {
        Promise<ServerConnection> ready = Promise.promise();
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", user);
        startup.put("database", database);
        startup.putAll(key);
        startup.putAll(fixedParameters);
        ScramClient[] scram = new ScramClient[1];
        sink = new Sink() {
            @Override
            public void onServerFrames(ServerConnection from, List<Frame> frames) {
                frames.forEach(this::onServerFrame);
            }

            private void onServerFrame(Frame f) {
                switch (f.type()) {
                    case 'R' -> authenticate(f.body(), user, password, scram, ready);
                    case 'S' -> {
                        Messages.Cursor c = new Messages.Cursor(f.body(), 0);
                        parameters.put(c.cstring(), c.cstring());
                    }
                    case 'K' -> {
                        pid = f.body().getInt(0);
                        secret = f.body().getInt(4);
                    }
                    case 'Z' -> {
                        sink = null;
                        ready.tryComplete(ServerConnection.this);
                    }
                    case 'E' -> {
                        Map<Character, String> fields = Messages.fields(f.body());
                        ready.tryFail(new ConnectFailure(fields.getOrDefault('C', "08006"),
                                fields.getOrDefault('M', "the server refused the login")));
                    }
                    default -> {
                        // NoticeResponse and the like during login: nothing to do
                    }
                }
            }

            @Override
            public void onServerClosed(ServerConnection from) {
                ready.tryFail(new ConnectFailure("08006", "the server closed the connection during login"));
            }
        };
        socket.handler(bytes -> {
            try {
                List<Frame> frames = new java.util.ArrayList<>(4);
                decoder.feed(bytes, frames::add);
                Sink s = sink;
                if (s != null) {
                    s.onServerFrames(this, frames);
                } else if (!frames.isEmpty()) {
                    // Not lent and not logging in: e.g. a FATAL at server shutdown. Drop the connection.
                    close();
                }
            } catch (RuntimeException e) {
                ready.tryFail(new ConnectFailure("08P01", "bad message from the server: " + e.getMessage()));
                close();
            }
        });
        socket.closeHandler(v -> {
            closed = true;
            Sink s = sink;
            if (s != null) {
                s.onServerClosed(this);
            }
        });
        socket.exceptionHandler(e -> close());
        socket.write(Messages.startup(startup));
        return ready.future();
    }

    private void authenticate(Buffer body, String user, String password, ScramClient[] scram,
            Promise<ServerConnection> ready) {
        int code = body.getInt(0);
        try {
            switch (code) {
                case 0 -> {
                    // AuthenticationOk: ParameterStatus, BackendKeyData and ReadyForQuery follow
                }
                case 3 -> socket.write(Messages.password(Messages.cstring(Buffer.buffer(), password)));
                case 5 -> {
                    byte[] salt = body.getBytes(4, 8);
                    String inner = md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
                    byte[] outer = new byte[32 + 4];
                    System.arraycopy(inner.getBytes(StandardCharsets.US_ASCII), 0, outer, 0, 32);
                    System.arraycopy(salt, 0, outer, 32, 4);
                    socket.write(Messages.password(Messages.cstring(Buffer.buffer(), "md5" + md5Hex(outer))));
                }
                case 10 -> {
                    scram[0] = new ScramClient(password);
                    byte[] first = scram[0].clientFirst().getBytes(StandardCharsets.UTF_8);
                    Buffer data = Messages.cstring(Buffer.buffer(), ScramMath.MECHANISM).appendInt(first.length)
                            .appendBytes(first);
                    socket.write(Messages.password(data));
                }
                case 11 -> socket.write(Messages.password(Buffer.buffer(scram[0].clientFinal(
                        body.getString(4, body.length(), "UTF-8")))));
                case 12 -> scram[0].verify(body.getString(4, body.length(), "UTF-8"));
                default -> ready.tryFail(new ConnectFailure("28000",
                        "the server asks for an authentication method the router does not support (" + code + ")"));
            }
        } catch (ScramMath.ScramFailure | NullPointerException e) {
            ready.tryFail(new ConnectFailure("28000", "authentication with the server failed: " + e.getMessage()));
        }
    }

    private static String md5Hex(byte[] data) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(data);
            StringBuilder hex = new StringBuilder();
            for (byte b : d) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void lend(Sink to) {
        this.sink = to;
    }

    void unlend() {
        this.sink = null;
    }

    void write(Buffer bytes) {
        socket.write(bytes);
    }

    NetSocket socket() {
        return socket;
    }

    void close() {
        closed = true;
        socket.close();
    }

    boolean isClosed() {
        return closed;
    }

    Node node() {
        return node;
    }

    NodeRole role() {
        return role;
    }

    Map<String, String> key() {
        return key;
    }


    /** The server's ParameterStatus values at login (server_version, ...). */
    Map<String, String> parameters() {
        synchronized (parameters) {
            return new LinkedHashMap<>(parameters);
        }
    }

    void noteParameter(String name, String value) {
        synchronized (parameters) {
            parameters.put(name, value);
        }
    }

    /** Server-side names of the prepared statements this connection holds. */
    Set<String> statements() {
        return statements;
    }

    int pid() {
        return pid;
    }

    int secret() {
        return secret;
    }
}
