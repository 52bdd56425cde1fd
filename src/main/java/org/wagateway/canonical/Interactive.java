package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The customer's answer to buttons or a list we sent: our own id of the chosen item, its title and description,
 * its position ({@code index}) where the provider gives one, and the provider's id of the message that carried
 * the buttons or list ({@code messageId}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Interactive(ReplyType replyType, String id, String title, String description, Integer index,
                          String messageId) {

    /** An answer known only by its kind, id, title and description. */
    public Interactive(ReplyType replyType, String id, String title, String description) {
        this(replyType, id, title, description, null, null);
    }

    public enum ReplyType {
        BUTTON, LIST;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }
}
