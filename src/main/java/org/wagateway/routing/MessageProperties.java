package org.wagateway.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.flow.ExchangeContract.Header;
import org.wagateway.flow.ExchangeContract.Property;

/**
 * The JMS properties every canonical message travels with, so consumers can select without parsing the body:
 * {@code JMSCorrelationID} (the canonical id), {@code provider}, {@code kind}, {@code type}, {@code chatId},
 * {@code senderId}. Set in one step (not one simple expression each: this is the hottest path of all).
 */
@Component("messageProperties")
public class MessageProperties {

    public void apply(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        CanonicalMessage canonical = exchange.getMessage().getMandatoryBody(CanonicalMessage.class);
        exchange.setProperty(Property.CANONICAL_ID, canonical.getId());
        Message message = exchange.getMessage();
        message.setHeader(Header.CORRELATION_ID, canonical.getId());
        message.setHeader(Header.PROVIDER, canonical.getProvider());
        message.setHeader(Header.KIND, canonical.getKind() == null ? null : canonical.getKind().toString());
        message.setHeader(Header.TYPE, canonical.getType() == null ? null : canonical.getType().toString());
        message.setHeader(Header.CHAT_ID, canonical.getChatId());
        message.setHeader(Header.SENDER_ID, canonical.getSenderId());
    }
}
