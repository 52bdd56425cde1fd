package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;
import org.yaml.snakeyaml.Yaml;

/**
 * What Prometheus scrapes from /actuator/prometheus, with the viewer account, after real traffic of the three
 * providers (accepted, refused, a provider's retry, a CRM failure retried and one dead-lettered, an attachment
 * stored and one that failed): every metric the Grafana dashboard and the alert rules use is there, no label carries an id or a phone
 * number, and the webhook endpoints (only they) have histogram buckets for {@code histogram_quantile}.
 */
class PrometheusScrapeTest extends GatewayTestSupport {

    /** Series Prometheus makes itself for each target it scrapes; never in the gateway's answer. */
    static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final MediaServer MEDIA = new MediaServer()
            .file("/upl/scrape.jpeg", "image/jpeg", MediaServer.jpeg())
            .status("/upl/scrape-gone.jpeg", 404);
    /**
     * A phone number (7 digits or more, as providers write them), a UUID, a long hex id, a long token of letters
     * and digits (a base64 id), a WhatsApp chat or message id.
     */
    static final Pattern LOOKS_LIKE_AN_ID = Pattern.compile("\\d{7,}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-"
            + "|[0-9A-Fa-f]{16,}|\\b(?=\\w*\\d)(?=\\w*[A-Za-z])\\w{20,}|@c\\.us|@g\\.us|@s\\.whatsapp|wamid\\.");
    private static final Set<String> BOUNDS = Set.of("le", "quantile");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? \\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static String scrape;
    /** The ids and numbers the traffic carried: none may show up in the scrape. */
    private static final Set<String> SENT = new TreeSet<>();

    @AfterAll
    static void stopMediaServer() {
        MEDIA.close();
    }

    @Test
    void theDashboardAndTheAlertsUseOnlyMetricsTheGatewayPublishes() throws Exception {
        Set<String> used = new TreeSet<>();
        List<String> expressions = new ArrayList<>(dashboardExpressions());
        expressions.addAll(alertExpressions());
        for (String expression : expressions) {
            Set<String> names = metricNames(expression);
            assertThat(names).as("metrics of " + expression).isNotEmpty();
            used.addAll(names);
        }
        assertThat(used).as("metrics the dashboard and the alerts use").hasSizeGreaterThan(15);

        Set<String> published = sampleNames(scrape());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(published);
        missing.removeAll(MADE_BY_PROMETHEUS);
        assertThat(missing).as("metrics used but not in the scrape").isEmpty();
    }

    @Test
    void noLabelValueLooksLikeAPhoneNumberOrAnId() throws Exception {
        Map<String, String> suspicious = new LinkedHashMap<>();
        int values = 0;
        for (String line : scrape().lines().filter(line -> !line.startsWith("#")).toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches() || sample.group(3) == null) {
                continue;
            }
            Matcher label = LABEL.matcher(sample.group(3));
            while (label.find()) {
                values++;
                // a bucket's or a quantile's bound is a number, and says nothing about a message
                if (!BOUNDS.contains(label.group(1)) && LOOKS_LIKE_AN_ID.matcher(label.group(2)).find()) {
                    suspicious.put(line, label.group(1));
                }
            }
        }

