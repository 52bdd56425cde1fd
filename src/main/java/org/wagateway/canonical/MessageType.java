package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The closed list of canonical types. A queue is chosen by type, so adding one is a contract change:
 * document it in README and in the JSON Schema.
 */
public enum MessageType {
    TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER, LOCATION, CONTACTS, INTERACTIVE,
    REACTION, POLL, POLL_UPDATE, EDIT, DELETE, GROUP_INVITE, ORDER,
    STATUS, CALL, STATE, BLOCK, DEVICE,
    UNKNOWN;

    /** The JSON name, also what Camel's simple language prints ({@code ${body.kind}}). */
    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
