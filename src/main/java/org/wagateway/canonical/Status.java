package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;

/**
 * Where one of our messages ({@code messageId}) stands. {@code rank} only grows along the way
 * (pending 5, sent 10, delivered 20, read 30, played 40, failed 90; unknown 0), so a consumer may drop a status
 * whose rank is not above one it already holds. {@code providerState} is the provider's own word for it,
 * {@code error} its explanation of a failure, {@code sentByApi} whether the message was sent through the API;
 * {@code conversation}, {@code pricing} and {@code errors} are Meta's billing window, price and error list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(String messageId, State state, int rank, String error, String providerState, Boolean sentByApi,
                     Conversation conversation, Pricing pricing, List<ProviderError> errors) {

    /** A status without conversation, pricing or error list. */
    public Status(String messageId, State state, int rank, String error, String providerState, Boolean sentByApi) {
        this(messageId, state, rank, error, providerState, sentByApi, null, null, null);
    }

    /** A status whose rank follows from its state. */
    public static Status of(String messageId, State state, String error, String providerState, Boolean sentByApi) {
        return of(messageId, state, error, providerState, sentByApi, null, null, null);
    }

    /**
     * A status whose rank follows from its state, with the conversation and the pricing the provider billed it
     * under and the provider's own errors (an empty list is left out).
     */
    public static Status of(String messageId, State state, String error, String providerState, Boolean sentByApi,
                            Conversation conversation, Pricing pricing, List<ProviderError> errors) {
        State known = state == null ? State.UNKNOWN : state;
        return new Status(messageId, known, known.rank(), error, providerState, sentByApi, conversation, pricing,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    /**
     * The conversation (Meta's 24-hour billing window) the message belongs to: its id, what opened it
     * ({@code originType}: {@code service}, {@code marketing}, {@code utility}, {@code authentication}, ...) and
     * when it ends.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Conversation(String id, String originType, Instant expiresAt) {
    }

    /**
     * How the provider prices the message: whether it is billable, the pricing model ({@code CBP}, {@code PMP}),
     * the category ({@code service}, {@code marketing}, ...) and the price type ({@code regular},
     * {@code free_customer_service}, ...).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pricing(Boolean billable, String pricingModel, String category, String type) {
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
