package org.wagateway.media;

import java.time.Instant;

/** A kept copy: its id (hex SHA-256), size in bytes, checked type, download name and when it was first kept. */
public record StoredMedia(String sha256, long size, String mimeType, String fileName, Instant storedAt) {
}
