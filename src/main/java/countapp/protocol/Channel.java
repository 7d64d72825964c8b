package countapp.protocol;

/**
 * The coordinator-to-worker channel: one persistent TCP connection per coordinator event loop and worker,
 * opened as an HTTP/1.1 upgrade of {@code GET /channel} (so it shares the worker's port and is fenced by
 * the cluster secret), then carrying binary frames both ways.
 *
 * <pre>
 *   frame   = u32 length (big-endian, of what follows) | u32 request id | u32 count | ops, or results
 *   ADD     = u8 1 | varint items | items × (varint tenant length, tenant UTF-8, varint id length, id UTF-8)
 *   COUNT   = u8 2 | varint tenant length | tenant UTF-8
 *   result  = varint status | status 200: varlong value (pairs added, or the count) | else: varint length, message UTF-8
 * </pre>
 *
 * A request frame carries the operations of many clients, coalesced per event-loop turn; its reply holds
 * one result per operation, in the same order, each with its own status (200, 421 not the owner, 503
 * unavailable, 507 disk full, 400 bad request), so one moved partition fails only the operations that
 * touch it.
 */
public final class Channel {
    public static final String PATH = "/channel";
    public static final String UPGRADE = "countapp-channel/1";
    /** Frames beyond this are refused as corrupt: far above what the coalescer builds. */
    public static final int MAX_FRAME = 64 << 20;
    public static final byte ADD = 1;
    public static final byte COUNT = 2;

    private Channel() {}
}
