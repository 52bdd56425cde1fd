package org.wagateway.provider.greenapi;

import static org.wagateway.canonical.Json.digits;
import static org.wagateway.canonical.Json.firstText;
import static org.wagateway.canonical.Json.flag;
import static org.wagateway.canonical.Json.integer;
import static org.wagateway.canonical.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.canonical.Chat;
import org.wagateway.canonical.Direction;
import org.wagateway.canonical.Event;
import org.wagateway.canonical.InvalidPayloadException;
import org.wagateway.canonical.Json;
import org.wagateway.canonical.Kind;
import org.wagateway.canonical.MessageType;
import org.wagateway.canonical.Sender;
import org.wagateway.canonical.Status;
import org.wagateway.provider.Provider;

/**
 * Maps Green API's webhook (Green API's incomingMessageReceived documentation and its public documentation of
 * incoming notifications, green-api.com/en/docs/api/receiving/notifications-format) to the canonical message.
 * {@code typeWebhook} picks the kind: messages (incoming, and outgoing ones echoed back), statuses of our messages,
 * and events of the instance; the message itself is read by {@link GreenApiMessages}. Chats and senders are
 * WhatsApp JIDs: {@code ...@c.us} a person, {@code ...@g.us} a group, where the person who wrote is
 * {@code senderData.sender}. {@code timestamp} is Unix seconds. Unknown fields are ignored, missing ones read as
 * null, and an unknown {@code typeWebhook} or {@code typeMessage} gives {@code type: unknown} with the payload kept
 * in {@code raw}.
 */
@Component("greenApiMapper")
public class GreenApiMapper {

    public static final String PROVIDER = Provider.GREENAPI.id();

    /** Green API's {@code outgoingMessageStatus.status} values to the canonical state. */
    private static final Map<String, Status.State> STATES = Map.of(
            "pending", Status.State.PENDING,
            "sent", Status.State.SENT,
            "delivered", Status.State.DELIVERED,
            "read", Status.State.READ,
            "played", Status.State.PLAYED,
            "failed", Status.State.FAILED,
            "noaccount", Status.State.FAILED,
            "notingroup", Status.State.FAILED,
            "yellowcard", Status.State.FAILED);

    private final Clock clock;

    @Autowired
    public GreenApiMapper() {
        this(Clock.systemUTC());
    }

    public GreenApiMapper(Clock clock) {
        this.clock = clock;
    }

