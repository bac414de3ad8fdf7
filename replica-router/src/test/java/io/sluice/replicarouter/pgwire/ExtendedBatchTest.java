package io.sluice.replicarouter.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.sluice.replicarouter.pgwire.FrameDecoder.Frame;
import io.vertx.core.buffer.Buffer;

/** How a client's extended-protocol batch is renamed and completed for a server connection (plain JUnit). */
class ExtendedBatchTest {

    private static Frame parse(String name, String sql) {
        return new Frame((byte) 'P', Messages.cstring(Messages.cstring(Buffer.buffer(), name), sql)
                .appendShort((short) 0));
    }

    private static Frame bind(String statement) {
        return new Frame((byte) 'B', Messages.cstring(Messages.cstring(Buffer.buffer(), ""), statement)
                .appendShort((short) 0).appendShort((short) 0).appendShort((short) 0));
    }

    private static Frame execute() {
        return new Frame((byte) 'E', Messages.cstring(Buffer.buffer(), "").appendInt(0));
    }

    private static Frame sync() {
        return new Frame((byte) 'S', Buffer.buffer());
    }

    /** The type and first name of every message in the encoded bytes. */
    private static List<String> messages(Buffer bytes) {
        List<String> out = new ArrayList<>();
        new FrameDecoder(Integer.MAX_VALUE, false).feed(bytes, f -> {
            Messages.Cursor c = new Messages.Cursor(f.body(), 0);
            String name = switch (f.type()) {
                case 'P' -> c.cstring();
                case 'B' -> {
                    c.cstring();
                    yield c.cstring();
                }
                case 'C', 'D' -> (char) c.int8() + c.cstring();
                default -> "";
            };
            out.add((char) f.type() + ":" + name);
        });
        return out;
    }

    @Test
    void namedStatementsGetServerNamesFromTheirTextAndArePreparedWhereMissing() {
        ExtendedBatch.Statements client = new ExtendedBatch.Statements();
        String server = ExtendedBatch.serverName("SELECT 1", Buffer.buffer().appendShort((short) 0));
        Set<String> first = new HashSet<>();
        ExtendedBatch prepare = ExtendedBatch.of(List.of(parse("S_1", "SELECT 1"), bind("S_1"), execute(), sync()),
                client);
        assertThat(messages(prepare.encode(first))).containsExactly("P:" + server, "B:" + server, "E:", "S:");
        assertThat(prepare.injectedAnswers()).isZero();
        assertThat(first).containsExactly(server);
        assertThat(prepare.texts()).contains("SELECT 1");

        // The next use lands on a connection without it: closed (harmless) and prepared first, answers dropped.
        ExtendedBatch reuse = ExtendedBatch.of(List.of(bind("S_1"), execute(), sync()), client);
        Set<String> other = new HashSet<>();
        assertThat(messages(reuse.encode(other))).containsExactly("C:S" + server, "P:" + server, "B:" + server, "E:",
                "S:");
        assertThat(reuse.injectedAnswers()).isEqualTo(2);
        assertThat(other).containsExactly(server);
        assertThat(reuse.texts()).containsExactly("SELECT 1");

        // On the first connection again: nothing to add.
        ExtendedBatch again = ExtendedBatch.of(List.of(bind("S_1"), execute(), sync()), client);
        assertThat(messages(again.encode(first))).containsExactly("B:" + server, "E:", "S:");
        assertThat(again.injectedAnswers()).isZero();
    }

    @Test
    void twoClientsWithTheSameStatementNameDoNotCollideAndOneParseOfAPresentStatementClosesItFirst() {
        ExtendedBatch.Statements a = new ExtendedBatch.Statements();
        ExtendedBatch.Statements b = new ExtendedBatch.Statements();
        Set<String> conn = new HashSet<>();
        ExtendedBatch.of(List.of(parse("S_1", "SELECT 'a'"), sync()), a).encode(conn);
        ExtendedBatch fromB = ExtendedBatch.of(List.of(parse("S_1", "SELECT 'b'"), sync()), b);
        String nameA = ExtendedBatch.serverName("SELECT 'a'", Buffer.buffer().appendShort((short) 0));
        String nameB = ExtendedBatch.serverName("SELECT 'b'", Buffer.buffer().appendShort((short) 0));
        assertThat(nameA).isNotEqualTo(nameB);
        assertThat(messages(fromB.encode(conn))).containsExactly("P:" + nameB, "S:");
        assertThat(conn).containsExactlyInAnyOrder(nameA, nameB);

        ExtendedBatch.Statements c = new ExtendedBatch.Statements();
        ExtendedBatch same = ExtendedBatch.of(List.of(parse("S_7", "SELECT 'a'"), sync()), c);
        assertThat(messages(same.encode(conn))).containsExactly("C:S" + nameA, "P:" + nameA, "S:");
        assertThat(same.injectedAnswers()).isEqualTo(1);
    }

    @Test
    void anUnnamedStatementBoundInALaterBatchIsParsedAgainFirst() {
        ExtendedBatch.Statements client = new ExtendedBatch.Statements();
        ExtendedBatch.of(List.of(parse("", "SELECT 2"), sync()), client).encode(new HashSet<>());
        ExtendedBatch later = ExtendedBatch.of(List.of(bind(""), execute(), sync()), client);
        assertThat(messages(later.encode(new HashSet<>()))).containsExactly("P:", "B:", "E:", "S:");
        assertThat(later.injectedAnswers()).isEqualTo(1);
        assertThat(later.executes()).isEqualTo(1);

        ExtendedBatch together = ExtendedBatch.of(List.of(parse("", "SELECT 3"), bind(""), execute(), sync()), client);
        assertThat(messages(together.encode(new HashSet<>()))).containsExactly("P:", "B:", "E:", "S:");
        assertThat(together.injectedAnswers()).isZero();
    }
}
