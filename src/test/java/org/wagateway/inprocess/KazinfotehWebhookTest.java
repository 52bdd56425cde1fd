package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

class KazinfotehWebhookTest extends GatewayTestSupport {

    @Test
    void imageSampleIsAcceptedWithItsCanonicalId() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");

        HttpResponse<String> response = postKazinfoteh(sample);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(json(response).path("status").asText()).isEqualTo("accepted");
        assertThat(json(response).path("id").asText()).isEqualTo("kazinfoteh:" + sample.get("id").asText());
    }

    @Test
    void theAnswerCarriesItsLengthAndNoInternalHeader() throws Exception {
        HttpResponse<String> response = postKazinfoteh(withFreshId(Fixtures.load("kazinfoteh/text.json"), "id"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertWrittenWhole(response);
    }

    @Test
    void aRefusalTheRouteWritesCarriesItsLengthToo() throws Exception {
        HttpResponse<String> response = post("/webhooks/kazinfoteh", "{\"typeRequest\": \"inboxmsg\", ",
                Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY));

        assertThat(response.statusCode()).isEqualTo(400);
        assertWrittenWhole(response);
    }

    /** One body with its Content-Length, not a chunked stream, and nothing of Camel's among the headers. */
    private static void assertWrittenWhole(HttpResponse<String> response) {
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(response.headers().map().keySet())
                .noneMatch(h -> h.equalsIgnoreCase("Transfer-Encoding") || h.toLowerCase().startsWith("camel"));
    }

    @Test
    void imageSampleReachesTheImageQueueAsCanonicalJson() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        Message message = receive("whatsapp.in.image", id, Duration.ofSeconds(20));

        assertThat(message).as("message on whatsapp.in.image").isNotNull();
        assertThat(message.getJMSCorrelationID()).isEqualTo(id);
        assertThat(message.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        assertThat(message.getStringProperty("provider")).isEqualTo("kazinfoteh");
        assertThat(message.getStringProperty("type")).isEqualTo("image");
        assertThat(message.getStringProperty("chatId")).isEqualTo("77776662222");
        assertThat(message.getStringProperty("senderId")).isEqualTo("77776662222");

        JsonNode canonical = body(message);
        assertThat(canonical.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(canonical.path("id").asText()).isEqualTo(id);
        assertThat(canonical.path("provider").asText()).isEqualTo("kazinfoteh");
        assertThat(canonical.path("providerMessageId").asText()).isEqualTo(sample.get("id").asText());
        assertThat(canonical.path("kind").asText()).isEqualTo("message");
        assertThat(canonical.path("type").asText()).isEqualTo("image");
        assertThat(canonical.at("/sender/phone").asText()).as("Kazinfoteh's receiver is the customer").isEqualTo("77776662222");
        assertThat(canonical.at("/sender/name").asText()).isEqualTo("Abai");
        assertThat(canonical.path("channel").asText()).as("Kazinfoteh's channel is our number").isEqualTo("77770229831");
        assertThat(canonical.at("/chat/type").asText()).isEqualTo("direct");
        assertThat(canonical.path("receivedAt").asText()).as("15:13:10 in Asia/Almaty").isEqualTo("2024-08-06T10:13:10Z");
        assertThat(canonical.at("/media/sourceUrl").asText())
                .isEqualTo("https://kazinfoteh.kz/upl/09CC4398-236C-4E42-88BE-E166258AB90D.jpeg");
        assertThat(canonical.path("raw")).isEqualTo(sample);
    }

    @Test
    void imageSampleIsPostedToTheCrmWithItsIdAsIdempotencyKey() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        LoggedRequest request = crmRequestFor(id);

        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        JsonNode canonical = JSON.readTree(request.getBodyAsString());
        assertThat(canonical.path("id").asText()).isEqualTo(id);
        assertThat(canonical.at("/sender/phone").asText()).isEqualTo("77776662222");
        assertThat(canonical.path("receivedAt").asText()).isEqualTo("2024-08-06T10:13:10Z");
    }

    @Test
    void textKeepsCyrillicAndKazakhLettersIntact() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        Message message = receive("whatsapp.in.text", id, Duration.ofSeconds(20));

        assertThat(message).as("message on whatsapp.in.text").isNotNull();
        assertThat(body(message).path("text").asText()).isEqualTo(sample.get("msgText").asText());
        assertThat(JSON.readTree(crmRequestFor(id).getBodyAsString()).path("text").asText())
                .isEqualTo(sample.get("msgText").asText());
    }

    @Test
    void theProvidersKeyTravelsNeitherToJmsNorToTheCrm() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        Message message = receive("whatsapp.in.text", id, Duration.ofSeconds(20));
        LoggedRequest request = crmRequestFor(id);

        assertThat(message).isNotNull();
        assertThat(java.util.Collections.list(message.getPropertyNames()))
                .doesNotContain("X-API-KEY", "X_API_KEY", "Authorization", "Host", "User-Agent")
                .contains("provider", "type", "chatId", "senderId");
        assertThat(request.getHeaders().keys()).noneMatch(h -> h.equalsIgnoreCase("X-API-KEY") || h.equalsIgnoreCase("Authorization"));
    }

    @Test
    void wrongKeyIsRefusedWith401AndNothingIsQueued() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();

        HttpResponse<String> response = post("/webhooks/kazinfoteh", sample.toString(),
                Map.of("Content-Type", "application/json", "X-API-KEY", "not-the-key"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("error").asText()).isEqualTo("unauthorized");
        assertThat(json(response).path("message").asText()).contains("X-API-KEY");
        assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(2))).isNull();
        assertThat(crmRequests(id)).isEmpty();
    }

    @Test
    void missingKeyIsRefusedWith401() throws Exception {
        HttpResponse<String> response = post("/webhooks/kazinfoteh", Fixtures.text("kazinfoteh/text.json"),
                Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void malformedJsonIsRefusedWith400NamingTheProblem() throws Exception {
        HttpResponse<String> response = post("/webhooks/kazinfoteh", "{\"typeRequest\": \"inboxmsg\", ",
                Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("malformed_json");
        assertThat(json(response).path("message").asText()).startsWith("The body is not valid JSON");
    }

    @Test
    void emptyBodyIsRefusedWith400() throws Exception {
        HttpResponse<String> response = post("/webhooks/kazinfoteh", "",
                Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("empty_body");
    }

    @Test
    void jsonArrayInsteadOfObjectIsRefusedWith400() throws Exception {
        HttpResponse<String> response = post("/webhooks/kazinfoteh", "[" + Fixtures.text("kazinfoteh/text.json") + "]",
                Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("invalid_payload");
    }

    @Test
    void formContentTypeIsRefusedWith415() throws Exception {
        HttpResponse<String> response = post("/webhooks/kazinfoteh", Fixtures.text("kazinfoteh/text.json"),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "X-API-KEY", KAZINFOTEH_KEY));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response).path("error").asText()).isEqualTo("unsupported_media_type");
    }
}
