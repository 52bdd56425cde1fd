package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An attachment as the provider announced it. The stored copy's fields come with the media step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Media(String sourceUrl, String mimeType, String fileName) {
}
