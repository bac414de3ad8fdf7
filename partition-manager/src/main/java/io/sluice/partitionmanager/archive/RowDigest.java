package io.sluice.partitionmanager.archive;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Counts and fingerprints the rows of a COPY text stream (one row per line: text format escapes newlines).
 * The fingerprint is the sum of each row's SHA-256 prefix, so it does not depend on row order: a restored table,
 * read back in any order, must give the same value.
 */
public final class RowDigest extends OutputStream {

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final MessageDigest sha;
    private long rows;
    private long sum;

    public RowDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            sum += ByteBuffer.wrap(sha.digest(line.toByteArray())).getLong();
            rows++;
            line.reset();
        } else {
            line.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    public long rows() {
        return rows;
    }

    public String digest() {
        return Long.toHexString(sum);
    }
}
