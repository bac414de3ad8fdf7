package io.sluice.replicarouter.pgwire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sluice.common.hash.Hashes;
import io.sluice.replicarouter.pgwire.FrameDecoder.Frame;
import io.vertx.core.buffer.Buffer;

/**
 * One batch of extended-protocol messages (up to a Sync or Flush), made ready for whichever server connection it
 * is routed to. A client's named statements get server-side names derived from their text and parameter types, so
 * clients never collide on a shared connection (pgjdbc calls every connection's first statement S_1) and a
 * statement prepared once on a connection serves every client that prepares the same text. A statement the batch
 * uses but the connection lacks is prepared there first; the extra ParseComplete/CloseComplete answers are dropped
 * before the client sees them ({@link #injectedAnswers()}).
 */
final class ExtendedBatch {

    /** A client's prepared statement: its text, its parameter-type part of the Parse message, its server name. */
    record Prepared(String sql, Buffer paramTypes, String serverName) {

        Buffer parse(String name) {
            return Messages.frame('P', Messages.cstring(Messages.cstring(Buffer.buffer(), name), sql)
                    .appendBuffer(paramTypes));
        }
    }

    /** A client's prepared statements, named and unnamed; outlives its batches. */
    static final class Statements {
        private final Map<String, Prepared> named = new HashMap<>();
        private Prepared unnamed;
    }

    private record Item(Buffer bytes, String creates, Prepared needs, Prepared needsUnnamed, String closes) {
    }

    private final List<Item> items = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private final Set<String> touched = new HashSet<>();
    private int executes;
    private int injectedAnswers;

    /** Reads the client's messages, recording its Parse'd statements in {@code statements}. */
    static ExtendedBatch of(List<Frame> frames, Statements statements) {
        ExtendedBatch batch = new ExtendedBatch();
        boolean unnamedParsed = false;
        for (Frame f : frames) {
            Messages.Cursor c = new Messages.Cursor(f.body(), 0);
            switch (f.type()) {
                case 'P' -> {
                    String name = c.cstring();
                    String sql = c.cstring();
                    Buffer types = f.body().getBuffer(c.position(), f.body().length());
                    Prepared p = new Prepared(sql, types, name.isEmpty() ? "" : serverName(sql, types));
                    batch.texts.add(sql);
                    if (name.isEmpty()) {
                        statements.unnamed = p;
                        unnamedParsed = true;
                        batch.items.add(new Item(p.parse(""), null, null, null, null));
                    } else {
                        statements.named.put(name, p);
                        batch.items.add(new Item(p.parse(p.serverName()), p.serverName(), null, null, null));
                    }
                }
                case 'B' -> {
                    String portal = c.cstring();
                    String name = c.cstring();
                    Buffer rest = f.body().getBuffer(c.position(), f.body().length());
                    Prepared p = name.isEmpty() ? statements.unnamed : statements.named.get(name);
                    if (p != null) {
                        batch.texts.add(p.sql());
                    }
                    String server = p == null ? name : p.serverName();
                    Buffer body = Messages.cstring(Messages.cstring(Buffer.buffer(), portal), server).appendBuffer(rest);
                    batch.items.add(new Item(Messages.frame('B', body), null, name.isEmpty() ? null : p,
                            name.isEmpty() && !unnamedParsed ? p : null, null));
                }
                case 'D', 'C' -> {
                    byte kind = c.int8();
                    String name = c.cstring();
                    if (kind == 'S') {
                        Prepared p = name.isEmpty() ? statements.unnamed : statements.named.get(name);
                        String server = p == null ? name : p.serverName();
                        Buffer body = Messages.cstring(Buffer.buffer().appendByte(kind), server);
                        boolean close = f.type() == 'C';
                        if (close && !name.isEmpty()) {
                            statements.named.remove(name);
                        }
                        batch.items.add(new Item(Messages.frame(f.type(), body), null,
                                close || name.isEmpty() ? null : p, !close && name.isEmpty() && !unnamedParsed ? p : null,
                                close && p != null && !name.isEmpty() ? server : null));
                    } else {
                        batch.items.add(new Item(Messages.frame(f.type(), f.body()), null, null, null, null));
                    }
                }
                default -> {
                    if (f.type() == 'E') {
                        batch.executes++;
                    }
                    batch.items.add(new Item(Messages.frame(f.type(), f.body()), null, null, null, null));
                }
            }
        }
        return batch;
    }

    /** The SQL texts the batch parses or binds, for routing. */
    List<String> texts() {
        return texts;
    }

    int executes() {
        return executes;
    }

    /** ParseComplete/CloseComplete answers to messages the router added, which come before the client's own. */
    int injectedAnswers() {
        return injectedAnswers;
    }

    /** Server statement names the batch creates or needs; forgotten on the connection if the batch fails. */
    Set<String> touched() {
        return touched;
    }

    /**
     * The bytes to send on a server connection holding the statements {@code present}: the statements it lacks
     * prepared first, then the client's messages with server-side names. {@code present} is updated as if every
     * message succeeds.
     */
    Buffer encode(Set<String> present) {
        Set<String> created = new HashSet<>();
        Buffer front = Buffer.buffer();
        Buffer body = Buffer.buffer();
        boolean unnamedInjected = false;
        injectedAnswers = 0;
        for (Item item : items) {
            if (item.creates() != null) {
                if (present.contains(item.creates()) && !created.contains(item.creates())) {
                    // Already there from another client: closed first, so the client's Parse does not fail.
                    front.appendBuffer(close(item.creates()));
                    injectedAnswers++;
                }
                created.add(item.creates());
                touched.add(item.creates());
            }
            if (item.needs() != null && !present.contains(item.needs().serverName())
                    && !created.contains(item.needs().serverName())) {
                // Close first: the list may be wrong after a failed batch, and closing a missing statement is no error.
                front.appendBuffer(close(item.needs().serverName())).appendBuffer(item.needs().parse(
                        item.needs().serverName()));
                injectedAnswers += 2;
                created.add(item.needs().serverName());
                touched.add(item.needs().serverName());
            }
            if (item.needsUnnamed() != null && !unnamedInjected) {
                front.appendBuffer(item.needsUnnamed().parse(""));
                injectedAnswers++;
                unnamedInjected = true;
            }
            if (item.closes() != null) {
                created.remove(item.closes());
                present.remove(item.closes());
            }
            body.appendBuffer(item.bytes());
        }
        present.addAll(created);
        return front.appendBuffer(body);
    }

    private static Buffer close(String serverName) {
        return Messages.frame('C', Messages.cstring(Buffer.buffer().appendByte((byte) 'S'), serverName));
    }

    static String serverName(String sql, Buffer types) {
        return "sluice_" + Hashes.sha256Hex(sql + '\0' + new String(types.getBytes(), StandardCharsets.ISO_8859_1), 24);
    }
}
