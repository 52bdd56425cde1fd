package org.wagateway.provider.meta;

import static org.wagateway.canonical.Json.digits;
import static org.wagateway.canonical.Json.firstText;
import static org.wagateway.canonical.Json.flag;
import static org.wagateway.canonical.Json.integer;
import static org.wagateway.canonical.Json.number;
import static org.wagateway.canonical.Json.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.canonical.Chat;
import org.wagateway.canonical.Contact;
import org.wagateway.canonical.Delete;
import org.wagateway.canonical.Direction;
import org.wagateway.canonical.Edit;
import org.wagateway.canonical.Event;
import org.wagateway.canonical.Interactive;
import org.wagateway.canonical.InvalidPayloadException;
import org.wagateway.canonical.Json;
import org.wagateway.canonical.Kind;
import org.wagateway.canonical.Location;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MessageType;
import org.wagateway.canonical.Order;
import org.wagateway.canonical.ProviderError;
import org.wagateway.canonical.Quoted;
import org.wagateway.canonical.Reaction;
import org.wagateway.canonical.Referral;
import org.wagateway.canonical.Sender;
import org.wagateway.canonical.Status;
import org.wagateway.provider.Provider;

/**
 * Maps the webhook of Meta's WhatsApp Cloud API (the WhatsApp Business Account {@code messages} webhook,
 * developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages) to canonical
 * messages. One webhook may batch many notifications: every {@code entry[].changes[].value} carries
 * {@code messages[]} (what customers sent) and {@code statuses[]} (where our messages stand), and each of those
 * becomes its own canonical message, in the payload's order. A change without either (a template or account
 * update) gives none.
 *
 * <p>{@code raw} of each canonical message is the webhook narrowed to that one notification: the same envelope
 * with its entry, its change, the change's {@code metadata}, the sender's entry of {@code contacts[]} and the one
 * message or status. A consumer of one customer's message thus never receives another customer's message that
 * came in the same batch.
 *
 * <p>Unknown fields are ignored, missing ones read as null, and an unknown {@code type} (Meta's
 * {@code unsupported} included) gives {@code type: unknown} with Meta's {@code errors[]} kept.
 */
@Component("metaMapper")
public class MetaMapper {

    public static final String PROVIDER = Provider.META.id();

    /** The value of {@code object} in every WhatsApp Business Account webhook. */
    static final String WHATSAPP_BUSINESS_ACCOUNT = "whatsapp_business_account";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Meta's {@code statuses[].status} values to the canonical state; any other is unknown. */
    private static final Map<String, Status.State> STATES = Map.of(
            "sent", Status.State.SENT,
            "delivered", Status.State.DELIVERED,
            "read", Status.State.READ,
            "played", Status.State.PLAYED,
            "failed", Status.State.FAILED);

    private final Clock clock;

    @Autowired
    public MetaMapper() {
        this(Clock.systemUTC());
    }

    public MetaMapper(Clock clock) {
        this.clock = clock;
    }

