package org.wagateway.provider.kazinfoteh;

import static org.wagateway.canonical.Json.digits;
import static org.wagateway.canonical.Json.firstText;
import static org.wagateway.canonical.Json.flag;
import static org.wagateway.canonical.Json.number;
import static org.wagateway.canonical.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
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
import org.wagateway.canonical.Status;
import org.wagateway.provider.Provider;

/**
 * Maps Kazinfoteh's "wasender" webhook to the canonical message.
 *
 * <p>Messages ({@code typeRequest: inboxmsg}) follow Kazinfoteh's inbound webhook documentation. Its names
 * mislead: {@code receiver} is the customer's phone, {@code channel} is our own number, and {@code receivedAt} is
 * a local time without zone (the zone is {@code gateway.kazinfoteh.timezone}). Every field may be missing or an
 * empty string; both read as absent.
 *
 * <p>Statuses arrive at the same webhook with another {@code typeRequest}, but their format is not published
 * where we could read it. They are read leniently under the assumption written at {@link #STATUS_FIELDS}: a
 * payload that carries a status word becomes {@code kind: status}; one that carries none stays
 * {@code type: unknown}, kept whole in {@code raw}.
 */
@Component("kazinfotehMapper")
public class KazinfotehMapper {

    /** Unix seconds or milliseconds. */
    private static final Pattern EPOCH = Pattern.compile("\\d{9,13}");
    /** An ISO-8601 time ending in an offset. */
    private static final Pattern WITH_OFFSET = Pattern.compile(".*[+-]\\d{2}:?\\d{2}$");

    public static final String PROVIDER = Provider.KAZINFOTEH.id();

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd[ ]['T']HH:mm:ss[.SSS]");

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

    /**
     * Assumed status fields (no published sample): the id of our message in {@code msgId}, {@code messageId},
     * {@code requestId} or else {@code id}; the status word in {@code status}, {@code msgStatus}, {@code state} or
     * {@code statusName}; its time in {@code statusAt}, {@code updatedAt}, {@code receivedAt}, {@code sentAt},
     * {@code date} or {@code timestamp} (local time like {@code receivedAt}, ISO-8601 or Unix time); an error in
     * {@code error}, {@code errorText}, {@code errorDescription}, {@code errorMessage} or {@code description},
     * with {@code errorCode} or {@code code}; the customer in {@code receiver}, our number in {@code channel}.
     */
    static final String[] STATUS_FIELDS = {"/status", "/msgStatus", "/state", "/statusName"};
    private static final String[] STATUS_MESSAGE_ID = {"/msgId", "/messageId", "/requestId", "/id"};
    private static final String[] STATUS_TIME = {"/statusAt", "/updatedAt", "/receivedAt", "/sentAt", "/date", "/timestamp"};
    private static final String[] STATUS_ERROR = {"/error", "/errorText", "/errorDescription", "/errorMessage", "/description"};

    /** Status words as WhatsApp Business (Meta) and SMS gateways spell them, to the canonical state. */
    private static final Map<String, Status.State> STATES = Map.ofEntries(
            Map.entry("accepted", Status.State.PENDING),
            Map.entry("pending", Status.State.PENDING),
            Map.entry("queued", Status.State.PENDING),
            Map.entry("enroute", Status.State.PENDING),
            Map.entry("sent", Status.State.SENT),
            Map.entry("send", Status.State.SENT),
            Map.entry("delivered", Status.State.DELIVERED),
            Map.entry("deliver", Status.State.DELIVERED),
            Map.entry("read", Status.State.READ),
            Map.entry("seen", Status.State.READ),
            Map.entry("played", Status.State.PLAYED),
            Map.entry("failed", Status.State.FAILED),
            Map.entry("fail", Status.State.FAILED),
            Map.entry("error", Status.State.FAILED),
            Map.entry("undelivered", Status.State.FAILED),
            Map.entry("not_delivered", Status.State.FAILED),
            Map.entry("rejected", Status.State.FAILED),
            Map.entry("expired", Status.State.FAILED));

    private final ZoneId zone;
    private final Clock clock;

    @Autowired
    public KazinfotehMapper(KazinfotehProperties properties) {
        this(ZoneId.of(properties.getTimezone()), Clock.systemUTC());
    }