    public CanonicalMessage toCanonical(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new InvalidPayloadException("Green API webhook body must be a JSON object");
        }
        String typeWebhook = text(payload, "/typeWebhook");
        return switch (typeWebhook == null ? "" : typeWebhook) {
            case "incomingMessageReceived" -> message(payload, Direction.INBOUND);
            case "outgoingMessageReceived", "outgoingAPIMessageReceived" -> message(payload, Direction.OUTBOUND);
            case "outgoingMessageStatus" -> status(payload);
            case "stateInstanceChanged", "statusInstanceChanged" -> instanceState(payload, typeWebhook);
            case "incomingCall" -> call(payload, typeWebhook, Direction.INBOUND);
            case "outgoingCall" -> call(payload, typeWebhook, Direction.OUTBOUND);
            case "incomingBlock" -> block(payload, typeWebhook);
            case "deviceInfo" -> device(payload, typeWebhook);
            default -> event(payload, MessageType.UNKNOWN);
        };
    }

    private CanonicalMessage message(JsonNode payload, Direction direction) {
        CanonicalMessage message = start(payload);
        message.setKind(Kind.MESSAGE);
        message.setDirection(direction);
        String chatId = text(payload, "/senderData/chatId");
        Chat chat = chat(chatId, text(payload, "/senderData/chatName"));
        message.setChat(chat);
        String senderId = text(payload, "/senderData/sender");
        if (senderId == null && chat != null && chat.type() == Chat.Type.DIRECT) {
            senderId = chatId;
        }
        String phone = digits(text(payload, "/senderData/senderPhoneNumber"));
        message.setSender(new Sender(senderId, phone != null ? phone : phoneOf(senderId),
                text(payload, "/senderData/senderName"), text(payload, "/senderData/senderContactName")));
        GreenApiMessages.read(payload.path("messageData"), message);
        return message;
    }

    /** The status of one of our messages: {@code idMessage} is that message's id, {@code chatId} its chat. */
    private CanonicalMessage status(JsonNode payload) {
        CanonicalMessage message = start(payload);
        String providerState = text(payload, "/status");
        String messageId = text(payload, "/idMessage");
        if (messageId != null) {
            // Each step (sent, delivered, read) of one message is its own notification with the same idMessage.
            message.setId(message.getId() + ":status:" + Json.lowerWord(providerState));
        }
        message.setKind(Kind.STATUS);
        message.setType(MessageType.STATUS);
        message.setChat(chat(text(payload, "/chatId"), null));
        Status.State state = providerState == null ? Status.State.UNKNOWN
                : STATES.getOrDefault(Json.lowerWord(providerState), Status.State.UNKNOWN);
        String error = text(payload, "/description");
        if (error == null && state == Status.State.FAILED && !"failed".equalsIgnoreCase(providerState)) {
            error = providerState;   // noAccount, notInGroup, yellowCard say themselves what went wrong
        }
        message.setStatus(Status.of(messageId, state, error, providerState, flag(payload, "/sendByApi")));
        return message;
    }

    private CanonicalMessage instanceState(JsonNode payload, String name) {
        CanonicalMessage message = event(payload, MessageType.STATE);
        message.setEvent(new Event(name, firstText(payload, "/stateInstance", "/statusInstance"), null, null));
        return message;
    }

    /** An incoming or outgoing call: a first notification with status {@code offer}, then one with its outcome. */
    private CanonicalMessage call(JsonNode payload, String name, Direction direction) {
        CanonicalMessage message = event(payload, MessageType.CALL);
        String status = text(payload, "/status");
        if (text(payload, "/idMessage") != null) {
            message.setId(message.getId() + ":call:" + Json.lowerWord(status));
        }
        message.setDirection(direction);
        String from = text(payload, "/from");
        message.setChat(chat(from, null));
        if (direction == Direction.INBOUND && from != null) {
            message.setSender(new Sender(from, phoneOf(from), null, null));
        }
        message.setEvent(new Event(name, null,
                new Event.Call(from, status, flag(payload, "/isVideo"), integer(payload, "/duration")), null));
        return message;
    }

    private CanonicalMessage block(JsonNode payload, String name) {
        CanonicalMessage message = event(payload, MessageType.BLOCK);
        message.setChat(chat(text(payload, "/chatId"), null));
        message.setEvent(new Event(name, text(payload, "/chatState"), null, null));
        return message;
    }

    private CanonicalMessage device(JsonNode payload, String name) {
        CanonicalMessage message = event(payload, MessageType.DEVICE);
        JsonNode data = payload.path("deviceData");
        message.setEvent(new Event(name, null, null, new Event.Device(text(data, "/platform"),
                text(data, "/deviceManufacturer"), text(data, "/deviceModel"), text(data, "/osVersion"),
                text(data, "/waVersion"), integer(data, "/battery"))));
        return message;
    }

    private CanonicalMessage event(JsonNode payload, MessageType type) {
        CanonicalMessage message = start(payload);
        message.setKind(Kind.EVENT);
        message.setType(type);
        return message;
    }

    /** Identity, time, our number and the raw payload: what every canonical message of this provider has. */
    private CanonicalMessage start(JsonNode payload) {
        String idMessage = text(payload, "/idMessage");
        CanonicalMessage message = CanonicalMessage.of(PROVIDER, idMessage != null ? idMessage : Json.fingerprint(payload));
        message.setReceivedAt(timestamp(payload));
        String wid = text(payload, "/instanceData/wid");
        message.setChannel(wid != null ? digits(wid) : text(payload, "/instanceData/idInstance"));
        message.setRaw(payload);
        return message;
    }

    private static Chat chat(String chatId, String name) {
        if (chatId == null) {
            return null;
        }
        return new Chat(chatId, chatId.endsWith("@g.us") ? Chat.Type.GROUP : Chat.Type.DIRECT, name);
    }

    /** The phone of a person's JID ({@code 79001234568@c.us}); null for groups and for ids that hide the number. */
    static String phoneOf(String jid) {
        if (jid == null) {
            return null;
        }
        int at = jid.indexOf('@');
        if (at >= 0 && !jid.endsWith("@c.us") && !jid.endsWith("@s.whatsapp.net")) {
            return null;
        }
        return digits(jid);
    }

    private Instant timestamp(JsonNode payload) {
        Instant timestamp = Json.epochSeconds(payload.path("timestamp"));
        return timestamp != null ? timestamp : clock.instant();
    }
}
