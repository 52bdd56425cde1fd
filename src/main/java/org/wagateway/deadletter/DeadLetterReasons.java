package org.wagateway.deadletter;

import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.stereotype.Component;
import org.wagateway.ops.GatewayMetrics;
import org.wagateway.flow.ExchangeContract.Header;
import org.wagateway.flow.ExchangeContract.Property;

/**
 * Says on a dead letter why it is there, as JMS string properties ops see in Hawtio and replay tools can
 * select on: {@code deadLetterReason}, {@code deadLetterRoute}, {@code deadLetterAttempts},
 * {@code deadLetterAt} and, for an HTTP failure, {@code deadLetterHttpStatus} and {@code deadLetterHttpBody}.
 */
@Component("deadLetterReasons")
public class DeadLetterReasons implements Processor {

    static final int MAX_TEXT = 2_000;

    private final GatewayMetrics metrics;

    public DeadLetterReasons(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        // a step that wraps what it calls (the CRM's circuit breaker) hands on the HTTP failure as a cause
        HttpOperationFailedException httpFailure = null;
        for (Throwable t = failure; t != null && httpFailure == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                httpFailure = http;
            }
        }
        if (httpFailure != null) {
            failure = httpFailure;
        }
        Message message = exchange.getMessage();
        message.setHeader(Header.DEAD_LETTER_REASON, failure == null ? "unknown"
                : truncate(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (route == null) {
            route = exchange.getFromRouteId();
        }
        message.setHeader(Header.DEAD_LETTER_ROUTE, route);
        metrics.deadLettered(route);
        message.setHeader(Header.DEAD_LETTER_ATTEMPTS,
                String.valueOf(exchange.getProperty(Property.ATTEMPTS, 1, Integer.class)));
        message.setHeader(Header.DEAD_LETTER_AT, Instant.now().toString());
        if (failure instanceof HttpOperationFailedException http) {
            message.setHeader(Header.DEAD_LETTER_HTTP_STATUS, String.valueOf(http.getStatusCode()));
            message.setHeader(Header.DEAD_LETTER_HTTP_BODY, truncate(http.getResponseBody()));
        }
    }

    private static String truncate(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
