package org.wagateway.webhook;

/** A webhook refused with an HTTP status and a machine-readable error code; the body says why. */
public class WebhookException extends RuntimeException {

    private final int status;
    private final String error;

    public WebhookException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
