package org.wagateway.provider.greenapi;

import static org.wagateway.canonical.Json.blankText;
import static org.wagateway.canonical.Json.firstText;
import static org.wagateway.canonical.Json.flag;
import static org.wagateway.canonical.Json.integer;
import static org.wagateway.canonical.Json.number;
import static org.wagateway.canonical.Json.text;
import static org.wagateway.canonical.Json.texts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.canonical.Contact;
import org.wagateway.canonical.Delete;
import org.wagateway.canonical.Edit;
import org.wagateway.canonical.GroupInvite;
import org.wagateway.canonical.Interactive;
import org.wagateway.canonical.LinkPreview;
import org.wagateway.canonical.Location;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MessageType;
import org.wagateway.canonical.Poll;
import org.wagateway.canonical.Quoted;
import org.wagateway.canonical.Reaction;
import org.wagateway.canonical.Referral;
import org.wagateway.provider.VCard;

/**
 * Reads Green API's {@code messageData} into a canonical message, one method per family of {@code typeMessage}.
 * Every family may carry a {@code quotedMessage} (the message replied to) and the forwarding marks
 * {@code isForwarded}/{@code forwardingScore}; these are read for all. Base64 previews ({@code jpegThumbnail})
 * stay in {@code raw}: only the fact that there is one is copied.
 */
final class GreenApiMessages {

    private static final Pattern URL = Pattern.compile("https?://\\S+");

    private record Family(MessageType type, BiConsumer<JsonNode, CanonicalMessage> reader) {
    }

    private static final Map<String, Family> FAMILIES = Map.ofEntries(
            Map.entry("textMessage", new Family(MessageType.TEXT, GreenApiMessages::plainText)),
            Map.entry("extendedTextMessage", new Family(MessageType.TEXT, GreenApiMessages::extendedText)),
            Map.entry("quotedMessage", new Family(MessageType.TEXT, GreenApiMessages::legacyQuote)),
            Map.entry("imageMessage", new Family(MessageType.IMAGE, GreenApiMessages::file)),
            Map.entry("videoMessage", new Family(MessageType.VIDEO, GreenApiMessages::file)),
            Map.entry("documentMessage", new Family(MessageType.DOCUMENT, GreenApiMessages::file)),
            Map.entry("audioMessage", new Family(MessageType.AUDIO, GreenApiMessages::file)),
            Map.entry("stickerMessage", new Family(MessageType.STICKER, GreenApiMessages::file)),
            Map.entry("locationMessage", new Family(MessageType.LOCATION, GreenApiMessages::location)),
            Map.entry("contactMessage", new Family(MessageType.CONTACTS, GreenApiMessages::contact)),
            Map.entry("contactsArrayMessage", new Family(MessageType.CONTACTS, GreenApiMessages::contactsArray)),
            Map.entry("buttonsResponseMessage", new Family(MessageType.INTERACTIVE, GreenApiMessages::buttonReply)),
            // The docs name the type with and without the "s"; the data object is templateButtonReplyMessage.
            Map.entry("templateButtonsReplyMessage", new Family(MessageType.INTERACTIVE, GreenApiMessages::templateButtonReply)),
            Map.entry("templateButtonReplyMessage", new Family(MessageType.INTERACTIVE, GreenApiMessages::templateButtonReply)),
            Map.entry("listResponseMessage", new Family(MessageType.INTERACTIVE, GreenApiMessages::listReply)),
            Map.entry("interactiveButtonsResponse", new Family(MessageType.INTERACTIVE, GreenApiMessages::interactiveButtonReply)),
            Map.entry("reactionMessage", new Family(MessageType.REACTION, GreenApiMessages::reaction)),
            Map.entry("pollMessage", new Family(MessageType.POLL, GreenApiMessages::poll)),
            Map.entry("pollUpdateMessage", new Family(MessageType.POLL_UPDATE, GreenApiMessages::pollUpdate)),
            Map.entry("editedMessage", new Family(MessageType.EDIT, GreenApiMessages::edited)),
            Map.entry("deletedMessage", new Family(MessageType.DELETE, GreenApiMessages::deleted)),
            Map.entry("groupInviteMessage", new Family(MessageType.GROUP_INVITE, GreenApiMessages::groupInvite)));

