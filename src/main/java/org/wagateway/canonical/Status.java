package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where one of our messages ({@code messageId}) stands. {@code rank} only grows along the way
 * (pending 5, sent 10, delivered 20, read 30, played 40, failed 90; unknown 0), so a consumer may drop a status
 * whose rank is not above one it already holds. {@code providerState} is the provider's own word for it,
 * {@code error} its explanation of a failure, {@code sentByApi} whether the message was sent through the API.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(String messageId, State state, int rank, String error, String providerState, Boolean sentByApi) {

    /** A status whose rank follows from its state. */
    public static Status of(String messageId, State state, String error, String providerState, Boolean sentByApi) {
        State known = state == null ? State.UNKNOWN : state;
        return new Status(messageId, known, known.rank(), error, providerState, sentByApi);
    }

    /** The canonical states, in the order a message passes them. */
    public enum State {
        UNKNOWN(0), PENDING(5), SENT(10), DELIVERED(20), READ(30), PLAYED(40), FAILED(90);

        private final int rank;

        State(int rank) {
            this.rank = rank;
        }

        public int rank() {
            return rank;
        }

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }
}
