package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * The {@code deliver} route's filter {@code when-crm-enabled}: a validated message goes to the CRM outbox only when
 * the CRM leg is on, grouped by its id. Sent straight into {@code direct:deliver}, which runs to its end before
 * the send returns.
 */
class CrmLegRouteTest extends RouteWiringTestSupport {

    @Test
    void withTheCrmLegOnAMessageIsQueuedForTheCrmGroupedByItsId() {
        when(crmLeg.isEnabled()).thenReturn(true);
        ObjectNode message = canonical("kazinfoteh/text.json");
        String id = message.get("id").asText();

        deliver(message);

        assertThat(mock("deliver-queue").getReceivedExchanges()).hasSize(1);
        assertThat(mock("queue-for-crm").getReceivedExchanges()).singleElement().satisfies(queued -> {
            assertThat(queued.getMessage().getHeader(Header.GROUP_ID)).isEqualTo(id);
            assertThat(queued.getMessage().getHeader(Header.CORRELATION_ID)).isEqualTo(id);
            assertThat(queued.getMessage().getBody(String.class)).isEqualTo(message.toString());
        });
    }

    @Test
    void withTheCrmLegOffAMessageGoesToItsQueueOnly() {
        when(crmLeg.isEnabled()).thenReturn(false);
        ObjectNode message = canonical("kazinfoteh/text.json");

        deliver(message);

        assertThat(mock("deliver-queue").getReceivedExchanges()).hasSize(1);
        assertThat(mock("queue-for-crm").getReceivedExchanges()).isEmpty();
    }

    private void deliver(ObjectNode message) {
        Exchange done = producer.send("direct:deliver", exchange -> {
            exchange.getMessage().setBody(message.toString());
            exchange.getMessage().setHeaders(Map.of(Header.CORRELATION_ID, message.get("id").asText(),
                    Header.PROVIDER, message.get("provider").asText(), Header.TYPE, message.get("type").asText()));
        });
        assertThat(done.getException()).as("delivery of %s", message.get("id")).isNull();
    }
}
