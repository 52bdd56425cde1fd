package org.wagateway.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * Keeps what the webhooks refused for its shape (too large, not JSON, not UTF-8, wrong method, malformed) on
 * {@code whatsapp.dlq.rejected}: the first {@value #MAX_KEPT_BYTES} bytes of the body as text, and the reason as
 * string properties ({@code deadLetterReason}, {@code rejectedStatus}, {@code provider}, …). Requests without the
 * provider's credentials are never kept. Failing to keep a copy never changes the answer.
 */
@Component("rejectedWebhooks")
public class RejectedWebhooks {

    public static final int MAX_KEPT_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RejectedWebhooks.class);

    private final JmsTemplate jms;
    private final String queue;

    public RejectedWebhooks(JmsTemplate jms, GatewayProperties properties) {
        this.jms = jms;
        this.queue = properties.getQueues().getDlqRejected();
    }

    public void keep(Map<String, String> reason, byte[] body, boolean truncated) {
        byte[] kept = body.length > MAX_KEPT_BYTES ? Arrays.copyOf(body, MAX_KEPT_BYTES) : body;
        try {
            jms.convertAndSend(queue, new String(kept, StandardCharsets.UTF_8), message -> {
                reason.forEach((name, value) -> setProperty(message, name, value));
                setProperty(message, Header.DEAD_LETTER_REASON, reason.get("error"));
                setProperty(message, "rejectedStatus", reason.get("status"));
                setProperty(message, Header.DEAD_LETTER_AT, Instant.now().toString());
                message.setBooleanProperty("truncated", truncated || body.length > MAX_KEPT_BYTES);
                return message;
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not keep a rejected webhook on {}: {}", queue, e.getMessage());
        }
    }

    private static void setProperty(jakarta.jms.Message message, String name, String value) {
        try {
            message.setStringProperty(name, value);
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
