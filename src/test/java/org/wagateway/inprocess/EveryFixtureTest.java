package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.wagateway.Fixtures;
import org.wagateway.CanonicalSchema;

/**
 * Every fixture of both providers, posted over HTTP to the running gateway: it is accepted, lands on the queue
 * its type is routed to with the expected kind and type, keeps the raw payload, and is valid against the
 * canonical JSON Schema. The expectations are in {@code fixtures/expected-routing.csv}.
 */
class EveryFixtureTest extends GatewayTestSupport {

    @ParameterizedTest(name = "{0} → {1}/{2} on {3}")
    @CsvFileSource(resources = "/fixtures/expected-routing.csv", numLinesToSkip = 1)
    void fixtureIsAcceptedRoutedAndValid(String fixture, String kind, String type, String queue) throws Exception {
        String provider = fixture.substring(0, fixture.indexOf('/'));
        ObjectNode payload = (ObjectNode) Fixtures.load(fixture);
        String idField = provider.equals("greenapi") ? "idMessage" : "id";
        if (payload.hasNonNull(idField)) {
            payload.put(idField, UUID.randomUUID().toString().replace("-", "").toUpperCase());
        }

        HttpResponse<String> response = provider.equals("greenapi") ? postGreenApi(payload) : postKazinfoteh(payload);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String id = json(response).path("id").asText();
        assertThat(id).startsWith(provider + ":");
        Message message = receive(queue, id, Duration.ofSeconds(20));
        assertThat(message).as("%s on %s", id, queue).isNotNull();
        assertThat(message.getStringProperty("provider")).isEqualTo(provider);
        assertThat(message.getStringProperty("type")).isEqualTo(type);
        JsonNode canonical = body(message);
        assertThat(canonical.path("kind").asText()).isEqualTo(kind);
        assertThat(canonical.path("type").asText()).isEqualTo(type);
        assertThat(canonical.path("raw")).isEqualTo(payload);
        assertThat(CanonicalSchema.validate(canonical)).as("schema errors").isEmpty();
    }
}
