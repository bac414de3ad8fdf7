package io.sluice.partitionmanager.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where archive files live. The file store is the default; another store (S3) would be another bean with its own
 * {@link #name()}. A key is a relative name; {@code location} is the store's own root (a directory for files).
 */
public interface ArchiveStore {

    String name();

    /** A stream whose content becomes visible under {@code key} only when it is closed without error. */
    OutputStream create(String location, String key) throws IOException;

    InputStream open(String location, String key) throws IOException;

    /** Where {@code key} is, for the manifest and the operator. */
    String describe(String location, String key);
}
