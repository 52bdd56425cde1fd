package org.wagateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The canonical message's JSON Schema (the same file the gateway validates against at run time). */
public final class CanonicalSchema {

    public static final String LOCATION = "schema/canonical-message.schema.json";

    private static final JsonSchema SCHEMA = load();

    private CanonicalSchema() {
    }

    /** The schema's complaints about this message; empty when it is valid. */
    public static List<String> validate(JsonNode message) {
        return SCHEMA.validate(message).stream().map(ValidationMessage::getMessage).toList();
    }

    private static JsonSchema load() {
        try (InputStream in = CanonicalSchema.class.getClassLoader().getResourceAsStream(LOCATION)) {
            if (in == null) {
                throw new IllegalStateException("No " + LOCATION + " on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
