package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.activemq.broker.BrokerService;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsMessageType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.wagateway.Fixtures;

/**
 * The JMS options every send of the gateway needs are set once, on the components ({@code camel.component.jms.*},
 * which Camel applies to every JmsComponent, {@code jmsOwnSession} and {@code jmsStage} too), not repeated on each
 * endpoint: persistent text messages, never a wait for a JMS reply.
 */
class JmsEndpointDefaultsTest extends GatewayTestSupport {

    private static final Pattern REPEATED_OPTION =
            Pattern.compile("jmsMessageType|deliveryPersistent|exchangePattern|disableReplyTo");

    @Autowired
    CamelContext camel;

    @Autowired
    BrokerService broker;

    @Test
    void everyJmsComponentSendsPersistentTextWithoutWaitingForAReply() {
        for (String name : List.of("jms", "jmsOwnSession", "jmsStage")) {
            JmsComponent component = camel.getComponent(name, JmsComponent.class);
            assertThat(component.getConfiguration().getJmsMessageType()).as(name).isEqualTo(JmsMessageType.Text);
            assertThat(component.getConfiguration().isDeliveryPersistent()).as(name).isTrue();
            assertThat(component.getConfiguration().isDisableReplyTo()).as(name).isTrue();
        }
    }

    @Test
    void noRouteFileRepeatsTheComponentsOptions() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                assertThat(REPEATED_OPTION.matcher(Files.readString(file)).find()).as(file.toString()).isFalse();
            }
        }
    }

    @Test
    void aWebhookTravelsAsPersistentTextWithNoReplyQueue() throws Exception {
        ObjectNode webhook = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + webhook.get("idMessage").asText();
        // an exchange that came in over HTTP is request-reply; its sends must not wait for a JMS answer
        assertThat(postGreenApi(webhook).statusCode()).isEqualTo(200);
        Message delivered = receive("whatsapp.in.text", id, Duration.ofSeconds(20));
        assertThat(delivered).isInstanceOf(TextMessage.class);
        assertThat(delivered.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(delivered.getJMSReplyTo()).isNull();
        assertThat(body(delivered).path("id").asText()).isEqualTo(id);
        // the deliver step's static endpoint names a placeholder queue: no message ever makes the broker create it
        assertThat(Stream.of(broker.getBroker().getDestinations()).map(d -> d.getPhysicalName()))
                .isNotEmpty().noneMatch(name -> name.startsWith("placeholder"));
    }
}
