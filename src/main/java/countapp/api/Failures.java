package countapp.api;

import countapp.store.PartitionClosedException;
import countapp.store.StoreException;
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
