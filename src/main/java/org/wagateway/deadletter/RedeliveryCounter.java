package org.wagateway.deadletter;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;
import org.wagateway.flow.ExchangeContract.Property;

/**
 * Remembers how many attempts an exchange has had, as an exchange property: the redelivery header itself is
 * gone once a dead letter channel restores the original message, but {@link DeadLetterReasons} still needs it.
 */
@Component("redeliveryCounter")
public class RedeliveryCounter implements Processor {

    @Override
    public void process(Exchange exchange) {
        int redeliveries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        exchange.setProperty(Property.ATTEMPTS, redeliveries + 1);
    }
}
