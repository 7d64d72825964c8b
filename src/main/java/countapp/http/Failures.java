package countapp.http;

import countapp.api.ApiException;

import countapp.store.PartitionClosedException;
import countapp.store.StoreException;
import countapp.store.WriteBlockedException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Maps any failure to the {@link ApiException} a client should see. */
public final class Failures {
    private Failures() {}

    public static ApiException toApi(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ApiException) {
            return (ApiException) e;
        }
        if (e instanceof PartitionClosedException) {
            int p = ((PartitionClosedException) e).partition();
            return new ApiException(421, e.getMessage(), Map.of("partition", p));
        }
        if (e instanceof WriteBlockedException) {
            WriteBlockedException b = (WriteBlockedException) e;
            // 507 is final for the coordinator (a full disk is an answer, not a reason to retry for 30 s).
            return new ApiException(b.noSpace() ? 507 : 503, e.getMessage(), Map.of("partition", b.partition()),
                    Admission.RETRY_AFTER_SECONDS);
        }
        if (e instanceof IllegalArgumentException) {
            return new ApiException(400, e.getMessage());
        }
        if (e instanceof StoreException) {
            return new ApiException(503, e.getMessage());
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
