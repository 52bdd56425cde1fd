package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wagateway.GatewayApplication;

/**
 * The whole gateway as users run it: real HTTP on a random loopback port, the embedded persistent broker in a
 * temporary data folder, the YAML routes of the project's {@code routes/} folder, and a WireMock CRM on
 * loopback. Subclasses share one started gateway (Spring caches the context).
 */
@CamelSpringBootTest
@DisableJmx(false)
@AutoConfigureObservability
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "gateway.kazinfoteh.api-key=" + GatewayTestSupport.KAZINFOTEH_KEY,
                "gateway.greenapi.token=" + GatewayTestSupport.GREENAPI_TOKEN,
                "gateway.meta.app-secret=" + GatewayTestSupport.META_APP_SECRET,
                "gateway.meta.verify-token=" + GatewayTestSupport.META_VERIFY_TOKEN,
                "gateway.meta.access-token=" + GatewayTestSupport.META_ACCESS_TOKEN,
                "gateway.broker.tcp-port=0",
                "gateway.broker.name=gateway-test",
                "gateway.crm.redelivery-delay-ms=100",
                "gateway.crm.maximum-redeliveries=2",
                // tests of failing CRMs share this gateway: its breaker stays closed (CrmCircuitBreakerTest has one)
                "gateway.crm.circuit-breaker.minimum-number-of-calls=100000",
                "gateway.crm.circuit-breaker.sliding-window-size=100000",
                "gateway.admin.password=" + GatewayTestSupport.ADMIN_PASSWORD,
                "gateway.ops.viewer.password=" + GatewayTestSupport.VIEWER_PASSWORD,
                // no test may fetch from a public host: only loopback is allowed, and loopback is let through
                "gateway.media.allowed-hosts=127.0.0.1:*,localhost:*", // any port: test servers take random ones
                "gateway.media.allow-private-addresses=true",
                "gateway.media.read-timeout=2s",
                "gateway.media.max-attempts=2",
                "gateway.media.backoff=100ms",
                // the ids purge runs often here (IdsRetentionTest); no test makes ids an hour old but that one
                "gateway.idempotency.retention=1h",
                "gateway.idempotency.purge-interval=300ms",
        })
@Import(JolokiaAnswers.class)
public abstract class GatewayTestSupport {

    public static final String KAZINFOTEH_KEY = "test-kazinfoteh-key";
    public static final String GREENAPI_TOKEN = "test-greenapi-token";
    public static final String META_APP_SECRET = "test-meta-app-secret";
    public static final String META_VERIFY_TOKEN = "test-meta-verify-token";
    public static final String CRM_PATH = "/crm/messages";
    public static final String META_ACCESS_TOKEN = "test-meta-access-token";
    /** Where {@link #META_GRAPH} answers as Meta's Graph API ({@code gateway.meta.graph-url}). */
    public static final String META_GRAPH_PATH = "/graph/v23.0";
    public static final String ADMIN_PASSWORD = "test-admin-password";
    protected static final Map<String, String> ADMIN = TestClient.basic("admin", ADMIN_PASSWORD);
    public static final String VIEWER_PASSWORD = "test-viewer-password";
    protected static final Map<String, String> VIEWER = TestClient.basic("viewer", VIEWER_PASSWORD);

    protected static final WireMockServer CRM = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    /** Meta's Graph API and media CDN on loopback; each test stubs its own media ids. */
    protected static final WireMockServer META_GRAPH =
            new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    protected static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JmsTemplate jms;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) throws IOException {
        if (!CRM.isRunning()) {
            CRM.start();
        }
        if (!META_GRAPH.isRunning()) {
            META_GRAPH.start();
        }
        TestDataDirs.register(registry, "gateway-test-data");
        registry.add("gateway.crm.url", () -> "http://127.0.0.1:" + CRM.port() + CRM_PATH);
        registry.add("gateway.meta.graph-url", () -> "http://127.0.0.1:" + META_GRAPH.port() + META_GRAPH_PATH);
    }

    @BeforeEach
    void crmAcceptsEverything() {
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).willReturn(aResponse().withStatus(200)));
    }

    /** The CRM answers the first POST of this message with {@code first}, and every later one with {@code then}. */
    protected static void crmAnswers(String canonicalId, ResponseDefinitionBuilder first,
                                     ResponseDefinitionBuilder then) {
        String scenario = "crm-" + canonicalId;
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1)
                .withHeader("Idempotency-Key", WireMock.equalTo(canonicalId))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("answered once"));
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1)
                .withHeader("Idempotency-Key", WireMock.equalTo(canonicalId))
                .inScenario(scenario).whenScenarioStateIs("answered once")
                .willReturn(then));
    }

    /**
     * The CRM answers {@code answer} to every POST whose Idempotency-Key matches {@code keyPattern} (a regular
     * expression), ahead of the stub that accepts everything; remove the returned stub to take that back.
     */
    protected static StubMapping crmAnswersKeys(String keyPattern, ResponseDefinitionBuilder answer) {
        return CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1)
                .withHeader("Idempotency-Key", WireMock.matching(keyPattern)).willReturn(answer));
    }

    /** A fixture with a fresh provider message id, so tests never see each other's messages. */
    protected static ObjectNode withFreshId(JsonNode fixture, String idField) {
        ObjectNode copy = fixture.deepCopy();
        copy.put(idField, UUID.randomUUID().toString());
        return copy;
    }

    protected HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        return new TestClient(port).post(path, body, headers);
    }

    protected HttpResponse<String> get(String path) {
        return new TestClient(port).get(path);
    }

    protected HttpResponse<String> get(String path, Map<String, String> headers) {
        return new TestClient(port).get(path, headers);
    }

    protected HttpResponse<String> postKazinfoteh(JsonNode body) {
        return post("/webhooks/kazinfoteh", body.toString(),
                Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY));
    }

    protected HttpResponse<String> postGreenApi(JsonNode body) {
        return post("/webhooks/greenapi", body.toString(),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + GREENAPI_TOKEN));
    }

    /** Reads, as a JMS consumer would, the message with this canonical id from a queue; null if none comes. */
    protected Message receive(String queue, String canonicalId, Duration timeout) {
        jms.setReceiveTimeout(timeout.toMillis());
        return jms.receiveSelected(queue, "JMSCorrelationID = '" + canonicalId.replace("'", "''") + "'");
    }

    protected static JsonNode body(Message message) throws JMSException, IOException {
        return JSON.readTree(((TextMessage) message).getText());
    }

    protected static JsonNode json(HttpResponse<String> response) throws IOException {
        return TestClient.json(response);
    }

    /** Waits for the CRM stub to have received the message with this Idempotency-Key, and returns its request. */
    protected static LoggedRequest crmRequestFor(String canonicalId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(canonicalId), list -> !list.isEmpty()).get(0);
    }

    protected static List<LoggedRequest> crmRequests(String canonicalId) {
        return CRM.findAll(postRequestedFor(urlEqualTo(CRM_PATH))
                .withHeader("Idempotency-Key", WireMock.equalTo(canonicalId)));
    }
}
