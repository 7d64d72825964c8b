package countapp.http;

import countapp.api.ApiException;

import countapp.store.PartitionClosedException;
import countapp.store.StoreException;
import countapp.store.WriteBlockedException;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps any failure to the {@link ApiException} a client should see. */
public final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {}

    /**
     * Answers {@code req} with the status {@code cause} maps to. A 500 is a bug and is logged with its
     * stack; other server-side failures (a worker down, a full disk) with one line; 503 is routine overload
     * or failover and is not logged per request.
     */
    public static void answer(HttpServerRequest req, Throwable cause) {
        ApiException e = toApi(cause);
        if (e.status() == 500) {
            LOG.error("{} {} failed", req.method(), req.path(), unwrap(cause));
        } else if (e.status() > 501 && e.status() != 503) { // 501 is an answer (a backend without the feature), not a fault
            LOG.warn("{} {} failed: {}", req.method(), req.path(), String.valueOf(e.getMessage()));
        }
        Http.error(req, e);
    }

    public static ApiException toApi(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ApiException) {
            return (ApiException) e;
        }
        if (e instanceof PartitionClosedException) {
            int p = ((PartitionClosedException) e).partition();
            return new ApiException(421, String.valueOf(e.getMessage()), Map.of("partition", p));
        }
        if (e instanceof WriteBlockedException) {
            WriteBlockedException b = (WriteBlockedException) e;
            // 507 is final for the coordinator (a full disk is an answer, not a reason to retry for 30 s).
            return new ApiException(b.noSpace() ? 507 : 503, String.valueOf(e.getMessage()), Map.of("partition", b.partition()),
                    Admission.RETRY_AFTER_SECONDS);
        }
        if (e instanceof IllegalArgumentException) {
            return new ApiException(400, String.valueOf(e.getMessage()));
        }
        if (e instanceof countapp.store.NotSupportedException) {
            return new ApiException(501, String.valueOf(e.getMessage()));
        }
        if (e instanceof StoreException) {
            return new ApiException(503, String.valueOf(e.getMessage()));
        }
        return new ApiException(500, "internal error: " + e);
    }

    public static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
