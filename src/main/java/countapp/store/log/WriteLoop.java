package countapp.store.log;

/**
 * The one thread that runs a partition's writes. The worker passes its event loop, so a channel frame's
 * adds run where the frame was read, with no hand-off between threads; the store's own {@link ThreadLoop}s
 * serve where there is no event loop (tools, tests).
 */
public interface WriteLoop {
    /** Whether the caller is this loop's thread. */
    boolean inLoop();

    /** Runs {@code task} on the loop's thread, after the tasks queued before it. */
    void execute(Runnable task);
}
