package org.wagateway.storage;

/**
 * Work refused because the data disk is below its floor (or a write met a full disk). Nothing of it was kept:
 * a stage that meets it rolls its transaction back, and the broker hands the message again later.
 */
public class InsufficientStorageException extends RuntimeException {

    public InsufficientStorageException(String message) {
        super(message);
    }

    public InsufficientStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether this failure, or one of its causes, is a full disk or a store out of space. */
    public static boolean isOutOfSpace(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InsufficientStorageException
                    || cause instanceof jakarta.jms.ResourceAllocationException) {
                return true;
            }
            String message = cause.getMessage();
            if (cause instanceof java.io.IOException && message != null
                    && message.contains("No space left on device")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
