package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An attachment as the provider announced it. {@code hasThumbnail} says whether the provider sent a preview
 * (the preview itself is never copied out of {@code raw}); {@code animated} marks an animated sticker.
 * The stored copy's fields come with the media step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Media(String sourceUrl, String mimeType, String fileName, Boolean hasThumbnail, Boolean animated) {

    /** An attachment known only by its link, type and name. */
    public Media(String sourceUrl, String mimeType, String fileName) {
        this(sourceUrl, mimeType, fileName, null, null);
    }
}
