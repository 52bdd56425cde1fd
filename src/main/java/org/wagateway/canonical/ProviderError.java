package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error as the provider reports it (Meta's {@code errors[]}): its numeric {@code code}, short {@code title},
 * {@code message}, the longer {@code details} and the link to the provider's page about it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderError(Integer code, String title, String message, String details, String href) {

    /** One line for a status's {@code error}: the code and the most telling words the provider gave. */
    public String summary() {
        String words = details != null ? details : message != null ? message : title;
        if (code == null) {
            return words;
        }
        return words == null ? String.valueOf(code) : code + ": " + words;
    }
}
