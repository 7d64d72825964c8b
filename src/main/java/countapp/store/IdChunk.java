package countapp.store;

import java.util.List;

/**
 * A slice of a tenant's ids.
 *
 * @param ids the ids, at most the number asked for (possibly none, even before the end)
 * @param next the opaque cursor to pass for the next slice, or null when the scan is over
 */
public record IdChunk(List<String> ids, String next) {
    public IdChunk {
        ids = List.copyOf(ids);
    }

    public boolean complete() {
        return next == null;
    }
}
