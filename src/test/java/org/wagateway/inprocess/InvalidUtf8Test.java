package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.Fixtures;

/**
 * A body that is not valid UTF-8 is refused with 400 {@code invalid_utf8} (never silently altered), and kept as
 * an authenticated caller's malformed request; a Content-Type charset other than UTF-8 is 415.
 */
class InvalidUtf8Test extends GatewayTestSupport {

    @Autowired
    private BrokerService broker;

    @ParameterizedTest(name = "{0} with bytes {1} inside a string")
    @CsvSource({"kazinfoteh, C328", "kazinfoteh, FF", "kazinfoteh, ED A0 80", "kazinfoteh, C0 AF",
            "greenapi, FF", "greenapi, C328", "greenapi, E282", "greenapi, F4 90 80 80"})
    void aBodyWithAnInvalidByteSequenceIs400AndKept(String provider, String hex) throws Exception {
        QueueCounts queues = new QueueCounts(broker, jms);
        long storedBefore = queues.storedAtIntake();
        String marker = "utf8-" + UUID.randomUUID();
        boolean kazinfoteh = provider.equals("kazinfoteh");
        ObjectNode sample = withFreshId(Fixtures.load(kazinfoteh ? "kazinfoteh/text.json" : "greenapi/text-message.json"),
                kazinfoteh ? "id" : "idMessage");
        sample.put("marker", marker);
        String text = sample.toString();
        // the invalid bytes go inside the marker's string value, after its first character
        int at = text.indexOf(marker) + 1;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        body.write(java.util.HexFormat.of().parseHex(hex.replace(" ", "")));
        body.write(text.substring(at).getBytes(StandardCharsets.UTF_8));

        RawHttp.Answer answer = RawHttp.exchange(port, "POST", "/webhooks/" + provider, secret(provider),
                body.toByteArray());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("status").asText()).isEqualTo("rejected");
        assertThat(answer.json().path("error").asText()).isEqualTo("invalid_utf8");
        assertThat(queues.storedAtIntake()).as("stored as a message").isEqualTo(storedBefore);
        Message kept = keptWith(marker.substring(1)).orElseThrow();
        assertThat(kept.getStringProperty("deadLetterReason")).isEqualTo("invalid_utf8");
        assertThat(kept.getStringProperty("provider")).isEqualTo(provider);
    }

    @ParameterizedTest(name = "charset {0} is {1}")
    @CsvSource({"iso-8859-1, 415", "utf-16, 415", "windows-1251, 415", "us-ascii, 415", "UTF-8, 200", "\"utf-8\", 200"})
    void onlyUtf8IsAcceptedAsTheDeclaredCharset(String charset, int status) throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        Map<String, String> headers = Map.of("Content-Type", "application/json; charset=" + charset,
                "X-API-KEY", KAZINFOTEH_KEY);

        RawHttp.Answer answer = RawHttp.exchange(port, "POST", "/webhooks/kazinfoteh", headers,
                sample.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(status);
        if (status == 415) {
            assertThat(answer.json().path("error").asText()).isEqualTo("unsupported_charset");
        } else {
            assertThat(receive("whatsapp.in.text", "kazinfoteh:" + sample.get("id").asText(), Duration.ofSeconds(20)))
                    .isNotNull();
        }
    }

    @Test
    void validMultiByteTextStillPasses() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        ((ObjectNode) sample.at("/messageData/textMessageData")).put("textMessage", "Сәлем 👋 مرحبا \uFEFF");

        RawHttp.Answer answer = RawHttp.exchange(port, "POST", "/webhooks/greenapi", secret("greenapi"),
                sample.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
    }

    private static Map<String, String> secret(String provider) {
        return provider.equals("greenapi")
                ? Map.of("Content-Type", "application/json", "Authorization", "Bearer " + GREENAPI_TOKEN)
                : Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY);
    }

    /** The message on whatsapp.dlq.rejected whose body holds this text. */
    private Optional<Message> keptWith(String text) {
        return jms.browse("whatsapp.dlq.rejected", (session, browser) -> {
            for (Object each : Collections.list(browser.getEnumeration())) {
                if (each instanceof jakarta.jms.TextMessage message && message.getText().contains(text)) {
                    return Optional.<Message>of(message);
                }
            }
            return Optional.<Message>empty();
        });
    }
}
