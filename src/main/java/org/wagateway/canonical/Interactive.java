package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/** The customer's answer to buttons or a list we sent: our own id of the chosen item, and its title. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Interactive(ReplyType replyType, String id, String title, String description) {

    public enum ReplyType {
        BUTTON, LIST;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }
}
