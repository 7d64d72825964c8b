package countapp.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Whether a refused config file is news: a file left broken is re-read at every {@code config_check}, and
 * logging the same refusal each time buries everything else. A refusal is news when the file changed (its
 * modification time or size) or the reason did, since the last one logged or the last good read.
 *
 * <p>Used by one thread (the process's config re-reader); not thread-safe.
 */
public final class RefusalLog {
    private String lastLogged;

    /** True when this refusal of {@code file} should be logged: the first since the file or the reason changed. */
    public boolean isNews(Path file, String why) {
        String refusal = version(file) + why;
        if (Objects.equals(refusal, lastLogged)) {
            return false;
        }
        lastLogged = refusal;
        return true;
    }

    /** A good read: the next refusal is news, whatever it is. */
    public void accepted() {
        lastLogged = null;
    }

    private static String version(Path file) {
        try {
            return Files.getLastModifiedTime(file) + "/" + Files.size(file) + ": ";
        } catch (IOException e) {
            return "unreadable: ";
        }
    }
}
