package io.sluice.replicarouter.pgwire;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into PostgreSQL v3 messages: a type byte and an int32 length that counts itself but not the
 * type. The very first message of a client (startup, SSL or cancel request) has no type byte; it is delivered with
 * type {@link #UNTYPED}. A length below 4 or above the limit is a protocol error ({@link Malformed}).
 */
final class FrameDecoder {

    /** The type given to a message without a type byte (startup, SSLRequest, CancelRequest). */
    static final byte UNTYPED = 0;

    /** A message the decoder cannot accept; the connection must be answered with an error and closed. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** One message: its type and its body (without type and length). */
    record Frame(byte type, Buffer body) {
    }

    private final long maxLength;
    private Buffer pending = Buffer.buffer();
    private boolean untypedNext;

    /** @param untypedFirst whether the next message has no type byte (a client before its startup message) */
    FrameDecoder(long maxLength, boolean untypedFirst) {
        this.maxLength = maxLength;
        this.untypedNext = untypedFirst;
    }

    /** A client sends another untyped message after an SSLRequest was answered. */
    void expectUntyped() {
        untypedNext = true;
    }

    /** Appends bytes and delivers every message now complete, in order. */
    void feed(Buffer bytes, Consumer<Frame> sink) {
        pending = pending.length() == 0 ? bytes : pending.appendBuffer(bytes);
        int at = 0;
        while (true) {
            boolean untyped = untypedNext;
            int header = untyped ? 4 : 5;
            if (pending.length() - at < header) {
                break;
            }
            int length = pending.getInt(at + header - 4);
            if (length < 4 || length > maxLength) {
                throw new Malformed("invalid message length " + length);
            }
            int end = at + header - 4 + length;
            if (pending.length() < end) {
                break;
            }
            byte type = untyped ? UNTYPED : pending.getByte(at);
            Buffer body = pending.getBuffer(at + header, end);
            at = end;
            if (untyped) {
                untypedNext = false;
            }
            sink.accept(new Frame(type, body));
        }
        pending = at == pending.length() ? Buffer.buffer() : pending.getBuffer(at, pending.length());
    }
}