    private GreenApiMessages() {
    }

    /** Sets the type and the type's own fields of {@code message} from {@code data} (the {@code messageData}). */
    static void read(JsonNode data, CanonicalMessage message) {
        Family family = FAMILIES.get(String.valueOf(text(data, "/typeMessage")));
        if (family == null) {
            message.setType(MessageType.UNKNOWN);
            return;
        }
        message.setType(family.type());
        family.reader().accept(data, message);
        forwarding(data, message);
        if (message.getQuoted() == null && family.type() != MessageType.REACTION) {
            message.setQuoted(quoted(data.path("quotedMessage")));
        }
    }

    /** The canonical type of a {@code typeMessage}; {@code unknown} for one this mapper does not know. */
    static MessageType typeOf(String typeMessage) {
        Family family = typeMessage == null ? null : FAMILIES.get(typeMessage);
        return family == null ? MessageType.UNKNOWN : family.type();
    }

    // --- text ------------------------------------------------------------------------------------------------

    private static void plainText(JsonNode data, CanonicalMessage message) {
        message.setText(text(data, "/textMessageData/textMessage"));
    }

    /** Text with a link preview, or a message that came from an ad (Green API's incomingMessageReceived docs). */
    private static void extendedText(JsonNode data, CanonicalMessage message) {
        JsonNode ext = data.path("extendedTextMessageData");
        String text = text(ext, "/text");
        message.setText(text);
        String title = text(ext, "/title");
        String description = text(ext, "/description");
        Boolean thumbnail = text(ext, "/jpegThumbnail") != null ? Boolean.TRUE : null;
        if (title != null || description != null || thumbnail != null) {
            message.setLinkPreview(new LinkPreview(title, description, firstUrl(text), thumbnail));
        }
        message.setReferral(referral(ext));
    }

    private static Referral referral(JsonNode ext) {
        String sourceId = text(ext, "/sourceId");
        String sourceType = text(ext, "/sourceType");
        String sourceUrl = text(ext, "/sourceUrl");
        String conversionSource = text(ext, "/conversionSource");
        String entryPoint = text(ext, "/entryPointConversionApp");
        String thumbnailUrl = text(ext, "/thumbnailUrl");
        if (sourceId == null && sourceType == null && sourceUrl == null && conversionSource == null
                && entryPoint == null && thumbnailUrl == null) {
            return null;
        }
        return new Referral(sourceId, sourceType, sourceUrl, text(ext, "/mediaType"), thumbnailUrl, conversionSource,
                entryPoint, flag(ext, "/showAdAttribution"), flag(ext, "/containsAutoReply"), text(ext, "/previewType"));
    }

    /**
     * The deprecated {@code typeMessage: quotedMessage}: the text is in {@code extendedTextMessageData}, the quoted
     * message in {@code quotedMessage} or, in older bodies, only as {@code stanzaId}/{@code participant}.
     */
    private static void legacyQuote(JsonNode data, CanonicalMessage message) {
        extendedText(data, message);
        Quoted quoted = quoted(data.path("quotedMessage"));
        if (quoted == null) {
            String stanzaId = text(data, "/extendedTextMessageData/stanzaId");
            String participant = text(data, "/extendedTextMessageData/participant");
            quoted = stanzaId == null && participant == null ? null : new Quoted(stanzaId, null, participant, null, null);
        }
        message.setQuoted(quoted);
    }

    // --- media, location, contacts --------------------------------------------------------------------------

    /** Image, video, document, audio and sticker: one {@code fileMessageData} shape. */
    private static void file(JsonNode data, CanonicalMessage message) {
        JsonNode file = data.path("fileMessageData");
        message.setCaption(text(file, "/caption"));
        String url = text(file, "/downloadUrl");
        String mimeType = text(file, "/mimeType");
        String fileName = text(file, "/fileName");
        Boolean thumbnail = text(file, "/jpegThumbnail") != null ? Boolean.TRUE : null;
        Boolean animated = flag(file, "/isAnimated");
        if (url != null || mimeType != null || fileName != null || thumbnail != null || animated != null) {
            message.setMedia(new Media(url, mimeType, fileName, thumbnail, animated));
        }
    }

