package org.wagateway.trace;

import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.config.GatewayProperties;
import org.wagateway.flow.ExchangeContract.Header;
import org.wagateway.flow.ExchangeContract.Property;

/**
 * The trace steps of the routes ({@code trace-*}): each records one event of a message's journey where it happens
 * ({@link TraceRecorder}: in memory, written in the background). Only ids, provider, type, kind, queues and
 * outcomes are recorded, never the message's text; chat and sender are stored hashed and masked.
 *
 * <p>Stages: {@code accepted} (stored on the ingest queue: the gateway's "stored" is that same moment, so there is
 * one event), {@code duplicate} (a provider's retry answered without storing again), {@code media} (stored,
 * failed or skipped), {@code delivered} (on its type's queue), {@code crm} (each attempt: delivered,
 * retry-scheduled or dead-lettered), {@code dead-lettered} (which queue, why), {@code replayed} (from which
 * dead-letter queue to where, by whom).
 */
@Component("messageTrace")
public class MessageTrace {

    private final TraceRecorder recorder;
    private final GatewayProperties.Queues queues;

    public MessageTrace(TraceRecorder recorder, GatewayProperties properties) {
        this.recorder = recorder;
        this.queues = properties.getQueues();
    }

    /**
     * accept-webhook, before anything else: the message's ids, chat and sender, and the time it arrived, which is
     * the time of its {@code accepted} event (taken before the send: the next stage may record its own event before
     * the webhook's thread is back from the broker).
     */
    public void arrival(Exchange exchange) {
        CanonicalMessage canonical = exchange.getMessage().getBody(CanonicalMessage.class);
        if (canonical != null && recorder.isEnabled()) {
            exchange.setProperty(Property.TRACE_ARRIVAL, new TraceEvent(canonical.getId(), canonical.getProvider(),
                    canonical.getProviderMessageId(),
                    canonical.getType() == null ? null : canonical.getType().toString(),
                    canonical.getKind() == null ? null : canonical.getKind().toString(), canonical.getChatId(),
                    canonical.getSenderId(), "accepted", "stored", null, null, Instant.now()));
        }
    }

    /** accept-webhook, once the message is stored where it goes (its type queue, the media queue). */
    public void accepted(Exchange exchange) {
        TraceEvent arrival = exchange.getProperty(Property.TRACE_ARRIVAL, TraceEvent.class);
        if (arrival != null) {
            recorder.record(arrival.as(arrival.stage(), arrival.outcome(),
                    exchange.getProperty(Property.TARGET_QUEUE, String.class), null));
        }
    }

    /** accept-webhook: a provider's retry of a message already stored, answered 200 and not stored again. */
    public void duplicate(Exchange exchange) {
        TraceEvent arrival = exchange.getProperty(Property.TRACE_ARRIVAL, TraceEvent.class);
        if (arrival != null) {
            recorder.record(arrival.as("duplicate", "answered", null, "provider retry"));
        }
    }

    /**
     * fetch-media, after the download: {@code stored}, {@code failed} (the link did not give the file) or
     * {@code skipped} (too large, or a link the gateway will not follow), the media status as detail; a message
     * whose attachment was not stored has its copy on the media dead-letter queue. Nothing when nothing was tried.
     */
    public void media(Exchange exchange) {
        String status = exchange.getMessage().getHeader(Header.MEDIA_STATUS, String.class);
        if (status == null) {
            return;
        }
        String outcome = switch (status) {
            case "stored" -> "stored";
            case "failed" -> "failed";
            default -> "skipped";
        };
        record(exchange, "media", outcome, "stored".equals(status) ? null : queues.getDlqMedia(), status);
    }

    /** deliver, once the message is on the queue its type is routed to. */
    public void delivered(Exchange exchange) {
        Message message = exchange.getMessage();
        recorder.record(new TraceEvent(message.getHeader(Header.CORRELATION_ID, String.class),
                message.getHeader(Header.PROVIDER, String.class), null, message.getHeader(Header.TYPE, String.class),
                message.getHeader(Header.KIND, String.class), message.getHeader(Header.CHAT_ID, String.class),
                message.getHeader(Header.SENDER_ID, String.class), "delivered", "delivered",
                exchange.getProperty(Property.TARGET_QUEUE, String.class), null, storedAt(exchange)));
    }

