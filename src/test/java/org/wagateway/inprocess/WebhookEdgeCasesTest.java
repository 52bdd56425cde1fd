package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/** Bodies at the edges, over real HTTP: what is kept intact, and what is refused with a clear 400. */
class WebhookEdgeCasesTest extends GatewayTestSupport {

    @ParameterizedTest(name = "Kazinfoteh body {0} is refused with 400")
    @ValueSource(strings = {"42", "\"inboxmsg\"", "true", "null", "[]"})
    void kazinfotehBodyThatIsNotAnObjectIsRefused(String body) throws Exception {
        HttpResponse<String> response = post("/webhooks/kazinfoteh", body,
                Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("status").asText()).isEqualTo("rejected");
    }

    @ParameterizedTest(name = "Green API body {0} is refused with 400")
    @ValueSource(strings = {"42", "\"incomingMessageReceived\"", "false", "null", "[{}]"})
    void greenApiBodyThatIsNotAnObjectIsRefused(String body) throws Exception {
        HttpResponse<String> response = post("/webhooks/greenapi", body,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + GREENAPI_TOKEN));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("status").asText()).isEqualTo("rejected");
    }

    @ParameterizedTest(name = "a JSON object followed by {0} is refused with 400")
    @ValueSource(strings = {"garbage", "{}", "]", "\"x\""})
    void anObjectWithContentAfterItIsRefused(String trailing) throws Exception {
        String body = Fixtures.text("kazinfoteh/text.json").strip() + trailing;
        HttpResponse<String> response = post("/webhooks/kazinfoteh", body,
                Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("status").asText()).isEqualTo("rejected");
        assertThat(json(response).path("error").asText()).isEqualTo("malformed_json");
    }

    @Test
    void a64KilobyteTextReachesTheQueueAndTheCrmWhole() throws Exception {
        String text = "Қазақстан әліпбиі — Привет, мир! مرحبا שלום 👍 ".repeat(1_400).substring(0, 64 * 1024);
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        ((ObjectNode) sample.at("/messageData/textMessageData")).put("textMessage", text);
        String id = "greenapi:" + sample.get("idMessage").asText();

        HttpResponse<String> response = postGreenApi(sample);
        Message message = receive("whatsapp.in.text", id, Duration.ofSeconds(20));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(message).isNotNull();
        assertThat(body(message).path("text").asText()).isEqualTo(text);
        assertThat(JSON.readTree(crmRequestFor(id).getBodyAsString()).path("text").asText()).isEqualTo(text);
    }

    @Test
    void rightToLeftAndKazakhTextKeepsEveryCharacter() throws Exception {
        String text = "مرحبا بكم — שלום — Сәлем, әлем! ҚҰҮҒӘІҢӨҺ";
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        sample.put("msgText", text);
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        Message message = receive("whatsapp.in.text", id, Duration.ofSeconds(20));

        assertThat(message).isNotNull();
        assertThat(body(message).path("text").asText()).isEqualTo(text);
    }

    @Test
    void anUnknownMessageTypeIsAcceptedAndKeptWholeOnTheUnknownQueue() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        sample.put("msgType", "hologram");
        sample.put("hologramDepth", "3");
        String id = "kazinfoteh:" + sample.get("id").asText();

        HttpResponse<String> response = postKazinfoteh(sample);
        Message message = receive("whatsapp.in.unknown", id, Duration.ofSeconds(20));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(message).isNotNull();
        assertThat(body(message).path("type").asText()).isEqualTo("unknown");
        assertThat(body(message).path("raw")).isEqualTo(sample);
    }
}