    public KazinfotehMapper(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    public CanonicalMessage toCanonical(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new InvalidPayloadException("Kazinfoteh webhook body must be a JSON object");
        }
        if ("inboxmsg".equalsIgnoreCase(text(payload, "/typeRequest"))) {
            return message(payload);
        }
        return firstText(payload, STATUS_FIELDS) != null ? status(payload) : unknown(payload);
    }

    // --- messages -------------------------------------------------------------------------------------------

    private CanonicalMessage message(JsonNode payload) {
        CanonicalMessage message = start(payload, text(payload, "/id"), text(payload, "/receivedAt"));
        message.setKind(Kind.MESSAGE);
        message.setDirection(Direction.INBOUND);
        String customer = text(payload, "/receiver");
        String name = senderName(payload);
        if (customer != null) {
            message.setChat(new Chat(customer, Chat.Type.DIRECT, null));
        }
        if (customer != null || name != null) {
            message.setSender(new Sender(customer, digits(customer), name, null));
        }

        String msgType = text(payload, "/msgType");
        MessageType type = msgType == null ? MessageType.UNKNOWN
                : MESSAGE_TYPES.getOrDefault(msgType.trim().toLowerCase(Locale.ROOT), MessageType.UNKNOWN);
        message.setType(type);
        // Text, caption and attachment are read for every type: an unknown type keeps what it carries.
        message.setText(text(payload, "/msgText"));
        message.setCaption(text(payload, "/msgCaption"));
        message.setMedia(media(payload));
        switch (type) {
            case LOCATION -> message.setLocation(location(payload));
            case CONTACTS -> message.setContacts(contacts(payload));
            case INTERACTIVE -> message.setInteractive(interactive(payload));
            default -> { }
        }
        return message;
    }

    private static Media media(JsonNode payload) {
        String url = text(payload, "/msgAttachmentUrl");
        String name = text(payload, "/msgAttachmentName");
        return url == null && name == null ? null : new Media(url, null, name);
    }

    private static Location location(JsonNode payload) {
        return new Location(number(payload, "/msgLocLatitude"), number(payload, "/msgLocLongitude"),
                text(payload, "/msgLocAddress"), null);
    }

    private static List<Contact> contacts(JsonNode payload) {
        List<Contact.Phone> phones = new ArrayList<>();
        addPhone(phones, payload, "First");
        addPhone(phones, payload, "Second");
        String email = text(payload, "/contactEmail");
        List<Contact.Email> emails = email == null ? List.of()
                : List.of(new Contact.Email(email, text(payload, "/contactEmailType")));
        String first = text(payload, "/contactFirstName");
        String last = text(payload, "/contactLastName");
        String formatted = String.join(" ", nonNull(first, last));
        if (formatted.isBlank() && phones.isEmpty() && emails.isEmpty()) {
            return List.of();
        }
        return List.of(new Contact(formatted.isBlank() ? null : formatted, first, last, phones, emails, null));
    }

    private static void addPhone(List<Contact.Phone> phones, JsonNode payload, String which) {
        String phone = text(payload, "/contact" + which + "PhoneNumber");
        if (phone == null) {
            return;
        }
        // Kazinfoteh's inbound webhook documentation says this field tells whether the number has WhatsApp; like
        // Meta's wa_id it may carry the WhatsApp number itself, or a flag. Both are read.
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
        Interactive.ReplyType replyType = itemsType == null ? null : switch (itemsType.trim().toLowerCase(Locale.ROOT)) {
            case "button_reply", "button" -> Interactive.ReplyType.BUTTON;
            case "list_reply", "list" -> Interactive.ReplyType.LIST;
            default -> null;
        };
        return new Interactive(replyType, text(payload, "/itemsIdentifier"), text(payload, "/itemsTitle"),
                text(payload, "/itemsSubtitle"));
    }

    private static String senderName(JsonNode payload) {
        String userName = text(payload, "/uiUserName");
        if (userName != null) {
            return userName;
        }
        String full = String.join(" ", nonNull(text(payload, "/uiFirstName"), text(payload, "/uiLastName")));
        return full.isBlank() ? null : full;
    }

    // --- statuses and the rest --------------------------------------------------------------------------------

