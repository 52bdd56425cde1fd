package org.wagateway.canonical;

/** A webhook body that is JSON but not a shape any mapper can read (an array, a scalar). Answered 400. */
public class InvalidPayloadException extends RuntimeException {

    public InvalidPayloadException(String message) {
        super(message);
    }
}
