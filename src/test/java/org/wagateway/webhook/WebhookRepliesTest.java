package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.jms.UncategorizedJmsException;
import org.wagateway.canonical.InvalidPayloadException;
import org.wagateway.ops.GatewayMetrics;

class WebhookRepliesTest {

    @Test
    void brokenJsonIsA400NamingTheParserProblem() {
        Exception parse = assertThrowsJson("{\"a\": ");

        WebhookReplies.Rejection rejection = WebhookReplies.classify(new RuntimeCamelException(parse));

        assertThat(rejection.status()).isEqualTo(400);
        assertThat(rejection.error()).isEqualTo("malformed_json");
        assertThat(rejection.message()).contains("end-of-input");
    }

    @Test
    void aRouteRefusalHasTheFrontDoorsBodyByteForByte() throws Exception {
        WebhookReplies replies = new WebhookReplies(new ObjectMapper(),
                new GatewayMetrics(new SimpleMeterRegistry(), null), null, null);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        String message = "Missing\tor \"wrong\"\ncredentials \\ here";
        exchange.setProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, new WebhookException(401, "unauthorized", message));

        replies.rejected(exchange);

        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo(RejectionJson.text("unauthorized", message));
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(new ObjectMapper().readTree(exchange.getMessage().getBody(String.class)).path("message").asText())
                .isEqualTo(message);
    }

    @Test
    void aWebhookExceptionKeepsItsStatus() {
        assertThat(WebhookReplies.classify(new WebhookException(401, "unauthorized", "no")).status()).isEqualTo(401);
    }

    @Test
    void aBodyNoMapperCanReadIsA400() {
        assertThat(WebhookReplies.classify(new InvalidPayloadException("array")).error()).isEqualTo("invalid_payload");
    }

    @Test
    void aStoreOutOfSpaceIsA503InsufficientStorage() {
        WebhookReplies.Rejection rejection = WebhookReplies.classify(new RuntimeCamelException(
                new org.springframework.jms.ResourceAllocationException(
                        new jakarta.jms.ResourceAllocationException("Persistent store is Full"))));

        assertThat(rejection.status()).isEqualTo(503);
        assertThat(rejection.error()).isEqualTo("insufficient_storage");
    }

    @Test
    void aFullDiskUnderTheBrokerIsA503InsufficientStorage() {
        jakarta.jms.JMSException send = new jakarta.jms.JMSException("store write failed");
        send.initCause(new java.io.IOException("No space left on device"));

        assertThat(WebhookReplies.classify(new RuntimeCamelException(send)).error()).isEqualTo("insufficient_storage");
    }

    @Test
    void anIdStoreFailureIsA503SoTheProviderRetries() {
        WebhookReplies.Rejection rejection = WebhookReplies.classify(new RuntimeCamelException(
                new org.springframework.jdbc.UncategorizedSQLException("insert", "INSERT",
                        new java.sql.SQLException("The database has been closed", "90098", 90098))));

        assertThat(rejection.status()).isEqualTo(503);
        assertThat(rejection.error()).isEqualTo("storage_unavailable");
    }

    @Test
    void aBrokerFailureIsA503SoTheProviderRetries() {
        WebhookReplies.Rejection rejection = WebhookReplies.classify(
                new RuntimeCamelException(new UncategorizedJmsException("broker down")));

        assertThat(rejection.status()).isEqualTo(503);
        assertThat(rejection.error()).isEqualTo("broker_unavailable");
    }

    @Test
    void anythingElseIsA500WithoutInternals() {
        WebhookReplies.Rejection rejection = WebhookReplies.classify(new IllegalStateException("secret detail"));

        assertThat(rejection.status()).isEqualTo(500);
        assertThat(rejection.message()).doesNotContain("secret detail");
    }

    private static Exception assertThrowsJson(String json) {
        try {
            new ObjectMapper().readTree(json);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected a parse failure");
    }
}
