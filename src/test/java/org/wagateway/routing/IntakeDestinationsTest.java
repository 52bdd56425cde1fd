package org.wagateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.wagateway.broker.GroupCommitSender.Send;
import org.wagateway.config.GatewayProperties;
import org.wagateway.crm.CrmLeg;
import org.wagateway.flow.ExchangeContract.Property;
import org.wagateway.media.MediaToFetch;

/** Where accept-webhook stores a message, and what each stored copy carries. */
class IntakeDestinationsTest {

    private static final String ID = "kazinfoteh:intake-1";
    private static final String JSON = "{\"id\":\"" + ID + "\"}";

    private final GatewayProperties properties = new GatewayProperties();
    private final MediaToFetch mediaToFetch = mock(MediaToFetch.class);

    private IntakeDestinations destinations(boolean crmOn) {
        if (crmOn) {
            properties.getCrm().setUrl("http://127.0.0.1:9/crm");
        }
        return new IntakeDestinations(new QueueRouter(properties), mediaToFetch, new CrmLeg(properties), properties);
    }

    @Test
    void aTextMessageGoesToItsTypeQueueAndTheCrmOutboxGroupedByItsId() {
        Exchange exchange = message("message", "text");

        destinations(true).choose(exchange);

        List<Send> sends = sends(exchange);
        assertThat(sends).extracting(Send::queue).containsExactly("whatsapp.in.text", "whatsapp.gateway.crm");
        assertThat(sends.get(0).groupId()).as("the type queue's copy is not grouped").isNull();
        assertThat(sends.get(1).groupId()).isEqualTo(ID);
        assertThat(sends).allSatisfy(send -> {
            assertThat(send.body()).isEqualTo(JSON);
            assertThat(send.correlationId()).isEqualTo(ID);
        });
        assertThat(exchange.getProperty(Property.TARGET_QUEUE)).isEqualTo("whatsapp.in.text");
        assertThat(exchange.getProperty(Property.INTAKE_OUTCOME)).isEqualTo(IntakeDestinations.DELIVERED);
    }

    @Test
    void withTheCrmLegOffOnlyTheTypeQueue() {
        Exchange exchange = message("status", "status");

        destinations(false).choose(exchange);

        assertThat(sends(exchange)).extracting(Send::queue).containsExactly("whatsapp.status");
        assertThat(exchange.getProperty(Property.INTAKE_OUTCOME)).isEqualTo(IntakeDestinations.DELIVERED);
    }

    @Test
    void aMessageWithAnAttachmentToFetchGoesToTheMediaQueueOnly() {
        Exchange exchange = message("message", "image");
        when(mediaToFetch.needsDownload(any())).thenReturn(true);

        destinations(true).choose(exchange);

        List<Send> sends = sends(exchange);
        assertThat(sends).extracting(Send::queue).containsExactly("whatsapp.gateway.media");
        assertThat(sends.get(0).groupId()).isNull();
        assertThat(exchange.getProperty(Property.TARGET_QUEUE)).isEqualTo("whatsapp.gateway.media");
        assertThat(exchange.getProperty(Property.INTAKE_OUTCOME)).isEqualTo(IntakeDestinations.MEDIA);
    }

    @Test
    void anInvalidMessageGoesToTheInvalidDeadLetterQueueOnlyWithItsReason() {
        Exchange exchange = message("message", "text");
        exchange.getMessage().setHeader("deadLetterReason", "$.kind: does not have a value in the enumeration");

        destinations(true).invalid(exchange);

        List<Send> sends = sends(exchange);
        assertThat(sends).extracting(Send::queue).containsExactly("whatsapp.dlq.invalid");
        assertThat(sends.get(0).properties()).containsEntry("deadLetterReason",
                "$.kind: does not have a value in the enumeration");
        assertThat(sends.get(0).groupId()).isNull();
        assertThat(exchange.getProperty(Property.TARGET_QUEUE)).isEqualTo("whatsapp.dlq.invalid");
        assertThat(exchange.getProperty(Property.INTAKE_OUTCOME)).isEqualTo(IntakeDestinations.INVALID);
    }

    @Test
    void theHeadersTravelAsJmsPropertiesExceptThoseJmsCannotOrMustNotCarry() {
        Exchange exchange = message("message", "text");
        exchange.getMessage().setHeader("chatId", "77001234567");
        exchange.getMessage().setHeader("attempt", 2);
        exchange.getMessage().setHeader("forwarded", true);
        exchange.getMessage().setHeader("senderId", null);
        exchange.getMessage().setHeader("JMSXGroupID", "someone-else");
        exchange.getMessage().setHeader("JMSType", "x");
        exchange.getMessage().setHeader("CamelHttpUri", "/webhooks/kazinfoteh");
        exchange.getMessage().setHeader("Content-Type", "application/json");
        exchange.getMessage().setHeader("1st", "x");
        exchange.getMessage().setHeader("payload", new Object());

        destinations(false).choose(exchange);

        assertThat(sends(exchange).get(0).properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "kind", "message", "type", "text", "chatId", "77001234567", "attempt", 2, "forwarded", true));
    }

    private static Exchange message(String kind, String type) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(JSON);
        exchange.getMessage().setHeader("JMSCorrelationID", ID);
        exchange.getMessage().setHeader("kind", kind);
        exchange.getMessage().setHeader("type", type);
        return exchange;
    }

    @SuppressWarnings("unchecked")
    private static List<Send> sends(Exchange exchange) {
        return exchange.getProperty(Property.STORE_TO, List.class);
    }
}
