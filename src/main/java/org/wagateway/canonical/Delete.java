package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The sender deleted an earlier message {@code messageId} for everyone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delete(String messageId) {
}
