package org.wagateway.provider.kazinfoteh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import org.wagateway.canonical.Interactive;
import org.wagateway.canonical.InvalidPayloadException;
import org.wagateway.canonical.Kind;
import org.wagateway.canonical.MessageType;
import org.wagateway.canonical.Status;

/**
 * Kazinfoteh's inbound webhook. Message fixtures follow Kazinfoteh's inbound webhook documentation (its field
 * table and image sample); {@code status.json} and {@code unknown-type-request.json} are assumptions, since no
 * status sample is published (see {@link KazinfotehMapper}).
 */
class KazinfotehMapperTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KazinfotehMapper mapper = new KazinfotehMapper(ZoneId.of("Asia/Almaty"), Clock.fixed(NOW, ZoneOffset.UTC));

    private CanonicalMessage map(String fixture) {
        return mapper.toCanonical(Fixtures.load("kazinfoteh/" + fixture));
    }

    private static ObjectNode fixture(String fixture) {
        return Fixtures.load("kazinfoteh/" + fixture).deepCopy();
    }

    // --- the envelope every message has ------------------------------------------------------------------------

    @Test
    @DisplayName("receiver is the customer: sender.phone and chat.id; channel is our number")
    void receiverIsTheCustomerAndChannelIsOurNumber() {
        CanonicalMessage message = map("text.json");

        assertThat(message.getSender().phone()).isEqualTo("77776662222");
        assertThat(message.getSender().id()).isEqualTo("77776662222");
        assertThat(message.getChat().id()).isEqualTo("77776662222");
        assertThat(message.getChat().type()).isEqualTo(Chat.Type.DIRECT);
        assertThat(message.getChannel()).isEqualTo("77770229831");
    }

    @Test
    @DisplayName("receivedAt without zone is read in Asia/Almaty: 2024-08-06 15:13:10 is 10:13:10Z")
    void receivedAtIsReadInTheConfiguredZone() {
        assertThat(map("text.json").getReceivedAt()).isEqualTo(Instant.parse("2024-08-06T10:13:10Z"));
    }

    @Test
    void idIsProviderAndMessageId() {
        CanonicalMessage message = map("text.json");

        assertThat(message.getProvider()).isEqualTo("kazinfoteh");
        assertThat(message.getProviderMessageId()).isEqualTo("01912729-1111-7000-a000-000000000001");
        assertThat(message.getId()).isEqualTo("kazinfoteh:01912729-1111-7000-a000-000000000001");
        assertThat(message.getSchemaVersion()).isEqualTo(1);
    }

    @Test
    void inboxMessageIsAnInboundMessageAndKeepsThePayload() {
        JsonNode payload = Fixtures.load("kazinfoteh/text.json");
        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getKind()).isEqualTo(Kind.MESSAGE);
        assertThat(message.getDirection()).isEqualTo(Direction.INBOUND);
        assertThat(message.getRaw()).isEqualTo(payload);
    }

    @Test
    void senderNameIsTheWhatsAppUserName() {
        assertThat(map("text.json").getSender().name()).isEqualTo("Abai");
    }

    @Test
    @DisplayName("without uiUserName the sender name is first and last name")
    void senderNameFallsBackToFirstAndLastName() {
        ObjectNode payload = fixture("text.json");
        payload.put("uiUserName", "").put("uiFirstName", "Абай").put("uiLastName", "Құнанбайұлы");

        assertThat(mapper.toCanonical(payload).getSender().name()).isEqualTo("Абай Құнанбайұлы");
    }

    @Test
    @DisplayName("a payload without id gets a stable SHA-256 stand-in id")
    void payloadWithoutIdGetsStableFingerprint() {
        ObjectNode payload = fixture("text.json");
        payload.remove("id");

        CanonicalMessage first = mapper.toCanonical(payload);
        CanonicalMessage retry = mapper.toCanonical(payload.deepCopy());

        assertThat(first.getProviderMessageId()).startsWith("sha256-");
        assertThat(first.getId()).isEqualTo(retry.getId());
    }

    @ParameterizedTest(name = "receivedAt \"{0}\" is {1}")
    @CsvSource({
            "2024-08-06T15:13:10, 2024-08-06T10:13:10Z",
            "' 2024-08-06 15:13:10 ', 2024-08-06T10:13:10Z",
            "2025-02-30 10:00:00, 2025-02-28T05:00:00Z",
            "2024-08-06 24:00:00, 2024-08-06T19:00:00Z",
            "2024-08-06 15:13:10.250, 2024-08-06T10:13:10.250Z",
            "2024-08-06T15:13:10+05:00, 2024-08-06T10:13:10Z",
            "2024-08-06T10:13:10Z, 2024-08-06T10:13:10Z",
            "1722939190, 2024-08-06T10:13:10Z"})
    void receivedAtAcceptsOtherSpellings(String receivedAt, String expected) {
        ObjectNode payload = fixture("text.json");
        payload.put("receivedAt", receivedAt);

        assertThat(mapper.toCanonical(payload).getReceivedAt()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "receivedAt \"{0}\" falls back to the time of receipt")
    @ValueSource(strings = {"", "yesterday", "2024-13-45 99:99:99", "2024-08-06 1x:13:10", "2024-08-06_15:13:10",
            "2024-8-06 15:13:10", "0000-01-01 00:00:00", "2024-08-06 23:59:60"})
    void unreadableReceivedAtFallsBackToNow(String receivedAt) {
        ObjectNode payload = fixture("text.json");
        payload.put("receivedAt", receivedAt);

        assertThat(mapper.toCanonical(payload).getReceivedAt()).isEqualTo(NOW);
    }

    // --- message types ----------------------------------------------------------------------------------------

    @Test
    void textKeepsItsTextExactly() {
        CanonicalMessage message = map("text.json");

        assertThat(message.getType()).isEqualTo(MessageType.TEXT);
        assertThat(message.getText()).isEqualTo("Сәлеметсіз бе! Когда откроется филиал?");
        assertThat(message.getCaption()).isNull();
        assertThat(message.getMedia()).isNull();
    }

    @Test
    @DisplayName("image (Kazinfoteh inbound webhook docs' sample): the attachment URL, empty strings read as absent")
    void imageCarriesItsAttachment() {
        CanonicalMessage message = map("image.json");

        assertThat(message.getType()).isEqualTo(MessageType.IMAGE);
        assertThat(message.getMedia().sourceUrl())
                .isEqualTo("https://kazinfoteh.kz/upl/09CC4398-236C-4E42-88BE-E166258AB90D.jpeg");
        assertThat(message.getMedia().fileName()).isNull();
        assertThat(message.getMedia().mimeType()).isNull();
        assertThat(message.getText()).isNull();
        assertThat(message.getCaption()).isNull();
        assertThat(message.getLocation()).isNull();
        assertThat(message.getContacts()).isNull();
        assertThat(message.getInteractive()).isNull();
    }

    @ParameterizedTest(name = "{0} is type {1} with its attachment")
    @CsvSource({
            "video.json, VIDEO, http://127.0.0.1:1/media/kazinfoteh/video-0002.mp4",
            "document.json, DOCUMENT, http://127.0.0.1:1/media/kazinfoteh/document-0003.pdf",
            "audio.json, AUDIO, http://127.0.0.1:1/media/kazinfoteh/audio-0004.ogg",
            "sticker.json, STICKER, http://127.0.0.1:1/media/kazinfoteh/sticker-0005.webp"})
    void mediaTypesCarryTheirAttachment(String fixture, MessageType type, String url) {
        CanonicalMessage message = map(fixture);

        assertThat(message.getKind()).isEqualTo(Kind.MESSAGE);
        assertThat(message.getType()).isEqualTo(type);
        assertThat(message.getMedia().sourceUrl()).isEqualTo(url);
    }

    @Test
    void videoKeepsItsCaption() {
        assertThat(map("video.json").getCaption()).isEqualTo("Біздің филиал 🎬");
    }

    @Test
    void documentKeepsFileNameAndCaption() {
        CanonicalMessage message = map("document.json");

        assertThat(message.getMedia().fileName()).isEqualTo("Договор №15.pdf");
        assertThat(message.getCaption()).isEqualTo("Договор, страница 1");
    }

    @Test
    @DisplayName("location: coordinates sent as strings become numbers; address kept")
    void locationCoordinatesBecomeNumbers() {
        CanonicalMessage message = map("location.json");

        assertThat(message.getType()).isEqualTo(MessageType.LOCATION);
        assertThat(message.getLocation().latitude()).isEqualTo(43.238293);
        assertThat(message.getLocation().longitude()).isEqualTo(76.945465);
        assertThat(message.getLocation().address()).isEqualTo("Алматы, проспект Абая, 10");
        assertThat(message.getLocation().name()).isNull();
    }

    @Test
    @DisplayName("location: numeric coordinates and a decimal comma are read too")
    void locationAcceptsNumbersAndDecimalComma() {
        ObjectNode payload = fixture("location.json");
        payload.put("msgLocLatitude", 43.25).put("msgLocLongitude", "76,95").put("msgLocAddress", "");

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getLocation().latitude()).isEqualTo(43.25);
        assertThat(message.getLocation().longitude()).isEqualTo(76.95);
        assertThat(message.getLocation().address()).isNull();
    }

    @Test
    void locationWithUnreadableCoordinatesKeepsThemNull() {
        ObjectNode payload = fixture("location.json");
        payload.put("msgLocLatitude", "north").remove("msgLocLongitude");

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getLocation().latitude()).isNull();
        assertThat(message.getLocation().longitude()).isNull();
    }

    @Test
    @DisplayName("contacts: names, both phones with WhatsApp id and type, e-mail")
    void contactsCarryNamesPhonesAndEmail() {
        CanonicalMessage message = map("contacts.json");

        assertThat(message.getType()).isEqualTo(MessageType.CONTACTS);
        assertThat(message.getContacts()).hasSize(1);
        Contact contact = message.getContacts().get(0);
        assertThat(contact.firstName()).isEqualTo("Айгерім");
        assertThat(contact.lastName()).isEqualTo("Сәрсенова");
        assertThat(contact.formattedName()).isEqualTo("Айгерім Сәрсенова");
        assertThat(contact.phones()).containsExactly(
                new Contact.Phone("+7 (701) 123-45-67", true, "77011234567", "CELL"),
                new Contact.Phone("8 727 250 00 00", null, null, "WORK"));
        assertThat(contact.emails()).containsExactly(new Contact.Email("aigerim@example.kz", "WORK"));
        assertThat(contact.vcard()).isNull();
    }

    @ParameterizedTest(name = "WABA field \"{0}\" gives whatsapp={1}")
    @CsvSource({"true, true", "1, true", "false, false", "0, false"})
    void wabaFieldMayBeAFlag(String waba, boolean whatsapp) {
        ObjectNode payload = fixture("contacts.json");
        payload.put("contactFirstWabaPhoneNumber", waba);

        Contact.Phone phone = mapper.toCanonical(payload).getContacts().get(0).phones().get(0);

        assertThat(phone.whatsapp()).isEqualTo(whatsapp);
        assertThat(phone.waId()).isNull();
    }

    @Test
    void contactsWithNothingInThemGiveAnEmptyList() {
        ObjectNode payload = fixture("image.json");
        payload.put("msgType", "contacts");

        assertThat(mapper.toCanonical(payload).getContacts()).isEmpty();
    }

    @Test
    void buttonReplyCarriesOurIdAndTitle() {
        CanonicalMessage message = map("interactive-button-reply.json");

        assertThat(message.getType()).isEqualTo(MessageType.INTERACTIVE);
        assertThat(message.getInteractive()).isEqualTo(
                new Interactive(Interactive.ReplyType.BUTTON, "confirm-visit", "Да, приду", null));
    }

    @Test
    void listReplyCarriesOurIdTitleAndDescription() {
        CanonicalMessage message = map("interactive-list-reply.json");

        assertThat(message.getInteractive()).isEqualTo(new Interactive(Interactive.ReplyType.LIST,
                "branch-almaty-2", "Филиал на Абая", "пн–сб, 09:00–19:00"));
    }

    @Test
    void msgTypeIsReadWhateverItsCase() {
        ObjectNode payload = fixture("image.json");
        payload.put("msgType", "IMAGE");

        assertThat(mapper.toCanonical(payload).getType()).isEqualTo(MessageType.IMAGE);
    }

    // --- edge cases of content ------------------------------------------------------------------------------

    @ParameterizedTest(name = "text \"{0}\" is kept exactly")
    @ValueSource(strings = {
            "Қазақстан әліпбиі: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі",
            "مرحبا، متى يفتح الفرع؟",
            "שלום, מתי הסניף נפתח?",
            "Mixed: Привет שלום مرحبا 👋🏽👨‍👩‍👧 \u200F",
            "  leading and trailing spaces  "})
    void unicodeTextIsKeptExactly(String text) {
        ObjectNode payload = fixture("text.json");
        payload.put("msgText", text);

        assertThat(mapper.toCanonical(payload).getText()).isEqualTo(text);
    }

    @Test
    @DisplayName("a 64 KB text is kept whole")
    void longTextIsKeptWhole() {
        String text = "Қ".repeat(32 * 1024) + "a".repeat(32 * 1024);
        ObjectNode payload = fixture("text.json");
        payload.put("msgText", text);

        assertThat(mapper.toCanonical(payload).getText()).hasSize(64 * 1024).isEqualTo(text);
    }

    @Test
    @DisplayName("missing fields read like empty strings")
    void missingFieldsReadLikeEmptyStrings() {
        ObjectNode sparse = JSON.createObjectNode();
        fixture("image.json").fields().forEachRemaining(field -> {
            if (!field.getValue().asText().isEmpty()) {
                sparse.set(field.getKey(), field.getValue());
            }
        });

        CanonicalMessage full = map("image.json");
        CanonicalMessage trimmed = mapper.toCanonical(sparse);

        assertThat(trimmed).usingRecursiveComparison().ignoringFields("raw").isEqualTo(full);
    }

    @Test
    @DisplayName("a message without receiver has no chat and no sender phone, keeps the sender's name, and does not fail")
    void messageWithoutReceiverStillMaps() {
        ObjectNode payload = fixture("text.json");
        payload.remove("receiver");

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getChat()).isNull();
        assertThat(message.getSender().phone()).isNull();
        assertThat(message.getSender().id()).isNull();
        assertThat(message.getSender().name()).isEqualTo(payload.get("uiUserName").asText());
        assertThat(message.getType()).isEqualTo(MessageType.TEXT);
    }

    // --- unknown --------------------------------------------------------------------------------------------

    @Test
    @DisplayName("unknown msgType: type unknown, what it carries and the whole payload kept")
    void unknownMsgTypeIsUnknownWithRawKept() {
        JsonNode payload = Fixtures.load("kazinfoteh/unknown-msg-type.json");
        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getKind()).isEqualTo(Kind.MESSAGE);
        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getText()).isEqualTo("Заказ из каталога");
        assertThat(message.getRaw()).isEqualTo(payload);
        assertThat(message.getSender().phone()).isEqualTo("77776662222");
    }

    @Test
    void missingMsgTypeIsUnknown() {
        ObjectNode payload = fixture("text.json");
        payload.remove("msgType");

        assertThat(mapper.toCanonical(payload).getType()).isEqualTo(MessageType.UNKNOWN);
    }

    @Test
    @DisplayName("unknown typeRequest without a status word: kind event, type unknown, raw kept (assumed format)")
    void unknownTypeRequestIsUnknownEvent() {
        JsonNode payload = Fixtures.load("kazinfoteh/unknown-type-request.json");
        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getKind()).isEqualTo(Kind.EVENT);
        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getRaw()).isEqualTo(payload);
        assertThat(message.getId()).isEqualTo("kazinfoteh:01912730-0000-7000-b000-0000000000ee");
        assertThat(message.getChannel()).isEqualTo("77770229831");
        assertThat(message.getReceivedAt()).isEqualTo(Instant.parse("2024-08-06T10:30:00Z"));
    }

    @Test
    void payloadWithoutTypeRequestOrStatusIsUnknown() {
        ObjectNode payload = JSON.createObjectNode().put("hello", "world");

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getReceivedAt()).isEqualTo(NOW);
        assertThat(message.getRaw()).isEqualTo(payload);
    }

    @ParameterizedTest(name = "body {0} is not a webhook")
    @ValueSource(strings = {"[]", "[{\"typeRequest\": \"inboxmsg\"}]", "42", "\"inboxmsg\"", "true", "null"})
    void nonObjectBodyIsInvalid(String body) throws Exception {
        JsonNode payload = JSON.readTree(body);

        assertThatThrownBy(() -> mapper.toCanonical(payload)).isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void noBodyIsInvalid() {
        assertThatThrownBy(() -> mapper.toCanonical(null)).isInstanceOf(InvalidPayloadException.class);
    }

    // --- statuses (assumed format) ----------------------------------------------------------------------------

    @Test
    @DisplayName("status (assumed format): kind status with target id, state, rank and chat")
    void statusCarriesTargetStateAndRank() {
        CanonicalMessage message = map("status.json");

        assertThat(message.getKind()).isEqualTo(Kind.STATUS);
        assertThat(message.getType()).isEqualTo(MessageType.STATUS);
        assertThat(message.getStatus().messageId()).isEqualTo("01912729-ffff-7000-a000-0000000000ff");
        assertThat(message.getStatus().state()).isEqualTo(Status.State.READ);
        assertThat(message.getStatus().rank()).isEqualTo(30);
        assertThat(message.getStatus().providerState()).isEqualTo("read");
        assertThat(message.getStatus().error()).isNull();
        assertThat(message.getChat().id()).isEqualTo("77776662222");
        assertThat(message.getChannel()).isEqualTo("77770229831");
        assertThat(message.getReceivedAt()).isEqualTo(Instant.parse("2024-08-06T10:20:00Z"));
        assertThat(message.getDirection()).isNull();
    }

    @Test
    @DisplayName("each status of one message has its own id, and a retry of the same status the same id")
    void statusIdsDifferPerStep() {
        ObjectNode delivered = fixture("status.json");
        delivered.put("status", "delivered");

        CanonicalMessage read = map("status.json");

        assertThat(read.getId()).isEqualTo("kazinfoteh:01912729-ffff-7000-a000-0000000000ff:status:read");
        assertThat(mapper.toCanonical(delivered).getId()).isNotEqualTo(read.getId());
        assertThat(map("status.json").getId()).isEqualTo(read.getId());
    }

    @Test
    void failedStatusCarriesItsError() {
        ObjectNode payload = fixture("status.json");
        payload.put("status", "failed").put("errorCode", "131026").put("error", "Message undeliverable");

        Status status = mapper.toCanonical(payload).getStatus();

        assertThat(status.state()).isEqualTo(Status.State.FAILED);
        assertThat(status.rank()).isEqualTo(90);
        assertThat(status.error()).isEqualTo("131026: Message undeliverable");
    }

    @ParameterizedTest(name = "status \"{0}\" is {1} with rank {2}")
    @CsvSource({
            "accepted, PENDING, 5", "sent, SENT, 10", "DELIVERED, DELIVERED, 20", "read, READ, 30",
            "played, PLAYED, 40", "undelivered, FAILED, 90", "expired, FAILED, 90", "something-new, UNKNOWN, 0"})
    void statusWordsAreNormalised(String word, Status.State state, int rank) {
        ObjectNode payload = fixture("status.json");
        payload.put("status", word);

        Status status = mapper.toCanonical(payload).getStatus();

        assertThat(status.state()).isEqualTo(state);
        assertThat(status.rank()).isEqualTo(rank);
        assertThat(status.providerState()).isEqualTo(word);
    }

    @Test
    @DisplayName("status fields under other names (msgStatus, messageId) are read too")
    void statusFieldsUnderOtherNames() {
        ObjectNode payload = JSON.createObjectNode()
                .put("typeRequest", "status").put("messageId", "abc-1").put("msgStatus", "sent")
                .put("statusAt", "2024-08-06 15:00:00").put("description", "ok");

        CanonicalMessage message = mapper.toCanonical(payload);

        assertThat(message.getStatus().messageId()).isEqualTo("abc-1");
        assertThat(message.getStatus().state()).isEqualTo(Status.State.SENT);
        assertThat(message.getReceivedAt()).isEqualTo(Instant.parse("2024-08-06T10:00:00Z"));
        assertThat(message.getChat()).isNull();
    }
}
