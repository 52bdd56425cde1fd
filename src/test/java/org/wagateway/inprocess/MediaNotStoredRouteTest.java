package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.idempotency.ProviderRetries;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * The {@code fetch-media} route's filter {@code when-media-not-stored}: an attachment the media step did not store
 * sends a copy of the message to the media dead-letter queue and lets the provider's retry of its webhook through
 * again; every message is delivered either way. The download is a mock that sets {@code mediaStatus} as the media
 * step does; the message is sent straight into the route, which runs to its end before the send returns.
 */
class MediaNotStoredRouteTest extends RouteWiringTestSupport {

    @Autowired
    private ProviderRetries providerRetries;

    @ParameterizedTest(name = "mediaStatus {0}")
    @ValueSource(strings = {"failed", "too_large", "refused"})
    void anAttachmentNotStoredIsCopiedToTheMediaDeadLetterQueueAndItsWebhookMayComeAgain(String status) {
        ObjectNode message = canonical("kazinfoteh/image.json");
        String id = message.get("id").asText();
        mock("download-media").whenAnyExchangeReceived(download -> download.getMessage()
                .setHeader(Header.MEDIA_STATUS, status));

        fetchMedia(message);

        assertThat(mock("copy-to-media-dlq").getReceivedExchanges()).singleElement()
                .satisfies(copy -> assertThat(copy.getMessage().getHeader(Header.CORRELATION_ID)).isEqualTo(id));
        assertThat(providerRetries.wanted(id)).as("a retry of the webhook of %s is let through", id).isTrue();
        assertThat(mock("deliver-message-with-media").getReceivedExchanges()).hasSize(1);
    }

    @Test
    void aStoredAttachmentIsDeliveredWithoutACopy() {
        ObjectNode message = canonical("kazinfoteh/image.json");
        String id = message.get("id").asText();
        mock("download-media").whenAnyExchangeReceived(download -> download.getMessage()
                .setHeader(Header.MEDIA_STATUS, "stored"));

        fetchMedia(message);

        assertThat(mock("copy-to-media-dlq").getReceivedExchanges()).isEmpty();
        assertThat(providerRetries.wanted(id)).isFalse();
        assertThat(mock("deliver-message-with-media").getReceivedExchanges()).singleElement()
                .satisfies(delivered -> assertThat(delivered.getMessage().getHeader(Header.MEDIA_STATUS))
                        .isEqualTo("stored"));
    }

    @Test
    void aMessageTheMediaStepLeftWithoutAStatusIsDeliveredWithoutACopy() {
        ObjectNode message = canonical("kazinfoteh/image.json");
        String id = message.get("id").asText();
        mock("download-media").whenAnyExchangeReceived(download -> { });

        fetchMedia(message);

        assertThat(mock("copy-to-media-dlq").getReceivedExchanges()).isEmpty();
        assertThat(providerRetries.wanted(id)).isFalse();
        assertThat(mock("deliver-message-with-media").getReceivedExchanges()).hasSize(1);
    }

    private void fetchMedia(ObjectNode message) {
        Exchange done = producer.send("direct:fetch-media", exchange -> {
            exchange.getMessage().setBody(message.toString());
            exchange.getMessage().setHeaders(Map.of(Header.CORRELATION_ID, message.get("id").asText(),
                    Header.PROVIDER, message.get("provider").asText(), Header.TYPE, message.get("type").asText()));
        });
        assertThat(done.getException()).as("media step of %s", message.get("id")).isNull();
    }
}
