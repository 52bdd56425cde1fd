package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The preview WhatsApp showed for a link in the text; {@code hasThumbnail} says whether it had a picture. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkPreview(String title, String description, String url, Boolean hasThumbnail) {
}
