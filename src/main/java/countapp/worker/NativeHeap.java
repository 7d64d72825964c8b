package countapp.worker;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns memory that C code freed (RocksDB memtables, for one) to the OS. glibc keeps freed memory in its
 * arenas, so a worker's RSS would otherwise stay at its peak. Uses the JVM's own
 * {@code System.trim_native_heap} diagnostic command (JDK 17.0.9 and later; a no-op elsewhere).
 */
final class NativeHeap {
    private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);

    private NativeHeap() {}

    static void trim() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            LOG.debug("native heap trim: {}", String.valueOf(out).trim());
        } catch (Exception | LinkageError e) {
            LOG.debug("native heap trim unavailable: {}", e.toString());
        }
    }
}
