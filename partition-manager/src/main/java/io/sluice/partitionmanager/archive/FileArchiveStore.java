package io.sluice.partitionmanager.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import jakarta.enterprise.context.ApplicationScoped;

/** Archives as files in a directory: written to a temporary name, fsynced, then renamed into place. */
@ApplicationScoped
public class FileArchiveStore implements ArchiveStore {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public OutputStream create(String location, String key) throws IOException {
        Path dir = Path.of(location);
        Files.createDirectories(dir);
        Path target = dir.resolve(key);
        Path temp = dir.resolve(key + ".part");
        var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE);
        return new FilterOutputStream(java.nio.channels.Channels.newOutputStream(channel)) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                // Closed once even when wrapping streams close it again.
                if (closed) {
                    return;
                }
                closed = true;
                out.flush();
                channel.force(true);
                out.close();
                afterWrite(Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
            }
        };
    }

    /** Called with the final file once it is in place; a test store overrides it to inject a fault. */
    protected void afterWrite(Path file) throws IOException {
    }

    @Override
    public InputStream open(String location, String key) throws IOException {
        return Files.newInputStream(Path.of(location).resolve(key));
    }

    @Override
    public String describe(String location, String key) {
        return Path.of(location).resolve(key).toString();
    }
}
