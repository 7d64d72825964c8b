package countapp.store.log;

import countapp.codec.ByteSink;

/**
 * A partition's pair keys and their hashes: the key of a pair is the tenant's prefix then the id's UTF-8,
 * its index entry the key's 128-bit {@link SipHash}.
 *
 * <p>Writer only: the key and the hash are scratch space reused by every call, so one instance serves the
 * partition's write path, its erasures and the index checks of its listings, all on its {@link WriteLoop}.
 */
final class PairKeys {
    private final SipHash hash;
    private final ByteSink key = new ByteSink(256);
    private final long[] h = new long[2];

    PairKeys(SipHash hash) {
        this.hash = hash;
    }

    /**
     * Hashes the pair (tenant, id), leaving its key in the scratch key and its hash in {@link #low()} and
     * {@link #high()}; returns the id's length in bytes.
     */
    int hash(Tenant t, String pairId) {
        key.reset();
        key.putBytes(t.prefix, 0, t.prefix.length);
        int idLength = key.putUtf8(pairId);
        hash.hash128(key.array(), key.length(), h);
        return idLength;
    }

    long low() {
        return h[0];
    }

    long high() {
        return h[1];
    }

    /** Appends a record (tenant number, id length, id) of the pair last hashed for {@code t} to {@code records}. */
    void putRecord(ByteSink records, int tenantIndex, Tenant t, int idLength) {
        records.putVarint(tenantIndex);
        records.putVarint(idLength);
        records.putBytes(key.array(), t.prefix.length, idLength);
    }
}
