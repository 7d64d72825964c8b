package countapp.store.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Group commit per loop turn: adds are applied to their partition's pending group as they come, on the
 * partition's {@link WriteLoop}; one commit task, queued behind whatever the loop has to do now, then
 * writes each touched partition's group as one frame and completes its adds. On an event loop that is one
 * write per partition for everything the loop read in one turn, however many frames and clients it was.
 *
 * <p>Confined to its loop's thread.
 */
final class Committer {
    private final WriteLoop loop;
    /** Partitions with a pending group; loop thread only. */
    private final List<LogPartition> dirty = new ArrayList<>();
    private boolean scheduled;

    Committer(WriteLoop loop) {
        this.loop = loop;
    }

    WriteLoop loop() {
        return loop;
    }

    /** Applies the add in this turn (at once when called on the loop's thread). */
    void submit(PendingAdd add) {
        if (loop.inLoop()) {
            accept(add);
        } else {
            loop.execute(() -> accept(add));
        }
    }

    /** Runs {@code task} on the loop after committing what is pending (a close, say). */
    void afterCommit(Runnable task) {
        loop.execute(() -> {
            commitAll();
            task.run();
        });
    }

    private void accept(PendingAdd add) {
        LogPartition p = add.partition;
        if (p.append(add)) {
            if (!p.pendingCommit) {
                p.pendingCommit = true;
                dirty.add(p);
            }
            if (!scheduled) {
                scheduled = true;
                loop.execute(this::commitAll);
            }
        }
    }

    private void commitAll() {
        scheduled = false;
        for (int i = 0; i < dirty.size(); i++) {
            LogPartition p = dirty.get(i);
            p.pendingCommit = false;
            p.commit();
        }
        dirty.clear();
    }
}
