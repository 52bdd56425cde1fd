package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A shared contact card. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Contact(String formattedName, String firstName, String lastName,
                      List<Phone> phones, List<Email> emails, String vcard) {

    /**
     * A phone of the card: {@code whatsapp} tells whether the number has a WhatsApp account, where known, and
     * {@code waId} is its WhatsApp id (digits) where the provider gives one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Phone(String phone, Boolean whatsapp, String waId, String type) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Email(String email, String type) {
    }
}
