package org.wagateway.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.Media;
import org.wagateway.flow.CanonicalJson;

/**
 * The dispatch route's question: does this canonical JSON carry an attachment still to fetch? The same answer
 * the media step gives ({@link MediaFetch#isPending}): media on, {@code media} without {@code status}, and
 * something the provider's {@link MediaSource} can fetch (a {@code sourceUrl}; for Meta a {@code mediaId}). Such
 * a message waits on the media queue; every other one, a body that is not JSON or a {@code media} that is not
 * readable included, goes straight on to delivery.
 */
@Component("mediaToFetch")
public class MediaToFetch {

    private final MediaFetch fetch;
    private final CanonicalJson canonicalJson;
    private final ObjectMapper objectMapper;

    public MediaToFetch(MediaFetch fetch, CanonicalJson canonicalJson, ObjectMapper objectMapper) {
        this.fetch = fetch;
        this.canonicalJson = canonicalJson;
        this.objectMapper = objectMapper;
    }

    public boolean needsDownload(Exchange exchange) {
        try {
            JsonNode root = canonicalJson.tree(exchange);
            JsonNode media = root == null ? null : root.get("media");
            if (media == null || !media.isObject()) {
                return false;
            }
            return fetch.isPending(root.path("provider").asText(null), objectMapper.treeToValue(media, Media.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return false;
        }
    }
}
