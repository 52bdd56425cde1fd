package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.Fixtures;
import org.wagateway.trace.TraceEvent;
import org.wagateway.trace.TraceQuery;
import org.wagateway.trace.TraceRecorder;

/**
 * "Where is my message": real webhooks go through the whole gateway (broker, media server, WireMock CRM), and
 * {@code GET /admin/messages} tells each one's journey, read as the ops viewer. The trace keeps no phone number and
 * no message text: neither its answers nor its table.
 */
class MessageTraceTest extends GatewayTestSupport {

    private static final MediaServer MEDIA = new MediaServer()
            .file("/upl/traced.jpeg", "image/jpeg", MediaServer.jpeg())
            .status("/upl/traced-gone.jpeg", 404);

    @Autowired
    DataSource dataSource;

    @Autowired
    TraceRecorder recorder;

    @AfterAll
    static void stopMedia() {
        MEDIA.close();
    }

    @Test
    void aTextMessageIsAcceptedDeliveredToItsQueueAndTakenByTheCrm() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String providerId = sample.get("idMessage").asText();
        String id = "greenapi:" + providerId;

        assertThat(postGreenApi(sample).statusCode()).isEqualTo(200);

        JsonNode message = awaitJourney("id=" + encode(id), events -> hasEvent(events, "crm", "delivered"));
        assertThat(message.path("provider").asText()).isEqualTo("greenapi");
        assertThat(message.path("providerMessageId").asText()).isEqualTo(providerId);
        assertThat(message.path("type").asText()).isEqualTo("text");
        assertThat(message.path("kind").asText()).isEqualTo("message");
        assertThat(message.path("chat").asText()).isEqualTo("*******4568@c.us");
        assertThat(message.path("sender").asText()).isEqualTo("*******4568@c.us");
        assertThat(stages(message)).containsExactly("accepted", "delivered", "crm");
        JsonNode events = message.path("events");
        assertThat(events.get(0).path("queue").asText()).isEqualTo("whatsapp.in.text");
        assertThat(events.get(1).path("queue").asText()).isEqualTo("whatsapp.in.text");
        assertThat(events.get(2).path("detail").asText()).isEqualTo("attempt 1: http-200");
        assertThat(Instant.parse(message.path("firstSeen").asText()))
                .isBeforeOrEqualTo(Instant.parse(message.path("lastSeen").asText()));
        assertThat(json(get("/admin/messages?providerMessageId=" + providerId, VIEWER)).path("messages").get(0)
                .path("id").asText()).isEqualTo(id);
    }

    @Test
    void aProviderRetryIsTracedAsADuplicate() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        postGreenApi(sample);
        awaitJourney("id=" + encode(id), events -> hasEvent(events, "accepted", "stored"));

        assertThat(postGreenApi(sample).statusCode()).isEqualTo(200);

        awaitJourney("id=" + encode(id), events -> hasEvent(events, "duplicate", "answered"));
    }

    @Test
    void aMessageTheCrmRefusesEndsDeadLetteredAndAReplayDeliversIt() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        crmAnswers(id, aResponse().withStatus(422), aResponse().withStatus(200));

        postGreenApi(sample);

        JsonNode dead = awaitJourney("id=" + encode(id), events -> hasEvent(events, "dead-lettered", "dead-lettered"));
        JsonNode last = lastEvent(dead);
        assertThat(last.path("queue").asText()).isEqualTo("whatsapp.dlq.crm");
        assertThat(last.path("detail").asText()).isEqualTo("HttpOperationFailedException, http-422");
        assertThat(stages(dead)).containsExactly("accepted", "delivered", "crm", "dead-lettered");
        assertThat(dead.path("events").get(2).path("outcome").asText()).isEqualTo("dead-lettered");
        assertThat(dead.path("events").get(2).path("detail").asText()).isEqualTo("attempt 1: http-422");

        Map<String, String> admin = new HashMap<>(ADMIN);
        admin.put("Content-Type", "application/json");
        assertThat(post("/admin/dead-letters/crm/replay?max=1000", "", admin).statusCode()).isEqualTo(200);

        JsonNode replayed = awaitJourney("id=" + encode(id), events -> events.size() >= 6
                && hasEvent(events, "replayed", "replayed") && lastIs(events, "crm", "delivered"));
        JsonNode replay = event(replayed, "replayed");
        assertThat(replay.path("queue").asText()).isEqualTo("whatsapp.gateway.crm");
        assertThat(replay.path("detail").asText()).isEqualTo("from whatsapp.dlq.crm by admin");
        assertThat(stages(replayed)).containsExactly("accepted", "delivered", "crm", "dead-lettered", "replayed", "crm");
        assertThat(crmRequests(id)).hasSize(2);
    }

    @Test
    void aCrmFailureThatWillPassIsTracedAsAScheduledRetry() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        crmAnswers(id, aResponse().withStatus(503), aResponse().withStatus(200));

        postGreenApi(sample);

        JsonNode message = awaitJourney("id=" + encode(id), events -> lastIs(events, "crm", "delivered"));
        JsonNode retry = message.path("events").get(2);
        assertThat(retry.path("outcome").asText()).isEqualTo("retry-scheduled");
        assertThat(retry.path("queue").asText()).isEqualTo("whatsapp.gateway.crm");
        assertThat(retry.path("detail").asText()).isEqualTo("attempt 1: http-503");
        assertThat(lastEvent(message).path("detail").asText()).isEqualTo("attempt 2: http-200");
    }

    @Test
    void aMessageTheDispatchGivesUpOnEndsOnTheDispatchDeadLetterQueue() {
        String id = "kazinfoteh:" + UUID.randomUUID();
        // stored by something else than the gateway's webhook: not even JSON, so every retry of dispatch fails
        jms.convertAndSend("whatsapp.gateway.ingest", "not a canonical message", message -> {
            message.setJMSCorrelationID(id);
            message.setStringProperty("provider", "kazinfoteh");
            return message;
        });

        JsonNode message = awaitJourney("id=" + encode(id), events -> hasEvent(events, "dead-lettered", "dead-lettered"));
        assertThat(lastEvent(message).path("queue").asText()).isEqualTo("whatsapp.dlq.dispatch");
        assertThat(lastEvent(message).path("detail").asText()).matches("[A-Za-z]+Exception");
    }

    @Test
    void aMessageFailingTheSchemaEndsOnTheInvalidDeadLetterQueue() {
        String id = "kazinfoteh:" + UUID.randomUUID();
        String broken = "{\"schemaVersion\":1,\"id\":\"" + id + "\",\"provider\":\"kazinfoteh\","
                + "\"providerMessageId\":\"x\",\"kind\":\"gossip\",\"type\":\"text\",\"raw\":{}}";
        jms.convertAndSend("whatsapp.gateway.ingest", broken, message -> {
            message.setJMSCorrelationID(id);
            message.setStringProperty("provider", "kazinfoteh");
            return message;
        });

        JsonNode message = awaitJourney("id=" + encode(id), events -> hasEvent(events, "dead-lettered", "dead-lettered"));
        assertThat(lastEvent(message).path("queue").asText()).isEqualTo("whatsapp.dlq.invalid");
        assertThat(lastEvent(message).path("detail").asText()).isEqualTo("JsonValidationException");
    }

    @Test
    void theMediaOutcomeIsTraced() throws Exception {
        String stored = postKazinfotehImage("/upl/traced.jpeg");
        String failed = postKazinfotehImage("/upl/traced-gone.jpeg");

        JsonNode storedJourney = awaitJourney("id=" + encode(stored), events -> hasEvent(events, "delivered", "delivered"));
        assertThat(stages(storedJourney)).startsWith("accepted", "media", "delivered");
        JsonNode media = event(storedJourney, "media");
        assertThat(media.path("outcome").asText()).isEqualTo("stored");
        assertThat(storedJourney.path("events").get(2).path("queue").asText()).isEqualTo("whatsapp.in.image");

        JsonNode failedJourney = awaitJourney("id=" + encode(failed), events -> hasEvent(events, "delivered", "delivered"));
        JsonNode failure = event(failedJourney, "media");
        assertThat(failure.path("outcome").asText()).isEqualTo("failed");
        assertThat(failure.path("detail").asText()).isEqualTo("failed");
        assertThat(failure.path("queue").asText()).isEqualTo("whatsapp.dlq.media");
    }

    @Test
    void aChatIsFoundHoweverItsNumberIsTypedAndNoNumberOrTextIsKeptInClear() throws Exception {
        String digits = "7701" + (1_000_000 + ThreadLocalRandom.current().nextInt(9_000_000));
        String text = "trace-text-" + UUID.randomUUID();
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        sample.put("receiver", digits);
        sample.put("msgText", text);
        String id = "kazinfoteh:" + sample.get("id").asText();
        assertThat(postKazinfoteh(sample).statusCode()).isEqualTo(200);
        awaitJourney("id=" + encode(id), events -> hasEvent(events, "delivered", "delivered"));
        String typed = "+" + digits.charAt(0) + " " + digits.substring(1, 4) + " " + digits.substring(4, 7) + "-"
                + digits.substring(7, 9) + "-" + digits.substring(9);

        List<String> answers = new ArrayList<>();
        for (String query : List.of("chat=" + encode(typed), "chat=" + encode(digits + "@c.us"),
                "sender=" + encode(digits), "chat=" + digits + "&from=" + Instant.now().minusSeconds(600))) {
            HttpResponse<String> response = get("/admin/messages?" + query, VIEWER);
            assertThat(response.statusCode()).as(query).isEqualTo(200);
            JsonNode messages = json(response).path("messages");
            assertThat(messages).as(query).hasSize(1);
            assertThat(messages.get(0).path("id").asText()).isEqualTo(id);
            assertThat(messages.get(0).path("chat").asText()).isEqualTo("*******" + digits.substring(7));
            answers.add(response.body());
        }
        assertThat(answers).allSatisfy(body -> assertThat(body).doesNotContain(digits, text));

        List<String> cells = traceTableCells();
        assertThat(cells).anySatisfy(cell -> assertThat(cell).isEqualTo(id));
        for (String secret : List.of(digits, text, "Сәлеметсіз", "77776662222", "79001234568", "16505551234")) {
            assertThat(cells).as("cells holding " + secret).noneMatch(cell -> cell.contains(secret));
        }
    }

    @Test
    void eventsOlderThanTheRetentionArePurged() {
        Instant now = Instant.now();
        String old = "greenapi:purge-old-" + UUID.randomUUID();
        String recent = "greenapi:purge-recent-" + UUID.randomUUID();
        recorder.record(TraceEvent.of(old, "greenapi", "accepted", "stored", "whatsapp.gateway.ingest", null,
                now.minus(Duration.ofDays(7)).minusSeconds(1)));
        recorder.record(TraceEvent.of(recent, "greenapi", "accepted", "stored", "whatsapp.gateway.ingest", null,
                now.minus(Duration.ofDays(7)).plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.find(query(old)).isEmpty()
                && !recorder.find(query(recent)).isEmpty());

        assertThat(recorder.purge(now)).isGreaterThanOrEqualTo(1);

        assertThat(recorder.find(query(old))).isEmpty();
        assertThat(recorder.find(query(recent))).containsOnlyKeys(recent);
    }

    @Test
    void badQueriesAreRefusedWithAJsonReason() throws Exception {
        Map<String, String> refusals = Map.of(
                "", "no_criterion",
                "?from=2026-01-01T00:00:00Z", "time_range_too_long",
                "?id=greenapi:1&from=noon", "bad_time",
                "?id=greenapi:1&from=2026-12-02&to=2026-12-01", "bad_time_range",
                "?id=greenapi:1&limit=501", "bad_limit",
                "?id=" + encode("x' OR '1'='1"), "bad_id",
                "?id=" + encode("greenapi:1; DROP TABLE GATEWAY_TRACE --"), "bad_id",
                "?chat=" + encode("7701<script>"), "bad_chat",
                "?id=greenapi:1&id=greenapi:2", "repeated_parameter");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> response = get("/admin/messages" + refusal.getKey(), VIEWER);
            assertThat(response.statusCode()).as(refusal.getKey()).isEqualTo(400);
            JsonNode body = json(response);
            assertThat(body.path("status").asText()).isEqualTo("rejected");
            assertThat(body.path("error").asText()).as(refusal.getKey()).isEqualTo(refusal.getValue());
            assertThat(body.path("message").asText()).isNotBlank();
        }
        HttpResponse<String> unknown = get("/admin/messages?id=greenapi:never-seen-" + UUID.randomUUID(), VIEWER);
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(json(unknown).path("count").asInt()).isZero();
        assertThat(json(unknown).path("messages")).isEmpty();
        assertThat(get("/admin/messages?id=greenapi:1").statusCode()).isEqualTo(401);
    }

    private String postKazinfotehImage(String path) {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");
        sample.put("msgAttachmentUrl", MEDIA.url(path));
        assertThat(postKazinfoteh(sample).statusCode()).isEqualTo(200);
        return "kazinfoteh:" + sample.get("id").asText();
    }

    /** Waits until the trace answers the query with one message whose events satisfy {@code done}. */
    private JsonNode awaitJourney(String query, java.util.function.Predicate<JsonNode> done) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> response = get("/admin/messages?" + query, VIEWER);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode messages = json(response).path("messages");
            return messages.size() == 1 ? messages.get(0) : null;
        }, message -> message != null && done.test(message.path("events")));
    }

    /** Every value of every row of the trace's table, read with plain JDBC. */
    private List<String> traceTableCells() throws Exception {
        recorder.flush();
        List<String> cells = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM GATEWAY_TRACE")) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    String value = rows.getString(i);
                    if (value != null) {
                        cells.add(value);
                    }
                }
            }
        }
        return cells;
    }

    private static TraceQuery query(String id) {
        return new TraceQuery(id, null, null, null, null, null, 10);
    }

    private static List<String> stages(JsonNode message) {
        List<String> stages = new ArrayList<>();
        message.path("events").forEach(event -> stages.add(event.path("stage").asText()));
        return stages;
    }

    private static boolean hasEvent(JsonNode events, String stage, String outcome) {
        for (JsonNode event : events) {
            if (stage.equals(event.path("stage").asText()) && outcome.equals(event.path("outcome").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean lastIs(JsonNode events, String stage, String outcome) {
        JsonNode last = events.get(events.size() - 1);
        return last != null && stage.equals(last.path("stage").asText())
                && outcome.equals(last.path("outcome").asText());
    }

    private static JsonNode lastEvent(JsonNode message) {
        return message.path("events").get(message.path("events").size() - 1);
    }

    private static JsonNode event(JsonNode message, String stage) {
        for (JsonNode event : message.path("events")) {
            if (stage.equals(event.path("stage").asText())) {
                return event;
            }
        }
        throw new AssertionError("no " + stage + " event in " + message);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
