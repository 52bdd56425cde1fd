package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.Fixtures;

/**
 * Least privilege of the ops accounts over real HTTP: neither the viewer nor the admin reads the JVM's arguments,
 * system properties or the providers' secrets through Jolokia (both of its paths), runs a Camel endpoint or a
 * diagnostic command; the viewer reads and browses, only the admin acts.
 */
class OpsAccessTest extends GatewayTestSupport {

    /** A secret handed to the JVM as a system property, as a deployment passing -Dgateway.greenapi.token=... would. */
    private static final String SYSTEM_PROPERTY_SECRET = "sysprop-secret-" + UUID.randomUUID();
    /** The surefire argLine puts this on the test JVM's command line (pom.xml). */
    private static final String COMMAND_LINE_MARKER = System.getProperty("gateway.test.command-line-marker");

    static {
        System.setProperty("gateway.test.system-property-secret", SYSTEM_PROPERTY_SECRET);
    }

    @Autowired
    CamelContext camel;

    /** The Camel context's MBean (its JMX name differs when another test's gateway runs in the same JVM). */
    private String context() {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\"" + camel.getName()
                + "\"";
    }

    private String fetchMedia() {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"fetch-media\"";
    }

    /** A name as it goes into a URL path (Jolokia's GET form). */
    private static String inPath(String mbean) {
        return mbean.replace("\"", "%22");
    }

    private List<String> secrets() {
        assertThat(COMMAND_LINE_MARKER).as("surefire's argLine marker").isNotBlank();
        return List.of(SYSTEM_PROPERTY_SECRET, COMMAND_LINE_MARKER, GREENAPI_TOKEN, KAZINFOTEH_KEY, ADMIN_PASSWORD,
                VIEWER_PASSWORD);
    }

    private void assertNoSecretIn(HttpResponse<String> response) {
        for (String secret : secrets()) {
            assertThat(response.body()).as("answer to the ops account").doesNotContain(secret);
        }
    }

    private HttpResponse<String> jolokia(String prefix, Map<String, String> account, String body) {
        Map<String, String> headers = new HashMap<>(account);
        headers.put("Content-Type", "application/json");
        return post(prefix, body, headers);
    }

    private static ObjectNode request(String type, String mbean) {
        ObjectNode request = JSON.createObjectNode();
        request.put("type", type);
        if (mbean != null) {
            request.put("mbean", mbean);
        }
        return request;
    }

    private static ObjectNode exec(String mbean, String operation, Object... arguments) {
        ObjectNode request = request("exec", mbean);
        request.put("operation", operation);
        ArrayNode args = request.putArray("arguments");
        for (Object argument : arguments) {
            args.addPOJO(argument);
        }
        return request;
    }

