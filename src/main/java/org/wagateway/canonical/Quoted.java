package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The message this one replies to: its provider id, canonical type, who wrote it, and its text or caption
 * where the provider repeats them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Quoted(String id, MessageType type, String senderId, String text, String caption) {
}
