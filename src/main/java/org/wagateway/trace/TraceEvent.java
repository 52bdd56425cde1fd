package org.wagateway.trace;

import java.time.Instant;

/**
 * One step of a message's journey, as recorded on the route's thread and waiting in memory for the writer. It still
 * holds the chat and sender ids as the message has them: the writer stores only their hash and masked form.
 *
 * @param stage   what happened: accepted, duplicate, media, delivered, crm, dead-lettered, replayed
 * @param outcome how it ended for this step (stored, failed, delivered, retry-scheduled, ...)
 * @param queue   the queue the message went to, when it went to one
 * @param detail  a short non-personal note: an HTTP status, a reason code, an attempt number, an ops user
 */
public record TraceEvent(String canonicalId, String provider, String providerMessageId, String type, String kind,
                         String chatId, String senderId, String stage, String outcome, String queue, String detail,
                         Instant at) {

    /** An event of a message known only by its canonical id (the later stages: its other fields are on earlier events). */
    public static TraceEvent of(String canonicalId, String provider, String stage, String outcome, String queue,
                                String detail, Instant at) {
        return new TraceEvent(canonicalId, provider, null, null, null, null, null, stage, outcome, queue, detail, at);
    }

    /** Another step of the same message, with its ids, chat and sender and at the same time. */
    public TraceEvent as(String stage, String outcome, String queue, String detail) {
        return new TraceEvent(canonicalId, provider, providerMessageId, type, kind, chatId, senderId, stage, outcome,
                queue, detail, at);
    }
}
