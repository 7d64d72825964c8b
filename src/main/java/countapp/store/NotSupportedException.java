package countapp.store;

/** The backend cannot do this (a partition without windows asked for a window's count, say); answered 501 with the reason. */
public final class NotSupportedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public NotSupportedException(String message) {
        super(message);
    }
}
