package org.wagateway.inprocess;

import org.springframework.jms.core.JmsTemplate;

/** A canonical text message put on the ingest queue the way a replay from whatsapp.dlq.dispatch puts it there. */
final class IngestReplays {

    private IngestReplays() {
    }

    static void putText(JmsTemplate jms, String queue, String id, String provider, String providerMessageId) {
        jms.convertAndSend(queue, "{\"schemaVersion\":1,\"id\":\"" + id + "\",\"provider\":\"" + provider
                + "\",\"providerMessageId\":\"" + providerMessageId + "\",\"kind\":\"message\",\"type\":\"text\","
                + "\"direction\":\"inbound\",\"receivedAt\":\"2024-08-06T10:13:10Z\",\"raw\":{}}",
                message -> {
                    message.setJMSCorrelationID(id);
                    message.setStringProperty("kind", "message");
                    message.setStringProperty("type", "text");
                    return message;
                });
    }
}
