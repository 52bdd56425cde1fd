package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The webhooks' front door: size, method and type limits answer with JSON, and what was refused is kept. */
class RequestLimitsTest extends GatewayTestSupport {

    private static final Map<String, String> KAZINFOTEH_JSON = Map.of("Content-Type", "application/json",
            "X-API-KEY", KAZINFOTEH_KEY);

    @Test
    void aBodyOverTheLimitIs413AndABoundedCopyIsKept() throws Exception {
        String marker = "big-" + UUID.randomUUID();
        String body = "{\"marker\":\"" + marker + "\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";

        HttpResponse<String> response = post("/webhooks/kazinfoteh", body, KAZINFOTEH_JSON);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("error").asText()).isEqualTo("payload_too_large");
        Message kept = keptRejection(marker).orElseThrow();
        assertThat(kept.getStringProperty("deadLetterReason")).isEqualTo("payload_too_large");
        assertThat(kept.getBooleanProperty("truncated")).isTrue();
        assertThat(((TextMessage) kept).getText()).hasSizeLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() throws Exception {
        byte[] big = ("{\"pad\":\"" + "y".repeat(1100 * 1024) + "\"}").getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/kazinfoteh"))
                .header("Content-Type", "application/json").header("X-API-KEY", KAZINFOTEH_KEY)
                // a publisher of unknown length: sent chunked, no Content-Length to trust
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void otherMethodsOfAnAuthenticatedCallerAre405WithAJsonError() throws Exception {
        HttpResponse<String> response = get("/webhooks/greenapi", Map.of("Authorization", "Bearer " + GREENAPI_TOKEN));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(response).path("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void aWrongContentTypeIs415AndTheBodyIsKept() throws Exception {
        String marker = "form-" + UUID.randomUUID();

        HttpResponse<String> response = post("/webhooks/greenapi", "marker=" + marker, Map.of(
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", "Bearer " + GREENAPI_TOKEN));

        assertThat(response.statusCode()).isEqualTo(415);
        Message kept = keptRejection(marker).orElseThrow();
        assertThat(kept.getStringProperty("provider")).isEqualTo("greenapi");
        assertThat(kept.getStringProperty("rejectedStatus")).isEqualTo("415");
    }

    @Test
    void malformedJsonIsKeptWithItsReason() throws Exception {
        String marker = "broken-" + UUID.randomUUID();

        HttpResponse<String> response = post("/webhooks/kazinfoteh", "{\"id\": \"" + marker + "\", ", KAZINFOTEH_JSON);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(keptRejection(marker).orElseThrow().getStringProperty("deadLetterReason")).isEqualTo("malformed_json");
    }

    @Test
    void aCallerWithoutCredentialsIsRefusedAndNothingOfItIsKept() throws Exception {
        String marker = "intruder-" + UUID.randomUUID();

        HttpResponse<String> response = post("/webhooks/kazinfoteh", "{\"pad\":\"" + marker + "x".repeat(2 * 1024 * 1024) + "\"}",
                Map.of("Content-Type", "text/plain", "X-API-KEY", "guess"));

        assertThat(response.statusCode()).as("credentials are checked before anything else").isEqualTo(401);
        assertThat(keptRejection(marker, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void anUnknownProviderPathIs404() throws Exception {
        HttpResponse<String> response = post("/webhooks/whatsapp", "{}", Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("error").asText()).isEqualTo("unknown_provider");
    }

    private Optional<Message> keptRejection(String marker) {
        return keptRejection(marker, Duration.ofSeconds(10));
    }

    /** The message on whatsapp.dlq.rejected whose body holds this marker, waiting for it up to {@code wait}. */
    private Optional<Message> keptRejection(String marker, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            Optional<Message> found = jms.browse("whatsapp.dlq.rejected", (session, browser) -> {
                for (Object each : Collections.list(browser.getEnumeration())) {
                    if (each instanceof TextMessage text && text.getText().contains(marker)) {
                        return Optional.<Message>of(text);
                    }
                }
                return Optional.<Message>empty();
            });
            if (found.isPresent()) {
                return found;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }
}
