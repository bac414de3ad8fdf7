package io.sluice.partitionmanager;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import io.sluice.partitionmanager.archive.FileArchiveStore;

/**
 * A file store whose disk "rots" a byte of each archive right after it is written: the fault a verification before
 * the drop exists to catch. Test sources only; a set selects it with {"archive": {"store": "corrupting-file"}}.
 */
@ApplicationScoped
public class CorruptingArchiveStore extends FileArchiveStore {

    @Override
    public String name() {
        return "corrupting-file";
    }

    @Override
    protected void afterWrite(Path file) throws IOException {
        if (file.toString().endsWith(".gz")) {
            try (var f = new RandomAccessFile(file.toFile(), "rw")) {
                long at = f.length() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x5a);
            }
        }
    }
}
