package org.wagateway.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import org.apache.camel.ExchangeProperty;
import org.wagateway.flow.CanonicalJson;
import org.wagateway.flow.ExchangeContract;
import org.wagateway.flow.ExchangeContract.Property;

/**
 * The gateway's own business metrics, next to Camel's route metrics (all under {@code /actuator/prometheus}):
 * <ul>
 *   <li>{@code gateway_webhooks_accepted_total{provider,type}}: webhooks stored in the broker (2xx)</li>
 *   <li>{@code gateway_webhooks_duplicate_total{provider}}: provider retries answered without storing again</li>
 *   <li>{@code gateway_webhooks_rejected_total{provider,status,error}}: webhooks refused (4xx/5xx)</li>
 *   <li>{@code gateway_messages_delivered_total{provider,type,queue}}: canonical messages put on their queue</li>
 *   <li>{@code gateway_crm_delivered_total{provider,type}}: messages the CRM took (2xx)</li>
 *   <li>{@code gateway_crm_failures_total{provider,reason,status_class,outcome}}: failed CRM attempts (outcome
 *   {@code retry} or {@code dead-letter}), {@code gateway_crm_latency_seconds{provider,type}}: time of each successful POST,
 *   {@code gateway_crm_circuit_state}: 0 closed, 1 open, 2 half-open</li>
 *   <li>{@code gateway_dead_letters_total{route}}: decisions to dead-letter, by the route that gave up; counted before
 *   the broker commits the move (no hook runs after a listener's local commit), so a move rolled back in a failover
 *   counts again on its redelivery</li>
 * </ul>
 * Media bytes and outcomes are counted where they happen ({@code gateway_media_*}), DLQ depth is a gauge
 * ({@code gateway_dlq_depth{queue}}).
 */
@Component("gatewayMetrics")
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final CanonicalJson canonicalJson;

    public GatewayMetrics(MeterRegistry registry, CanonicalJson canonicalJson) {
        this.registry = registry;
        this.canonicalJson = canonicalJson;
    }

    public void webhookAccepted(@Header(ExchangeContract.Header.PROVIDER) String provider, @Header(ExchangeContract.Header.TYPE) String type) {
        registry.counter("gateway.webhooks.accepted", "provider", tag(provider), "type", tag(type)).increment();
    }

    public void webhookDuplicate(@Header(ExchangeContract.Header.PROVIDER) String provider) {
        registry.counter("gateway.webhooks.duplicate", "provider", tag(provider)).increment();
    }

    public void webhookRejected(String provider, int status, String error) {
        registry.counter("gateway.webhooks.rejected", "provider", tag(provider), "status", String.valueOf(status),
                "error", tag(error)).increment();
    }

    public void messageDelivered(@Header(ExchangeContract.Header.PROVIDER) String provider, @Header(ExchangeContract.Header.TYPE) String type,
                                 @ExchangeProperty(Property.TARGET_QUEUE) String queue) {
        registry.counter("gateway.messages.delivered", "provider", tag(provider), "type", tag(type),
                "queue", tag(queue)).increment();
    }

    /** A POST to the CRM begins: its time runs until {@link #crmDelivered}. */
    public void crmPostStarting(Exchange exchange) {
        exchange.setProperty(Property.CRM_POST_SAMPLE, Timer.start(registry));
    }

    /** The CRM took the message (2xx): counted, and the time since {@link #crmPostStarting} recorded. */
    public void crmDelivered(Exchange exchange) {
        String provider = tag(exchange.getProperty(Property.PROVIDER, String.class));
        String type = tag(exchange.getProperty(Property.TYPE, String.class));
        registry.counter("gateway.crm.delivered", "provider", provider, "type", type).increment();
        Timer.Sample sample = exchange.getProperty(Property.CRM_POST_SAMPLE, Timer.Sample.class);
        if (sample != null) {
            sample.stop(registry.timer("gateway.crm.latency", "provider", provider, "type", type));
            exchange.removeProperty(Property.CRM_POST_SAMPLE);
        }
    }

    /**
     * A failed CRM attempt, by reason ({@code http-503}, {@code SocketTimeoutException}, {@code circuit-open}, ...),
     * the class of the CRM's answer ({@code 4xx}, {@code 5xx}, {@code none} when it gave none) and the outcome:
     * {@code retry} (scheduled again) or {@code dead-letter} (given up).
     */
    public void crmFailed(String provider, String reason, boolean retry) {
        registry.counter("gateway.crm.failures", "provider", tag(provider), "reason", tag(reason),
                "status_class", statusClass(reason), "outcome", retry ? "retry" : "dead-letter").increment();
    }

    /** {@code http-503} → {@code 5xx}; a reason without an HTTP status (timeout, refused connection) → none. */
    static String statusClass(String reason) {
        if (reason != null && reason.length() == 8 && reason.startsWith("http-")
                && Character.isDigit(reason.charAt(5))) {
            return reason.charAt(5) + "xx";
        }
        return "none";
    }

    /** After the media step: the outcome by status, and the bytes stored (read from the stage's parsed tree). */
    public void mediaFetched(Exchange exchange) {
        String status = exchange.getMessage().getHeader(ExchangeContract.Header.MEDIA_STATUS, String.class);
        if (status == null) {
            return;
        }
        registry.counter("gateway.media.downloads", "status", status).increment();
        if ("stored".equals(status)) {
            try {
                JsonNode tree = canonicalJson.tree(exchange);
                registry.summary("gateway.media.bytes").record(tree == null ? 0 : tree.at("/media/size").asLong(0));
            } catch (JsonProcessingException e) {
                // the message goes on; only its size is not counted
            }
        }
    }

    public void deadLettered(String route) {
        registry.counter("gateway.dead.letters", "route", tag(route)).increment();
    }

    private static String tag(String value) {
        return value == null || value.isBlank() ? "none" : value;
    }
}
