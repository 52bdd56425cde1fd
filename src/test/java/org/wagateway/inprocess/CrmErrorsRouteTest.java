package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * The {@code crm-errors} route configuration of {@code deliver-crm}, one branch per test: a failed POST is
 * scheduled again on the outbox (waiting as the failure asks) or dead-lettered, and a retry the broker refuses
 * rolls the read back. Messages are put on the real outbox and the route takes them in its JMS transaction; the
 * CRM is {@code mock:post-to-crm}, which fails the first POST of the test's message as the test says and takes
 * every other POST. {@code mock:crm-outbox-taken} shows each take of a message with its JMS properties,
 * {@code mock:schedule-crm-retry} each retry on its way to the broker's scheduler; the scheduled retries and the
 * dead letters are real broker sends, read back from the broker.
 */
@ExtendWith(OutputCaptureExtension.class)
class CrmErrorsRouteTest extends RouteWiringTestSupport {

    private static final String OUTBOX = "whatsapp.gateway.crm";
    private static final String CRM_DLQ = "whatsapp.dlq.crm";
    private static final String CRM_URI = "http://127.0.0.1:1/crm/messages";

    @Test
    void crmAnswering429IsRetriedAfterItsRetryAfter() {
        String id = queueForCrm(Map.of(), post -> {
            throw new HttpOperationFailedException(CRM_URI, 429, "Too Many Requests", null,
                    Map.of("Retry-After", "2"), "");
        });

        List<Exchange> takes = awaitTakes(id, 2);

        Exchange retry = takes.get(1);
        assertThat(retry.getMessage().getHeader(Header.CRM_ATTEMPTS, Integer.class)).isEqualTo(1);
        assertThat(retry.getMessage().getHeader("crmLastFailure")).isEqualTo("http-429");
        assertThat(delayOfTheRetry(id)).isEqualTo(2_000L);
        assertThat(retry.getCreated() - takes.get(0).getCreated()).as("ms between the takes")
                .isGreaterThanOrEqualTo(2_000L);
        awaitPosts(id, 2);
    }

    @Test
    void crmAnswering503IsRetriedAfterTheBackOffAsOneMoreAttempt() {
        String id = queueForCrm(Map.of(), post -> {
            throw new HttpOperationFailedException(CRM_URI, 503, "Service Unavailable", null, Map.of(), "busy");
        });

        List<Exchange> takes = awaitTakes(id, 2);

        Exchange retry = takes.get(1);
        assertThat(retry.getMessage().getHeader(Header.CRM_ATTEMPTS, Integer.class)).isEqualTo(1);
        assertThat(retry.getMessage().getHeader("crmLastFailure")).isEqualTo("http-503");
        // gateway.crm.redelivery-delay-ms=100 (GatewayTestSupport) for a first retry, ± 20 % jitter
        assertThat(delayOfTheRetry(id)).isBetween(80L, 120L);
        assertThat(retry.getCreated() - takes.get(0).getCreated()).isGreaterThanOrEqualTo(80L);
        awaitPosts(id, 2);
    }

    @Test
    void crmUnreachableIsRetriedAsOneMoreAttempt() {
        String id = queueForCrm(Map.of(), post -> {
            throw new ConnectException("Connection refused");
        });

        Exchange retry = awaitTakes(id, 2).get(1);

        assertThat(retry.getMessage().getHeader(Header.CRM_ATTEMPTS, Integer.class)).isEqualTo(1);
        assertThat(retry.getMessage().getHeader("crmLastFailure")).isEqualTo("ConnectException");
        awaitPosts(id, 2);
    }

    @Test
    void aPostTheOpenCircuitBreakerRefusedWaitsForTheBreakerWithoutCountingAnAttempt() {
        String id = queueForCrm(Map.of(), post -> {
            throw CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults("crm-test"));
        });

        List<Exchange> takes = awaitTakes(id, 2);

