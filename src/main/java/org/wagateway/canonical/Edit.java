package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The sender changed an earlier message {@code messageId}; {@code text} is its new text. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Edit(String messageId, String text) {
}
