package org.wagateway.provider.greenapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wagateway.Fixtures;
import org.wagateway.canonical.CanonicalMessage;
import org.wagateway.canonical.Chat;
import org.wagateway.canonical.Contact;
import org.wagateway.canonical.Direction;
import org.wagateway.canonical.Event;
import org.wagateway.canonical.GroupInvite;
import org.wagateway.canonical.Interactive;
import org.wagateway.canonical.InvalidPayloadException;
import org.wagateway.canonical.Kind;
import org.wagateway.canonical.LinkPreview;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MessageType;
import org.wagateway.canonical.Poll;
import org.wagateway.canonical.Quoted;
import org.wagateway.canonical.Reaction;
import org.wagateway.canonical.Referral;
import org.wagateway.canonical.Sender;
import org.wagateway.canonical.Status;

/**
 * Green API's webhook. Fixtures follow Green API's incomingMessageReceived documentation
 * ({@code extended-text-message*.json}, {@code quoted-message.json}) and the bodies of Green API's public
 * "Incoming notifications format" pages (green-api.com/en/docs/api/receiving/notifications-format/...) for the
 * rest; {@code contacts-array-message.json} and {@code group-invite-message.json} follow Green API's Apidog
 * samples. Invented values use 127.0.0.1:1 URLs. {@code unknown-type-*.json} are invented to stand for types this
 * mapper does not know.
 */
class GreenApiMapperTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final GreenApiMapper mapper = new GreenApiMapper(Clock.fixed(NOW, ZoneOffset.UTC));

    private CanonicalMessage map(String fixture) {
        return mapper.toCanonical(Fixtures.load("greenapi/" + fixture));
    }

    private static ObjectNode fixture(String fixture) {
        return Fixtures.load("greenapi/" + fixture).deepCopy();
    }

    // --- the envelope: identity, time, chat, sender ------------------------------------------------------------

    @Test
    @DisplayName("senderData.chatId 79001234568@c.us: sender.phone 79001234568, a direct chat")
    void personalChatSenderPhoneIsTheChatNumber() {
        CanonicalMessage message = map("text-message.json");

        assertThat(message.getSender()).isEqualTo(
                new Sender("79001234568@c.us", "79001234568", "Иван", "Иван Васильевич"));
        assertThat(message.getChat()).isEqualTo(new Chat("79001234568@c.us", Chat.Type.DIRECT, "Иван"));
    }

    @Test
    void idTimeAndChannelComeFromTheEnvelope() {
        CanonicalMessage message = map("text-message.json");

        assertThat(message.getId()).isEqualTo("greenapi:F7AEC1B7086ECDC7E6E45923F5EDB826");
        assertThat(message.getProviderMessageId()).isEqualTo("F7AEC1B7086ECDC7E6E45923F5EDB826");
        assertThat(message.getProvider()).isEqualTo("greenapi");
        assertThat(message.getReceivedAt()).isEqualTo(Instant.ofEpochSecond(1588091580));
        assertThat(message.getChannel()).isEqualTo("11001234567");
    }

    @Test
    void incomingMessageIsAnInboundMessageAndKeepsThePayload() {
        JsonNode payload = Fixtures.load("greenapi/text-message.json");
        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getKind()).isEqualTo(Kind.MESSAGE);
        assertThat(message.getDirection()).isEqualTo(Direction.INBOUND);
        assertThat(message.getRaw()).isEqualTo(payload);
    }

    @Test
    @DisplayName("a chat id ending @g.us is a group; the sender is senderData.sender"
            + " (Green API incomingMessageReceived group sample)")
    void groupChatSenderIsSenderDataSender() {
        CanonicalMessage message = map("extended-text-message-group.json");

        assertThat(message.getChat()).isEqualTo(new Chat("120363369140947676@g.us", Chat.Type.GROUP, "Группа"));
        assertThat(message.getSender().id()).isEqualTo("79001234568@c.us");
        assertThat(message.getSender().phone()).isEqualTo("79001234568");
        assertThat(message.getSender().name()).isEqualTo("Иван");
    }

    @Test
    @DisplayName("a group message without senderData.sender never takes the group id as sender")
    void groupWithoutSenderHasNoSender() {
        ObjectNode payload = fixture("extended-text-message-group.json");
        ((ObjectNode) payload.get("senderData")).remove("sender");

        Sender sender = mapper.toCanonical(payload).getSender();

        assertThat(sender.id()).isNull();
        assertThat(sender.phone()).isNull();
    }

    @Test
    @DisplayName("senderData.senderPhoneNumber, where given, is the sender's phone")
    void senderPhoneNumberWins() {
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.get("senderData")).put("sender", "104857600123456@lid").put("senderPhoneNumber", 79991112233L);

        Sender sender = mapper.toCanonical(payload).getSender();

        assertThat(sender.id()).isEqualTo("104857600123456@lid");
        assertThat(sender.phone()).isEqualTo("79991112233");
    }

    @Test
    void senderIdThatHidesTheNumberHasNoPhone() {
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.get("senderData")).put("sender", "104857600123456@lid");

        assertThat(mapper.toCanonical(payload).getSender().phone()).isNull();
    }

    @Test
    @DisplayName("without senderData.sender in a personal chat the chat is the sender")
    void personalChatWithoutSenderUsesChat() {
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.get("senderData")).remove("sender");

        assertThat(mapper.toCanonical(payload).getSender().phone()).isEqualTo("79001234568");
    }

    @ParameterizedTest(name = "timestamp {0} reads as the time of receipt")
    @ValueSource(strings = {"", "soon", "-5"})
    void unreadableTimestampFallsBackToNow(String timestamp) {
        ObjectNode payload = fixture("text-message.json");
        payload.put("timestamp", timestamp);

        assertThat(mapper.toCanonical(payload).getReceivedAt()).isEqualTo(NOW);
    }

    @Test
    void timestampSentAsStringIsRead() {
        ObjectNode payload = fixture("text-message.json");
        payload.put("timestamp", "1588091580");

        assertThat(mapper.toCanonical(payload).getReceivedAt()).isEqualTo(Instant.ofEpochSecond(1588091580));
    }

    @Test
    void missingWidFallsBackToInstanceId() {
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.get("instanceData")).remove("wid");

        assertThat(mapper.toCanonical(payload).getChannel()).isEqualTo("1234");
    }

    @Test
    @DisplayName("outgoingMessageReceived (sent from the phone) is an outbound message")
    void messageSentFromThePhoneIsOutbound() {
        CanonicalMessage message = map("outgoing-message-received.json");

        assertThat(message.getKind()).isEqualTo(Kind.MESSAGE);
        assertThat(message.getDirection()).isEqualTo(Direction.OUTBOUND);
        assertThat(message.getType()).isEqualTo(MessageType.TEXT);
        assertThat(message.getText()).isEqualTo("Здравствуйте! Заказ готов.");
        assertThat(message.getChat().id()).isEqualTo("79001234568@c.us");
        assertThat(message.getSender().phone()).isEqualTo("11001234567");
    }

    @Test
    @DisplayName("outgoingAPIMessageReceived (sent through the API) is an outbound message")
    void messageSentThroughTheApiIsOutbound() {
        CanonicalMessage message = map("outgoing-api-message-received.json");

        assertThat(message.getDirection()).isEqualTo(Direction.OUTBOUND);
        assertThat(message.getText()).isEqualTo("Ваш код: 4821");
        assertThat(message.getLinkPreview()).isNull();
        assertThat(message.getForwarded()).isFalse();
    }

    // --- text ----------------------------------------------------------------------------------------------

    @Test
    void textMessageKeepsItsText() {
        CanonicalMessage message = map("text-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.TEXT);
        assertThat(message.getText()).isEqualTo("Добрый день 👋");
        assertThat(message.getQuoted()).isNull();
        assertThat(message.getForwarded()).isNull();
    }

    @Test
    @DisplayName("extendedTextMessage (Green API incomingMessageReceived docs): text, link preview without its"
            + " picture, forwarding")
    void extendedTextCarriesLinkPreviewAndForwarding() {
        CanonicalMessage message = map("extended-text-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.TEXT);
        assertThat(message.getText()).isEqualTo("https://green-api.com/docs/video");
        assertThat(message.getLinkPreview()).isEqualTo(new LinkPreview("How to develop WhatsApp Bot",
                "Green API docs shows how you can develop the WhatsApp Bot", "https://green-api.com/docs/video", true));
        assertThat(message.getForwarded()).isTrue();
        assertThat(message.getForwardingScore()).isEqualTo(4);
        assertThat(message.getReferral()).isNull();
    }

    @Test
    @DisplayName("advertising message (Green API incomingMessageReceived docs): every ad field in referral")
    void adMessageCarriesReferral() {
        CanonicalMessage message = map("extended-text-message-ad.json");

        assertThat(message.getReferral()).isEqualTo(new Referral("122210486228016873", "post",
                "https://fb.me/gUdvBdhtH", "IMAGE", "http://127.0.0.1:1/media/greenapi/ad-thumbnail.jpg", "FB_Ads",
                "instagram", false, false, null));
        assertThat(message.getLinkPreview().title()).isEqualTo("Green API");
        assertThat(message.getLinkPreview().description()).isEqualTo("Новый инстанс для вашего бизнеса!");
        assertThat(message.getLinkPreview().url()).isEqualTo("https://fb.me/gUdvBdhtH");
    }

    @Test
    @DisplayName("deprecated quotedMessage (Green API incomingMessageReceived docs): text plus the quoted contact"
            + " message")
    void legacyQuotedMessageKeepsTheQuote() {
        CanonicalMessage message = map("quoted-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.TEXT);
        assertThat(message.getText()).startsWith("https://yandex.ru/former");
        assertThat(message.getQuoted()).isEqualTo(new Quoted("46618B98B3B9DF50F123456789123456",
                MessageType.CONTACTS, "79061230000@c.us", null, null));
        assertThat(message.getForwardingScore()).isEqualTo(4);
    }

    @Test
    @DisplayName("deprecated quotedMessage without the quotedMessage object: the quote from stanzaId/participant")
    void legacyQuotedMessageWithoutQuoteObject() {
        ObjectNode payload = fixture("quoted-message.json");
        ((ObjectNode) payload.get("messageData")).remove("quotedMessage");

        Quoted quoted = mapper.toCanonical(payload).getQuoted();

        assertThat(quoted).isEqualTo(new Quoted("46618B98B3B9DF50F123456789123456", null, "79001230000@c.us", null, null));
    }

    @Test
    @DisplayName("quoted image, empty downloadUrl/caption (Green API incomingMessageReceived docs): id, type and"
            + " sender kept, blanks dropped")
    void quotedImageWithBlankFields() {
        ObjectNode payload = fixture("quoted-message.json");
        ObjectNode quoted = JSON.createObjectNode().put("stanzaId", "46618B98B3B9DF50F123456789123456")
                .put("participant", "79061230000@c.us").put("typeMessage", "imageMessage")
                .put("downloadUrl", "").put("caption", "").put("jpegThumbnail", "");
        ((ObjectNode) payload.get("messageData")).set("quotedMessage", quoted);

        assertThat(mapper.toCanonical(payload).getQuoted()).isEqualTo(
                new Quoted("46618B98B3B9DF50F123456789123456", MessageType.IMAGE, "79061230000@c.us", null, null));
    }

    @Test
    void textMessageQuotingATextKeepsTheQuotedText() {
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.get("messageData")).set("quotedMessage", JSON.createObjectNode()
                .put("stanzaId", "3EB063C771F28EB323FAE3").put("participant", "11001234567@c.us")
                .put("typeMessage", "textMessage").put("textMessage", "Hello! This is a text message."));

        assertThat(mapper.toCanonical(payload).getQuoted()).isEqualTo(new Quoted("3EB063C771F28EB323FAE3",
                MessageType.TEXT, "11001234567@c.us", "Hello! This is a text message.", null));
    }

    @Test
    void quoteOfAnUnknownTypeKeepsItAsUnknown() {
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.get("messageData")).set("quotedMessage", JSON.createObjectNode()
                .put("stanzaId", "X1").put("typeMessage", "futureMessage"));

        assertThat(mapper.toCanonical(payload).getQuoted().type()).isEqualTo(MessageType.UNKNOWN);
    }

    @ParameterizedTest(name = "text \"{0}\" is kept exactly")
    @ValueSource(strings = {
            "Қазақстан әліпбиі: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі",
            "مرحبا، متى يفتح الفرع؟",
            "שלום, מתי הסניף נפתח?",
            "Mixed: Привет שלום مرحبا 👋🏽👨‍👩‍👧 \u200F",
            "line one\nline two\ttabbed"})
    void unicodeTextIsKeptExactly(String text) {
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.at("/messageData/textMessageData")).put("textMessage", text);

        assertThat(mapper.toCanonical(payload).getText()).isEqualTo(text);
    }

    @Test
    @DisplayName("a 64 KB text is kept whole")
    void longTextIsKeptWhole() {
        String text = "ә".repeat(32 * 1024) + "z".repeat(32 * 1024);
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.at("/messageData/textMessageData")).put("textMessage", text);

        assertThat(mapper.toCanonical(payload).getText()).hasSize(64 * 1024).isEqualTo(text);
    }

    @Test
    void emptyTextReadsAsNoText() {
        ObjectNode payload = fixture("text-message.json");
        ((ObjectNode) payload.at("/messageData/textMessageData")).put("textMessage", "");

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getType()).isEqualTo(MessageType.TEXT);
        assertThat(message.getText()).isNull();
    }

    // --- media -----------------------------------------------------------------------------------------------

    @Test
    @DisplayName("imageMessage: link, type, name, caption, a thumbnail flag and the quoted text")
    void imageCarriesMediaCaptionAndQuote() {
        CanonicalMessage message = map("image-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.IMAGE);
        assertThat(message.getMedia()).isEqualTo(new Media(
                "https://sw-media-1101.storage.yandexcloud.net/1101000001/15697d2c-397c-4fd0-8e1a-8be95f753aae.jpg",
                "image/jpeg", "15697d2c-397c-4fd0-8e1a-8be95f753aae.jpg", true, null));
        assertThat(message.getCaption()).isEqualTo("Фото витрины");
        assertThat(message.getText()).isNull();
        assertThat(message.getQuoted()).isEqualTo(new Quoted("3EB063C771F28EB323FAE3", MessageType.TEXT,
                "11001234567@c.us", "Пришлите фото, пожалуйста", null));
        assertThat(message.getForwarded()).isFalse();
        assertThat(message.getForwardingScore()).isZero();
    }

    @ParameterizedTest(name = "{0} is {1}, {2}, {3}")
    @CsvSource({
            "video-message.json, VIDEO, video/mp4, c218.mp4",
            "document-message.json, DOCUMENT, application/pdf, Счёт №42.pdf",
            "audio-message.json, AUDIO, audio/ogg; codecs=opus, c21a.oga",
            "sticker-message.json, STICKER, image/webp, c21b.webp"})
    void fileMessagesCarryTheirMedia(String fixture, MessageType type, String mimeType, String fileName) {
        CanonicalMessage message = map(fixture);

        assertThat(message.getType()).isEqualTo(type);
        assertThat(message.getMedia().sourceUrl()).startsWith("http://127.0.0.1:1/media/greenapi/");
        assertThat(message.getMedia().mimeType()).isEqualTo(mimeType);
        assertThat(message.getMedia().fileName()).isEqualTo(fileName);
    }

    @Test
    void documentKeepsCaptionAndHasNoThumbnail() {
        CanonicalMessage message = map("document-message.json");

        assertThat(message.getCaption()).isEqualTo("Счёт на оплату");
        assertThat(message.getMedia().hasThumbnail()).isNull();
    }

    @Test
    void animatedStickerIsMarked() {
        assertThat(map("sticker-message.json").getMedia().animated()).isTrue();
    }

    @Test
    @DisplayName("videoMessage with an empty caption has no caption")
    void emptyCaptionIsNoCaption() {
        assertThat(map("video-message.json").getCaption()).isNull();
    }

    // --- location and contacts -----------------------------------------------------------------------------

    @Test
    void locationCarriesCoordinatesNameAndAddress() {
        CanonicalMessage message = map("location-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.LOCATION);
        assertThat(message.getLocation().latitude()).isEqualTo(12.345678910111213);
        assertThat(message.getLocation().longitude()).isEqualTo(14.151617181920212);
        assertThat(message.getLocation().name()).isEqualTo("Ресторан");
        assertThat(message.getLocation().address()).isEqualTo("123456, Пермь");
    }

    @Test
    @DisplayName("location: coordinates sent as strings become numbers")
    void locationCoordinatesAsStrings() {
        ObjectNode payload = fixture("location-message.json");
        ((ObjectNode) payload.at("/messageData/locationMessageData"))
                .put("latitude", "43.238293").put("longitude", " 76.945465 ");

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getLocation().latitude()).isEqualTo(43.238293);
        assertThat(message.getLocation().longitude()).isEqualTo(76.945465);
    }

    @Test
    @DisplayName("contactMessage: the vCard read into names, WhatsApp phone with its label, e-mail")
    void contactMessageReadsTheVCard() {
        CanonicalMessage message = map("contact-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.CONTACTS);
        Contact contact = message.getContacts().get(0);
        assertThat(contact.formattedName()).isEqualTo("Виктор Андреевич");
        assertThat(contact.firstName()).isEqualTo("Виктор");
        assertThat(contact.lastName()).isEqualTo("Андреевич");
        assertThat(contact.phones()).containsExactly(
                new Contact.Phone("+7 900 123-45-69", true, "79001234569", "Мобильный"));
        assertThat(contact.emails()).containsExactly(new Contact.Email("victor@example.ru", "WORK"));
        assertThat(contact.vcard()).startsWith("BEGIN:VCARD").contains("waid=79001234569");
    }

    @Test
    @DisplayName("contactsArrayMessage (Apidog sample): every contact, phones with waid and type")
    void contactsArrayCarriesEveryContact() {
        CanonicalMessage message = map("contacts-array-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.CONTACTS);
        assertThat(message.getContacts()).extracting(Contact::formattedName).containsExactly("Anna Smit", "Alex Smit");
        assertThat(message.getContacts().get(0).phones())
                .containsExactly(new Contact.Phone("+7 234 567 8910", true, "72345678910", null));
        assertThat(message.getContacts().get(1).phones())
                .containsExactly(new Contact.Phone("+7 234 567 8901", true, "72345678901", "CELL"));
        assertThat(message.getForwarded()).isFalse();
    }

    @Test
    @DisplayName("contactsArrayMessage with the array at the top of messageData (docs' field table)")
    void contactsArrayAtTheTop() {
        ObjectNode payload = fixture("contacts-array-message.json");
        ObjectNode data = (ObjectNode) payload.get("messageData");
        data.set("contacts", data.at("/messageData/contacts"));
        data.remove("messageData");

        assertThat(mapper.toCanonical(payload).getContacts()).hasSize(2);
    }

    @Test
    void contactWithoutVCardKeepsItsDisplayName() {
        ObjectNode payload = fixture("contact-message.json");
        ((ObjectNode) payload.at("/messageData/contactMessageData")).put("vcard", "");

        Contact contact = mapper.toCanonical(payload).getContacts().get(0);

        assertThat(contact.formattedName()).isEqualTo("Виктор Андреевич");
        assertThat(contact.phones()).isEmpty();
        assertThat(contact.vcard()).isNull();
    }

    @Test
    @DisplayName("a folded vCard line (RFC 6350) and a CRLF card are read")
    void foldedVCardIsRead() {
        ObjectNode payload = fixture("contact-message.json");
        ((ObjectNode) payload.at("/messageData/contactMessageData")).put("vcard",
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Айгерім\r\n  Сәрсенова\r\nTEL;type=CELL;waid=77011234567:+7 701 123\r\n 45 67\r\nEND:VCARD");

        Contact contact = mapper.toCanonical(payload).getContacts().get(0);

        assertThat(contact.formattedName()).isEqualTo("Айгерім Сәрсенова");
        assertThat(contact.phones()).containsExactly(new Contact.Phone("+7 701 12345 67", true, "77011234567", "CELL"));
    }

    // --- answers to buttons and lists ------------------------------------------------------------------------

    @Test
    void buttonsResponseIsAButtonReply() {
        CanonicalMessage message = map("buttons-response-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.INTERACTIVE);
        assertThat(message.getInteractive()).isEqualTo(new Interactive(Interactive.ReplyType.BUTTON, "1", "Green",
                null, null, "BAE53AFDD5F0C137"));
    }

    @Test
    void templateButtonsReplyIsAButtonReplyWithIndex() {
        CanonicalMessage message = map("template-buttons-reply-message.json");

        assertThat(message.getInteractive()).isEqualTo(new Interactive(Interactive.ReplyType.BUTTON, "id1", "red",
                null, 2, "BAE53AFDD5F0C137"));
    }

    @Test
    @DisplayName("interactiveButtonsResponse (the answer to sendInteractiveButtonsReply): a button reply with id, text, index")
    void interactiveButtonsResponseIsAButtonReply() {
        CanonicalMessage message = map("interactive-buttons-response-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.INTERACTIVE);
        assertThat(message.getInteractive()).isEqualTo(new Interactive(Interactive.ReplyType.BUTTON, "2",
                "Second Button", null, 1, "BAE5FB1FDA0E58E8"));
    }

    @Test
    @DisplayName("interactiveButtonsResponse with selectedButtonId/selectedButtonText, as some instances send it")
    void interactiveButtonsResponseWithButtonFieldNames() {
        ObjectNode payload = fixture("interactive-buttons-response-message.json");
        ObjectNode reply = (ObjectNode) payload.at("/messageData/interactiveButtonsResponse");
        reply.remove(List.of("selectedId", "selectedDisplayText", "selectedIndex"));
        reply.put("selectedButtonId", "2").put("selectedButtonText", "Second Button");

        assertThat(mapper.toCanonical(payload).getInteractive()).isEqualTo(new Interactive(
                Interactive.ReplyType.BUTTON, "2", "Second Button", null, null, "BAE5FB1FDA0E58E8"));
    }

    @Test
    @DisplayName("typeMessage templateButtonReplyMessage (the docs' sample spelling) is read the same")
    void templateButtonReplySpellingWithoutS() {
        ObjectNode payload = fixture("template-buttons-reply-message.json");
        ((ObjectNode) payload.get("messageData")).put("typeMessage", "templateButtonReplyMessage");

        assertThat(mapper.toCanonical(payload).getInteractive().id()).isEqualTo("id1");
    }

    @Test
    void listResponseIsAListReply() {
        CanonicalMessage message = map("list-response-message.json");

        assertThat(message.getInteractive()).isEqualTo(new Interactive(Interactive.ReplyType.LIST, "option2",
                "Option 2", null, null, "BAE53AFDD5F0C137"));
    }

    @Test
    void listResponseWithSelectedRowIdObject() {
        ObjectNode payload = fixture("list-response-message.json");
        ((ObjectNode) payload.at("/messageData/listResponseMessage"))
                .set("singleSelectReply", JSON.createObjectNode().put("selectedRowId", "option3"));

        assertThat(mapper.toCanonical(payload).getInteractive().id()).isEqualTo("option3");
    }

    // --- reactions, polls, edits, deletions, invitations --------------------------------------------------------

    @Test
    void reactionCarriesEmojiAndTarget() {
        CanonicalMessage message = map("reaction-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.REACTION);
        assertThat(message.getReaction()).isEqualTo(new Reaction("👍", "F7AEC1B7086ECDC7E6E45923F5EDB825", false));
        assertThat(message.getQuoted()).isNull();
    }

    @Test
    @DisplayName("a reaction with an empty emoji takes the reaction back")
    void emptyReactionIsRemoved() {
        ObjectNode payload = fixture("reaction-message.json");
        ((ObjectNode) payload.at("/messageData/extendedTextMessageData")).put("text", "");

        assertThat(mapper.toCanonical(payload).getReaction())
                .isEqualTo(new Reaction(null, "F7AEC1B7086ECDC7E6E45923F5EDB825", true));
    }

    @Test
    void pollCarriesQuestionOptionsAndMultipleFlag() {
        CanonicalMessage message = map("poll-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.POLL);
        assertThat(message.getPoll()).isEqualTo(
                new Poll("Когда удобно прийти?", List.of("Утром", "Вечером"), false, null, List.of()));
    }

    @Test
    @DisplayName("pollUpdateMessage: the poll's id and who votes for what now")
    void pollUpdateCarriesVotesAndPollId() {
        CanonicalMessage message = map("poll-update-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.POLL_UPDATE);
        Poll poll = message.getPoll();
        assertThat(poll.pollMessageId()).isEqualTo("BAE53AFDD5F0C000");
        assertThat(poll.question()).isEqualTo("Poll Name");
        assertThat(poll.options()).containsExactly("Variant 1", "Variant 2");
        assertThat(poll.multipleAnswers()).isFalse();
        assertThat(poll.votes()).containsExactly(new Poll.Vote("Variant 1", List.of()),
                new Poll.Vote("Variant 2", List.of("79001234568@c.us")));
    }

    @Test
    void editedMessageCarriesTargetAndNewText() {
        CanonicalMessage message = map("edited-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.EDIT);
        assertThat(message.getEdit().messageId()).isEqualTo("3PEAD8EDB7A9D438FF5E");
        assertThat(message.getEdit().text()).isEqualTo("Исправленный текст");
        assertThat(message.getId()).isEqualTo("greenapi:3U28ABACVPDF65C8B28");
    }

    @Test
    void deletedMessageCarriesTarget() {
        CanonicalMessage message = map("deleted-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.DELETE);
        assertThat(message.getDelete().messageId()).isEqualTo("84514217EF972039FC3F68A53C196306");
    }

    @Test
    @DisplayName("groupInviteMessage (Apidog sample): group, code, expiry from the protobuf Long, caption")
    void groupInviteCarriesGroupCodeAndExpiry() {
        CanonicalMessage message = map("group-invite-message.json");

        assertThat(message.getType()).isEqualTo(MessageType.GROUP_INVITE);
        assertThat(message.getGroupInvite()).isEqualTo(new GroupInvite("120363207042056874@g.us", "Drawing school",
                "ceUpGy2XACDmR4HQ", Instant.ofEpochSecond(1706156142)));
        assertThat(message.getCaption()).isEqualTo("Invitation to my WhatsApp group");
    }

    @ParameterizedTest(name = "inviteExpiration {0} is read")
    @ValueSource(strings = {"1706156142", "\"1706156142\"", "1706156142000"})
    void groupInviteExpirationAsNumber(String expiration) throws Exception {
        ObjectNode payload = fixture("group-invite-message.json");
        ((ObjectNode) payload.at("/messageData/groupInviteMessageData"))
                .set("inviteExpiration", JSON.readTree(expiration));

        assertThat(mapper.toCanonical(payload).getGroupInvite().expiresAt()).isEqualTo(Instant.ofEpochSecond(1706156142));
    }

    // --- statuses --------------------------------------------------------------------------------------------

    @Test
    @DisplayName("outgoingMessageStatus: kind status with target id, state, rank, chat and sendByApi")
    void outgoingMessageStatusIsAStatus() {
        CanonicalMessage message = map("outgoing-message-status.json");

        assertThat(message.getKind()).isEqualTo(Kind.STATUS);
        assertThat(message.getType()).isEqualTo(MessageType.STATUS);
        assertThat(message.getStatus()).isEqualTo(
                new Status("3EB0C767D097B7C7C030", Status.State.DELIVERED, 20, null, "delivered", true));
        assertThat(message.getChat()).isEqualTo(new Chat("79001234568@c.us", Chat.Type.DIRECT, null));
        assertThat(message.getReceivedAt()).isEqualTo(Instant.ofEpochSecond(1586700802));
        assertThat(message.getDirection()).isNull();
    }

    @Test
    @DisplayName("each status of a message has its own id, distinct from the message's own")
    void statusIdCarriesTheStep() {
        ObjectNode read = fixture("outgoing-message-status.json");
        read.put("status", "read");

        CanonicalMessage delivered = map("outgoing-message-status.json");

        assertThat(delivered.getId()).isEqualTo("greenapi:3EB0C767D097B7C7C030:status:delivered");
        assertThat(delivered.getProviderMessageId()).isEqualTo("3EB0C767D097B7C7C030");
        assertThat(mapper.toCanonical(read).getId()).isEqualTo("greenapi:3EB0C767D097B7C7C030:status:read");
        assertThat(map("outgoing-api-message-received.json").getId()).isEqualTo("greenapi:3EB0C767D097B7C7C030");
    }

    @ParameterizedTest(name = "status \"{0}\" is {1} with rank {2}")
    @CsvSource({
            "pending, PENDING, 5", "sent, SENT, 10", "delivered, DELIVERED, 20", "read, READ, 30",
            "played, PLAYED, 40", "failed, FAILED, 90", "noAccount, FAILED, 90", "notInGroup, FAILED, 90",
            "yellowCard, FAILED, 90", "somethingNew, UNKNOWN, 0"})
    void statusesAreNormalisedAndRanked(String providerStatus, Status.State state, int rank) {
        ObjectNode payload = fixture("outgoing-message-status.json");
        payload.put("status", providerStatus);

        Status status = mapper.toCanonical(payload).getStatus();

        assertThat(status.state()).isEqualTo(state);
        assertThat(status.rank()).isEqualTo(rank);
        assertThat(status.providerState()).isEqualTo(providerStatus);
    }

    @Test
    @DisplayName("a failed status carries the description; noAccount without one names itself")
    void failedStatusCarriesError() {
        ObjectNode failed = fixture("outgoing-message-status.json");
        failed.put("status", "failed").put("chatId", "120363039326117111@g.us")
                .put("description", "SWE004: the number of participants in the group has been exceeded - 300");
        ObjectNode noAccount = fixture("outgoing-message-status.json");
        noAccount.put("status", "noAccount");

        CanonicalMessage message = mapper.toCanonical(failed);

        assertThat(message.getStatus().error()).startsWith("SWE004");
        assertThat(message.getChat().type()).isEqualTo(Chat.Type.GROUP);
        assertThat(mapper.toCanonical(noAccount).getStatus().error()).isEqualTo("noAccount");
    }

    // --- events ----------------------------------------------------------------------------------------------

    @Test
    void stateInstanceChangedIsAStateEvent() {
        CanonicalMessage message = map("state-instance-changed.json");

        assertThat(message.getKind()).isEqualTo(Kind.EVENT);
        assertThat(message.getType()).isEqualTo(MessageType.STATE);
        assertThat(message.getEvent()).isEqualTo(new Event("stateInstanceChanged", "authorized", null, null));
        assertThat(message.getChannel()).isEqualTo("11001234567");
        assertThat(message.getReceivedAt()).isEqualTo(Instant.ofEpochSecond(1586700690));
    }

    @Test
    @DisplayName("an event without idMessage gets a stable stand-in id, different for a different event")
    void eventWithoutIdGetsFingerprint() {
        ObjectNode later = fixture("state-instance-changed.json");
        later.put("stateInstance", "blocked");

        CanonicalMessage first = map("state-instance-changed.json");

        assertThat(first.getProviderMessageId()).startsWith("sha256-");
        assertThat(map("state-instance-changed.json").getId()).isEqualTo(first.getId());
        assertThat(mapper.toCanonical(later).getId()).isNotEqualTo(first.getId());
    }

    @Test
    void deprecatedStatusInstanceChangedIsAStateEvent() {
        ObjectNode payload = JSON.createObjectNode().put("typeWebhook", "statusInstanceChanged")
                .put("timestamp", 1586700690).put("statusInstance", "online");

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getType()).isEqualTo(MessageType.STATE);
        assertThat(message.getEvent().state()).isEqualTo("online");
    }

    @Test
    @DisplayName("incomingCall: a call event from the caller, each stage with its own id")
    void incomingCallIsACallEvent() {
        CanonicalMessage message = map("incoming-call.json");
        ObjectNode pickUp = fixture("incoming-call.json");
        pickUp.put("status", "pickUp");

        assertThat(message.getKind()).isEqualTo(Kind.EVENT);
        assertThat(message.getType()).isEqualTo(MessageType.CALL);
        assertThat(message.getDirection()).isEqualTo(Direction.INBOUND);
        assertThat(message.getEvent().call()).isEqualTo(new Event.Call("79001234568@c.us", "offer", null, null));
        assertThat(message.getSender().phone()).isEqualTo("79001234568");
        assertThat(message.getChat().id()).isEqualTo("79001234568@c.us");
        assertThat(message.getId()).isEqualTo("greenapi:A1C2A2F35C9F52A1B8C8C0C6D53C4D8A:call:offer");
        assertThat(mapper.toCanonical(pickUp).getId()).endsWith(":call:pickup");
    }

    @Test
    void outgoingCallIsAnOutboundCallEvent() {
        ObjectNode payload = fixture("incoming-call.json");
        payload.put("typeWebhook", "outgoingCall").put("status", "hungUp").put("isVideo", true).put("duration", 42);

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getType()).isEqualTo(MessageType.CALL);
        assertThat(message.getDirection()).isEqualTo(Direction.OUTBOUND);
        assertThat(message.getEvent().call()).isEqualTo(new Event.Call("79001234568@c.us", "hungUp", true, 42));
        assertThat(message.getSender()).isNull();
    }

    @Test
    void incomingBlockIsABlockEvent() {
        CanonicalMessage message = map("incoming-block.json");

        assertThat(message.getType()).isEqualTo(MessageType.BLOCK);
        assertThat(message.getEvent()).isEqualTo(new Event("incomingBlock", "blocked", null, null));
        assertThat(message.getChat().id()).isEqualTo("79001234568@c.us");
    }

    @Test
    void deviceInfoIsADeviceEvent() {
        CanonicalMessage message = map("device-info.json");

        assertThat(message.getType()).isEqualTo(MessageType.DEVICE);
        assertThat(message.getEvent().device()).isEqualTo(
                new Event.Device("iphone", "Apple", "iPhone 11", "13.4.1", "2.20.42", 90));
    }

    // --- unknown and invalid ---------------------------------------------------------------------------------

    @Test
    @DisplayName("unknown typeMessage: a message of type unknown with the payload kept")
    void unknownTypeMessageIsUnknown() {
        JsonNode payload = Fixtures.load("greenapi/unknown-type-message.json");
        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getKind()).isEqualTo(Kind.MESSAGE);
        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getRaw()).isEqualTo(payload);
        assertThat(message.getSender().phone()).isEqualTo("79001234568");
    }

    @Test
    @DisplayName("unknown typeWebhook: an event of type unknown with the payload kept")
    void unknownTypeWebhookIsUnknown() {
        JsonNode payload = Fixtures.load("greenapi/unknown-type-webhook.json");
        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getKind()).isEqualTo(Kind.EVENT);
        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getRaw()).isEqualTo(payload);
    }

    @Test
    void messageWithoutMessageDataIsUnknown() {
        ObjectNode payload = fixture("text-message.json");
        payload.remove("messageData");

        assertThat(mapper.toCanonical(payload).getType()).isEqualTo(MessageType.UNKNOWN);
    }

    @Test
    void emptyObjectIsAnUnknownEvent() {
        CanonicalMessage message = mapper.toCanonical(JSON.createObjectNode());

        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getReceivedAt()).isEqualTo(NOW);
    }

    @ParameterizedTest(name = "typeMessage data of the wrong shape ({0}) does not fail")
    @ValueSource(strings = {"imageMessage", "locationMessage", "contactsArrayMessage", "pollUpdateMessage",
            "listResponseMessage", "reactionMessage", "groupInviteMessage", "editedMessage"})
    void wrongShapedDataDoesNotFail(String typeMessage) {
        ObjectNode payload = fixture("text-message.json");
        ObjectNode data = JSON.createObjectNode().put("typeMessage", typeMessage);
        data.put("fileMessageData", "oops").putArray("locationMessageData").add(1);
        data.put("messageData", 5).put("pollMessageData", "x").putArray("listResponseMessage");
        data.put("groupInviteMessageData", true).put("editedMessageData", 3);
        payload.set("messageData", data);

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getType()).isNotEqualTo(MessageType.UNKNOWN);
        assertThat(message.getRaw()).isEqualTo(payload);
    }

    @ParameterizedTest(name = "body {0} is not a webhook")
    @ValueSource(strings = {"[]", "[{\"typeWebhook\": \"incomingMessageReceived\"}]", "42", "\"text\"", "false", "null"})
    void nonObjectBodyIsInvalid(String body) throws Exception {
        JsonNode payload = JSON.readTree(body);

        assertThatThrownBy(() -> mapper.toCanonical(payload)).isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void noBodyIsInvalid() {
        assertThatThrownBy(() -> mapper.toCanonical(null)).isInstanceOf(InvalidPayloadException.class);
    }

    // --- the JSON consumers read --------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: no base64 preview outside raw")
    @ValueSource(strings = {"extended-text-message.json", "extended-text-message-ad.json", "image-message.json",
            "video-message.json", "sticker-message.json", "location-message.json", "group-invite-message.json"})
    void base64PreviewsStayInRaw(String fixture) throws Exception {
        ObjectNode json = JSON.valueToTree(map(fixture));
        json.remove("raw");

        assertThat(json.toString()).doesNotContain("/9j/").doesNotContain("UklGR").doesNotContain("jpegThumbnail");
    }

    @Test
    @DisplayName("canonical JSON uses the lowercase names and leaves absent parts out")
    void canonicalJsonShape() {
        ObjectNode json = JSON.valueToTree(map("outgoing-message-status.json"));

        assertThat(json.path("kind").asText()).isEqualTo("status");
        assertThat(json.path("type").asText()).isEqualTo("status");
        assertThat(json.at("/status/state").asText()).isEqualTo("delivered");
        assertThat(json.at("/status/rank").asInt()).isEqualTo(20);
        assertThat(json.path("receivedAt").asText()).isEqualTo("2020-04-12T14:13:22Z");
        assertThat(json.has("text")).isFalse();
        assertThat(json.has("media")).isFalse();
        assertThat(JSON.valueToTree(map("poll-update-message.json")).path("type").asText()).isEqualTo("poll_update");
        assertThat(JSON.valueToTree(map("group-invite-message.json")).path("type").asText()).isEqualTo("group_invite");
    }
}
