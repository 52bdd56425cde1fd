package org.wagateway.media;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MediaStatus;
import org.wagateway.storage.InsufficientStorageException;

/**
 * Downloads one attachment and keeps the copy: the {@link Media} comes back with the stored copy's fields, or
 * with {@code status} failed, too_large or refused and {@code failure} saying why. It never throws for a download
 * or storage problem, as the message must still be delivered. The one exception is a full disk:
 * {@link InsufficientStorageException}, so that the media step rolls back and fetches it later instead of
 * reporting a failure that is not the attachment's.
 *
 * <p>Where the bytes come from is the provider's {@link MediaSource} ({@link MediaSources}): a link, or Meta's
 * media id. Nothing happens when media is off ({@code gateway.media.enabled=false}), when the source finds
 * nothing to fetch (no {@code sourceUrl}; for Meta no {@code mediaId}), or when {@code status} is already set (a
 * redelivered message is not fetched twice).
 */
@Component("mediaFetch")
public class MediaFetch {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFetch.class);

    /** How the JDK words ENOSPC. */
    private static final String NO_SPACE = "No space left on device";

    private final MediaProperties properties;
    private final MediaSources sources;
    private final MediaStore store;
    private final MediaLinks links;

    public MediaFetch(MediaProperties properties, MediaSources sources, MediaStore store, MediaLinks links) {
        this.properties = properties;
        this.sources = sources;
        this.store = store;
        this.links = links;
    }

    /**
     * Whether this attachment of a message from {@code provider} (the canonical {@code provider}) is still to
     * fetch (see the class comment).
     */
    public boolean isPending(String provider, Media media) {
        return properties.isEnabled() && media != null && media.status() == null
                && sources.forProvider(provider).canFetch(media);
    }

    /** The attachment with its stored copy's fields, or with a failure; the same object when nothing is to do. */
    public Media fetch(String provider, Media media) {
        if (!isPending(provider, media)) {
            return media;
        }
        DownloadResult result;
        try {
            result = sources.forProvider(provider).download(media);
        } catch (RuntimeException e) {
            LOG.error("Media download failed unexpectedly", e);
            return media.withFailure(MediaStatus.FAILED, "internal error: " + e.getClass().getSimpleName());
        }
        if (!result.downloaded()) {
            if (result.failure() != null && result.failure().contains(NO_SPACE)) {
                // not the attachment's fault: the message goes back to its queue and is fetched again later
                throw new InsufficientStorageException("The data disk is full; the attachment is fetched later");
            }
            return media.withFailure(result.status(), result.failure());
        }
        String fileName = media.fileName() != null ? media.fileName() : nameFromLink(media.sourceUrl());
        try {
            StoredMedia stored = store.store(result.file(), result.sha256(), result.mimeType(), fileName);
            Instant storedAt = stored.storedAt() != null ? stored.storedAt() : Instant.now();
            return media.withDownload(stored.sha256(), stored.size(), result.mimeType(), result.declaredMimeType(),
                    fileName, storedAt, links.url(stored.sha256()));
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not keep media {}", result.sha256(), e);
            try {
                Files.deleteIfExists(result.file());
            } catch (IOException ignored) {
                // the downloader's clean-up of stale files takes it later
            }
            if (InsufficientStorageException.isOutOfSpace(e)) {
                throw new InsufficientStorageException("The data disk is full; the attachment is fetched later", e);
            }
            return media.withFailure(MediaStatus.FAILED, "could not store the copy: " + e.getClass().getSimpleName());
        }
    }

    /** The last segment of the link's path ({@code .../09CC4398.jpeg} → {@code 09CC4398.jpeg}), or null. */
    static String nameFromLink(String link) {
        URI uri = MediaDownloader.parse(link);
        String path = uri == null ? null : uri.getPath();
        if (path == null) {
            return null;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        String name = MediaController.sanitize(last);
        return name == null || name.isBlank() ? null : name;
    }
}