        Exchange retry = takes.get(1);
        assertThat(retry.getMessage().getHeader(Header.CRM_ATTEMPTS, Integer.class)).isZero();
        assertThat(retry.getMessage().getHeader("crmLastFailure")).isEqualTo("circuit-open");
        // gateway.crm.circuit-breaker.wait-duration-in-open-state-ms=300 (RouteWiringTestSupport), ± 20 %
        assertThat(delayOfTheRetry(id)).isBetween(240L, 360L);
        assertThat(retry.getCreated() - takes.get(0).getCreated()).isGreaterThanOrEqualTo(240L);
    }

    @Test
    void crmAnswering422IsDeadLetteredAtOnceWithItsAnswer() throws Exception {
        String body = canonical("kazinfoteh/text.json").toString();
        String id = queueForCrm(body, Map.of(), post -> {
            throw new HttpOperationFailedException(CRM_URI, 422, "Unprocessable Entity", null, Map.of(),
                    "{\"error\":\"unknown channel\"}");
        });

        Message dead = receive(CRM_DLQ, id, Duration.ofSeconds(20));

        assertThat(dead).as("%s on %s", id, CRM_DLQ).isNotNull();
        assertThat(((TextMessage) dead).getText()).isEqualTo(body);
        assertThat(dead.getStringProperty("deadLetterHttpStatus")).isEqualTo("422");
        assertThat(dead.getStringProperty("deadLetterHttpBody")).isEqualTo("{\"error\":\"unknown channel\"}");
        assertThat(dead.getStringProperty("deadLetterRoute")).isEqualTo("deliver-crm");
        assertThat(dead.getIntProperty(Header.CRM_ATTEMPTS)).isEqualTo(1);
        assertThat(takes(id)).as("takes of %s from the outbox", id).hasSize(1);
        assertThat(scheduled(id)).as("retries of %s scheduled", id).isEmpty();
        assertThat(posts(id)).hasSize(1);
    }

    @Test
    void aMessageFailingItsLastAllowedAttemptIsDeadLettered() throws Exception {
        // gateway.crm.maximum-redeliveries=2 (GatewayTestSupport): this is its third attempt
        String id = queueForCrm(Map.of(Header.CRM_ATTEMPTS, 2), post -> {
            throw new HttpOperationFailedException(CRM_URI, 503, "Service Unavailable", null, Map.of(), "busy");
        });

        Message dead = receive(CRM_DLQ, id, Duration.ofSeconds(20));

        assertThat(dead).as("%s on %s", id, CRM_DLQ).isNotNull();
        assertThat(dead.getIntProperty(Header.CRM_ATTEMPTS)).isEqualTo(3);
        assertThat(dead.getStringProperty("deadLetterAttempts")).isEqualTo("3");
        assertThat(dead.getStringProperty("deadLetterHttpStatus")).isEqualTo("503");
        assertThat(dead.getStringProperty("crmLastFailure")).isEqualTo("http-503");
        assertThat(takes(id)).hasSize(1);
        assertThat(scheduled(id)).as("retries of %s scheduled", id).isEmpty();
    }

    @Test
    void aRetryTheBrokerRefusesRollsBackAndTheMessageStaysOnTheOutbox(CapturedOutput output) throws Exception {
        String id = queueForCrm(Map.of(REFUSE_SCHEDULE, "true"), post -> {
            throw new HttpOperationFailedException(CRM_URI, 503, "Service Unavailable", null, Map.of(), "busy");
        });

        List<Exchange> takes = awaitTakes(id, 2);

        Exchange again = takes.get(1);
        assertThat(again.getMessage().getHeader("JMSRedelivered", Boolean.class))
                .as("handed again by the broker after the rollback").isTrue();
        assertThat(again.getMessage().getHeader(Header.CRM_ATTEMPTS)).as("the refused attempt is not counted").isNull();
        assertThat(scheduled(id)).as("retries of %s tried", id).hasSize(1);
        awaitPosts(id, 2);
        assertThat(receive(CRM_DLQ, id, Duration.ofMillis(500))).isNull();
        // the branch's own steps ran (its log, then the rollback), not Camel's fallback for a failing handler
        assertThat(output.getOut()).contains("retry of " + id + " refused by the broker")
                .doesNotContain("FatalFallbackErrorHandler");
    }

    // --- the outbox and the mocks ------------------------------------------------------------------------------

    private String queueForCrm(Map<String, Object> properties, Processor firstPost) {
        return queueForCrm(canonical("kazinfoteh/text.json").toString(), properties, firstPost);
    }

    /**
     * Puts a canonical message on the CRM outbox as the deliver route does, with its first POST failing as
     * {@code firstPost} says; every other POST is taken (2xx), also those of messages an earlier test left to
     * finish. Returns the message's id.
     */
    private String queueForCrm(String body, Map<String, Object> properties, Processor firstPost) {
        JsonNode message = readTree(body);
        String id = message.get("id").asText();
        AtomicBoolean failed = new AtomicBoolean();
        mock("post-to-crm").whenAnyExchangeReceived(post -> {
            if (id.equals(post.getMessage().getHeader(Header.IDEMPOTENCY_KEY)) && failed.compareAndSet(false, true)) {
                firstPost.process(post);
            }
        });
        jms.send(OUTBOX, session -> {
            TextMessage text = session.createTextMessage(body);
            text.setJMSCorrelationID(id);
            text.setStringProperty(Header.GROUP_ID, id);
            text.setStringProperty(Header.PROVIDER, message.get("provider").asText());
            text.setStringProperty(Header.TYPE, message.get("type").asText());
            for (Map.Entry<String, Object> property : properties.entrySet()) {
                text.setObjectProperty(property.getKey(), property.getValue());
            }
            return text;
        });
        return id;
    }

    /** The wait the retry of this message was scheduled with ({@code AMQ_SCHEDULED_DELAY}, ms). */
    private Long delayOfTheRetry(String id) {
        assertThat(scheduled(id)).as("retries of %s scheduled", id).hasSize(1);
        return scheduled(id).get(0).getMessage().getHeader("AMQ_SCHEDULED_DELAY", Long.class);
    }

    private List<Exchange> awaitTakes(String id, int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> takes(id), takes -> takes.size() >= count);
    }

    /** Waits for this many POSTs of the message: a POST follows its take from the outbox by a few steps. */
    private void awaitPosts(String id, int count) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(posts(id)).hasSize(count));
    }

    private List<Exchange> takes(String id) {
        return ofMessage("crm-outbox-taken", Header.CORRELATION_ID, id);
    }

    private List<Exchange> scheduled(String id) {
        return ofMessage("schedule-crm-retry", Header.CORRELATION_ID, id);
    }

    private List<Exchange> posts(String id) {
        return ofMessage("post-to-crm", Header.IDEMPOTENCY_KEY, id);
    }

    private List<Exchange> ofMessage(String mock, String header, String id) {
        return mock(mock).getReceivedExchanges().stream()
                .filter(exchange -> id.equals(exchange.getMessage().getHeader(header))).toList();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