    /**
     * At intake, the message's arrival, like its {@code accepted} event: the broker hands the stored message to
     * the next stage within the commit, in the committing thread, so that stage's event may come before this
     * thread is back from the broker. Elsewhere, now.
     */
    private static Instant storedAt(Exchange exchange) {
        TraceEvent arrival = exchange.getProperty(Property.TRACE_ARRIVAL, TraceEvent.class);
        return arrival == null ? Instant.now() : arrival.at();
    }

    /** deliver-crm, after the CRM's 2xx: the attempt's number and HTTP status. */
    public void crmDelivered(Exchange exchange) {
        int attempt = exchange.getProperty(Property.CRM_FAILED_ATTEMPTS, 0, Integer.class) + 1;
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        recorder.record(TraceEvent.of(exchange.getProperty(Property.CANONICAL_ID, String.class),
                exchange.getProperty(Property.PROVIDER, String.class), "crm", "delivered", null,
                "attempt " + attempt + ": http-" + (status == null ? "2xx" : status), Instant.now()));
    }

    /** crm-errors, once the retry is in the broker's scheduler: the attempt's number and what failed. */
    public void crmRetryScheduled(Exchange exchange) {
        record(exchange, "crm", "retry-scheduled", queues.getCrmOutbox(), crmAttempt(exchange));
    }

    /** crm-errors, once the message is on the CRM dead-letter queue: the last attempt, then the dead letter. */
    public void crmDeadLettered(Exchange exchange) {
        record(exchange, "crm", "dead-lettered", null, crmAttempt(exchange));
        deadLettered(exchange, queues.getDlqCrm());
    }

    /** dispatch-errors, once a message failing the canonical schema is on the invalid dead-letter queue. */
    public void invalidDeadLettered(Exchange exchange) {
        deadLettered(exchange, queues.getDlqInvalid());
    }

    /** dead-letter-dispatch, once a message the dispatch stages gave up on is on the dispatch dead-letter queue. */
    public void dispatchDeadLettered(Exchange exchange) {
        deadLettered(exchange, queues.getDlqDispatch());
    }

    /** The dead-letter replay, for each message it moved: from which queue, to which, and the ops user. */
    public void replayed(String canonicalId, String fromQueue, String toQueue) {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        recorder.record(TraceEvent.of(canonicalId, null, "replayed", "replayed", toQueue,
                "from " + fromQueue + " by " + (user == null ? "unknown" : user.getName()), Instant.now()));
    }

    /**
     * The reason code of the dead letter (the failure's class, as {@code deadLetterReason} starts with it; its
     * message may quote the CRM's answer and stays out of the trace) and the HTTP status when there is one.
     */
    private void deadLettered(Exchange exchange, String queue) {
        Message message = exchange.getMessage();
        String reason = message.getHeader(Header.DEAD_LETTER_REASON, String.class);
        String code = reason == null ? "unknown" : reason.split(":", 2)[0].strip();
        String status = message.getHeader(Header.DEAD_LETTER_HTTP_STATUS, String.class);
        record(exchange, "dead-lettered", "dead-lettered", queue, status == null ? code : code + ", http-" + status);
    }

    private static String crmAttempt(Exchange exchange) {
        Message message = exchange.getMessage();
        return "attempt " + message.getHeader(Header.CRM_ATTEMPTS, 1, Integer.class) + ": "
                + message.getHeader(Header.CRM_LAST_FAILURE, "unknown", String.class);
    }

    /** An event of a message between stages: its id and provider travel as JMS properties. */
    private void record(Exchange exchange, String stage, String outcome, String queue, String detail) {
        Message message = exchange.getMessage();
        recorder.record(TraceEvent.of(message.getHeader(Header.CORRELATION_ID, String.class),
                message.getHeader(Header.PROVIDER, String.class), stage, outcome, queue, detail, Instant.now()));
    }
}