    /** The status of each Jolokia answer (a bulk request has one per request). */
    private static List<Integer> statuses(HttpResponse<String> response) throws Exception {
        JsonNode answer = json(response);
        if (!answer.isArray()) {
            return List.of(answer.path("status").asInt());
        }
        return StreamSupport.stream(answer.spliterator(), false)
                .map(item -> item.path("status").asInt()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/actuator/jolokia", "/actuator/hawtio/jolokia"})
    void noAccountReadsTheJvmsArgumentsOrSystemProperties(String prefix) throws Exception {
        for (Map<String, String> account : List.of(ADMIN, VIEWER)) {
            ArrayNode bulk = JSON.createArrayNode();
            bulk.add(request("read", "java.lang:type=Runtime").put("attribute", "SystemProperties"));
            bulk.add(request("read", "java.lang:type=Runtime").put("attribute", "InputArguments"));
            bulk.add(request("read", "java.lang:type=Runtime"));
            bulk.add(exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()"));
            bulk.add(exec("com.sun.management:type=DiagnosticCommand", "vmCommandLine()"));
            HttpResponse<String> answer = jolokia(prefix, account, bulk.toString());

            assertNoSecretIn(answer);
            assertNoSecretIn(get(prefix + "/read/java.lang:type=Runtime/SystemProperties", account));
            assertNoSecretIn(get(prefix + "/read/java.lang:type=Runtime/InputArguments", account));
            assertNoSecretIn(get(prefix + "/read/java.lang:type=Runtime", account));
            assertNoSecretIn(get(prefix + "/exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties()",
                    account));
            List<Integer> statuses = statuses(answer);
            assertThat(statuses.subList(0, 2)).containsOnly(403);
            assertThat(statuses.subList(3, 5)).containsOnly(403);
        }
        // what ops need of Runtime stays readable
        assertThat(json(get(prefix + "/read/java.lang:type=Runtime/Uptime", VIEWER)).path("status").asInt())
                .isEqualTo(200);
    }

    @Test
    void nothingAnOpsAccountCanReadOrListHoldsASecret() throws Exception {
        for (Map<String, String> account : List.of(ADMIN, VIEWER)) {
            ArrayNode bulk = JSON.createArrayNode();
            bulk.add(request("read", "*:*"));
            bulk.add(request("list", null));
            bulk.add(request("search", "*:*"));
            bulk.add(request("version", null));
            HttpResponse<String> answer = jolokia("/actuator/jolokia", account, bulk.toString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("whatsapp.gateway.ingest", "deliver-crm");
            assertNoSecretIn(answer);
            // Spring Boot's MBeans (environment, configuration properties), diagnostics and JFR are not even listed
            assertThat(answer.body()).doesNotContain("org.springframework.boot:", "DiagnosticCommand",
                    "HotSpotDiagnostic", "jdk.management.jfr");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/actuator/jolokia", "/actuator/hawtio/jolokia"})
    void camelRunsNoEndpointForAnOpsAccount(String prefix) throws Exception {
        Path target = Path.of("target", "ops-access", UUID.randomUUID().toString());
        String fileUri = "file:" + target.toAbsolutePath() + "?fileName=written-by-jolokia.txt";
        String secretUri = "language:simple:${properties:gateway.greenapi.token}";
        ArrayNode bulk = JSON.createArrayNode();
        bulk.add(exec(context(), "requestBody(java.lang.String,java.lang.Object)", secretUri, "x"));
        bulk.add(exec(context(), "requestStringBody", secretUri, "x"));
        bulk.add(exec(context(), "sendBody(java.lang.String,java.lang.Object)", fileUri, "written"));
        bulk.add(exec(context(), "sendStringBody", fileUri, "written"));
        bulk.add(exec(context(), "sendBodyAndHeaders", fileUri, "written", Map.of()));
        bulk.add(exec(context(), "createEndpoint", fileUri));
        bulk.add(exec(fetchMedia(), "updateRouteFromXml", "<route/>"));
        bulk.add(exec(context(), "stop()"));

        HttpResponse<String> answer = jolokia(prefix, ADMIN, bulk.toString());

        assertNoSecretIn(answer);
        assertThat(statuses(answer)).containsOnly(403);
        assertThat(target).doesNotExist();
        assertThat(camel.getStatus().isStarted()).isTrue();
        // the GET form of exec is the same command
        HttpResponse<String> get = get(prefix + "/exec/" + inPath(context()) + "/requestStringBody/"
                + "language:simple:$%7Bproperties:gateway.greenapi.token%7D/x", ADMIN);
        assertNoSecretIn(get);
        assertThat(json(get).path("status").asInt()).isEqualTo(403);
    }

    @Test
    void noAccountWritesAnAttributeOrDumpsTheHeap() throws Exception {
        Path heap = Path.of("target", "ops-access", UUID.randomUUID() + ".hprof");
        ArrayNode bulk = JSON.createArrayNode();
        bulk.add(request("write", context()).put("attribute", "Tracing").put("value", true));
        bulk.add(request("write", "java.lang:type=Memory").put("attribute", "Verbose").put("value", true));
        bulk.add(exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap", heap.toAbsolutePath().toString(),
                true));
        bulk.add(exec("com.sun.management:type=HotSpotDiagnostic", "setVMOption", "HeapDumpOnOutOfMemoryError",
                "true"));

        HttpResponse<String> answer = jolokia("/actuator/jolokia", ADMIN, bulk.toString());

        assertThat(statuses(answer)).containsOnly(403);
        assertThat(heap).doesNotExist();
        assertThat(camel.isTracing()).isFalse();
    }

    @Test
    void theViewerReadsRoutesQueuesAndMetricsButCannotAct() throws Exception {
        HttpResponse<String> routes = get("/actuator/jolokia/read/org.apache.camel:type=routes,*/State", VIEWER);
        HttpResponse<String> queue = get("/actuator/jolokia/read/org.apache.activemq:type=Broker,brokerName="
                + "gateway-test,destinationType=Queue,destinationName=whatsapp.gateway.ingest/QueueSize", VIEWER);
        HttpResponse<String> browse = get("/actuator/jolokia/exec/org.apache.activemq:type=Broker,brokerName="
                + "gateway-test,destinationType=Queue,destinationName=whatsapp.gateway.ingest/browse()", VIEWER);

        assertThat(routes.body()).contains("fetch-media", "deliver-crm", "Started");
        assertThat(json(queue).path("status").asInt()).isEqualTo(200);
        assertThat(json(queue).path("value").isNumber()).isTrue();
        assertThat(json(browse).path("status").asInt()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", VIEWER).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", VIEWER).body()).contains("gateway_");
        assertThat(get("/admin/dead-letters", VIEWER).statusCode()).isEqualTo(200);

        // suspend, by the GET form and in a POST bulk request: refused, the route keeps running
        HttpResponse<String> suspendByGet = get("/actuator/jolokia/exec/" + inPath(fetchMedia()) + "/suspend()", VIEWER);
        HttpResponse<String> suspendByHawtioPath = get("/actuator/hawtio/jolokia/exec/" + inPath(fetchMedia()) + "/suspend()",
                VIEWER);
        ArrayNode bulk = JSON.createArrayNode();
        bulk.add(request("read", fetchMedia()).put("attribute", "State"));
        bulk.add(exec(fetchMedia(), "suspend()"));
        bulk.add(exec(fetchMedia(), "stop()"));
        bulk.add(exec("org.apache.activemq:type=Broker,brokerName=gateway-test,destinationType=Queue,"
                + "destinationName=whatsapp.dlq.crm", "purge()"));
        HttpResponse<String> suspendByPost = jolokia("/actuator/jolokia", VIEWER, bulk.toString());

        assertThat(json(suspendByGet).path("status").asInt()).isEqualTo(403);
        assertThat(json(suspendByHawtioPath).path("status").asInt()).isEqualTo(403);
        assertThat(statuses(suspendByPost)).containsExactly(200, 403, 403, 403);
        assertThat(camel.getRouteController().getRouteStatus("fetch-media").isStarted()).isTrue();
    }

    @ParameterizedTest(name = "viewer POST {0}: 403")
    @ValueSource(strings = {"/admin/dead-letters/crm/replay", "/admin/dead-letters/crm/replay/",
            "/admin/dead-letters/crm/replay?max=1", "/admin/dead-letters/unknown/replay", "/admin/anything"})
    void theViewerReplaysNoDeadLetter(String path) throws Exception {
        HttpResponse<String> answer = post(path, "", VIEWER);

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(json(answer).path("error").asText()).isEqualTo("forbidden");
        assertThat(json(answer).path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void theAdminSuspendsAndResumesARouteAndBrowsesAQueue() throws Exception {
        ObjectNode webhook = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        assertThat(postKazinfoteh(webhook).statusCode()).isEqualTo(200);
        String id = "kazinfoteh:" + webhook.get("id").asText();
        String textQueue = "org.apache.activemq:type=Broker,brokerName=gateway-test,destinationType=Queue,"
                + "destinationName=whatsapp.in.text";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(jolokia("/actuator/jolokia", ADMIN, exec(textQueue, "browse()").toString()).body())
                        .contains(id));

        HttpResponse<String> suspend = get("/actuator/jolokia/exec/" + inPath(fetchMedia()) + "/suspend()", ADMIN);
        assertThat(json(suspend).path("status").asInt()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("fetch-media").isSuspended()).isTrue();
        HttpResponse<String> resume = jolokia("/actuator/jolokia", ADMIN, exec(fetchMedia(), "resume()").toString());
        assertThat(json(resume).path("status").asInt()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("fetch-media").isStarted()).isTrue();
    }

    @Test
    void aCrossSiteRequestNeedsTheCsrfTokenEvenWithCachedCredentials() throws Exception {
        Map<String, String> headers = new HashMap<>(ADMIN);
        headers.put("Sec-Fetch-Site", "cross-site");

        HttpResponse<String> answer = post("/admin/dead-letters/crm/replay", "", headers);

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(json(answer).path("error").asText()).isEqualTo("csrf_token_invalid");
    }

    @Test
    void aPersonIsSentToTheLoginFormAndScriptsGetABasicChallenge() {
        HttpResponse<String> page = get("/actuator/hawtio/", Map.of("Accept", "text/html,application/xhtml+xml"));
        HttpResponse<String> script = get("/actuator/prometheus");

        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(script.statusCode()).isEqualTo(401);
        assertThat(script.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Basic"));
    }
}
