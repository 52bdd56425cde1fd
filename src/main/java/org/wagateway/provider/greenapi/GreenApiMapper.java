package org.wagateway.provider.greenapi;

import static org.wagateway.canonical.Json.digits;
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
import org.wagateway.canonical.InvalidPayloadException;
import org.wagateway.canonical.Json;
import org.wagateway.canonical.Kind;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MessageType;
import org.wagateway.canonical.Sender;

/**
 * Maps Green API's webhook (shared seed 001 and Green API's public documentation of incoming notifications)
 * to the canonical message. Chats and senders are WhatsApp JIDs: {@code ...@c.us} a person, {@code ...@g.us}
 * a group, where the person who wrote is {@code senderData.sender}. {@code timestamp} is Unix seconds.
 */
@Component("greenApiMapper")
public class GreenApiMapper {

    public static final String PROVIDER = "greenapi";

    private static final Map<String, MessageType> MESSAGE_TYPES = Map.ofEntries(
            Map.entry("textMessage", MessageType.TEXT),
            Map.entry("extendedTextMessage", MessageType.TEXT),
            Map.entry("quotedMessage", MessageType.TEXT),
            Map.entry("imageMessage", MessageType.IMAGE),
            Map.entry("videoMessage", MessageType.VIDEO),
            Map.entry("documentMessage", MessageType.DOCUMENT),
            Map.entry("audioMessage", MessageType.AUDIO),
            Map.entry("stickerMessage", MessageType.STICKER));

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
        String idMessage = text(payload, "/idMessage");
        CanonicalMessage message = CanonicalMessage.of(PROVIDER, idMessage != null ? idMessage : Json.fingerprint(payload));
        message.setReceivedAt(timestamp(payload));
        String wid = text(payload, "/instanceData/wid");
        message.setChannel(wid != null ? digits(wid) : text(payload, "/instanceData/idInstance"));
        message.setRaw(payload);

        String typeWebhook = text(payload, "/typeWebhook");
        if (typeWebhook == null) {
            typeWebhook = "";
        }
        switch (typeWebhook) {
            case "incomingMessageReceived" -> mapMessage(payload, message, Direction.INBOUND);
            case "outgoingMessageReceived", "outgoingAPIMessageReceived" -> mapMessage(payload, message, Direction.OUTBOUND);
            default -> {
                message.setKind(Kind.EVENT);
                message.setType(MessageType.UNKNOWN);
            }
        }
        return message;
    }

    private void mapMessage(JsonNode payload, CanonicalMessage message, Direction direction) {
        message.setKind(Kind.MESSAGE);
        message.setDirection(direction);
        String chatId = text(payload, "/senderData/chatId");
        boolean group = chatId != null && chatId.endsWith("@g.us");
        message.setChat(new Chat(chatId, group ? Chat.Type.GROUP : Chat.Type.DIRECT, text(payload, "/senderData/chatName")));
        String senderId = text(payload, "/senderData/sender");
        if (senderId == null && !group) {
            senderId = chatId;
        }
        message.setSender(new Sender(senderId, digits(senderId), text(payload, "/senderData/senderName"),
                text(payload, "/senderData/senderContactName")));

        JsonNode data = payload.path("messageData");
        String typeMessage = text(data, "/typeMessage");
        MessageType type = typeMessage == null ? MessageType.UNKNOWN : MESSAGE_TYPES.getOrDefault(typeMessage, MessageType.UNKNOWN);
        message.setType(type);
        switch (type) {
            case TEXT -> message.setText(text(data, "/textMessageData/textMessage") != null
                    ? text(data, "/textMessageData/textMessage")
                    : text(data, "/extendedTextMessageData/text"));
            case IMAGE, VIDEO, DOCUMENT, AUDIO, STICKER -> {
                message.setCaption(text(data, "/fileMessageData/caption"));
                message.setMedia(new Media(text(data, "/fileMessageData/downloadUrl"),
                        text(data, "/fileMessageData/mimeType"), text(data, "/fileMessageData/fileName")));
            }
            default -> { }
        }
    }

    private Instant timestamp(JsonNode payload) {
        JsonNode timestamp = payload.path("timestamp");
        if (timestamp.canConvertToLong() && timestamp.asLong() > 0) {
            return Instant.ofEpochSecond(timestamp.asLong());
        }
        if (timestamp.isTextual() && timestamp.asText().matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(timestamp.asText()));
        }
        return clock.instant();
    }
}
