package org.wagateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.DefaultJsonUriSchemaLoader;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.component.jsonvalidator.NoJsonBodyValidationException;
import org.springframework.stereotype.Component;
import org.wagateway.flow.CanonicalJson;

/**
 * The deliver route's schema check: the canonical message against {@code schema/canonical-message.schema.json},
 * on the tree its stage already parsed ({@link CanonicalJson}), where Camel's json-validator endpoint would parse
 * the body once more. The schema is loaded as that endpoint loads it (Camel's {@link DefaultJsonUriSchemaLoader}),
 * and a message that fails it raises the same {@link JsonValidationException}, which the dispatch-errors
 * configuration sends to the invalid dead-letter queue. A body that is not JSON fails with the parser's error.
 */
@Component("canonicalSchemaCheck")
public class CanonicalSchemaCheck {

    static final String SCHEMA = "classpath:schema/canonical-message.schema.json";

    private final CanonicalJson canonicalJson;
    private final JsonSchema schema;

    public CanonicalSchemaCheck(CanonicalJson canonicalJson, CamelContext camelContext) throws Exception {
        this.canonicalJson = canonicalJson;
        this.schema = new DefaultJsonUriSchemaLoader().createSchema(camelContext, SCHEMA);
    }

    public void validate(Exchange exchange) throws Exception {
        JsonNode tree = canonicalJson.tree(exchange);
        if (tree == null) {
            throw new NoJsonBodyValidationException(exchange);
        }
        Set<ValidationMessage> errors = schema.validate(tree);
        if (!errors.isEmpty()) {
            throw new JsonValidationException(exchange, schema, errors);
        }
    }
}
