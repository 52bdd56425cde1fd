package org.wagateway.flow;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsConstants;

/**
 * The names the YAML routes under {@code routes/} and the Java beans they call share: message headers (which
 * travel as JMS properties between the stages), exchange properties (which live for one pass through a route)
 * and route ids. Java uses these constants; YAML cannot import them and writes the same names as text, so
 * {@code ExchangeContractTest} reads every route file and fails when a name used there is missing here, or when a
 * name marked {@link InRoutes} here is no longer used there.
 *
 * <p>Each constant says who sets it and who reads it. Names marked {@link InRoutes} appear in the route files;
 * the others are used by Java only (and must not appear in the route files).
 */
public final class ExchangeContract {

    private ExchangeContract() {
    }

    /** Marks a name that the route files use; the contract test checks both directions. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InRoutes {
    }

    /**
     * Message headers. A header present when a stage sends to a queue travels on as a JMS property, which is how
     * consumers of the gateway's queues select messages without parsing their body.
     */
    public static final class Header {

        private Header() {
        }

        /**
         * The canonical message's id. Set by {@code messageProperties} (accept-webhook); read by deliver (as the
         * message group), deliver-crm (idempotency key), {@code providerRetries} and {@code crmRetries}.
         */
        @InRoutes
        public static final String CORRELATION_ID = "JMSCorrelationID";
        /**
         * JMS message group: the canonical id, so copies of one message reach the same CRM consumer one after
         * the other. Set by deliver before the CRM outbox; read by the broker.
         */
        @InRoutes
        public static final String GROUP_ID = "JMSXGroupID";
        /** Prefix of the broker's own JMS properties ({@code JMSX...}): never copied onto a replayed message. */
        public static final String BROKER_PREFIX = "JMSX";
        /** The provider's name. Set by {@code messageProperties}; read by deliver-crm, metrics and retries. */
        @InRoutes
        public static final String PROVIDER = "provider";
        /** {@code message}, {@code status} or {@code event}. Set by {@code messageProperties}; read by {@code queueRouter}. */
        public static final String KIND = "kind";
        /** The canonical type. Set by {@code messageProperties}; read by deliver-crm, {@code queueRouter}, metrics. */
        @InRoutes
        public static final String TYPE = "type";
        /** The chat's id. Set by {@code messageProperties}; read by consumers of the gateway's queues. */
        public static final String CHAT_ID = "chatId";
        /** The sender's id. Set by {@code messageProperties}; read by consumers of the gateway's queues. */
        public static final String SENDER_ID = "senderId";

        /**
         * The attachment's outcome (stored, failed, too_large, refused; absent when nothing was tried). Set by
         * {@code mediaAttachment} (fetch-media); read by fetch-media (media dead-letter copy), deliver-crm (part
         * of the idempotency key), metrics; cleared by the dead-letter replay to the media queue.
         */
        @InRoutes
        public static final String MEDIA_STATUS = "mediaStatus";

        /** Which queue the one static JMS endpoint of deliver sends to. Camel's own; set by deliver. */
        @InRoutes
        public static final String JMS_DESTINATION_NAME = JmsConstants.JMS_DESTINATION_NAME;
        /** The HTTP method of the CRM POST. Camel's own; set by deliver-crm. */
        @InRoutes
        public static final String HTTP_METHOD = Exchange.HTTP_METHOD;
        /** The CRM POST's content type. Set by deliver-crm. */
        @InRoutes
        public static final String CONTENT_TYPE = "Content-Type";
        /** The canonical id, for the CRM to skip a message it already took. Set by deliver-crm; read by the CRM. */
        @InRoutes
        public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