    private static void location(JsonNode data, CanonicalMessage message) {
        JsonNode location = data.path("locationMessageData");
        message.setLocation(new Location(number(location, "/latitude"), number(location, "/longitude"),
                text(location, "/address"), text(location, "/nameLocation")));
    }

    private static void contact(JsonNode data, CanonicalMessage message) {
        JsonNode contact = data.path("contactMessageData");
        message.setContacts(List.of(VCard.parse(text(contact, "/displayName"), text(contact, "/vcard"))));
    }

    /** The docs' sample nests the array in a second {@code messageData}; the field table puts it at the top. */
    private static void contactsArray(JsonNode data, CanonicalMessage message) {
        JsonNode array = data.at("/messageData/contacts");
        if (!array.isArray()) {
            array = data.path("contacts");
        }
        List<Contact> contacts = new ArrayList<>();
        for (JsonNode contact : array) {
            contacts.add(VCard.parse(text(contact, "/displayName"), text(contact, "/vcard")));
        }
        message.setContacts(contacts);
    }

    // --- answers to our buttons and lists ------------------------------------------------------------------

    private static void buttonReply(JsonNode data, CanonicalMessage message) {
        JsonNode reply = data.path("buttonsResponseMessage");
        message.setInteractive(new Interactive(Interactive.ReplyType.BUTTON, text(reply, "/selectedButtonId"),
                text(reply, "/selectedButtonText"), null, null, text(reply, "/stanzaId")));
    }

    private static void templateButtonReply(JsonNode data, CanonicalMessage message) {
        JsonNode reply = data.path("templateButtonReplyMessage");
        if (reply.isMissingNode()) {
            reply = data.path("templateButtonsReplyMessage");
        }
        message.setInteractive(new Interactive(Interactive.ReplyType.BUTTON, text(reply, "/selectedId"),
                text(reply, "/selectedDisplayText"), null, integer(reply, "/selectedIndex"), text(reply, "/stanzaId")));
    }

    /**
     * The answer to reply buttons sent with {@code sendInteractiveButtonsReply}: Green API's sample names the
     * fields as for template buttons ({@code selectedId}, {@code selectedDisplayText}, {@code selectedIndex}),
     * some instances as for simple buttons ({@code selectedButtonId}, {@code selectedButtonText}); both are read.
     */
    private static void interactiveButtonReply(JsonNode data, CanonicalMessage message) {
        JsonNode reply = data.path("interactiveButtonsResponse");
        message.setInteractive(new Interactive(Interactive.ReplyType.BUTTON,
                firstText(reply, "/selectedId", "/selectedButtonId"),
                firstText(reply, "/selectedDisplayText", "/selectedButtonText"), null,
                integer(reply, "/selectedIndex"), text(reply, "/stanzaId")));
    }

    /** {@code singleSelectReply} is the chosen row's id; some bodies send it as {@code {"selectedRowId": ...}}. */
    private static void listReply(JsonNode data, CanonicalMessage message) {
        JsonNode reply = data.path("listResponseMessage");
        message.setInteractive(new Interactive(Interactive.ReplyType.LIST,
                firstText(reply, "/singleSelectReply", "/singleSelectReply/selectedRowId"), text(reply, "/title"),
                text(reply, "/description"), null, text(reply, "/stanzaId")));
    }

    // --- reactions, polls, edits, deletions, invitations -----------------------------------------------------

    /** The emoji is in {@code extendedTextMessageData.text}; an empty one takes the reaction back. */
    private static void reaction(JsonNode data, CanonicalMessage message) {
        String emoji = firstText(data, "/extendedTextMessageData/text", "/reactionMessageData/text");
        Boolean removed = emoji != null ? Boolean.FALSE
                : blankText(data, "/extendedTextMessageData/text") || blankText(data, "/reactionMessageData/text")
                        ? Boolean.TRUE : null;
        message.setReaction(new Reaction(emoji, text(data, "/quotedMessage/stanzaId"), removed));
    }

    private static void poll(JsonNode data, CanonicalMessage message) {
        JsonNode poll = data.path("pollMessageData");
        List<String> options = new ArrayList<>();
        for (JsonNode option : poll.path("options")) {
            String name = option.isTextual() ? option.asText() : text(option, "/optionName");
            if (name != null && !name.isBlank()) {
                options.add(name);
            }
        }
        message.setPoll(new Poll(text(poll, "/name"), options, flag(poll, "/multipleAnswers"), null, List.of()));
    }

