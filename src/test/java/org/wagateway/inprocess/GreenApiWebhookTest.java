package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

class GreenApiWebhookTest extends GatewayTestSupport {

    @Test
    void extendedTextSampleReachesTheTextQueueAndTheCrm() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/extended-text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();

        HttpResponse<String> response = postGreenApi(sample);
        Message message = receive("whatsapp.in.text", id, Duration.ofSeconds(20));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("id").asText()).isEqualTo(id);
        assertThat(message).as("message on whatsapp.in.text").isNotNull();
        assertThat(message.getStringProperty("provider")).isEqualTo("greenapi");
        assertThat(message.getStringProperty("chatId")).isEqualTo("79001234568@c.us");
        JsonNode canonical = body(message);
        assertThat(canonical.path("type").asText()).isEqualTo("text");
        assertThat(canonical.path("text").asText()).isEqualTo("https://green-api.com/docs/video");
        assertThat(canonical.at("/sender/phone").asText()).isEqualTo("79001234568");
        assertThat(canonical.at("/chat/type").asText()).isEqualTo("direct");
        assertThat(canonical.path("channel").asText()).isEqualTo("11001234567");
        assertThat(canonical.path("receivedAt").asText()).isEqualTo("2020-04-28T16:33:00Z");
        assertThat(JSON.readTree(crmRequestFor(id).getBodyAsString()).path("id").asText()).isEqualTo(id);
    }

    @Test
    void theBearerTokenAndOtherRequestHeadersTravelNeitherToJmsNorToTheCrm() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();

        HttpResponse<String> response = post("/webhooks/greenapi", sample.toString(), Map.of(
                "Content-Type", "application/json", "Authorization", "Bearer " + GREENAPI_TOKEN,
                "Cookie", "session=provider-cookie", "X-Request-Id", "provider-request-1",
                "X-Forwarded-For", "127.0.0.9"));
        Message message = receive("whatsapp.in.text", id, Duration.ofSeconds(20));
        var request = crmRequestFor(id);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(message).isNotNull();
        assertThat(Collections.list(message.getPropertyNames()))
                .containsExactlyInAnyOrder("provider", "kind", "type", "chatId", "senderId");
        assertThat(request.getHeaders().keys())
                .noneMatch(h -> h.equalsIgnoreCase("Authorization") || h.equalsIgnoreCase("Cookie")
                        || h.equalsIgnoreCase("X-Request-Id") || h.equalsIgnoreCase("X-Forwarded-For"));
        assertThat(request.getHeaders().all().toString()).doesNotContain(GREENAPI_TOKEN, "provider-cookie");
    }

    @Test
    void groupChatIsMarkedGroupAndTheSenderIsTheMemberWhoWrote() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/extended-text-message-group.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();

        postGreenApi(sample);
        Message message = receive("whatsapp.in.text", id, Duration.ofSeconds(20));

        assertThat(message).isNotNull();
        assertThat(message.getStringProperty("chatId")).isEqualTo("120363369140947676@g.us");
        assertThat(message.getStringProperty("senderId")).isEqualTo("79001234568@c.us");
        JsonNode canonical = body(message);
        assertThat(canonical.at("/chat/type").asText()).isEqualTo("group");
        assertThat(canonical.at("/chat/id").asText()).isEqualTo("120363369140947676@g.us");
        assertThat(canonical.at("/sender/phone").asText()).isEqualTo("79001234568");
    }

    @Test
    void plainTextMessageKeepsItsEmoji() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();

        postGreenApi(sample);
        Message message = receive("whatsapp.in.text", id, Duration.ofSeconds(20));

        assertThat(message).isNotNull();
        assertThat(body(message).path("text").asText()).isEqualTo("Добрый день 👋");
    }

    @Test
    void wrongBearerTokenIsRefusedWith401AndNothingIsQueued() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();

        HttpResponse<String> response = post("/webhooks/greenapi", sample.toString(),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer wrong-token"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("error").asText()).isEqualTo("unauthorized");
        assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(2))).isNull();
        assertThat(crmRequests(id)).isEmpty();
    }

    @Test
    void tokenWithoutBearerSchemeIsRefusedWith401() throws Exception {
        HttpResponse<String> response = post("/webhooks/greenapi", Fixtures.text("greenapi/text-message.json"),
                Map.of("Content-Type", "application/json", "Authorization", GREENAPI_TOKEN));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void malformedJsonIsRefusedWith400() throws Exception {
        HttpResponse<String> response = post("/webhooks/greenapi", "{\"typeWebhook\": incoming}",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + GREENAPI_TOKEN));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("malformed_json");
    }
}
