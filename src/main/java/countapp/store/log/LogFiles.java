package countapp.store.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The file-system calls of a segment roll, one seam so tests can make them fail (fd exhaustion, I/O errors). */
interface LogFiles {
    LogFiles REAL = new LogFiles() {
        @Override
        public FileChannel create(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            SegmentFiles.syncDirectory(dir);
        }
    };

    /** Creates (or truncates) a segment file for appending. */
    FileChannel create(Path file) throws IOException;

    /** Makes the folder's entries durable. */
    void syncDirectory(Path dir) throws IOException;
}