    private CanonicalMessage status(JsonNode payload) {
        String messageId = firstText(payload, STATUS_MESSAGE_ID);
        String providerState = firstText(payload, STATUS_FIELDS);
        CanonicalMessage message = start(payload, messageId, firstText(payload, STATUS_TIME));
        if (messageId != null) {
            // One message has one status per step: the step is part of the id, or a later step would look like a
            // duplicate of the first.
            message.setId(message.getId() + ":status:" + providerState.trim().toLowerCase(Locale.ROOT));
        }
        message.setKind(Kind.STATUS);
        message.setType(MessageType.STATUS);
        String customer = text(payload, "/receiver");
        if (customer != null) {
            message.setChat(new Chat(customer, Chat.Type.DIRECT, null));
        }
        Status.State state = STATES.getOrDefault(providerState.trim().toLowerCase(Locale.ROOT), Status.State.UNKNOWN);
        message.setStatus(Status.of(messageId, state, error(payload), providerState, null));
        return message;
    }

    private static String error(JsonNode payload) {
        String error = firstText(payload, STATUS_ERROR);
        String code = firstText(payload, "/errorCode", "/code");
        if (code == null) {
            return error;
        }
        return error == null ? code : code + ": " + error;
    }

    private CanonicalMessage unknown(JsonNode payload) {
        CanonicalMessage message = start(payload, text(payload, "/id"), text(payload, "/receivedAt"));
        message.setKind(Kind.EVENT);
        message.setType(MessageType.UNKNOWN);
        return message;
    }

    /** Identity, time, our number and the raw payload: what every canonical message of this provider has. */
    private CanonicalMessage start(JsonNode payload, String providerId, String time) {
        CanonicalMessage message = CanonicalMessage.of(PROVIDER, providerId != null ? providerId : Json.fingerprint(payload));
        message.setReceivedAt(instant(time));
        message.setChannel(digits(text(payload, "/channel")));
        message.setRaw(payload);
        return message;
    }

    /** A local time in the configured zone, an ISO-8601 time with offset, or Unix seconds / milliseconds. */
    private Instant instant(String value) {
        if (value != null) {
            String trimmed = value.trim();
            LocalDateTime plain = plainLocalTime(trimmed);
            if (plain != null) {
                return plain.atZone(zone).toInstant();
            }
            try {
                if (EPOCH.matcher(trimmed).matches()) {
                    long epoch = Long.parseLong(trimmed);
                    return trimmed.length() > 11 ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch);
                }
                if (trimmed.endsWith("Z") || WITH_OFFSET.matcher(trimmed).matches()) {
                    return OffsetDateTime.parse(trimmed.replace(' ', 'T')).toInstant();
                }
                return LocalDateTime.parse(trimmed, LOCAL_TIME).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                // fall through: an unreadable time must not lose the message
            }
        }
        return clock.instant();
    }

    /**
     * Kazinfoteh's own spelling, {@code 2024-08-06 15:13:10} (or with a {@code T}), read field by field: through
     * the formatter's optional sections it cost several percent of a Kazinfoteh webhook's CPU (measured). Null for
     * any other spelling, and for fields that make no date ({@code 24:00:00}, 30 February), which the formatter
     * then resolves or refuses as it always did.
     */
    private static LocalDateTime plainLocalTime(String time) {
        if (time.length() != 19 || time.charAt(4) != '-' || time.charAt(7) != '-'
                || (time.charAt(10) != ' ' && time.charAt(10) != 'T')
                || time.charAt(13) != ':' || time.charAt(16) != ':') {
            return null;
        }
        int year = decimal(time, 0, 4);
        // a year not all digits (-1), or year 0, which is no year of the formatter's era ("yyyy"): it refuses both
        if (year < 1) {
            return null;
        }
        try {
            // a field that is not all digits reads -1, which LocalDateTime refuses like any other value out of range
            return LocalDateTime.of(year, decimal(time, 5, 7), decimal(time, 8, 10),
                    decimal(time, 11, 13), decimal(time, 14, 16), decimal(time, 17, 19));
        } catch (DateTimeException notADate) {
            return null;
        }
    }

    /** The ASCII digits from {@code from} to {@code to} as a number, or -1 when one is not a digit. */
    private static int decimal(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
