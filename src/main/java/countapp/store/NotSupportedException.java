package countapp.store;

/** The backend cannot do this (a format-1 RocksDB database and windows, say); answered 501 with the reason. */
public final class NotSupportedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public NotSupportedException(String message) {
        super(message);
    }
}
