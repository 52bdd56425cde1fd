package org.wagateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.NoTypeConversionAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.canonical.InvalidPayloadException;
import org.wagateway.ops.GatewayMetrics;
import org.wagateway.storage.DiskSpaceGuard;
import org.wagateway.storage.InsufficientStorageException;
import org.wagateway.flow.ExchangeContract;
import org.wagateway.flow.ExchangeContract.RouteId;

/**
 * The webhook's answers to the provider: a small JSON body and a status; a refusal's body is
 * {@link RejectionJson}'s, as at the front door. Every answer first drops the exchange's headers, so nothing
 * internal (or the provider's own secret) is echoed as a response header.
 */
@Component("webhookReplies")
public class WebhookReplies {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReplies.class);

    private final ObjectMapper objectMapper;
    private final GatewayMetrics metrics;
    private final RejectedWebhooks rejectedWebhooks;
    private final DiskSpaceGuard disk;

    public WebhookReplies(ObjectMapper objectMapper, GatewayMetrics metrics, RejectedWebhooks rejectedWebhooks,
                          DiskSpaceGuard disk) {
        this.objectMapper = objectMapper;
        this.metrics = metrics;
        this.rejectedWebhooks = rejectedWebhooks;
        this.disk = disk;
    }

    /** 200 once the broker holds the message: {@code {"status":"accepted","id":"<canonical id>"}}. */
    public void accepted(Exchange exchange) throws JsonProcessingException {
        String id = exchange.getProperty(ExchangeContract.Property.CANONICAL_ID, String.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "accepted");
        body.put("id", id);
        reply(exchange.getMessage(), 200, body);
    }

    /**
     * 200 once the broker holds every message of a provider's batch (each stored, or skipped as one already
     * stored): {@code {"status":"accepted","ids":["<canonical id>", ...]}}, in the batch's order.
     */
    public void acceptedBatch(Exchange exchange) throws JsonProcessingException {
        List<String> ids = new ArrayList<>();
        for (Object part : exchange.getMessage().getBody(List.class)) {
            ids.add(((CanonicalMessage) part).getId());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "accepted");
        body.put("ids", ids);
        reply(exchange.getMessage(), 200, body);
    }

    /** The answer to a failed webhook, chosen by what went wrong. */
    public void rejected(Exchange exchange) throws JsonProcessingException {
        Throwable failure = exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
        Rejection rejection = classify(failure);
        if (rejection.status >= 500 && rejection.status != 503) {
            LOG.error("Webhook {} failed: {}", exchange.getFromRouteId(), rejection.error, failure);
        } else {
            LOG.info("Webhook {} rejected with {}: {}", exchange.getFromRouteId(), rejection.status, rejection.error);
        }
        String provider = provider(exchange.getFromRouteId());
        metrics.webhookRejected(provider, rejection.status, rejection.error);
        if (rejection.status == 400) {
            // the provider's own body that we could not read: kept for ops to see (authenticated callers only)
            String body = exchange.getMessage().getBody(String.class);
            rejectedWebhooks.keep(Map.of("provider", String.valueOf(provider), "method", "POST", "status", "400",
                    "error", rejection.error, "contentType", "application/json"),
                    body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        }
        reply(exchange.getMessage(), rejection.status, RejectionJson.text(rejection.error, rejection.message));
        if (rejection.status == 503) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(disk.retryAfterSeconds()));
        }
    }

    /** {@code kazinfoteh-webhook} → {@code kazinfoteh}. */
    static String provider(String routeId) {
        return routeId != null && routeId.endsWith(RouteId.WEBHOOK_SUFFIX)
                ? routeId.substring(0, routeId.length() - RouteId.WEBHOOK_SUFFIX.length()) : routeId;
    }

    static Rejection classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WebhookException e) {
                return new Rejection(e.status(), e.error(), e.getMessage());
            }
            if (cause instanceof InvalidPayloadException e) {
                return new Rejection(400, "invalid_payload", e.getMessage());
            }
            if (cause instanceof NoTypeConversionAvailableException e && e.getValue() == null) {
                // the JSON reader was handed no body at all
                return new Rejection(400, "empty_body", "The body is empty; a JSON object is expected");
            }
            if (cause instanceof StreamReadException || cause instanceof MismatchedInputException
                    || cause instanceof StreamConstraintsException) {
                // not JSON, cut short, or past the parser's limits (nesting depth, number or string length)
                JsonProcessingException e = (JsonProcessingException) cause;
                return new Rejection(400, "malformed_json", "The body is not valid JSON: " + e.getOriginalMessage());
            }
            if (cause instanceof java.io.CharConversionException) {
                return new Rejection(400, "malformed_json", "The body is not valid UTF-8 JSON");
            }
            if (InsufficientStorageException.isOutOfSpace(cause)) {
                // the broker's store is at its limit (or the disk is full): it refused at once, nothing was kept
                return new Rejection(503, "insufficient_storage",
                        "The gateway is low on disk space; nothing was accepted, please retry");
            }
            if (cause instanceof java.sql.SQLException || cause instanceof org.springframework.dao.DataAccessException) {
                // the id store could not record the webhook (its disk full, its database reopening): retry later
                return new Rejection(503, "storage_unavailable",
                        "The message could not be recorded; please retry");
            }
            if (cause instanceof jakarta.jms.JMSException || cause instanceof org.springframework.jms.JmsException) {
                return new Rejection(503, "broker_unavailable",
                        "The message could not be stored; nothing was accepted, please retry");
            }
        }
        return new Rejection(500, "internal_error", "The message could not be accepted; please retry");
    }

    private void reply(Message message, int status, Map<String, ?> body) throws JsonProcessingException {
        reply(message, status, objectMapper.writeValueAsString(body));
    }

    private static void reply(Message message, int status, String json) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, RejectionJson.CONTENT_TYPE);
        // a short body known whole: one write with its Content-Length, not a chunked stream and its last chunk
        message.setHeader(Exchange.HTTP_CHUNKED, false);
        message.setBody(json);
    }

    record Rejection(int status, String error, String message) {
    }
}
