package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * An attachment: first as the provider announced it, then with the gateway's own copy.
 *
 * <p>From the mapper: {@code sourceUrl} (the provider's link, which expires) or, for a provider that names its
 * files by id instead (Meta's Cloud API), {@code mediaId}; {@code mimeType} as declared, {@code fileName},
 * {@code hasThumbnail} (whether the provider sent a preview; the preview itself is never copied out of
 * {@code raw}), {@code animated} (an animated sticker), {@code voice} (an audio recorded as a voice note) and {@code declaredSha256}, the checksum the provider
 * announced for the file, which the media step can compare with the bytes it gets.
 *
 * <p>From the media step ({@code org.wagateway.media.MediaFetch}): {@code status}; when {@code stored},
 * {@code sha256} (hex of the bytes), {@code size} (bytes), {@code storedAt}, {@code url} (a signed link the
 * enterprise fetches the copy from) and {@code mimeType} becomes the type checked against the file's first
 * bytes. When the provider's type was contradicted by the bytes, what it claimed is kept in
 * {@code declaredMimeType}. When not stored, {@code failure} says why in a few words. {@code storedAt} is
 * always ISO-8601 text, whatever the ObjectMapper's date settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Media(String sourceUrl, String mediaId, String mimeType, String fileName, Boolean hasThumbnail,
                    Boolean animated, Boolean voice, String declaredSha256,
                    MediaStatus status, String declaredMimeType, String sha256, Long size,
                    @JsonFormat(shape = JsonFormat.Shape.STRING) Instant storedAt, String url, String failure) {

    /** An attachment known only by its link, type and name. */
    public Media(String sourceUrl, String mimeType, String fileName) {
        this(sourceUrl, mimeType, fileName, null, null);
    }

    /** An attachment as a mapper announces it by its link, before any download. */
    public Media(String sourceUrl, String mimeType, String fileName, Boolean hasThumbnail, Boolean animated) {
        this(sourceUrl, null, mimeType, fileName, hasThumbnail, animated, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * An attachment a provider announces by its own id, not by a link (Meta: the link is asked for with the id),
     * with the SHA-256 the provider says the file has.
     */
    public static Media byId(String mediaId, String mimeType, String declaredSha256, String fileName,
                             Boolean animated, Boolean voice) {
        return new Media(null, mediaId, mimeType, fileName, null, animated, voice, declaredSha256, null, null, null,
                null, null, null, null);
    }

    /**
     * A copy with the stored copy's fields ({@code status} = stored); the mapper's {@code sourceUrl},
     * {@code mediaId}, {@code hasThumbnail}, {@code animated}, {@code voice} and {@code declaredSha256} survive. A null
     * {@code fileName} keeps the mapper's.
     *
     * @param mimeType         the checked type (bytes first, then what the provider declared)
     * @param declaredMimeType what the provider claimed when the bytes contradicted it, else null
     */
    public Media withDownload(String sha256, long size, String mimeType, String declaredMimeType, String fileName,
                              Instant storedAt, String url) {
        return new Media(sourceUrl, mediaId, mimeType, fileName != null ? fileName : this.fileName, hasThumbnail,
                animated, voice, declaredSha256, MediaStatus.STORED, declaredMimeType, sha256, size, storedAt, url, null);
    }

    /** A copy that says the attachment was not stored, and why; the mapper's fields survive unchanged. */
    public Media withFailure(MediaStatus status, String failure) {
        if (status == MediaStatus.STORED) {
            throw new IllegalArgumentException("A stored attachment has no failure; use withDownload");
        }
        return new Media(sourceUrl, mediaId, mimeType, fileName, hasThumbnail, animated, voice, declaredSha256, status,
                null, null, null, null, null, failure);
    }
}
