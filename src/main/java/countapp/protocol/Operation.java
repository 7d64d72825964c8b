package countapp.protocol;

import countapp.model.ItemBatch;
import countapp.model.Window;
import org.jspecify.annotations.Nullable;

/**
 * One operation of a request frame (see {@link Channel}).
 *
 * @param kind {@link Channel#ADD}, {@link Channel#COUNT}, {@link Channel#ERASE} or {@link Channel#ERASE_TENANT}
 * @param batch the items of an add, else null
 * @param tenant the tenant of a count or an erasure, else null
 * @param id the id of an erasure of one pair, else null
 * @param window the window of a count ({@link Window#ALL} for all time), else null
 */
public record Operation(byte kind, @Nullable ItemBatch batch, @Nullable String tenant, @Nullable String id,
        @Nullable Window window) {
    public static Operation add(ItemBatch batch) {
        return new Operation(Channel.ADD, batch, null, null, null);
    }

    public static Operation count(String tenant, Window window) {
        return new Operation(Channel.COUNT, null, tenant, null, window);
    }

    public static Operation erase(String tenant, String id) {
        return new Operation(Channel.ERASE, null, tenant, id, null);
    }

    public static Operation eraseTenant(String tenant) {
        return new Operation(Channel.ERASE_TENANT, null, tenant, null, null);
    }
}
