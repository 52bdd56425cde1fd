package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The gateway checks its own output: a canonical message that breaks the schema is kept aside, never sent on. */
class InvalidCanonicalMessageTest extends GatewayTestSupport {

    @Test
    void aMessageFailingTheSchemaGoesToTheInvalidQueueWithTheReason() throws Exception {
        String id = "kazinfoteh:" + UUID.randomUUID();
        // what a broken mapper might produce: a kind outside the closed list, no receivedAt
        String broken = "{\"schemaVersion\":1,\"id\":\"" + id + "\",\"provider\":\"kazinfoteh\",\"providerMessageId\":\"x\","
                + "\"kind\":\"gossip\",\"type\":\"text\",\"raw\":{}}";

        jms.convertAndSend("whatsapp.gateway.ingest", broken, message -> {
            message.setJMSCorrelationID(id);
            message.setStringProperty("kind", "gossip");
            message.setStringProperty("type", "text");
            return message;
        });
        Message dead = receive("whatsapp.dlq.invalid", id, Duration.ofSeconds(20));

        assertThat(dead).as("message on whatsapp.dlq.invalid").isNotNull();
        assertThat(((jakarta.jms.TextMessage) dead).getText()).isEqualTo(broken);
        assertThat(dead.getStringProperty("deadLetterReason")).contains("kind").contains("receivedAt");
        assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(1))).isNull();
        assertThat(crmRequests(id)).isEmpty();
    }
}