        /**
         * Failed CRM attempts so far. Set by {@code crmRetries}; travels with the retry; read by {@code crmRetries}
         * and deliver-crm (for the trace).
         */
        @InRoutes
        public static final String CRM_ATTEMPTS = "crmAttempts";
        /** Why the last CRM attempt failed (HTTP status or exception). Set by {@code crmRetries}; read by ops. */
        public static final String CRM_LAST_FAILURE = "crmLastFailure";
        /** Prefix of the CRM leg's own properties: a replayed message starts with a fresh count of attempts. */
        public static final String CRM_PREFIX = "crm";
        /** ActiveMQ's scheduler delay ({@code ScheduledMessage.AMQ_SCHEDULED_DELAY}). Set by {@code crmRetries}. */
        public static final String SCHEDULED_DELAY = "AMQ_SCHEDULED_DELAY";
        /** Prefix of ActiveMQ's scheduler properties: removed before a message is scheduled or replayed again. */
        public static final String SCHEDULED_PREFIX = "AMQ_SCHEDULED";
        /**
         * Set by the broker on a message it scheduled; a message sent with it is not scheduled again. Removed by
         * {@code crmRetries} and the dead-letter replay; read by {@code HeldScheduledSends}.
         */
        public static final String SCHEDULED_JOB_ID = "scheduledJobId";

        /** Prefix of the dead-letter properties below: never copied onto a replayed message. */
        public static final String DEAD_LETTER_PREFIX = "deadLetter";
        /** Why a dead letter is there. Set by {@code deadLetterReasons} and {@code RejectedWebhooks}; read by ops. */
        public static final String DEAD_LETTER_REASON = "deadLetterReason";
        /** The route that gave up. Set by {@code deadLetterReasons}; read by ops. */
        public static final String DEAD_LETTER_ROUTE = "deadLetterRoute";
        /** Attempts made before giving up. Set by {@code deadLetterReasons}; read by ops. */
        public static final String DEAD_LETTER_ATTEMPTS = "deadLetterAttempts";
        /** When it was dead-lettered (ISO-8601). Set by {@code deadLetterReasons} and {@code RejectedWebhooks}. */
        public static final String DEAD_LETTER_AT = "deadLetterAt";
        /** The CRM's HTTP status, for an HTTP failure. Set by {@code deadLetterReasons}; read by ops. */
        public static final String DEAD_LETTER_HTTP_STATUS = "deadLetterHttpStatus";
        /** The CRM's answer (cut to 2,000 characters). Set by {@code deadLetterReasons}; read by ops. */
        public static final String DEAD_LETTER_HTTP_BODY = "deadLetterHttpBody";

        /** The replay call that sent a message on (a UUID per call). Set and selected on by the dead-letter replay. */
        public static final String REPLAY_ID = "replayId";
        /** The dead-letter queue a message was replayed from. Set by the dead-letter replay; read by ops. */
        public static final String REPLAYED_FROM = "replayedFrom";
    }

    /** Exchange properties: live for one pass through a route, never sent to a queue. */
    public static final class Property {

        private Property() {
        }

        /**
         * The canonical id. Set by {@code messageProperties} (accept-webhook) and by deliver-crm from
         * {@code JMSCorrelationID}; read by the idempotent consumers, {@code webhookReplies}, {@code providerRetries}.
         */
        @InRoutes
        public static final String CANONICAL_ID = "canonicalId";
        /** The provider, kept past deliver-crm's header clean-up. Set by deliver-crm; read by metrics. */
        @InRoutes
        public static final String PROVIDER = "provider";
        /** The canonical type, kept past deliver-crm's header clean-up. Set by deliver-crm; read by metrics. */
        @InRoutes
        public static final String TYPE = "type";
        /** The queue a message's type is routed to. Set by deliver (from {@code queueRouter}); read by metrics. */
        @InRoutes
        public static final String TARGET_QUEUE = "targetQueue";
        /**
         * The CRM attempts that failed before this one, kept past deliver-crm's header clean-up. Set by deliver-crm
         * from {@code crmAttempts}; read by {@code messageTrace} (the attempt's number).
         */
        @InRoutes
        public static final String CRM_FAILED_ATTEMPTS = "crmFailedAttempts";
        /** Whether a failed CRM delivery is dead-lettered now. Set by {@code crmRetries}; read by crm-errors. */
        @InRoutes
        public static final String CRM_GIVE_UP = "crmGiveUp";
        /** A webhook already stored (Camel's idempotent consumer's own). Read by accept-webhook. */
        @InRoutes
        public static final String DUPLICATE_MESSAGE = Exchange.DUPLICATE_MESSAGE;
        /**
         * Attempts so far, kept where the dead letter channel's restored message loses Camel's redelivery header.
         * Set by {@code redeliveryCounter} and {@code crmRetries}; read by {@code deadLetterReasons}.
         */
        public static final String ATTEMPTS = "gatewayAttempts";
        /**
         * The body parsed as a tree, with the text it was parsed from. Set and read by {@code canonicalJson} for
         * the stage's steps: {@code mediaToFetch}, {@code mediaAttachment}, {@code gatewayMetrics},
         * {@code canonicalSchemaCheck}.
         */
        public static final String CANONICAL_TREE = "gatewayCanonicalTree";
        /**
         * The message's ids and arrival time, kept for the trace past the webhook's marshalling to JSON. Set and
         * read by {@code messageTrace} (accept-webhook: arrival, then accepted or duplicate).
         */
        public static final String TRACE_ARRIVAL = "gatewayTraceArrival";
        /**
         * What accept-webhook stores for a message, in one commit: its type queue and CRM outbox copies, the media
         * queue, or the invalid dead-letter queue. Set by {@code intakeDestinations}; read by {@code brokerIntake}.
         */
        public static final String STORE_TO = "gatewayStoreTo";
        /**
         * Where accept-webhook sent a message: {@code delivered} (its type queue and the CRM outbox), {@code media}
         * (the media queue, delivered once its attachment is fetched) or {@code invalid} (the invalid dead-letter
         * queue). Set by {@code intakeDestinations}; read by accept-webhook.
         */
        @InRoutes
        public static final String INTAKE_OUTCOME = "intakeOutcome";
        /** The Micrometer sample timing a CRM POST. Set and read by {@code gatewayMetrics}. */
        public static final String CRM_POST_SAMPLE = "gatewayCrmPostSample";
    }

