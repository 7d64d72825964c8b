package countapp.store;

/** The store could not do what was asked; the message says why. Nothing acknowledged is lost by it. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
