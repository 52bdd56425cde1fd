package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Who wrote. {@code id} is the provider's address of the sender, {@code phone} its number as digits only
 * (null when the provider gives none), {@code name} the WhatsApp profile name, {@code contactName} the name
 * in our own address book where the provider knows it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sender(String id, String phone, String name, String contactName) {
}