    /** Route ids and route configuration ids, as the route files name them. */
    public static final class RouteId {

        private RouteId() {
        }

        /** POST /webhooks/greenapi → canonical message → accept-webhook. */
        @InRoutes
        public static final String GREENAPI_WEBHOOK = "greenapi-webhook";
        /** POST /webhooks/kazinfoteh → canonical message → accept-webhook. */
        @InRoutes
        public static final String KAZINFOTEH_WEBHOOK = "kazinfoteh-webhook";
        /** POST /webhooks/meta → a batch of canonical messages → accept-webhook, each; one answer. */
        @InRoutes
        public static final String META_WEBHOOK = "meta-webhook";
        /** GET /webhooks/meta: Meta's subscription handshake, the challenge echoed. */
        @InRoutes
        public static final String META_SUBSCRIPTION = "meta-subscription";
        /** Suffix of a provider's webhook route id: {@code <provider>-webhook}. */
        public static final String WEBHOOK_SUFFIX = "-webhook";
        /**
         * Validates a canonical message and stores it, in one group commit, on its type queue and the CRM outbox
         * (or the media queue, or the invalid dead-letter queue); then answers the provider.
         */
        @InRoutes
        public static final String ACCEPT_WEBHOOK = "accept-webhook";
        /** Ingest queue (replays, messages stored there by other builds) → media queue or deliver. */
        @InRoutes
        public static final String DISPATCH = "dispatch";
        /** Media queue → download and store the attachment → deliver. */
        @InRoutes
        public static final String FETCH_MEDIA = "fetch-media";
        /** Validate, send to the type's queue and to the CRM outbox. */
        @InRoutes
        public static final String DELIVER = "deliver";
        /** CRM outbox → POST to the CRM; suspended and resumed by the CRM's circuit breaker. */
        @InRoutes
        public static final String DELIVER_CRM = "deliver-crm";

        /** A dead letter of dispatch-errors → the dispatch dead-letter queue, then traced. */
        @InRoutes
        public static final String DEAD_LETTER_DISPATCH = "dead-letter-dispatch";

        /** Error handling of the webhook routes: every failure becomes a JSON answer. */
        @InRoutes
        public static final String WEBHOOK_ERRORS = "webhook-errors";
        /** Error handling of dispatch, fetch-media and deliver: roll back for space, dead-letter the rest. */
        @InRoutes
        public static final String DISPATCH_ERRORS = "dispatch-errors";
        /** Error handling of deliver-crm: scheduled retry in the broker, or the CRM dead-letter queue. */
        @InRoutes
        public static final String CRM_ERRORS = "crm-errors";
    }
}
