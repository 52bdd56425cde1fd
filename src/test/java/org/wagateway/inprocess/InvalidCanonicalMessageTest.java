package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/**
 * The gateway checks its own output: a canonical message that breaks the schema is kept aside, never sent on,
 * whether a webhook's mapping produced it (checked at intake) or another system put it on the ingest queue.
 */
class InvalidCanonicalMessageTest extends GatewayTestSupport {

    @Test
    void aWebhookMappedToAnInvalidMessageIsAnswered200AndKeptOnTheInvalidQueueOnly() throws Exception {
        // a time with an offset that the mapper reads faithfully, but whose UTC instant falls in the year 10000:
        // written as "+10000-01-01T04:59:59Z", outside the schema's receivedAt
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        sample.put("receivedAt", "9999-12-31T23:59:59-05:00");
        String id = "kazinfoteh:" + sample.get("id").asText();
        ObjectNode control = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String controlId = "kazinfoteh:" + control.get("id").asText();

        HttpResponse<String> response = postKazinfoteh(sample);
        assertThat(response.statusCode()).as("a retry would not mend it").isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("accepted");
        assertThat(json(response).path("id").asText()).isEqualTo(id);
        assertThat(postKazinfoteh(control).statusCode()).isEqualTo(200);

        Message dead = receive("whatsapp.dlq.invalid", id, Duration.ofSeconds(20));
        assertThat(dead).as("message on whatsapp.dlq.invalid").isNotNull();
        assertThat(body(dead).path("receivedAt").asText()).isEqualTo("+10000-01-01T04:59:59Z");
        assertThat(body(dead).path("raw")).isEqualTo(sample);
        assertThat(dead.getStringProperty("deadLetterReason")).contains("receivedAt");
        assertThat(dead.getStringProperty("deadLetterRoute")).isEqualTo("accept-webhook");
        assertThat(dead.getStringProperty("type")).isEqualTo("text");
        // the valid message sent after it has gone all the way: the invalid one would have by now
        crmRequestFor(controlId);
        assertThat(receive("whatsapp.in.text", controlId, Duration.ofSeconds(20))).isNotNull();
        assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(1))).as("on its type queue").isNull();
        assertThat(receive("whatsapp.gateway.crm", id, Duration.ofSeconds(1))).as("on the CRM outbox").isNull();
        assertThat(crmRequests(id)).as("POSTed to the CRM").isEmpty();
    }

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
