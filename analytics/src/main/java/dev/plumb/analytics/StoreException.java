package dev.plumb.analytics;

/** The store could not open, write or query its database; the message says what and where. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
