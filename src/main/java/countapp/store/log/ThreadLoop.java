package countapp.store.log;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WriteLoop} of its own thread: runs queued tasks in order. A caller wakes the thread only when it
 * sleeps, so a busy loop costs no park/unpark per task.
 */
final class ThreadLoop implements WriteLoop, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadLoop.class);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean stopped;

    ThreadLoop(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        while (!stopped || !queue.isEmpty()) {
            Runnable task = queue.poll();
            if (task == null) {
                sleeping.set(true);
                if (queue.isEmpty() && !stopped) {
                    LockSupport.park(this);
                }
                sleeping.set(false);
                continue;
            }
            try {
                task.run();
            } catch (Throwable t) { // the loop must survive anything, or its partitions hang for good
                LOG.error("{}: a task failed", thread.getName(), t);
            }
        }
    }

    /** Stops once every queued task has run. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }
}
