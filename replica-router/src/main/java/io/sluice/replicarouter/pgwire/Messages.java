package io.sluice.replicarouter.pgwire;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.vertx.core.buffer.Buffer;

/** Encodes PostgreSQL v3 messages and reads the C strings inside them. */
final class Messages {

    static final int PROTOCOL_3 = 196608;
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;

    private Messages() {
    }

    /** A typed message: type, length, body. */
    static Buffer frame(byte type, Buffer body) {
        return Buffer.buffer(body.length() + 5).appendByte(type).appendInt(body.length() + 4).appendBuffer(body);
    }

    static Buffer frame(char type, Buffer body) {
        return frame((byte) type, body);
    }

    static Buffer cstring(Buffer into, String s) {
        return into.appendBytes(s.getBytes(StandardCharsets.UTF_8)).appendByte((byte) 0);
    }

    /** The C string starting at {@code at}; {@link Cursor} keeps the position. */
    static final class Cursor {
        private final Buffer body;
        private int at;

        Cursor(Buffer body, int at) {
            this.body = body;
            this.at = at;
        }

        String cstring() {
            int end = at;
            while (end < body.length() && body.getByte(end) != 0) {
                end++;
            }
            if (end >= body.length()) {
                throw new FrameDecoder.Malformed("unterminated string in message");
            }
            String s = body.getString(at, end, "UTF-8");
            at = end + 1;
            return s;
        }

        int int32() {
            need(4);
            int v = body.getInt(at);
            at += 4;
            return v;
        }

        short int16() {
            need(2);
            short v = body.getShort(at);
            at += 2;
            return v;
        }

        byte int8() {
            need(1);
            return body.getByte(at++);
        }

        Buffer bytes(int n) {
            need(n);
            Buffer b = body.getBuffer(at, at + n);
            at += n;
            return b;
        }

        boolean atEnd() {
            return at >= body.length();
        }

        int position() {
            return at;
        }

        private void need(int n) {
            if (n < 0 || at + n > body.length()) {
                throw new FrameDecoder.Malformed("message shorter than its contents");
            }
        }
    }

    static Buffer startup(Map<String, String> params) {
        Buffer body = Buffer.buffer().appendInt(PROTOCOL_3);
        params.forEach((k, v) -> cstring(cstring(body, k), v));
        body.appendByte((byte) 0);
        return Buffer.buffer().appendInt(body.length() + 4).appendBuffer(body);
    }

    static Buffer cancelRequest(int pid, int secret) {
        return Buffer.buffer().appendInt(16).appendInt(CANCEL_REQUEST).appendInt(pid).appendInt(secret);
    }

    static Buffer authentication(int code, Buffer data) {
        return frame('R', Buffer.buffer().appendInt(code).appendBuffer(data));
    }

    static Buffer authenticationOk() {
        return authentication(0, Buffer.buffer());
    }

    static Buffer parameterStatus(String name, String value) {
        return frame('S', cstring(cstring(Buffer.buffer(), name), value));
    }

    static Buffer backendKeyData(int pid, int secret) {
        return frame('K', Buffer.buffer().appendInt(pid).appendInt(secret));
    }

    static Buffer readyForQuery(char status) {
        return frame('Z', Buffer.buffer().appendByte((byte) status));
    }

    /** An ErrorResponse (severity ERROR or FATAL) with its SQLSTATE and message. */
    static Buffer error(String severity, String sqlState, String message) {
        Buffer body = Buffer.buffer();
        cstring(body.appendByte((byte) 'S'), severity);
        cstring(body.appendByte((byte) 'V'), severity);
        cstring(body.appendByte((byte) 'C'), sqlState);
        cstring(body.appendByte((byte) 'M'), message);
        return frame('E', body.appendByte((byte) 0));
    }

    static Buffer query(String sql) {
        return frame('Q', cstring(Buffer.buffer(), sql));
    }

    static Buffer password(Buffer data) {
        return frame('p', data);
    }

    /** The fields of an ErrorResponse or NoticeResponse body: code byte to value. */
    static Map<Character, String> fields(Buffer body) {
        Map<Character, String> fields = new java.util.LinkedHashMap<>();
        Cursor c = new Cursor(body, 0);
        while (!c.atEnd()) {
            byte code = c.int8();
            if (code == 0) {
                break;
            }
            fields.put((char) code, c.cstring());
        }
        return fields;
    }
}
