package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wagateway.Fixtures;

/**
 * What the log shows of a customer's message while it is refused, retried and delivered: its id, never its
 * text, never the customer's full phone number, never a provider's secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogHygieneTest extends GatewayTestSupport {

    private static final String PHONE = "77015550123";

    @Test
    void theLogNamesAMessageByIdWithoutItsTextPhoneOrSecrets(CapturedOutput output) throws Exception {
        String text = "private words " + UUID.randomUUID();
        String wrongKey = "wrong-key-" + UUID.randomUUID();
        ObjectNode sample = (ObjectNode) Fixtures.load("kazinfoteh/text.json");
        // a UUID whose last group is 12 digits, as in UUID v7 ids: the log keeps it whole (not a phone), so its
        // lines can be matched to the message
        String messageId = UUID.randomUUID().toString().substring(0, 24)
                + String.format("%012d", ThreadLocalRandom.current().nextLong(1_000_000_000_000L));
        sample.put("id", messageId).put("msgText", text).put("receiver", PHONE);
        String id = "kazinfoteh:" + sample.get("id").asText();
        crmAnswers(id, aResponse().withStatus(503), aResponse().withStatus(200));

        HttpResponse<String> refused = post("/webhooks/kazinfoteh", sample.toString(),
                Map.of("Content-Type", "application/json", "X-API-KEY", wrongKey));
        HttpResponse<String> malformed = post("/webhooks/kazinfoteh", "{\"msgText\":\"" + text + "\", " + PHONE,
                Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY));
        HttpResponse<String> accepted = postKazinfoteh(sample);
        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(accepted.statusCode()).isEqualTo(200);
        // the failed first POST was logged, by the message's id: the log was captured
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("CRM delivery of " + id + " failed"));
        assertThat(output.getAll()).contains("Webhook kazinfoteh-webhook rejected with 400")
                .doesNotContain(text, PHONE, wrongKey, KAZINFOTEH_KEY);
    }

    @Test
    void metasSecretsAndSignaturesNeverReachTheLog(CapturedOutput output) throws Exception {
        String wamid = "wamid.hygiene-" + UUID.randomUUID();
        String text = "private words " + UUID.randomUUID();
        String wrongToken = "wrong-token-" + UUID.randomUUID();
        ObjectNode sample = Fixtures.load("meta/text.json").deepCopy();
        ObjectNode message = (ObjectNode) sample.path("entry").get(0).path("changes").get(0).path("value")
                .path("messages").get(0);
        message.put("id", wamid).put("from", PHONE).putObject("text").put("body", text);
        byte[] body = sample.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String signature = MetaWebhookTest.sign(body, META_APP_SECRET);
        String forged = MetaWebhookTest.sign(body, "guessed-" + META_APP_SECRET);

        RawHttp.Answer refused = RawHttp.exchange(port, "POST", "/webhooks/meta",
                Map.of("Content-Type", "application/json", "X-Hub-Signature-256", forged), body);
        RawHttp.Answer accepted = RawHttp.exchange(port, "POST", "/webhooks/meta",
                Map.of("Content-Type", "application/json", "X-Hub-Signature-256", signature), body);
        RawHttp.Answer wrongHandshake = RawHttp.exchange(port, "GET", "/webhooks/meta?hub.mode=subscribe"
                + "&hub.verify_token=" + wrongToken + "&hub.challenge=7", Map.of(), new byte[0]);
        RawHttp.Answer handshake = RawHttp.exchange(port, "GET", "/webhooks/meta?hub.mode=subscribe"
                + "&hub.verify_token=" + META_VERIFY_TOKEN + "&hub.challenge=7", Map.of(), new byte[0]);
        crmRequestFor("meta:" + wamid);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(wrongHandshake.status()).isEqualTo(403);
        assertThat(handshake.status()).isEqualTo(200);
        assertThat(output.getAll()).doesNotContain(META_APP_SECRET, META_VERIFY_TOKEN, wrongToken,
                signature.substring("sha256=".length()), forged.substring("sha256=".length()), text, PHONE);
    }
}