    /** Every message and status of the webhook, in payload order; an empty list when it carries none. */
    public List<CanonicalMessage> toCanonical(JsonNode webhook) {
        if (webhook == null || !webhook.isObject()) {
            throw new InvalidPayloadException("Meta webhook body must be a JSON object");
        }
        if (!WHATSAPP_BUSINESS_ACCOUNT.equals(text(webhook, "/object"))) {
            throw new InvalidPayloadException("Meta webhook body must have object \"" + WHATSAPP_BUSINESS_ACCOUNT + "\"");
        }
        JsonNode entries = webhook.path("entry");
        if (!entries.isArray()) {
            throw new InvalidPayloadException("Meta webhook body must have an entry array");
        }
        List<CanonicalMessage> messages = new ArrayList<>();
        for (JsonNode entry : entries) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                for (JsonNode message : value.path("messages")) {
                    messages.add(message(value, message, narrowed(webhook, entry, change, "messages", message)));
                }
                for (JsonNode status : value.path("statuses")) {
                    messages.add(status(value, status, narrowed(webhook, entry, change, "statuses", status)));
                }
            }
        }
        return messages;
    }

    // --- messages ----------------------------------------------------------------------------------------------

    private CanonicalMessage message(JsonNode value, JsonNode item, JsonNode raw) {
        CanonicalMessage message = start(value, item, raw);
        message.setKind(Kind.MESSAGE);
        message.setDirection(Direction.INBOUND);
        String from = text(item, "/from");
        if (from != null) {
            message.setChat(new Chat(from, Chat.Type.DIRECT, null));
        }
        String name = profileName(value, from);
        if (from != null || name != null) {
            message.setSender(new Sender(from, digits(from), name, null));
        }
        String type = text(item, "/type");
        switch (type == null ? "" : type) {
            case "text" -> {
                message.setType(MessageType.TEXT);
                message.setText(text(item, "/text/body"));
            }
            case "image" -> media(item, "image", MessageType.IMAGE, message);
            case "video" -> media(item, "video", MessageType.VIDEO, message);
            case "audio" -> media(item, "audio", MessageType.AUDIO, message);
            case "document" -> media(item, "document", MessageType.DOCUMENT, message);
            case "sticker" -> media(item, "sticker", MessageType.STICKER, message);
            case "location" -> location(item, message);
            case "contacts" -> contacts(item, message);
            case "interactive" -> interactive(item, message);
            case "button" -> templateButton(item, message);
            case "reaction" -> reaction(item, message);
            case "edit" -> edit(item, message);
            case "revoke" -> {
                message.setType(MessageType.DELETE);
                message.setDelete(new Delete(text(item, "/revoke/original_message_id")));
            }
            case "order" -> order(item, message);
            case "system" -> system(item, message);
            default -> message.setType(MessageType.UNKNOWN);
        }
        context(item.path("context"), message);
        message.setReferral(referral(item.path("referral")));
        List<ProviderError> errors = errors(item.path("errors"));
        if (!errors.isEmpty()) {
            message.setErrors(errors);
        }
        return message;
    }

    /**
     * Image, video, audio, document and sticker: Meta names the file by its media {@code id} (its link is asked
     * for with that id) and announces its SHA-256; a voice note is an audio with {@code voice: true}.
     */
    private static void media(JsonNode item, String field, MessageType type, CanonicalMessage message) {
        JsonNode media = item.path(field);
        message.setType(type);
        message.setCaption(text(media, "/caption"));
        String id = text(media, "/id");
        String mimeType = text(media, "/mime_type");
        String sha256 = text(media, "/sha256");
        String fileName = text(media, "/filename");
        Boolean animated = flag(media, "/animated");
        Boolean voice = flag(media, "/voice");
        if (id != null || mimeType != null || sha256 != null || fileName != null || animated != null
                || voice != null) {
            message.setMedia(Media.byId(id, mimeType, sha256, fileName, animated, voice));
        }
    }

    private static void location(JsonNode item, CanonicalMessage message) {
        JsonNode location = item.path("location");
        message.setType(MessageType.LOCATION);
        message.setLocation(new Location(number(location, "/latitude"), number(location, "/longitude"),
                text(location, "/address"), text(location, "/name")));
    }

    private static void contacts(JsonNode item, CanonicalMessage message) {
        message.setType(MessageType.CONTACTS);
        List<Contact> contacts = new ArrayList<>();
        for (JsonNode card : item.path("contacts")) {
            List<Contact.Phone> phones = new ArrayList<>();
            for (JsonNode phone : card.path("phones")) {
                String number = text(phone, "/phone");
                String waId = digits(text(phone, "/wa_id"));
                if (number != null) {
                    phones.add(new Contact.Phone(number, waId != null ? Boolean.TRUE : null, waId,
                            text(phone, "/type")));
                } else if (waId != null) {
                    phones.add(new Contact.Phone(waId, Boolean.TRUE, waId, text(phone, "/type")));
                }
            }
            List<Contact.Email> emails = new ArrayList<>();
            for (JsonNode email : card.path("emails")) {
                String address = text(email, "/email");
                if (address != null) {
                    emails.add(new Contact.Email(address, text(email, "/type")));
                }
            }
            contacts.add(new Contact(text(card, "/name/formatted_name"), text(card, "/name/first_name"),
                    text(card, "/name/last_name"), phones, emails, null));
        }
        message.setContacts(contacts);
    }

    /**
     * The answer to our interactive message: a reply button, a list row, or a form of WhatsApp Flows
     * ({@code nfm_reply}, whose {@code response_json} is a JSON object sent as a string). {@code context.id} is
     * our message that carried them.
     */
    private static void interactive(JsonNode item, CanonicalMessage message) {
        JsonNode interactive = item.path("interactive");
        String messageId = text(item, "/context/id");
        String type = text(interactive, "/type");
        Interactive answer = switch (type == null ? "" : type) {
            case "button_reply" -> new Interactive(Interactive.ReplyType.BUTTON,
                    text(interactive, "/button_reply/id"), text(interactive, "/button_reply/title"), null, null,
                    messageId);
            case "list_reply" -> new Interactive(Interactive.ReplyType.LIST, text(interactive, "/list_reply/id"),
                    text(interactive, "/list_reply/title"), text(interactive, "/list_reply/description"), null,
                    messageId);
            case "nfm_reply" -> new Interactive(Interactive.ReplyType.FLOW, null,
                    text(interactive, "/nfm_reply/body"), null, null, messageId,
                    text(interactive, "/nfm_reply/name"), flowResponse(interactive.path("nfm_reply")));
            default -> null;
        };
        if (answer == null) {
            message.setType(MessageType.UNKNOWN);
            return;
        }
        message.setType(MessageType.INTERACTIVE);
        message.setInteractive(answer);
    }

    /** {@code response_json}: a JSON object as a string; anything else is left in {@code raw}. */
    private static JsonNode flowResponse(JsonNode reply) {
        JsonNode response = reply.path("response_json");
        if (response.isObject()) {
            return response;
        }
        if (!response.isTextual()) {
            return null;
        }
        try {
            JsonNode parsed = JSON.readTree(response.asText());
            return parsed != null && parsed.isObject() ? parsed : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A quick-reply button of our template: its {@code payload} is our id of it, {@code text} its label. */
    private static void templateButton(JsonNode item, CanonicalMessage message) {
        message.setType(MessageType.INTERACTIVE);
        message.setInteractive(new Interactive(Interactive.ReplyType.BUTTON, text(item, "/button/payload"),
                text(item, "/button/text"), null, null, text(item, "/context/id")));
    }

    /** Meta sends a taken-back reaction as a reaction without an emoji (missing or empty). */
    private static void reaction(JsonNode item, CanonicalMessage message) {
        message.setType(MessageType.REACTION);
        String emoji = text(item, "/reaction/emoji");
        message.setReaction(new Reaction(emoji, text(item, "/reaction/message_id"), emoji == null));
    }

    /** The new content is a message of its own type in {@code edit.message}: its text, or a media caption. */
    private static void edit(JsonNode item, CanonicalMessage message) {
        JsonNode edit = item.path("edit");
        JsonNode changed = edit.path("message");
        String changedType = text(changed, "/type");
        String text = firstText(changed, "/text/body",
                "/" + (changedType == null ? "text" : changedType) + "/caption");
        message.setType(MessageType.EDIT);
        message.setEdit(new Edit(text(edit, "/original_message_id"), text));
    }

    private static void order(JsonNode item, CanonicalMessage message) {
        JsonNode order = item.path("order");
        List<Order.Item> items = new ArrayList<>();
        for (JsonNode product : order.path("product_items")) {
            items.add(new Order.Item(text(product, "/product_retailer_id"), integer(product, "/quantity"),
                    number(product, "/item_price"), text(product, "/currency")));
        }
        message.setType(MessageType.ORDER);
        message.setOrder(new Order(text(order, "/catalog_id"), text(order, "/text"), items));
    }

    /**
     * A notice of WhatsApp about the customer (the customer changed number: {@code user_changed_number}); an
     * event of a kind the closed list of event types has no name for, so {@code type: unknown}, its words in
     * {@code text} and the new number in {@code raw}.
     */
    private static void system(JsonNode item, CanonicalMessage message) {
        message.setKind(Kind.EVENT);
        message.setType(MessageType.UNKNOWN);
        message.setDirection(null);
        message.setText(text(item, "/system/body"));
        String name = text(item, "/system/type");
        message.setEvent(new Event(name != null ? name : "system", null, null, null));
    }

    /**
     * {@code context}: the message replied to ({@code id}, {@code from}) and the forwarding marks; a message
     * that is only forwarded has no {@code id}.
     */
    private static void context(JsonNode context, CanonicalMessage message) {
        if (!context.isObject()) {
            return;
        }
        String id = text(context, "/id");
        String from = text(context, "/from");
        if ((id != null || from != null) && message.getType() != MessageType.REACTION) {
            message.setQuoted(new Quoted(id, null, from, null, null));
        }
        Boolean forwarded = flag(context, "/forwarded");
        Boolean frequently = flag(context, "/frequently_forwarded");
        if (forwarded != null || frequently != null) {
            message.setForwarded(Boolean.TRUE.equals(forwarded) || Boolean.TRUE.equals(frequently));
            message.setFrequentlyForwarded(frequently);
        }
    }

    /** The click-to-WhatsApp ad or post the customer came from; {@code image_url}/{@code video_url} by type. */
    private static Referral referral(JsonNode referral) {
        if (!referral.isObject() || referral.isEmpty()) {
            return null;
        }
        String mediaType = text(referral, "/media_type");
        return new Referral(text(referral, "/source_id"), text(referral, "/source_type"),
                text(referral, "/source_url"), mediaType, text(referral, "/thumbnail_url"), null, null, null, null,
                null, text(referral, "/headline"), text(referral, "/body"), text(referral, "/ctwa_clid"));
    }

    // --- statuses ----------------------------------------------------------------------------------------------

    /** Each step (sent, delivered, read, failed) of one message is its own status with the same {@code id}. */
    private CanonicalMessage status(JsonNode value, JsonNode item, JsonNode raw) {
        CanonicalMessage message = start(value, item, raw);
        String providerState = text(item, "/status");
        String messageId = text(item, "/id");
        if (messageId != null) {
            message.setId(message.getId() + ":status:" + Json.lowerWord(providerState));
        }
        message.setKind(Kind.STATUS);
        message.setType(MessageType.STATUS);
        String recipient = text(item, "/recipient_id");
        if (recipient != null) {
            message.setChat(new Chat(recipient,
                    "group".equals(text(item, "/recipient_type")) ? Chat.Type.GROUP : Chat.Type.DIRECT, null));
        }
        Status.State state = providerState == null ? Status.State.UNKNOWN
                : STATES.getOrDefault(Json.lowerWord(providerState), Status.State.UNKNOWN);
        List<ProviderError> errors = errors(item.path("errors"));
        String error = errors.isEmpty() ? null : errors.get(0).summary();
        message.setStatus(Status.of(messageId, state, error, providerState, null, conversation(item),
                pricing(item.path("pricing")), errors));
        return message;
    }

    private static Status.Conversation conversation(JsonNode item) {
        JsonNode conversation = item.path("conversation");
        if (!conversation.isObject()) {
            return null;
        }
        Instant expires = Json.epochSeconds(conversation.path("expiration_timestamp"));
        String id = text(conversation, "/id");
        String origin = text(conversation, "/origin/type");
        return id == null && origin == null && expires == null ? null
                : new Status.Conversation(id, origin, expires);
    }

    private static Status.Pricing pricing(JsonNode pricing) {
        if (!pricing.isObject()) {
            return null;
        }
        Boolean billable = flag(pricing, "/billable");
        String model = text(pricing, "/pricing_model");
        String category = text(pricing, "/category");
        String type = text(pricing, "/type");
        return billable == null && model == null && category == null && type == null ? null
                : new Status.Pricing(billable, model, category, type);
    }

    // --- parts of every notification ---------------------------------------------------------------------------

    /** Identity, time, our number and the raw payload. */
    private CanonicalMessage start(JsonNode value, JsonNode item, JsonNode raw) {
        String wamid = text(item, "/id");
        CanonicalMessage message = CanonicalMessage.of(PROVIDER, wamid != null ? wamid : Json.fingerprint(raw));
        Instant at = Json.epochSeconds(item.path("timestamp"));
        message.setReceivedAt(at != null ? at : clock.instant());
        message.setChannel(digits(text(value, "/metadata/display_phone_number")));
        message.setChannelId(text(value, "/metadata/phone_number_id"));
        message.setRaw(raw);
        return message;
    }

    /** The profile name of the contact whose {@code wa_id} is the sender's. */
    private static String profileName(JsonNode value, String from) {
        JsonNode contact = contactOf(value, from);
        return contact == null ? null : text(contact, "/profile/name");
    }

    private static JsonNode contactOf(JsonNode value, String waId) {
        if (waId == null) {
            return null;
        }
        for (JsonNode contact : value.path("contacts")) {
            if (waId.equals(text(contact, "/wa_id"))) {
                return contact;
            }
        }
        return null;
    }

    private static List<ProviderError> errors(JsonNode errors) {
        List<ProviderError> list = new ArrayList<>();
        for (JsonNode error : errors) {
            if (error.isObject()) {
                list.add(new ProviderError(integer(error, "/code"), text(error, "/title"), text(error, "/message"),
                        firstText(error, "/error_data/details", "/details"), text(error, "/href")));
            }
        }
        return list;
    }

    /**
     * The webhook with only this one message or status: its entry and change, the change's other fields, and of
     * {@code contacts[]} only the entry of the message's sender.
     */
    private static JsonNode narrowed(JsonNode webhook, JsonNode entry, JsonNode change, String list, JsonNode item) {
        JsonNode contact = "messages".equals(list) ? contactOf(change.path("value"), text(item, "/from")) : null;
        Map<String, JsonNode> lists = new HashMap<>();
        lists.put("messages", null);
        lists.put("statuses", null);
        lists.put("contacts", contact == null ? null : JSON.createArrayNode().add(contact.deepCopy()));
        lists.put(list, JSON.createArrayNode().add(item.deepCopy()));
        ObjectNode value = replaced(change.path("value"), lists);
        ObjectNode narrowChange = replaced(change, Map.of("value", value));
        ObjectNode narrowEntry = replaced(entry, Map.of("changes", JSON.createArrayNode().add(narrowChange)));
        return replaced(webhook, Map.of("entry", JSON.createArrayNode().add(narrowEntry)));
    }

    /**
     * A copy of an object, in its field order, with the given fields replaced (a null drops the field) and
     * added where missing; the fields replaced are those a batch holds many of, so they are never copied whole.
     */
    private static ObjectNode replaced(JsonNode node, Map<String, JsonNode> replacements) {
        ObjectNode copy = JSON.createObjectNode();
        node.fields().forEachRemaining(field -> {
            if (!replacements.containsKey(field.getKey())) {
                copy.set(field.getKey(), field.getValue().deepCopy());
            } else if (replacements.get(field.getKey()) != null) {
                copy.set(field.getKey(), replacements.get(field.getKey()));
            }
        });
        replacements.forEach((key, replacement) -> {
            if (replacement != null && !copy.has(key)) {
                copy.set(key, replacement);
            }
        });
        return copy;
    }

}
