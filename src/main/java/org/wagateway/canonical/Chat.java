package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The conversation. {@code id} is the provider's own address of the chat (what a reply is sent to):
 * a phone number for Kazinfoteh, a WhatsApp JID such as {@code 79001234568@c.us} for Green API.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Chat(String id, Type type, String name) {

    public enum Type {
        DIRECT, GROUP;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }
}
