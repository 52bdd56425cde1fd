package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/kazinfoteh", "/webhooks/greenapi", "/webhooks/meta", "/webhooks/x-1"})
    void thePlainSpellingNamesItsProvider(String path) {
        WebhookPath webhook = WebhookPath.of(path);

        assertThat(webhook.kind()).isEqualTo(WebhookPath.Kind.WEBHOOK);
        assertThat(webhook.provider()).isEqualTo(path.substring("/webhooks/".length()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/%77ebhooks/kazinfoteh", "/webhooks/%6bazinfoteh", "/w%65bhooks/greenapi", "/%57%45%42hooks/x",
            "/webhooks%2Fkazinfoteh", "/webhooks/%2e/kazinfoteh", "/%2e/webhooks/kazinfoteh", "/webhooks%00/greenapi",
            "/webhooks/../webhooks/kazinfoteh", "/x/../webhooks/greenapi", "/x/%2e%2e/webhooks/greenapi",
            "/webhooks/./kazinfoteh", "//webhooks/kazinfoteh", "/webhooks//greenapi", "/./webhooks/kazinfoteh",
            "/webhooks;x=1/kazinfoteh", "/webhooks/kazinfoteh;x=1", "/webhooks;/greenapi", "/webhooks%3bx/greenapi",
            "/webhooks/kazinfoteh/", "/webhooks/", "/webhooks", "/webhooks/a/b",
            "/WEBHOOKS/kazinfoteh", "/webhooks/KAZINFOTEH", "/Webhooks/greenapi", "\\webhooks\\kazinfoteh",
            "/webhooks/kazinfoteh%20", "/%20webhooks/kazinfoteh", "/webhooks/-x"})
    void everyOtherSpellingOnWebhookGroundIsMisspelt(String path) {
        assertThat(WebhookPath.of(path).isMisspelt()).as(path).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/actuator/health", "/media/abc", "/webhooksx/kazinfoteh", "/x/webhooks/kazinfoteh",
            "/webhooks/../actuator/health", "/%77ebhooks/../actuator", "/%zz/webhooks", "/webhook/kazinfoteh"})
    void otherPathsAreNotWebhooks(String path) {
        assertThat(WebhookPath.of(path).kind()).as(path).isEqualTo(WebhookPath.Kind.OTHER);
    }

    @Test
    void onlyKnownProvidersAreMetricsTags() {
        assertThat(WebhookPath.of("/webhooks/greenapi").metricsTag()).isEqualTo("greenapi");
        assertThat(WebhookPath.of("/webhooks/anything-a-caller-likes").metricsTag()).isEqualTo("unknown");
        assertThat(WebhookPath.of("/WEBHOOKS/greenapi").metricsTag()).isEqualTo("unknown");
    }
}