        assertThat(values).as("label values read").isGreaterThan(500);
        assertThat(suspicious).as("series whose label looks like an id or a phone number").isEmpty();
        assertThat(SENT).as("ids and numbers of the traffic").hasSizeGreaterThan(5)
                .allSatisfy(sent -> assertThat(scrape()).doesNotContain(sent));
        // the check itself finds what it is for
        assertThat(List.of("79001234568@c.us", "+77776662222", UUID.randomUUID().toString(),
                "F7AEC1B7086ECDC7E6E45923F5EDB826", "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEw"))
                .allSatisfy(id -> assertThat(LOOKS_LIKE_AN_ID.matcher(id).find()).as(id).isTrue());
        assertThat(List.of("greenapi", "text", "http-503", "whatsapp.dlq.crm", "/webhooks/kazinfoteh",
                "SocketTimeoutException", "HttpHostConnectException", "0.005", "+Inf", "dead-letter",
                "insufficient_storage", "provider_not_configured"))
                .allSatisfy(value -> assertThat(LOOKS_LIKE_AN_ID.matcher(value).find()).as(value).isFalse());
    }

    @Test
    void theWebhookEndpointsAloneHaveLatencyBuckets() throws Exception {
        List<String> buckets = scrape().lines().filter(line -> line.startsWith("http_server_requests_seconds_bucket{"))
                .toList();
        Map<Boolean, Map<String, List<String>>> bySeries = buckets.stream().collect(Collectors.partitioningBy(
                line -> line.contains("uri=\"/webhooks/"), Collectors.groupingBy(
                        line -> line.replaceAll("le=\"[^\"]*\",?", "").replaceAll(" \\S+$", ""))));

        assertThat(buckets).as("buckets of the webhooks")
                .anyMatch(line -> line.contains("uri=\"/webhooks/greenapi\"") && line.contains("le=\"0.005\""))
                .anyMatch(line -> line.contains("uri=\"/webhooks/kazinfoteh\"") && line.contains("le=\"+Inf\""))
                .anyMatch(line -> line.contains("uri=\"/webhooks/meta\""));
        // 13 bounds and +Inf per webhook series, where a percentile histogram has about 70
        assertThat(bySeries.get(true).values()).isNotEmpty().allSatisfy(series -> assertThat(series).hasSize(14));
        // every other endpoint: one bound and +Inf (Prometheus needs one type for the name: a histogram)
        assertThat(bySeries.get(false)).isNotEmpty().anySatisfy((series, lines) ->
                assertThat(series).contains("uri=\"/actuator/prometheus\""));
        assertThat(bySeries.get(false).values()).allSatisfy(series -> assertThat(series).hasSize(2)
                .anyMatch(line -> line.contains("le=\"10.0\"")).anyMatch(line -> line.contains("le=\"+Inf\"")));
    }

    @Test
    void crmFailuresSayTheirOutcomeAndStatusClassAndDeadLettersAreCountedPerQueue() throws Exception {
        String body = scrape();

        assertThat(body)
                .containsPattern("gateway_crm_failures_total\\{(?=[^}]*outcome=\"retry\")(?=[^}]*reason=\"http-503\")"
                        + "(?=[^}]*status_class=\"5xx\")[^}]*} [1-9]")
                .containsPattern("gateway_crm_failures_total\\{(?=[^}]*outcome=\"dead-letter\")"
                        + "(?=[^}]*reason=\"http-400\")(?=[^}]*status_class=\"4xx\")[^}]*} [1-9]")
                .containsPattern("gateway_dlq_enqueued_total\\{queue=\"whatsapp.dlq.crm\"} [1-9]")
                .containsPattern("gateway_dlq_enqueued_total\\{queue=\"whatsapp.dlq.media\"} [1-9]")
                .containsPattern("gateway_dlq_enqueued_total\\{queue=\"whatsapp.dlq.rejected\"} [1-9]")
                .containsPattern("gateway_dlq_enqueued_total\\{queue=\"whatsapp.dlq.invalid\"} ")
                .containsPattern("gateway_dlq_enqueued_total\\{queue=\"whatsapp.dlq.dispatch\"} ")
                .containsPattern("gateway_media_downloads_total\\{status=\"stored\"} [1-9]")
                .containsPattern("gateway_media_downloads_total\\{status=\"failed\"} [1-9]");
    }

    /** The traffic, once for the class; then what the viewer (the account Prometheus uses) scrapes. */
    private synchronized String scrape() throws Exception {
        if (scrape != null) {
            return scrape;
        }
        ObjectNode text = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String textId = "greenapi:" + text.get("idMessage").asText();
        ObjectNode retried = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String retriedId = "greenapi:" + retried.get("idMessage").asText();
        ObjectNode refused = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String refusedId = "greenapi:" + refused.get("idMessage").asText();
        crmAnswers(retriedId, aResponse().withStatus(503), aResponse().withStatus(200));
        crmAnswers(refusedId, aResponse().withStatus(400), aResponse().withStatus(400));
        ObjectNode stored = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");
        stored.put("msgAttachmentUrl", MEDIA.url("/upl/scrape.jpeg"));
        ObjectNode failed = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");
        failed.put("msgAttachmentUrl", MEDIA.url("/upl/scrape-gone.jpeg"));
        String wamid = "wamid.s" + UUID.randomUUID();
        byte[] meta = Fixtures.text("meta/text.json").replaceAll("wamid\\.[A-Za-z0-9=]+", wamid)
                .getBytes(StandardCharsets.UTF_8);
        for (JsonNode sent : List.of(text, retried, refused, stored, failed)) {
            collectIdsAndNumbers(sent.toString());
        }
        collectIdsAndNumbers(new String(meta, StandardCharsets.UTF_8));

        assertThat(postGreenApi(text).statusCode()).isEqualTo(200);
        assertThat(postGreenApi(retried).statusCode()).isEqualTo(200);
        assertThat(postGreenApi(refused).statusCode()).isEqualTo(200);
        assertThat(postKazinfoteh(stored).statusCode()).isEqualTo(200);
        assertThat(postKazinfoteh(failed).statusCode()).isEqualTo(200);
        assertThat(RawHttp.exchange(port, "POST", "/webhooks/meta", Map.of("Content-Type", "application/json",
                "X-Hub-Signature-256", MetaWebhookTest.sign(meta, META_APP_SECRET)), meta).status()).isEqualTo(200);
        post("/webhooks/greenapi", "{oops", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + GREENAPI_TOKEN));
        post("/webhooks/kazinfoteh", stored.toString(), Map.of("Content-Type", "application/json",
                "X-API-KEY", "not-the-key"));

        crmRequestFor(textId);
        // the provider sends it again (its retry): answered without storing it twice
        assertThat(postGreenApi(text).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(crmRequests(retriedId)).hasSize(2);
            assertThat(crmRequests(refusedId)).hasSize(1);
            Boolean deadLettered = jms.browseSelected("whatsapp.dlq.crm", "JMSCorrelationID = '" + refusedId + "'",
                    (session, browser) -> browser.getEnumeration().hasMoreElements());
            assertThat(deadLettered).as("the CRM's 400 dead-lettered").isTrue();
            assertThat(get("/actuator/prometheus", VIEWER).body())
                    .containsPattern("gateway_media_downloads_total\\{status=\"failed\"} [1-9]")
                    .containsPattern("gateway_media_downloads_total\\{status=\"stored\"} [1-9]")
                    .containsPattern("gateway_crm_delivered_total\\{[^}]*provider=\"meta\"[^}]*} [1-9]")
                    .containsPattern("gateway_webhooks_duplicate_total\\{provider=\"greenapi\"} [1-9]");
        });
        var answer = get("/actuator/prometheus", VIEWER);
        assertThat(answer.statusCode()).isEqualTo(200);
        scrape = answer.body();
        return scrape;
    }

    private static void collectIdsAndNumbers(String json) {
        Matcher m = Pattern.compile("\\d{7,}|[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|wamid\\.[A-Za-z0-9.=-]+").matcher(json);
        while (m.find()) {
            SENT.add(m.group());
        }
    }

    /** The metric names of a PromQL expression: what is left without functions, label sets, ranges, keywords. */
    static Set<String> metricNames(String expression) {
        String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher token = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (token.find()) {
            String name = token.group(1);
            if (token.group(2) == null && !Set.of("and", "or", "unless", "bool", "offset", "inf", "nan")
                    .contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = JSON.readTree(ROOT.resolve("docker/grafana/dashboards/gateway.json").toFile());
        List<String> expressions = dashboard.findValues("expr").stream().map(JsonNode::asText).toList();
        assertThat(expressions).as("queries of the dashboard").hasSizeGreaterThan(15);
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(ROOT.resolve("docker/prometheus/alerts.yml")));
        return ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .map(rule -> String.valueOf(rule.get("expr"))).toList();
    }

    private static Set<String> sampleNames(String body) {
        return body.lines().filter(line -> !line.startsWith("#")).map(SAMPLE::matcher).filter(Matcher::matches)
                .map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
    }
}
