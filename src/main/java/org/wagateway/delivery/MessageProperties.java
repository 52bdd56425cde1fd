package org.wagateway.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;

/**
 * The JMS properties every canonical message travels with, so consumers can select without parsing the body:
 * {@code JMSCorrelationID} (the canonical id), {@code provider}, {@code kind}, {@code type}, {@code chatId},
 * {@code senderId}. Set in one step (not one simple expression each: this is the hottest path of all).
 */
@Component("messageProperties")
public class MessageProperties {

    /** Exchange property the routes read the canonical id from. */
    public static final String CANONICAL_ID = "canonicalId";

    public void apply(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        CanonicalMessage canonical = exchange.getMessage().getMandatoryBody(CanonicalMessage.class);
        exchange.setProperty(CANONICAL_ID, canonical.getId());
        Message message = exchange.getMessage();
        message.setHeader("JMSCorrelationID", canonical.getId());
        message.setHeader("provider", canonical.getProvider());
        message.setHeader("kind", canonical.getKind() == null ? null : canonical.getKind().toString());
        message.setHeader("type", canonical.getType() == null ? null : canonical.getType().toString());
        message.setHeader("chatId", canonical.getChatId());
        message.setHeader("senderId", canonical.getSenderId());
    }
}
