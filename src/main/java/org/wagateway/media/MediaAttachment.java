package org.wagateway.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.canonical.Media;
import org.wagateway.flow.CanonicalJson;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * The fetch-media route's step ({@code - process: {ref: mediaAttachment}}): the body is the canonical JSON; its
 * attachment is fetched ({@link MediaFetch}) and only its {@code media} object is replaced with the outcome, every
 * other field kept as it came (the JSON is not rebuilt from {@link CanonicalMessage}). Sets the header
 * {@value Header#MEDIA_STATUS} (stored, failed, too_large, refused), or removes it when nothing was tried. A body
 * that is not JSON fails the step.
 */
@Component("mediaAttachment")
public class MediaAttachment implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(MediaAttachment.class);

    private final MediaFetch fetch;
    private final CanonicalJson canonicalJson;
    private final ObjectMapper objectMapper;

    public MediaAttachment(MediaFetch fetch, CanonicalJson canonicalJson, ObjectMapper objectMapper) {
        this.fetch = fetch;
        this.canonicalJson = canonicalJson;
        this.objectMapper = objectMapper;
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        exchange.getMessage().removeHeader(Header.MEDIA_STATUS);
        JsonNode root = canonicalJson.tree(exchange);
        JsonNode mediaNode = root == null ? null : root.get("media");
        if (!(root instanceof ObjectNode message) || mediaNode == null || !mediaNode.isObject()) {
            return;
        }
        Media media;
        try {
            media = objectMapper.treeToValue(mediaNode, Media.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("Message {}: media is not readable ({}); left as it is", root.path("id").asText(),
                    e.getMessage());
            return;
        }
        String provider = root.path("provider").asText(null);
        if (!fetch.isPending(provider, media)) {
            return;
        }
        Media updated = fetch.fetch(provider, media);
        message.set("media", objectMapper.valueToTree(updated));
        canonicalJson.setBody(exchange, message);
        exchange.getMessage().setHeader(Header.MEDIA_STATUS, updated.status().toString());
    }
}
