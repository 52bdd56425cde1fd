package org.wagateway.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MediaStatus;
import org.wagateway.storage.InsufficientStorageException;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * The media step: downloads a message's attachment, keeps the copy and writes the outcome into its
 * {@code media}. It never throws for a download or storage problem: the message must still be delivered, with
 * {@code media.status} failed, too_large or refused and {@code media.failure} saying why. The one exception is a
 * full disk: {@link InsufficientStorageException}, so that the media step rolls back and fetches it later
 * instead of reporting a failure that is not the attachment's.
 *
 * <p>Nothing happens when media is off ({@code gateway.media.enabled=false}), when the message has no
 * {@code media.sourceUrl}, or when {@code media.status} is already set (a redelivered message is not fetched
 * twice).
 *
 * <p>From a Camel YAML route, whose body is the canonical JSON as a String, the simplest is the processor:
 * <pre>
 * - process:
 *     ref: mediaProcessor
 * </pre>
 * which replaces the body with the updated JSON and sets the header {@code mediaStatus} (stored, failed,
 * too_large, refused; absent when nothing was tried). Equivalently
 * {@code - bean: {ref: mediaProcessor, method: attachJson}} (String in, String out, no header). Java callers
 * use {@link #attach(CanonicalMessage)} or {@link #attach(Media)}.
 */
@Component("mediaProcessor")
public class MediaProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(MediaProcessor.class);

    /** How the JDK words ENOSPC. */
    private static final String NO_SPACE = "No space left on device";

    private final MediaProperties properties;
    private final MediaDownloader downloader;
    private final MediaStore store;
    private final MediaLinks links;
    private final ObjectMapper objectMapper;

    public MediaProcessor(MediaProperties properties, MediaDownloader downloader, MediaStore store, MediaLinks links,
                          ObjectMapper objectMapper) {
        this.properties = properties;
        this.downloader = downloader;
        this.store = store;
        this.links = links;
        this.objectMapper = objectMapper;
    }

    /** Camel: body canonical JSON (String) in, updated JSON out; header {@code mediaStatus}. */
    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        String json = exchange.getMessage().getBody(String.class);
        Outcome outcome = attachJsonOutcome(json);
        exchange.getMessage().setBody(outcome.json());
        if (outcome.status() != null) {
            exchange.getMessage().setHeader(Header.MEDIA_STATUS, outcome.status().toString());
        } else {
            exchange.getMessage().removeHeader(Header.MEDIA_STATUS);
        }
    }

    /**
     * The canonical JSON with its {@code media} updated; every other field is kept as it was (the JSON is not
     * rebuilt from {@link CanonicalMessage}). JSON without an attachment comes back unchanged.
     *
     * @throws JsonProcessingException only when the input is not JSON
     */
    public String attachJson(String canonicalJson) throws JsonProcessingException {
        return attachJsonOutcome(canonicalJson).json();
    }

    /** The updated JSON and the media's status (null when nothing was tried). */
    public record Outcome(String json, MediaStatus status) {
    }

    /** As {@link #attachJson}, also telling the outcome. */
    public Outcome attachJsonOutcome(String canonicalJson) throws JsonProcessingException {
        if (canonicalJson == null || !properties.isEnabled()) {
            return new Outcome(canonicalJson, null);
        }
        JsonNode root = objectMapper.readTree(canonicalJson);
        JsonNode mediaNode = root == null ? null : root.get("media");
        if (!(root instanceof ObjectNode object) || mediaNode == null || !mediaNode.isObject()) {
            return new Outcome(canonicalJson, null);
        }
        Media media;
        try {
            media = objectMapper.treeToValue(mediaNode, Media.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("Message {}: media is not readable ({}); left as it is", root.path("id").asText(),
                    e.getMessage());
            return new Outcome(canonicalJson, null);
        }
        if (!shouldDownload(media)) {
            return new Outcome(canonicalJson, null);
        }
        Media updated = attach(media);
        object.set("media", objectMapper.valueToTree(updated));
        return new Outcome(objectMapper.writeValueAsString(object), updated.status());
    }

    /** Sets the message's {@code media} to the outcome of {@link #attach(Media)}; returns the same message. */
    public CanonicalMessage attach(CanonicalMessage message) {
        if (message != null && message.getMedia() != null) {
            message.setMedia(attach(message.getMedia()));
        }
        return message;
    }

    /**
     * The attachment with its stored copy's fields, or with a failure status and reason; unchanged when there
     * is nothing to do (see the class comment).
     */
    public Media attach(Media media) {
        if (!shouldDownload(media)) {
            return media;
        }
        DownloadResult result;
        try {
            result = downloader.download(media.sourceUrl(), media.mimeType());
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

    private static final ObjectMapper RETRY_JSON = new ObjectMapper();
    private static final java.util.List<String> OUTCOME_FIELDS = java.util.List.of("status", "failure",
            "declaredMimeType", "sha256", "size", "storedAt", "url");

    /**
     * The canonical JSON with its media's download outcome cleared, so that the media step fetches it again (a
     * replay from the media dead-letter queue). Other JSON comes back unchanged.
     */
    public static String forRetry(String canonicalJson) {
        try {
            JsonNode root = RETRY_JSON.readTree(canonicalJson);
            if (root != null && root.path("media") instanceof ObjectNode media) {
                media.remove(OUTCOME_FIELDS);
                return RETRY_JSON.writeValueAsString(root);
            }
        } catch (JsonProcessingException e) {
            // not JSON: replayed as it is, and the media step leaves it alone
        }
        return canonicalJson;
    }

    /**
     * Whether this canonical JSON carries an attachment still to fetch: the dispatch route sends such a message
     * to the media queue, every other one straight on.
     */
    public boolean needsDownload(String canonicalJson) {
        if (canonicalJson == null || !properties.isEnabled()) {
            return false;
        }
        try {
            JsonNode media = objectMapper.readTree(canonicalJson).path("media");
            return media.isObject() && !media.hasNonNull("status") && media.path("sourceUrl").isTextual()
                    && !media.path("sourceUrl").asText().isBlank();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private boolean shouldDownload(Media media) {
        return properties.isEnabled() && media != null && media.status() == null
                && media.sourceUrl() != null && !media.sourceUrl().isBlank();
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
