package org.wagateway.media;

import java.nio.file.Path;
import org.wagateway.canonical.MediaStatus;

/**
 * What {@link MediaDownloader#download} got.
 *
 * <p>{@link #downloaded()}: the bytes are in {@code file} (a temporary file in the media folder that the caller
 * must hand to a {@link MediaStore} or delete), with their {@code sha256}, {@code size}, the checked
 * {@code mimeType} and, when the bytes contradicted it, the {@code declaredMimeType}. Otherwise {@code status}
 * is failed, too_large or refused, {@code failure} says why and no file is left behind.
 *
 * @param attempts tries made (0 when refused before any)
 */
public record DownloadResult(MediaStatus status, Path file, String sha256, long size, String mimeType,
                             String declaredMimeType, String failure, int attempts) {

    static DownloadResult downloaded(Path file, String sha256, long size, MagicNumbers.TypeCheck type, int attempts) {
        return new DownloadResult(MediaStatus.STORED, file, sha256, size, type.mimeType(), type.declaredMimeType(),
                null, attempts);
    }

    /** Longest {@code failure} text kept: a few words for people, not a stack trace. */
    static final int MAX_FAILURE_LENGTH = 240;

    static DownloadResult notDownloaded(MediaStatus status, String failure, int attempts) {
        String reason = failure == null || failure.length() <= MAX_FAILURE_LENGTH ? failure
                : failure.substring(0, MAX_FAILURE_LENGTH - 1) + "…";
        return new DownloadResult(status, null, null, 0, null, null, reason, attempts);
    }

    /** Whether the bytes are in {@link #file()}, ready for the store. */
    public boolean downloaded() {
        return status == MediaStatus.STORED && file != null;
    }
}
