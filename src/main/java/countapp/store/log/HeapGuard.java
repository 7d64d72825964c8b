package countapp.store.log;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the index from growing before the heap runs out. The index of stored pairs lives on the heap; a
 * worker whose heap fills up dies of OutOfMemoryError, and its respawn replays the same pairs into the same
 * heap and dies again, so the data would stay out of reach. Instead, after every garbage collection the
 * share of the old generation still in use is compared with {@value #BLOCK_AT_PERCENT} %: above it the
 * store refuses writes (507, saying what to do) while counts and dumps keep working; below
 * {@value #RESUME_BELOW_PERCENT} % writes are taken again.
 *
 * <p>Thread-safe: the JVM's notification thread writes {@link #full}, writers read it.
 */
final class HeapGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeapGuard.class);
    static final int BLOCK_AT_PERCENT = 85;
    static final int RESUME_BELOW_PERCENT = 80;

    private final MemoryPoolMXBean oldGeneration;
    private final List<NotificationEmitter> watched = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    /** Why writes are refused, or null while the heap has room. */
    private volatile String full;

    private HeapGuard(MemoryPoolMXBean oldGeneration) {
        this.oldGeneration = oldGeneration;
    }

    /** A guard fed by nothing: for tests, which call {@link #afterCollection} themselves. */
    static HeapGuard manual() {
        return new HeapGuard(null);
    }

    /** A guard that checks the old generation after every collection of this JVM. */
    static HeapGuard watchingThisJvm() {
        MemoryPoolMXBean old = null;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            // The heap pool that collections leave objects in: "Tenured Gen", "G1 Old Gen", "PS Old Gen".
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                old = pool;
            }
        }
        HeapGuard guard = new HeapGuard(old);
        if (old == null) {
            LOG.warn("no old-generation heap pool found: writes are not stopped before the heap is full");
            return guard;
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter) {
                ((NotificationEmitter) gc).addNotificationListener(guard.listener, null, null);
                guard.watched.add((NotificationEmitter) gc);
            }
        }
        return guard;
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        try {
            MemoryUsage after = oldGeneration.getCollectionUsage();
            if (after != null) {
                afterCollection(after.getUsed(), after.getMax());
            }
        } catch (RuntimeException e) {
            LOG.warn("heap check after a collection failed: {}", e.toString()); // the next collection checks again
        }
    }

    /** Takes the old generation's use after a collection: {@code max} below 1 means no ceiling is known. */
    void afterCollection(long used, long max) {
        if (max <= 0) {
            return;
        }
        long percent = used * 100 / max;
        String was = full;
        if (percent >= BLOCK_AT_PERCENT) {
            full = String.format(Locale.ROOT, "the worker's heap is %d %% full after garbage collection (%d of %d MB), "
                    + "and the index of stored pairs lives there: restart the workers with more heap "
                    + "(COUNTAPP_WORKER_JAVA_OPTS=-Xmx...) or add workers", percent, used >> 20, max >> 20);
            if (was == null) {
                LOG.error("refusing writes: {}", full);
            }
        } else if (percent < RESUME_BELOW_PERCENT && was != null) {
            full = null;
            LOG.info("the heap is {} % full after garbage collection: taking writes again", percent);
        }
    }

    /** Why writes are refused now, or null when the heap has room. */
    String full() {
        return full;
    }

    @Override
    public void close() {
        for (NotificationEmitter e : watched) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException gone) {
                // never added or already removed: nothing to undo
            }
        }
    }
}
