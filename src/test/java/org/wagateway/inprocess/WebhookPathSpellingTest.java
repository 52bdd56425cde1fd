package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.Fixtures;

/**
 * Every other spelling of a webhook's path, sent byte for byte on a raw socket (no client library normalises
 * it): without credentials it is never answered 2xx and nothing of it is stored anywhere; with credentials it
 * is either refused with a JSON 400 or served exactly like the plain path.
 */
class WebhookPathSpellingTest extends GatewayTestSupport {

    @Autowired
    private BrokerService broker;

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {
            "/%77ebhooks/kazinfoteh", "/webhooks/%6bazinfoteh", "/w%65bhooks/greenapi", "/webhooks/greenap%69",
            "/%57EBHOOKS/kazinfoteh",
            "/webhooks%2Fkazinfoteh", "/webhooks%2fgreenapi", "/webhooks/%2Fkazinfoteh",
            "/webhooks/%2e/kazinfoteh", "/webhooks/%2E%2E/webhooks/greenapi", "/%2e/webhooks/kazinfoteh",
            "/webhooks/kazinfoteh%00", "/webhooks%00/greenapi",
            "/webhooks/../webhooks/kazinfoteh", "/x/../webhooks/greenapi", "/webhooks/./kazinfoteh",
            "/webhooks/kazinfoteh/.", "/webhooks/kazinfoteh/x/..",
            "//webhooks/kazinfoteh", "/webhooks//greenapi", "/webhooks/kazinfoteh//",
            "/webhooks;x=1/kazinfoteh", "/webhooks/kazinfoteh;x=1", "/webhooks/greenapi;", "/webhooks;/greenapi",
            "/webhooks/kazinfoteh/", "/webhooks/greenapi/",
            "/WEBHOOKS/kazinfoteh", "/webhooks/KAZINFOTEH", "/Webhooks/greenapi", "/webhooks/GreenApi",
            "/webhooks\\kazinfoteh", "/webhooks/kazinfoteh%20", "/webhooks/%20greenapi",
            "absolute:/webhooks/kazinfoteh", "absolute:/%77ebhooks/greenapi",
            "/webhooks/META", "/webhooks/%6deta", "/webhooks/Meta", "/%77ebhooks/meta", "/webhooks/meta/",
            "/webhooks/meta;x=1", "/webhooks/./meta", "/webhooks//meta",
    })
    void anotherSpellingIsNeverServedWithoutCredentialsAndNeverKept(String spelling) throws Exception {
        String target = spelling.startsWith("absolute:")
                ? "http://127.0.0.1:" + port + spelling.substring("absolute:".length()) : spelling;
        String provider = providerOf(spelling);
        String queue = "whatsapp.in.text";
        QueueCounts queues = new QueueCounts(broker, jms);
        int keptBefore = queues.waiting("whatsapp.dlq.rejected");
        long storedBefore = queues.storedAtIntake();

        Sample forged = sample(provider);
        RawHttp.Answer anonymous = RawHttp.exchange(port, "POST", target, Map.of("Content-Type", "application/json"),
                forged.body());

        Sample signed = sample(provider);
        RawHttp.Answer authenticated = RawHttp.exchange(port, "POST", target, withSecret(provider, signed.body()),
                signed.body());

        // a plain webhook after both: once it reached the CRM, anything the two above had put in would have too
        Sample control = sample(provider);
        RawHttp.Answer plain = RawHttp.exchange(port, "POST", "/webhooks/" + provider,
                withSecret(provider, control.body()), control.body());
        assertThat(plain.status()).isEqualTo(200);
        crmRequestFor(control.id());

        assertThat(anonymous.status()).as("answer without credentials").isBetween(400, 499);
        assertThat(anonymous.json().path("status").asText()).isEqualTo("rejected");
        assertThat(crmRequests(forged.id())).isEmpty();
        assertThat(receive(queue, forged.id(), Duration.ofMillis(200))).isNull();

        if (authenticated.status() == 200) {
            // served like the plain path: stored once
            assertThat(receive(queue, signed.id(), Duration.ofSeconds(20))).isNotNull();
            await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(signed.id()).size() == 1);
        } else {
            assertThat(authenticated.status()).as("answer with credentials").isEqualTo(400);
            assertThat(authenticated.json().path("status").asText()).isEqualTo("rejected");
            assertThat(authenticated.json().path("error").asText()).isNotBlank();
            assertThat(crmRequests(signed.id())).isEmpty();
            assertThat(receive(queue, signed.id(), Duration.ofMillis(200))).isNull();
        }
        assertThat(queues.storedAtIntake() - storedBefore).as("messages stored")
                .isEqualTo(authenticated.status() == 200 ? 2 : 1);
        assertThat(queues.waiting("whatsapp.dlq.rejected")).as("messages on whatsapp.dlq.rejected").isEqualTo(keptBefore);
    }

    private record Sample(String id, byte[] body) {
    }

    /** The provider a spelling is meant for: its name, in whatever letters and escapes, is in it. */
    private static String providerOf(String spelling) {
        String lower = spelling.toLowerCase();
        if (lower.contains("kazinfoteh")) {
            return "kazinfoteh";
        }
        return lower.contains("greenap") ? "greenapi" : "meta";
    }

    private static Sample sample(String provider) {
        switch (provider) {
            case "kazinfoteh" -> {
                ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
                return new Sample("kazinfoteh:" + sample.get("id").asText(),
                        sample.toString().getBytes(StandardCharsets.UTF_8));
            }
            case "greenapi" -> {
                ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
                return new Sample("greenapi:" + sample.get("idMessage").asText(),
                        sample.toString().getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                String wamid = "wamid.spelling-" + UUID.randomUUID();
                ObjectNode sample = Fixtures.load("meta/text.json").deepCopy();
                ((ObjectNode) sample.path("entry").get(0).path("changes").get(0).path("value").path("messages").get(0))
                        .put("id", wamid);
                return new Sample("meta:" + wamid, sample.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static Map<String, String> withSecret(String provider, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        switch (provider) {
            case "kazinfoteh" -> headers.put("X-API-KEY", KAZINFOTEH_KEY);
            case "greenapi" -> headers.put("Authorization", "Bearer " + GREENAPI_TOKEN);
            default -> headers.put("X-Hub-Signature-256", MetaWebhookTest.sign(body, META_APP_SECRET));
        }
        return headers;
    }
}
