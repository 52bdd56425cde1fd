package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import org.springframework.jms.UncategorizedJmsException;
import org.wagateway.canonical.InvalidPayloadException;

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
    void aWebhookExceptionKeepsItsStatus() {
        assertThat(WebhookReplies.classify(new WebhookException(401, "unauthorized", "no")).status()).isEqualTo(401);
    }

    @Test
    void aBodyNoMapperCanReadIsA400() {
        assertThat(WebhookReplies.classify(new InvalidPayloadException("array")).error()).isEqualTo("invalid_payload");
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
