package org.wagateway.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the gateway keeps its copies, addressed by the SHA-256 of their bytes: the same bytes are kept once.
 * {@link LocalMediaStore} ({@code gateway.media.store=local}, the default) keeps them on disk; an object-store
 * implementation would upload the temporary file in {@link #store} and stream it back in {@link #open}.
 */
public interface MediaStore {

    /**
     * Takes a downloaded file. The temporary file is gone afterwards (moved, uploaded or, when the same bytes
     * are already kept, deleted).
     *
     * @param tempFile the bytes, whose hex SHA-256 is {@code sha256}
     * @param mimeType the checked type, kept for serving
     * @param fileName a name for downloads (may be null)
     * @return what is kept: for bytes already kept, their first entry (its type, name and time)
     */
    StoredMedia store(Path tempFile, String sha256, String mimeType, String fileName) throws IOException;

    /** The kept copy with this hex SHA-256, if there is one. */
    Optional<StoredMediaContent> open(String sha256) throws IOException;

    /** Whether an id is a hex SHA-256 (64 lower-case hex digits): the only ids stores accept. */
    static boolean isValidId(String sha256) {
        if (sha256 == null || sha256.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = sha256.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
