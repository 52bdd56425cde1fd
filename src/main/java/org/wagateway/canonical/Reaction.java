package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An emoji reaction to the message {@code messageId}; {@code removed} is true when the reaction was taken back. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reaction(String emoji, String messageId, Boolean removed) {
}