    /** The poll's state after a vote: every option with who chose it now; {@code stanzaId} is the poll's id. */
    private static void pollUpdate(JsonNode data, CanonicalMessage message) {
        JsonNode poll = data.path("pollMessageData");
        List<String> options = new ArrayList<>();
        List<Poll.Vote> votes = new ArrayList<>();
        for (JsonNode vote : poll.path("votes")) {
            String option = text(vote, "/optionName");
            if (option != null) {
                options.add(option);
            }
            votes.add(new Poll.Vote(option, texts(vote, "/optionVoters")));
        }
        message.setPoll(new Poll(text(poll, "/name"), options, flag(poll, "/multipleAnswers"),
                text(poll, "/stanzaId"), votes));
    }

    private static void edited(JsonNode data, CanonicalMessage message) {
        JsonNode edited = data.path("editedMessageData");
        message.setEdit(new Edit(text(edited, "/stanzaId"), firstText(edited, "/textMessage", "/text", "/caption")));
    }

    private static void deleted(JsonNode data, CanonicalMessage message) {
        message.setDelete(new Delete(text(data, "/deletedMessageData/stanzaId")));
    }

    private static void groupInvite(JsonNode data, CanonicalMessage message) {
        JsonNode invite = data.path("groupInviteMessageData");
        message.setCaption(text(invite, "/caption"));
        message.setGroupInvite(new GroupInvite(text(invite, "/groupJid"), text(invite, "/groupName"),
                text(invite, "/inviteCode"), expiration(invite.path("inviteExpiration"))));
    }

    /** Unix time as a number, a string, or a protobuf Long object ({@code {"low": ..., "high": ..., "unsigned": ...}}). */
    private static Instant expiration(JsonNode value) {
        long epoch;
        if (value.isObject()) {
            if (!value.path("low").canConvertToLong()) {
                return null;
            }
            epoch = (value.path("high").asLong() << 32) | (value.path("low").asLong() & 0xFFFFFFFFL);
        } else if (value.canConvertToLong() || value.isTextual() && value.asText().trim().matches("\\d{1,13}")) {
            epoch = value.isTextual() ? Long.parseLong(value.asText().trim()) : value.asLong();
        } else {
            return null;
        }
        if (epoch <= 0) {
            return null;
        }
        return epoch > 100_000_000_000L ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch);
    }

    // --- parts every family may carry ----------------------------------------------------------------------

    /**
     * The message replied to; its own fields are those of an incoming message of its type (Green API's
     * incomingMessageReceived documentation).
     */
    private static Quoted quoted(JsonNode quoted) {
        if (!quoted.isObject()) {
            return null;
        }
        String id = text(quoted, "/stanzaId");
        String typeMessage = text(quoted, "/typeMessage");
        String sender = text(quoted, "/participant");
        String text = firstText(quoted, "/textMessage", "/text", "/extendedTextMessage/text", "/conversation");
        String caption = text(quoted, "/caption");
        if (id == null && typeMessage == null && sender == null && text == null && caption == null) {
            return null;
        }
        return new Quoted(id, typeMessage == null ? null : typeOf(typeMessage), sender, text, caption);
    }

    /** {@code isForwarded}/{@code forwardingScore}: in the type's data object, or (contacts array) beside it. */
    private static void forwarding(JsonNode data, CanonicalMessage message) {
        List<JsonNode> places = new ArrayList<>();
        places.add(data);
        data.fields().forEachRemaining(field -> {
            if (field.getValue().isObject() && !"quotedMessage".equals(field.getKey())) {
                places.add(field.getValue());
            }
        });
        for (JsonNode place : places) {
            Boolean forwarded = flag(place, "/isForwarded");
            Integer score = integer(place, "/forwardingScore");
            if (forwarded != null || score != null) {
                message.setForwarded(forwarded != null ? forwarded : score > 0);
                message.setForwardingScore(score);
                return;
            }
        }
    }

    private static String firstUrl(String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = URL.matcher(text);
        return matcher.find() ? matcher.group() : null;
    }
}
