package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.wagateway.Fixtures;

/**
 * A CRM that is down: the circuit breaker opens, the deliver-crm route pauses (messages wait in the broker, the
 * CRM is left alone), trial calls follow, and once the CRM is back every message reaches it.
 */
@TestPropertySource(properties = {
        "gateway.broker.name=gateway-test-breaker",
        "gateway.crm.circuit-breaker.minimum-number-of-calls=4",
        "gateway.crm.circuit-breaker.sliding-window-size=4",
        "gateway.crm.circuit-breaker.wait-duration-in-open-state-ms=1500",
        "gateway.crm.circuit-breaker.permitted-calls-in-half-open-state=1",
        "gateway.crm.maximum-redeliveries=1000",
        "gateway.crm.redelivery-delay-ms=100",
        "gateway.crm.maximum-redelivery-delay-ms=200",
})
class CrmCircuitBreakerTest extends GatewayTestSupport {

    private static final int MESSAGES = 8;

    @Autowired
    private CamelContext camel;

    @Autowired
    private CircuitBreaker crmCircuitBreaker;

    @Autowired
    private MeterRegistry registry;

    @Test
    void aCrmThatIsDownIsLeftAloneWhileMessagesWaitThenEveryMessageReachesIt() throws Exception {
        StubMapping down = CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < MESSAGES; i++) {
                ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
                ids.add("greenapi:" + sample.get("idMessage").asText());
                assertThat(postGreenApi(sample).statusCode()).isEqualTo(200);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> routeStatus() == ServiceStatus.Suspended);
            assertThat(registry.get("gateway.crm.circuit.state").gauge().value()).as("gauge: open").isEqualTo(1.0);

            // a CRM that is down gets a trial call now and then, not the retries of every message: without the
            // breaker these 8 messages would be POSTed every 100-200 ms, about 200 times in 4 s
            int before = requestsFor(ids);
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(requestsFor(ids) - before).as("CRM calls in 4 s with the breaker open").isLessThan(40);
        } finally {
            CRM.removeStub(down);
        }

        // the CRM is back: the next trial call closes the breaker and the route takes the outbox again
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(acceptedFor(id)).as("2xx answers to " + id).isEqualTo(1);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> routeStatus() == ServiceStatus.Started
                && crmCircuitBreaker.getState() == CircuitBreaker.State.CLOSED);
        assertThat(receive("whatsapp.dlq.crm", ids.get(0), Duration.ofMillis(500))).isNull();
    }

    private ServiceStatus routeStatus() {
        return camel.getRouteController().getRouteStatus("deliver-crm");
    }

    private static int requestsFor(List<String> ids) {
        return ids.stream().mapToInt(id -> crmRequests(id).size()).sum();
    }

    private static long acceptedFor(String id) {
        List<ServeEvent> events = CRM.getAllServeEvents();
        return events.stream()
                .filter(e -> id.equals(e.getRequest().getHeader("Idempotency-Key")))
                .filter(e -> e.getResponse().getStatus() / 100 == 2)
                .count();
    }
}
