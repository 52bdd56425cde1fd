package org.wagateway.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A message from the media dead-letter queue made ready for another try: its media's download outcome cleared,
 * so that the media step fetches it again.
 */
public final class MediaRetry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OUTCOME_FIELDS = List.of("status", "failure", "declaredMimeType", "sha256",
            "size", "storedAt", "url");

    private MediaRetry() {
    }

    /** The canonical JSON without its media's outcome; other JSON, or text that is not JSON, as it is. */
    public static String forRetry(String canonicalJson) {
        try {
            JsonNode root = JSON.readTree(canonicalJson);
            if (root != null && root.path("media") instanceof ObjectNode media) {
                media.remove(OUTCOME_FIELDS);
                return JSON.writeValueAsString(root);
            }
        } catch (JsonProcessingException e) {
            // not JSON: replayed as it is, and the media step leaves it alone
        }
        return canonicalJson;
    }
}
