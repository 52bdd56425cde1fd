package org.wagateway.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.wagateway.flow.ExchangeContract.Property;

/**
 * The canonical JSON of an exchange as a tree, parsed once per stage. A stage's steps each read the message
 * (the media check, the download's patch, the metrics, the schema check): they ask here, and the tree parsed by
 * the first is kept in the exchange property {@value Property#CANONICAL_TREE} next to the very String it was
 * read from. A step that replaced the body makes the next one parse the new body, so the tree never disagrees
 * with the message that is sent on.
 */
@Component("canonicalJson")
public class CanonicalJson {

    private final ObjectMapper objectMapper;

    public CanonicalJson(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** The tree of the body this exchange carries now (null for no body), parsed only if not parsed before. */
    public JsonNode tree(Exchange exchange) throws JsonProcessingException {
        String body = exchange.getMessage().getBody(String.class);
        if (body == null) {
            return null;
        }
        Parsed parsed = exchange.getProperty(Property.CANONICAL_TREE, Parsed.class);
        if (parsed != null && parsed.json() == body) {
            return parsed.tree();
        }
        JsonNode tree = objectMapper.readTree(body);
        exchange.setProperty(Property.CANONICAL_TREE, new Parsed(body, tree));
        return tree;
    }

    /**
     * Writes the exchange's body (an object, the canonical message) as JSON text through its tree, kept for the
     * stage's next steps: the schema check then reads it without parsing the text.
     */
    public void write(Exchange exchange) throws JsonProcessingException {
        setBody(exchange, objectMapper.valueToTree(exchange.getMessage().getBody()));
    }

    /** Makes an updated tree the exchange's body (as JSON text), kept for the stage's next steps. */
    public void setBody(Exchange exchange, JsonNode tree) throws JsonProcessingException {
        String json = objectMapper.writeValueAsString(tree);
        exchange.getMessage().setBody(json);
        exchange.setProperty(Property.CANONICAL_TREE, new Parsed(json, tree));
    }

    /** A tree and the text it stands for; the text is compared by identity, which costs nothing. */
    record Parsed(String json, JsonNode tree) {
    }
}
