package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The customer's answer to buttons or a list we sent: our own id of the chosen item, its title and description,
 * its position ({@code index}) where the provider gives one, and the provider's id of the message that carried
 * the buttons or list ({@code messageId}). The answer to a form ({@code replyType: flow}, Meta's WhatsApp Flows)
 * carries the form's name ({@code flowName}) and what the customer filled in ({@code flowResponse}, a JSON object
 * whose fields are those of our own form).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Interactive(ReplyType replyType, String id, String title, String description, Integer index,
                          String messageId, String flowName, JsonNode flowResponse) {

    /** An answer known only by its kind, id, title and description. */
    public Interactive(ReplyType replyType, String id, String title, String description) {
        this(replyType, id, title, description, null, null);
    }

    /** An answer to buttons or a list, with the chosen item's position and the id of our message. */
    public Interactive(ReplyType replyType, String id, String title, String description, Integer index,
                       String messageId) {
        this(replyType, id, title, description, index, messageId, null, null);
    }

    public enum ReplyType {
        BUTTON, LIST, FLOW;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }
}
