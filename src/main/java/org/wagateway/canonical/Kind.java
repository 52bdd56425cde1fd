package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a canonical message is: a customer's message, a delivery status of one of ours, or another event. */
public enum Kind {
    MESSAGE, STATUS, EVENT;

    /** The JSON name, also what Camel's simple language prints ({@code ${body.kind}}). */
    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
