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
 * Every fixture of every provider, posted over HTTP to the running gateway: it is accepted, lands on the queue
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

    /**
     * Meta's fixtures (one batch each, {@code fixtures/expected-routing-meta.csv}: the first canonical message of
     * each), signed with the test's app secret as Meta signs them: every part is accepted and the first lands on
     * its queue, valid against the schema.
     */
    @ParameterizedTest(name = "{0} → {1}/{2} on {3}")
    @CsvFileSource(resources = "/fixtures/expected-routing-meta.csv", numLinesToSkip = 1)
    void metaFixtureIsAcceptedRoutedAndValid(String fixture, String kind, String type, String queue) throws Exception {
        byte[] body = Fixtures.text(fixture).replace("wamid.", "wamid.f" + UUID.randomUUID() + "-")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        RawHttp.Answer answer = RawHttp.exchange(port, "POST", "/webhooks/meta", java.util.Map.of(
                "Content-Type", "application/json", "X-Hub-Signature-256", MetaWebhookTest.sign(body, META_APP_SECRET)),
                body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode ids = answer.json().path("ids");
        assertThat(ids).isNotEmpty();
        String id = ids.get(0).asText();
        assertThat(id).startsWith("meta:");
        Message message = receive(queue, id, Duration.ofSeconds(20));
        assertThat(message).as("%s on %s", id, queue).isNotNull();
        assertThat(message.getStringProperty("provider")).isEqualTo("meta");
        assertThat(message.getStringProperty("type")).isEqualTo(type);
        JsonNode canonical = body(message);
        assertThat(canonical.path("kind").asText()).isEqualTo(kind);
        assertThat(canonical.path("type").asText()).isEqualTo(type);
        assertThat(canonical.path("raw").isMissingNode()).isFalse();
        assertThat(CanonicalSchema.validate(canonical)).as("schema errors").isEmpty();
    }
}
