package org.wagateway.provider.kazinfoteh;

import static org.wagateway.canonical.Json.digits;
import static org.wagateway.canonical.Json.flag;
import static org.wagateway.canonical.Json.number;
import static org.wagateway.canonical.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.canonical.Chat;
import org.wagateway.canonical.Contact;
import org.wagateway.canonical.Direction;
import org.wagateway.canonical.Interactive;
import org.wagateway.canonical.InvalidPayloadException;
import org.wagateway.canonical.Json;
import org.wagateway.canonical.Kind;
import org.wagateway.canonical.Location;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MessageType;
import org.wagateway.canonical.Sender;

/**
 * Maps Kazinfoteh's "wasender" webhook ({@code typeRequest: inboxmsg}, see shared seed 000) to the canonical
 * message. Its names mislead: {@code receiver} is the customer's phone, {@code channel} is our own number,
 * and {@code receivedAt} is a local time without zone (the zone is {@code gateway.kazinfoteh.timezone}).
 * Every field may be missing or an empty string; both read as absent.
 */
@Component("kazinfotehMapper")
public class KazinfotehMapper {

    public static final String PROVIDER = "kazinfoteh";

    private static final DateTimeFormatter RECEIVED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']HH:mm:ss");

    private static final Map<String, MessageType> MESSAGE_TYPES = Map.of(
            "text", MessageType.TEXT,
            "image", MessageType.IMAGE,
            "video", MessageType.VIDEO,
            "document", MessageType.DOCUMENT,
            "audio", MessageType.AUDIO,
            "sticker", MessageType.STICKER,
            "location", MessageType.LOCATION,
            "contacts", MessageType.CONTACTS,
            "interactive", MessageType.INTERACTIVE);

    private final ZoneId zone;
    private final Clock clock;

    @Autowired
    public KazinfotehMapper(@Value("${gateway.kazinfoteh.timezone:Asia/Almaty}") String zone) {
        this(ZoneId.of(zone), Clock.systemUTC());
    }

    public KazinfotehMapper(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    public CanonicalMessage toCanonical(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new InvalidPayloadException("Kazinfoteh webhook body must be a JSON object");
        }
        String providerId = text(payload, "/id");
        CanonicalMessage message = CanonicalMessage.of(PROVIDER, providerId != null ? providerId : Json.fingerprint(payload));
        message.setReceivedAt(receivedAt(text(payload, "/receivedAt")));
        message.setChannel(digits(text(payload, "/channel")));
        message.setRaw(payload);

        if (!"inboxmsg".equals(text(payload, "/typeRequest"))) {
            // Statuses share this webhook; their format is not in the seed, so they are kept whole, not guessed.
            message.setKind(Kind.EVENT);
            message.setType(MessageType.UNKNOWN);
            return message;
        }
        message.setKind(Kind.MESSAGE);
        message.setDirection(Direction.INBOUND);
        String customer = text(payload, "/receiver");
        message.setChat(new Chat(customer, Chat.Type.DIRECT, null));
        message.setSender(new Sender(customer, digits(customer), senderName(payload), null));

        String msgType = text(payload, "/msgType");
        MessageType type = msgType == null ? MessageType.UNKNOWN : MESSAGE_TYPES.getOrDefault(msgType.toLowerCase(), MessageType.UNKNOWN);
        message.setType(type);
        message.setText(text(payload, "/msgText"));
        message.setCaption(text(payload, "/msgCaption"));
        String attachment = text(payload, "/msgAttachmentUrl");
        if (attachment != null) {
            message.setMedia(new Media(attachment, null, text(payload, "/msgAttachmentName")));
        }
        switch (type) {
            case LOCATION -> message.setLocation(new Location(
                    number(payload, "/msgLocLatitude"), number(payload, "/msgLocLongitude"),
                    text(payload, "/msgLocAddress"), null));
            case CONTACTS -> message.setContacts(List.of(contact(payload)));
            case INTERACTIVE -> message.setInteractive(interactive(payload));
            default -> { }
        }
        return message;
    }

    private Instant receivedAt(String value) {
        if (value != null) {
            try {
                return LocalDateTime.parse(value.trim(), RECEIVED_AT).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                // fall through: an unreadable time must not lose the message
            }
        }
        return clock.instant();
    }

    private static String senderName(JsonNode payload) {
        String userName = text(payload, "/uiUserName");
        if (userName != null) {
            return userName;
        }
        String full = String.join(" ", nonNull(text(payload, "/uiFirstName"), text(payload, "/uiLastName")));
        return full.isBlank() ? null : full;
    }

    private static Contact contact(JsonNode payload) {
        List<Contact.Phone> phones = new ArrayList<>();
        addPhone(phones, payload, "First");
        addPhone(phones, payload, "Second");
        String email = text(payload, "/contactEmail");
        List<Contact.Email> emails = email == null ? List.of()
                : List.of(new Contact.Email(email, text(payload, "/contactEmailType")));
        String first = text(payload, "/contactFirstName");
        String last = text(payload, "/contactLastName");
        String formatted = String.join(" ", nonNull(first, last));
        return new Contact(formatted.isBlank() ? null : formatted, first, last, phones, emails, null);
    }

    private static void addPhone(List<Contact.Phone> phones, JsonNode payload, String which) {
        String phone = text(payload, "/contact" + which + "PhoneNumber");
        if (phone == null) {
            return;
        }
        // The seed says this field tells whether the number has WhatsApp; like Meta's wa_id it may carry the
        // WhatsApp number itself, or a flag. Both are read.
        String waba = text(payload, "/contact" + which + "WabaPhoneNumber");
        Boolean whatsapp = flag(payload, "/contact" + which + "WabaPhoneNumber");
        String waId = whatsapp == null ? digits(waba) : null;
        if (waId != null) {
            whatsapp = Boolean.TRUE;
        }
        phones.add(new Contact.Phone(phone, whatsapp, waId, text(payload, "/contact" + which + "PhoneNumberType")));
    }

    private static Interactive interactive(JsonNode payload) {
        String itemsType = text(payload, "/itemsType");
        Interactive.ReplyType replyType = itemsType == null ? null : switch (itemsType) {
            case "button_reply" -> Interactive.ReplyType.BUTTON;
            case "list_reply" -> Interactive.ReplyType.LIST;
            default -> null;
        };
        return new Interactive(replyType, text(payload, "/itemsIdentifier"), text(payload, "/itemsTitle"),
                text(payload, "/itemsSubtitle"));
    }

    private static List<String> nonNull(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null) {
                present.add(part);
            }
        }
        return present;
    }
}
