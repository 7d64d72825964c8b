package countapp.coordinator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says of a local worker's process: whether it is stopped (SIGSTOP, a debugger) and how much
 * CPU it has used. A worker that stops answering while its CPU time still grows is slow, not dead; one that
 * is stopped will not answer until someone resumes it. Remote workers have no probe.
 */
interface ProcessProbe {
    /** One reading; {@link #UNKNOWN} when the process cannot be read (gone, another OS, no descriptors). */
    record Sample(boolean known, boolean stopped, long cpuTicks) {
        static final Sample UNKNOWN = new Sample(false, false, -1);

        /** Whether the process used CPU since {@code earlier}: it is doing something. */
        boolean progressedSince(Sample earlier) {
            return known && earlier.known && cpuTicks > earlier.cpuTicks;
        }
    }

    Sample sample(Process process);

    /** Reads {@code /proc/<pid>/stat} (Linux). */
    ProcessProbe PROC = process -> {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Sample.UNKNOWN;
        }
    };

    /**
     * Parses a stat line: {@code pid (comm) state ppid … utime stime …}. The command name may hold spaces and
     * parentheses, so the fields are counted from the last ')'.
     */
    static Sample parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Sample.UNKNOWN;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length < 13) {
            return Sample.UNKNOWN;
        }
        char state = f[0].charAt(0);
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return new Sample(true, state == 'T' || state == 't', utime + stime);
    }
}
