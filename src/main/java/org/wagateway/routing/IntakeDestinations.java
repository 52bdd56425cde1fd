package org.wagateway.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.wagateway.broker.GroupCommitSender.Send;
import org.wagateway.config.GatewayProperties;
import org.wagateway.crm.CrmLeg;
import org.wagateway.flow.ExchangeContract.Header;
import org.wagateway.flow.ExchangeContract.Property;
import org.wagateway.media.MediaToFetch;

/**
 * Where accept-webhook stores a message, all in one commit: a message with an attachment to fetch on the media
 * queue (downloads never hold up text); every other one on the queue its type is routed to and, when the CRM leg
 * is on, on the CRM outbox, grouped by its id (copies of one message reach one CRM consumer one after the other);
 * a message failing the canonical schema on the invalid dead-letter queue only. Each copy carries the message's
 * headers as JMS properties.
 */
@Component("intakeDestinations")
public class IntakeDestinations {

    /** {@value Property#INTAKE_OUTCOME}: on its type queue and the CRM outbox. */
    public static final String DELIVERED = "delivered";
    /** {@value Property#INTAKE_OUTCOME}: on the media queue. */
    public static final String MEDIA = "media";
    /** {@value Property#INTAKE_OUTCOME}: on the invalid dead-letter queue. */
    public static final String INVALID = "invalid";

    private final QueueRouter queueRouter;
    private final MediaToFetch mediaToFetch;
    private final CrmLeg crmLeg;
    private final GatewayProperties.Queues queues;

    public IntakeDestinations(QueueRouter queueRouter, MediaToFetch mediaToFetch, CrmLeg crmLeg,
                              GatewayProperties properties) {
        this.queueRouter = queueRouter;
        this.mediaToFetch = mediaToFetch;
        this.crmLeg = crmLeg;
        this.queues = properties.getQueues();
    }

    /** A valid message: the media queue, or its type queue and the CRM outbox. */
    public void choose(Exchange exchange) {
        Message message = exchange.getMessage();
        if (mediaToFetch.needsDownload(exchange)) {
            record(exchange, queues.getMedia(), MEDIA, copies(message, queues.getMedia(), null));
            return;
        }
        String queue = queueRouter.queueFor(message.getHeader(Header.KIND, String.class),
                message.getHeader(Header.TYPE, String.class));
        record(exchange, queue, DELIVERED, copies(message, queue, crmLeg.isEnabled() ? queues.getCrmOutbox() : null));
    }

    /** A message failing the canonical schema (its dead-letter headers already set): the invalid dead-letter queue. */
    public void invalid(Exchange exchange) {
        String queue = queues.getDlqInvalid();
        record(exchange, queue, INVALID, copies(exchange.getMessage(), queue, null));
    }

    private static void record(Exchange exchange, String queue, String outcome, List<Send> sends) {
        exchange.setProperty(Property.TARGET_QUEUE, queue);
        exchange.setProperty(Property.INTAKE_OUTCOME, outcome);
        exchange.setProperty(Property.STORE_TO, sends);
    }

    /**
     * The message on its queue and, when given, on the CRM outbox too, grouped by its id: one body and one set of
     * properties for both copies.
     */
    private static List<Send> copies(Message message, String queue, String crmOutbox) {
        String id = message.getHeader(Header.CORRELATION_ID, String.class);
        String body = message.getBody(String.class);
        Map<String, Object> properties = Collections.unmodifiableMap(jmsProperties(message));
        Send onQueue = new Send(queue, body, properties, id, null);
        return crmOutbox == null ? List.of(onQueue) : List.of(onQueue, new Send(crmOutbox, body, properties, id, id));
    }

    /** The headers a JMS property can carry: named as a Java identifier, not JMS's or Camel's own, with a value. */
    static Map<String, Object> jmsProperties(Message message) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            String name = header.getKey();
            Object value = header.getValue();
            if (value == null || name.startsWith("JMS") || name.startsWith("Camel") || !isIdentifier(name)
                    || !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                continue;
            }
            properties.put(name, value);
        }
        return properties;
    }

    private static boolean isIdentifier(String name) {
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
