package countapp.store;

import java.util.List;

/**
 * A slice of a tenant's ids in key order.
 *
 * @param ids the ids, at most the number asked for
 * @param complete true when no id follows the last one: the scan is over
 */
public record IdChunk(List<String> ids, boolean complete) {
    public IdChunk {
        ids = List.copyOf(ids);
    }

    /** The id to resume after, or null for an empty chunk. */
    public String last() {
        return ids.isEmpty() ? null : ids.get(ids.size() - 1);
    }
}
