package countapp.protocol;

import countapp.codec.ByteSource;
import countapp.model.Window;

/**
 * The coordinator-to-worker channel: one persistent TCP connection per coordinator event loop and worker,
 * opened as an HTTP/1.1 upgrade of {@code GET /channel} (so it shares the worker's port and is fenced by
 * the cluster secret), then carrying binary frames both ways.
 *
 * <pre>
 *   request = u32 length (big-endian, of what follows) | u32 request id | u32 count | ops
 *   ADD     = u8 1 | u8 flags (1: days follow) | varint groups | groups × (varint partition | varint items
 *             | items × (string tenant, string id [, varlong day − Integer.MIN_VALUE]))
 *   COUNT   = u8 2 | string tenant | u8 window unit (0 all, 1 days, 2 month) | varlong from | varlong to
 *             (each − Integer.MIN_VALUE)
 *   ERASE   = u8 3 | string tenant | string id
 *   ERASE_TENANT = u8 4 | string tenant | varlong token
 *   string  = varint length | UTF-8
 *
 *   from the worker = u32 length | u8 kind | …
 *   RESULTS  = u8 1 | u32 request id | u32 count | results
 *   PROGRESS = u8 2 | u32 request id | varint op index | varlong done so far
 *   DONE     = u8 3 | u32 request id | varint op index | result
 *   result  = varint status | status 200: varlong value (pairs added, the count, pairs erased) | else: string message
 * </pre>
 *
 * A request frame carries the operations of many clients, coalesced per event-loop turn; its results
 * frame holds one result per operation, in the same order, each with its own status (200, 421 not the
 * owner, 503 unavailable, 507 disk full, 400 bad request), so one moved partition fails only the
 * operations that touch it.
 *
 * <p>An add's items travel grouped by partition: the coordinator hashed each tenant once, and the worker
 * stores each group in the partition it names (the channel is the coordinator's, fenced by the cluster
 * secret). Days travel only when the cluster keeps windows.
 *
 * <p>Long operations (a tenant erasure) do not hold up the frame they came in, nor the channel: their
 * result is {@link #RUNNING}; the worker then sends a PROGRESS frame every {@link #PROGRESS_MS} while the
 * operation runs and one DONE frame with its result. The coordinator waits as long as progress keeps
 * coming: a long operation is not a silent worker.
 *
 * <p>Operation codes are those of {@link OperationKind}, worker frame codes those of
 * {@link WorkerFrameKind}, window units those of {@link #unitCode}, each written out: an unknown code
 * makes the whole frame malformed (refused, nothing of it runs).
 */
public final class Channel {
    public static final String PATH = "/channel";
    public static final String UPGRADE = "countapp-channel/1";
    /** Frames beyond this are refused as corrupt: far above what the coalescer builds. */
    public static final int MAX_FRAME = 64 << 20;
    /** The status of a long operation that goes on after its results frame (HTTP's 202 Accepted). */
    public static final int RUNNING = 202;
    /** How often the worker reports a running long operation's progress. */
    public static final long PROGRESS_MS = 1_000;

    /** The wire code of a window unit: written out, never {@code ordinal()}, so the enum may change freely. */
    static byte unitCode(Window.Unit unit) {
        return switch (unit) {
            case ALL -> 0;
            case DAY -> 1;
            case MONTH -> 2;
        };
    }

    /** The unit with wire code {@code code}, or a {@link ByteSource.MalformedException}. */
    static Window.Unit unitOfCode(byte code) {
        for (Window.Unit unit : Window.Unit.values()) {
            if (unitCode(unit) == code) {
                return unit;
            }
        }
        throw new ByteSource.MalformedException("unknown window unit " + code);
    }

    /** Ints that may be negative (days, {@code ItemBatch.NO_DAY}) travel as unsigned varlongs. */
    static long unsigned(int value) {
        return (long) value - Integer.MIN_VALUE;
    }

    static int signed(long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new ByteSource.MalformedException("bad int field " + value);
        }
        return (int) (value + Integer.MIN_VALUE);
    }

    private Channel() {}
}
