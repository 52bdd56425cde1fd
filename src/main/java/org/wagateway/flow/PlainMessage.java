package org.wagateway.flow;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * A stage's first step: the message read from the broker becomes a plain Camel message with the same headers
 * and body. Every copy of a JMS-backed message (the error handler's copy before each step, the circuit breaker's,
 * the HTTP call's answer) creates a JMS message for nothing, and camel-jms throws and catches a
 * NullPointerException for each. The JMS transaction does not depend on it: the listener's session is bound to
 * the thread, not to the message.
 */
@Component("plainMessage")
public class PlainMessage {

    public void detach(Exchange exchange) {
        Message read = exchange.getMessage();
        if (!(read instanceof JmsMessage)) {
            return;
        }
        DefaultMessage plain = new DefaultMessage(exchange);
        plain.setMessageId(read.getMessageId());
        plain.getHeaders().putAll(read.getHeaders());
        plain.setBody(read.getBody());
        exchange.setMessage(plain);
    }
}
