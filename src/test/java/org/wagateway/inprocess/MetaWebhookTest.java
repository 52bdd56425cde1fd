package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.Fixtures;

/**
 * Meta's webhook over real HTTP on loopback, signed in the test with the test's app secret: a signed batch is
 * stored whole (one canonical message per message and status) before its 200, a retry of it stores nothing new,
 * and a request whose signature is missing, wrong, malformed or over other bytes is refused with 401 and kept
 * nowhere. The subscription handshake echoes the challenge only with the verify token.
 */
class MetaWebhookTest extends GatewayTestSupport {

    private static final String REJECTED = "whatsapp.dlq.rejected";

    @Autowired
    private BrokerService broker;

    /** The batch fixture (two entries, three messages, two statuses) with ids no other test uses. */
    private static String freshBatch() {
        return Fixtures.text("meta/batch.json").replace("wamid.", "wamid.t" + UUID.randomUUID() + "-");
    }

    static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private RawHttp.Answer postMeta(byte[] body, String signature) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (signature != null) {
            headers.put("X-Hub-Signature-256", signature);
        }
        return RawHttp.exchange(port, "POST", "/webhooks/meta", headers, body);
    }

    /** The canonical ids of the batch, as the mapper makes them: the wamid, a status's state after it. */
    private static List<String> idsOf(String batch) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(batch).path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                for (JsonNode message : change.path("value").path("messages")) {
                    ids.add("meta:" + message.path("id").asText());
                }
                for (JsonNode status : change.path("value").path("statuses")) {
                    ids.add("meta:" + status.path("id").asText() + ":status:" + status.path("status").asText());
                }
            }
        }
        return ids;
    }

    @Test
    void aSignedBatchIsStoredWholeBeforeItsAnswerAndEachPartReachesItsQueue() throws Exception {
        String batch = freshBatch();
        byte[] body = batch.getBytes(StandardCharsets.UTF_8);
        List<String> ids = idsOf(batch);
        QueueCounts queues = new QueueCounts(broker, jms);
        long storedBefore = queues.storedAtIntake();

        RawHttp.Answer answer = postMeta(body, sign(body, META_APP_SECRET));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(ids).hasSize(5);
        Map<String, String> queueOf = new LinkedHashMap<>();
        queueOf.put(ids.get(0), "whatsapp.in.text");
        queueOf.put(ids.get(1), "whatsapp.in.text");
        queueOf.put(ids.get(2), "whatsapp.status");
        queueOf.put(ids.get(3), "whatsapp.status");
        queueOf.put(ids.get(4), "whatsapp.in.reaction");
        // stored on their queues before the answer: there at once, nothing waited for
        queueOf.forEach((id, queue) -> {
            Boolean there = jms.browseSelected(queue, "JMSCorrelationID = '" + id + "'",
                    (session, browser) -> browser.getEnumeration().hasMoreElements());
            assertThat(there).as(id + " on " + queue).isTrue();
        });
        assertThat(queues.storedAtIntake() - storedBefore).isEqualTo(ids.size());
        JsonNode json = answer.json();
        assertThat(json.path("status").asText()).isEqualTo("accepted");
        List<String> answered = new ArrayList<>();
        json.path("ids").forEach(id -> answered.add(id.asText()));
        assertThat(answered).containsExactlyElementsOf(ids);

        for (Map.Entry<String, String> part : queueOf.entrySet()) {
            Message message = receive(part.getValue(), part.getKey(), Duration.ofSeconds(20));
            assertThat(message).as(part.getKey() + " on " + part.getValue()).isNotNull();
            assertThat(body(message).path("provider").asText()).isEqualTo("meta");
            // nothing of the request travels on: no signature, no secret among the JMS properties
            for (String name : Collections.list((java.util.Enumeration<String>) message.getPropertyNames())) {
                assertThat(name.toLowerCase(Locale.ROOT)).doesNotContain("hub").doesNotContain("signature");
                assertThat(String.valueOf(message.getObjectProperty(name))).doesNotContain(META_APP_SECRET);
            }
            crmRequestFor(part.getKey()).getHeaders().all().forEach(header -> {
                assertThat(header.key().toLowerCase(Locale.ROOT)).doesNotContain("hub-signature");
                assertThat(header.values().toString()).doesNotContain(META_APP_SECRET);
            });
        }
    }

    @Test
    void aRetryOfTheSameBatchIsAnswered200AndStoresNothingNew() throws Exception {
        String batch = freshBatch();
        byte[] body = batch.getBytes(StandardCharsets.UTF_8);
        List<String> ids = idsOf(batch);
        QueueCounts queues = new QueueCounts(broker, jms);
        RawHttp.Answer first = postMeta(body, sign(body, META_APP_SECRET));
        assertThat(first.status()).isEqualTo(200);
        long storedAfterFirst = queues.storedAtIntake();
        await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> crmRequests(id).size() == 1));

        RawHttp.Answer retry = postMeta(body, sign(body, META_APP_SECRET));

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().path("status").asText()).isEqualTo("accepted");
        assertThat(retry.json().path("ids")).hasSize(ids.size());
        assertThat(queues.storedAtIntake()).isEqualTo(storedAfterFirst);
        assertThat(receive("whatsapp.in.text", ids.get(0), Duration.ofSeconds(5))).isNotNull();
        assertThat(receive("whatsapp.in.text", ids.get(0), Duration.ofMillis(500))).as("a second copy").isNull();
        assertThat(ids).allSatisfy(id -> assertThat(crmRequests(id)).hasSize(1));
    }

    @Test
    void aRequestWithoutTheRightSignatureIsRefused401AndKeptNowhere() throws Exception {
        String batch = freshBatch();
        byte[] body = batch.getBytes(StandardCharsets.UTF_8);
        String right = sign(body, META_APP_SECRET);
        // the same JSON, written again with other whitespace: the signature is over the bytes, not the content
        byte[] reserialised = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(JSON.readTree(batch));
        Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
        QueueCounts queues = new QueueCounts(broker, jms);
        long storedBefore = queues.storedAtIntake();
        int keptBefore = queues.waiting(REJECTED);

        answers.put("no header", postMeta(body, null));
        answers.put("another secret", postMeta(body, sign(body, "not-" + META_APP_SECRET)));
        answers.put("other bytes, same JSON", postMeta(reserialised, right));
        answers.put("one byte more", postMeta((batch + " ").getBytes(StandardCharsets.UTF_8), right));
        answers.put("no sha256= prefix", postMeta(body, right.substring("sha256=".length())));
        answers.put("sha1", postMeta(body, "sha1=" + right.substring("sha256=".length(), 47)));
        answers.put("not hex", postMeta(body, "sha256=" + "zz".repeat(32)));
        answers.put("cut short", postMeta(body, right.substring(0, right.length() - 2)));
        answers.put("too long", postMeta(body, right + "00"));
        answers.put("empty", postMeta(body, ""));
        answers.put("a wrong type, unsigned", RawHttp.exchange(port, "POST", "/webhooks/meta",
                Map.of("Content-Type", "text/plain"), body));
        answers.put("a PUT, signature-shaped", RawHttp.exchange(port, "PUT", "/webhooks/meta",
                Map.of("X-Hub-Signature-256", "sha256=" + "00".repeat(32)), body));

        answers.forEach((what, answer) -> {
            if (what.startsWith("a PUT")) {
                assertThat(answer.status()).as(what).isEqualTo(405);
                return;
            }
            assertThat(answer.status()).as(what).isEqualTo(401);
            assertThat(answer.body()).as(what)
                    .isEqualTo("{\"status\":\"rejected\",\"error\":\"unauthorized\","
                            + "\"message\":\"Missing or wrong credentials in X-Hub-Signature-256\"}");
        });
        for (String id : idsOf(batch)) {
            assertThat(crmRequests(id)).isEmpty();
        }
        assertThat(queues.storedAtIntake()).isEqualTo(storedBefore);
        assertThat(queues.waiting(REJECTED)).as("kept on " + REJECTED).isEqualTo(keptBefore);
    }

    @Test
    void theSignaturesHexIsReadInEitherCase() throws Exception {
        String batch = freshBatch();
        byte[] body = batch.getBytes(StandardCharsets.UTF_8);

        RawHttp.Answer answer = postMeta(body, sign(body, META_APP_SECRET).toUpperCase(Locale.ROOT)
                .replace("SHA256=", "sha256="));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("ids")).hasSize(5);
    }

    @Test
    void aSignedButMalformedBodyIsA400AndKeptForOps() throws Exception {
        QueueCounts queues = new QueueCounts(broker, jms);
        int keptBefore = queues.waiting(REJECTED);
        byte[] body = "{\"object\": ".getBytes(StandardCharsets.UTF_8);

        RawHttp.Answer answer = postMeta(body, sign(body, META_APP_SECRET));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("malformed_json");
        await().atMost(Duration.ofSeconds(10)).until(() -> queues.waiting(REJECTED) == keptBefore + 1);
    }

    @Test
    void theHandshakeEchoesTheChallengeOnlyWithTheVerifyToken() throws Exception {
        RawHttp.Answer right = RawHttp.exchange(port, "GET", "/webhooks/meta?hub.mode=subscribe&hub.verify_token="
                + META_VERIFY_TOKEN + "&hub.challenge=1158201444", Map.of(), new byte[0]);
        RawHttp.Answer wrong = RawHttp.exchange(port, "GET", "/webhooks/meta?hub.mode=subscribe&hub.verify_token=not-"
                + META_VERIFY_TOKEN + "&hub.challenge=1158201444", Map.of(), new byte[0]);
        RawHttp.Answer noMode = RawHttp.exchange(port, "GET", "/webhooks/meta?hub.verify_token="
                + META_VERIFY_TOKEN + "&hub.challenge=1158201444", Map.of(), new byte[0]);
        RawHttp.Answer none = RawHttp.exchange(port, "GET", "/webhooks/meta", Map.of(), new byte[0]);
        RawHttp.Answer markup = RawHttp.exchange(port, "GET", "/webhooks/meta?hub.mode=subscribe&hub.verify_token="
                + META_VERIFY_TOKEN + "&hub.challenge=%3Cscript%3E", Map.of(), new byte[0]);

        assertThat(right.status()).isEqualTo(200);
        assertThat(right.headers().get("content-type")).startsWith("text/plain");
        assertThat(right.body()).isEqualTo("1158201444");
        for (RawHttp.Answer refused : List.of(wrong, noMode, none)) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("status").asText()).isEqualTo("rejected");
            assertThat(refused.json().path("error").asText()).isEqualTo("verification_failed");
            assertThat(refused.body()).doesNotContain(META_VERIFY_TOKEN);
        }
        assertThat(markup.status()).isEqualTo(400);
        assertThat(markup.json().path("error").asText()).isEqualTo("invalid_challenge");
        assertThat(markup.body()).doesNotContain("<script>");
    }
}
