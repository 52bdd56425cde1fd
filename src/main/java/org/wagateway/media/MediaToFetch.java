package org.wagateway.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.wagateway.flow.CanonicalJson;

/**
 * The dispatch route's question: does this canonical JSON carry an attachment still to fetch ({@code media}
 * with a {@code sourceUrl} and no {@code status}, media on)? Such a message waits on the media queue; every
 * other one, a body that is not JSON included, goes straight on to delivery.
 */
@Component("mediaToFetch")
public class MediaToFetch {

    private final MediaProperties properties;
    private final CanonicalJson canonicalJson;

    public MediaToFetch(MediaProperties properties, CanonicalJson canonicalJson) {
        this.properties = properties;
        this.canonicalJson = canonicalJson;
    }

    public boolean needsDownload(Exchange exchange) {
        if (!properties.isEnabled()) {
            return false;
        }
        try {
            JsonNode root = canonicalJson.tree(exchange);
            JsonNode media = root == null ? null : root.path("media");
            return media != null && media.isObject() && !media.hasNonNull("status")
                    && media.path("sourceUrl").isTextual() && !media.path("sourceUrl").asText().isBlank();
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
