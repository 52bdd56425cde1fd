package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonValue;

/** Inbound: the customer wrote. Outbound: an echo of a message our own number sent. */
public enum Direction {
    INBOUND, OUTBOUND;

    /** The JSON name, also what Camel's simple language prints ({@code ${body.kind}}). */
    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
