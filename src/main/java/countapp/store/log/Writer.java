package countapp.store.log;

import countapp.store.StoreException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread of the store's writer pool: the only thread that touches the indexes and log appends of the
 * partitions it serves ({@code partition mod pool size}), so they need no locks.
 *
 * <p>Design: callers enqueue commands on a lock-free queue; the writer takes everything queued, groups the
 * adds by partition and writes one frame per partition (group commit), then completes the callers'
 * futures. A caller wakes the writer only when it sleeps, so a busy writer costs no park/unpark per
 * request. The queue is bounded by a pending-command count: beyond it, commands are refused at once as
 * overload rather than queued without limit.
 */
final class Writer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    private static final int MAX_GROUP = 4096;

    /** Work for a writer: runs on its thread; {@link #fail} answers it when it never will run. */
    abstract static class Command {
        final LogPartition partition;

        Command(LogPartition partition) {
            this.partition = partition;
        }

        abstract void fail(Throwable error);
    }

    private final String name;
    private final int capacity;
    private final ConcurrentLinkedQueue<Command> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean stopped;

    Writer(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues {@code command}; fails it at once when the writer is overloaded or stopped. */
    void submit(Command command) {
        if (stopped) {
            command.fail(new StoreException(name + " is stopped"));
            return;
        }
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            command.fail(new StoreException(name + " is overloaded: " + capacity + " commands queued"));
            return;
        }
        enqueue(command);
    }

    /** Queues {@code command} whatever the load: for closes, which must get through behind any backlog. */
    void submitAlways(Command command) {
        if (stopped) {
            command.fail(new StoreException(name + " is stopped"));
            return;
        }
        pending.incrementAndGet();
        enqueue(command);
    }

    private void enqueue(Command command) {
        queue.offer(command);
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        List<Command> group = new ArrayList<>();
        Map<LogPartition, List<LogPartition.Add>> adds = new IdentityHashMap<>();
        while (!stopped) {
            Command c = queue.poll();
            if (c == null) {
                sleeping.set(true);
                if (queue.isEmpty() && !stopped) {
                    LockSupport.park(this);
                }
                sleeping.set(false);
                continue;
            }
            group.add(c);
            while (group.size() < MAX_GROUP && (c = queue.poll()) != null) {
                group.add(c);
            }
            pending.addAndGet(-group.size());
            try {
                process(group, adds);
            } catch (Throwable t) { // the writer must survive anything, or its partitions hang for good
                LOG.error("{}: unexpected failure; failing {} commands", name, group.size(), t);
                StoreException error = new StoreException(name + ": internal error: " + t);
                group.forEach(cmd -> cmd.fail(error));
            }
            group.clear();
            adds.clear();
        }
        Command c;
        while ((c = queue.poll()) != null) {
            c.fail(new StoreException(name + " is stopped"));
        }
    }

    /** Adds first, grouped per partition in arrival order; then every other command in order. */
    private static void process(List<Command> group, Map<LogPartition, List<LogPartition.Add>> adds) {
        for (Command c : group) {
            if (c instanceof LogPartition.Add) {
                adds.computeIfAbsent(c.partition, p -> new ArrayList<>()).add((LogPartition.Add) c);
            }
        }
        adds.forEach(LogPartition::writeAdds);
        for (Command c : group) {
            if (!(c instanceof LogPartition.Add)) {
                ((Runnable) c).run();
            }
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }
}
