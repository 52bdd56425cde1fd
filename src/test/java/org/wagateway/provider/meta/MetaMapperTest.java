package org.wagateway.provider.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.wagateway.canonical.Delete;
import org.wagateway.canonical.Direction;
import org.wagateway.canonical.Edit;
import org.wagateway.canonical.Event;
import org.wagateway.canonical.Interactive;
import org.wagateway.canonical.InvalidPayloadException;
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

/**
 * Meta's WhatsApp Cloud API webhook. The fixtures follow the examples of Meta's webhook reference
 * (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/...): its
 * business number 15550783881 (phone_number_id 106540352242922), its customer 16505551234 "Sheena Nelson" and
 * its message bodies. {@code batch.json} (two customers, two statuses, a second entry of another number) and
 * {@code unknown-type.json} are invented to stand for what those pages describe in words.
 */
class MetaMapperTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CUSTOMER = "16505551234";
    private static final String OUR_MESSAGE = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1RjQ0MjYxMEQ0NzY0NDhEMDAA";

    private final MetaMapper mapper = new MetaMapper(Clock.fixed(NOW, ZoneOffset.UTC));

    private List<CanonicalMessage> mapAll(String fixture) {
        return mapper.toCanonical(Fixtures.load("meta/" + fixture));
    }

    /** The one canonical message of a fixture that holds one. */
    private CanonicalMessage map(String fixture) {
        List<CanonicalMessage> messages = mapAll(fixture);
        assertThat(messages).as(fixture).hasSize(1);
        return messages.get(0);
    }

    private static ObjectNode fixture(String fixture) {
        return Fixtures.load("meta/" + fixture).deepCopy();
    }

    private static ObjectNode firstMessage(ObjectNode payload) {
        return (ObjectNode) payload.at("/entry/0/changes/0/value/messages/0");
    }

    // --- what is a Meta webhook ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "\"text\"", "{}", "{\"object\":\"page\",\"entry\":[]}",
            "{\"object\":\"whatsapp_business_account\"}", "{\"object\":\"whatsapp_business_account\",\"entry\":{}}"})
    @DisplayName("not a WhatsApp Business Account webhook with an entry array: InvalidPayloadException")
    void rejectsWhatIsNotAWhatsAppBusinessAccountWebhook(String body) throws Exception {
        JsonNode payload = JSON.readTree(body);

        assertThatThrownBy(() -> mapper.toCanonical(payload)).isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> mapper.toCanonical(null)).isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    @DisplayName("a change without messages or statuses (a template or account update) gives no message")
    void changeWithoutMessagesOrStatusesGivesNone() throws Exception {
        JsonNode payload = JSON.readTree("""
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[
                  {"value":{"event":"APPROVED","message_template_id":594425479261596},
                   "field":"message_template_status_update"}]}]}""");

        assertThat(mapper.toCanonical(payload)).isEmpty();
    }

    // --- batches ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("a batch: one canonical message per message and status, across entries and changes, in order")
    void batchGivesOneMessagePerNotificationInPayloadOrder() {
        List<CanonicalMessage> messages = mapAll("batch.json");

        assertThat(messages).extracting(CanonicalMessage::getType).containsExactly(MessageType.TEXT,
                MessageType.TEXT, MessageType.STATUS, MessageType.STATUS, MessageType.REACTION);
        assertThat(messages).extracting(CanonicalMessage::getId).doesNotHaveDuplicates();
        assertThat(messages.get(2).getId()).isEqualTo("meta:" + OUR_MESSAGE + ":status:delivered");
        assertThat(messages.get(3).getId()).isEqualTo("meta:" + OUR_MESSAGE + ":status:read");
    }

    @Test
    @DisplayName("in a batch, the sender's name is the contact with the sender's wa_id")
    void senderNameIsTheContactWithTheSendersWaId() {
        List<CanonicalMessage> messages = mapAll("batch.json");

        assertThat(messages.get(0).getSender()).isEqualTo(new Sender(CUSTOMER, CUSTOMER, "Sheena Nelson", null));
        assertThat(messages.get(1).getSender())
                .isEqualTo(new Sender("16505559876", "16505559876", "Kerry Fisher", null));
    }

    @Test
    @DisplayName("raw is the webhook narrowed to the one message and its sender's contact")
    void rawHoldsOnlyItsOwnMessageAndContact() {
        CanonicalMessage second = mapAll("batch.json").get(1);
        JsonNode value = second.getRaw().at("/entry/0/changes/0/value");

        assertThat(second.getRaw().path("object").asText()).isEqualTo("whatsapp_business_account");
        assertThat(second.getRaw().path("entry")).hasSize(1);
        assertThat(second.getRaw().at("/entry/0/changes")).hasSize(1);
        assertThat(value.path("messages")).hasSize(1);
        assertThat(value.at("/messages/0/id").asText()).isEqualTo(second.getProviderMessageId());
        assertThat(value.path("contacts")).hasSize(1);
        assertThat(value.at("/contacts/0/wa_id").asText()).isEqualTo("16505559876");
        assertThat(value.has("statuses")).isFalse();
        assertThat(value.at("/metadata/phone_number_id").asText()).isEqualTo("106540352242922");
    }

    @Test
    @DisplayName("a single-message webhook keeps its raw payload whole")
    void singleMessageRawIsThePayload() {
        assertThat(map("text.json").getRaw()).isEqualTo(Fixtures.load("meta/text.json"));
    }

    @Test
    @DisplayName("each entry's own metadata: a second number's messages carry its channel and channelId")
    void eachChangeHasItsOwnChannel() {
        CanonicalMessage last = mapAll("batch.json").get(4);

        assertThat(last.getChannel()).isEqualTo("15550783999");   // "+1 555-078-3999", digits only
        assertThat(last.getChannelId()).isEqualTo("106540352242999");
    }

    // --- the envelope ----------------------------------------------------------------------------------------

    @Test
    void idIsTheWamid() {
        CanonicalMessage message = map("text.json");

        assertThat(message.getId()).isEqualTo("meta:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
        assertThat(message.getProviderMessageId())
                .isEqualTo("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
        assertThat(message.getProvider()).isEqualTo("meta");
    }

    @Test
    @DisplayName("channel: display_phone_number digits; channelId: phone_number_id, what a reply is sent from")
    void channelAndChannelIdFromMetadata() {
        CanonicalMessage message = map("text.json");

        assertThat(message.getChannel()).isEqualTo("15550783881");
        assertThat(message.getChannelId()).isEqualTo("106540352242922");
    }

    @Test
    @DisplayName("from is the sender and a direct chat; the message is inbound")
    void fromIsSenderAndDirectChat() {
        CanonicalMessage message = map("text.json");

        assertThat(message.getKind()).isEqualTo(Kind.MESSAGE);
        assertThat(message.getDirection()).isEqualTo(Direction.INBOUND);
        assertThat(message.getChat()).isEqualTo(new Chat(CUSTOMER, Chat.Type.DIRECT, null));
        assertThat(message.getSender()).isEqualTo(new Sender(CUSTOMER, CUSTOMER, "Sheena Nelson", null));
    }

    @Test
    @DisplayName("receivedAt: the Unix timestamp (seconds, a string) in UTC")
    void receivedAtFromTimestamp() {
        assertThat(map("text.json").getReceivedAt()).isEqualTo(Instant.parse("2025-06-08T20:59:43Z"));
    }

    @Test
    @DisplayName("no readable timestamp: the gateway's clock")
    void receivedAtWithoutTimestampIsNow() {
        ObjectNode payload = fixture("text.json");
        firstMessage(payload).put("timestamp", "yesterday");

        assertThat(mapper.toCanonical(payload).get(0).getReceivedAt()).isEqualTo(NOW);
    }

    @Test
    @DisplayName("a message without id gets the fingerprint of its narrowed payload, the same on a retry")
    void messageWithoutIdGetsAStableFingerprint() {
        ObjectNode payload = fixture("text.json");
        firstMessage(payload).remove("id");

        CanonicalMessage first = mapper.toCanonical(payload).get(0);
        CanonicalMessage retry = mapper.toCanonical(payload.deepCopy()).get(0);

        assertThat(first.getProviderMessageId()).startsWith("sha256-");
        assertThat(retry.getId()).isEqualTo(first.getId());
    }

    @Test
    @DisplayName("a sender missing from contacts has no name")
    void senderWithoutContactHasNoName() {
        ObjectNode payload = fixture("text.json");
        ((ObjectNode) payload.at("/entry/0/changes/0/value")).remove("contacts");

        assertThat(mapper.toCanonical(payload).get(0).getSender()).isEqualTo(new Sender(CUSTOMER, CUSTOMER, null, null));
    }

    // --- types -----------------------------------------------------------------------------------------------

    @Test
    void textIsTheBody() {
        CanonicalMessage message = map("text.json");

        assertThat(message.getType()).isEqualTo(MessageType.TEXT);
        assertThat(message.getText()).isEqualTo("Does it come in another color?");
    }

    @Test
    @DisplayName("image: mediaId, mime_type, the declared sha256 and the caption; no sourceUrl")
    void imageIsAnnouncedByIdWithItsChecksum() {
        CanonicalMessage message = map("image.json");

        assertThat(message.getType()).isEqualTo(MessageType.IMAGE);
        assertThat(message.getMedia()).isEqualTo(Media.byId("1003383421387256", "image/jpeg",
                "SSblJ/Ny/FjUwvkG8MDv2WvDmCV9a0NSXSAOLnu3O8E=", null, null, null));
        assertThat(message.getMedia().sourceUrl()).isNull();
        assertThat(message.getCaption()).isEqualTo("This is the color I want");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"video.json,VIDEO,video/mp4", "audio.json,AUDIO,audio/ogg; codecs=opus",
            "document.json,DOCUMENT,application/pdf", "sticker.json,STICKER,image/webp"})
    void mediaTypes(String fixture, MessageType type, String mimeType) {
        CanonicalMessage message = map(fixture);

        assertThat(message.getType()).isEqualTo(type);
        assertThat(message.getMedia().mimeType()).isEqualTo(mimeType);
        assertThat(message.getMedia().mediaId()).isNotBlank();
        assertThat(message.getMedia().declaredSha256()).isNotBlank();
    }

    @Test
    @DisplayName("audio.voice: a voice note")
    void voiceNoteIsMarked() {
        assertThat(map("audio.json").getMedia().voice()).isTrue();
    }

    @Test
    @DisplayName("document: filename and caption")
    void documentHasFileNameAndCaption() {
        CanonicalMessage message = map("document.json");

        assertThat(message.getMedia().fileName()).isEqualTo("lucky-shrub-invoice.pdf");
        assertThat(message.getCaption()).isEqualTo("Lucky Shrub Invoice");
    }

    @Test
    @DisplayName("sticker: animated as Meta says")
    void stickerAnimatedFlag() {
        assertThat(map("sticker.json").getMedia().animated()).isFalse();
    }

    @Test
    void location() {
        CanonicalMessage message = map("location.json");

        assertThat(message.getType()).isEqualTo(MessageType.LOCATION);
        assertThat(message.getLocation()).isEqualTo(new Location(37.44216251868683, -122.16153582049394,
                "101 Forest Ave, Palo Alto, CA 94301", "Philz Coffee"));
    }

    @Test
    @DisplayName("contacts: names, phones (wa_id marks WhatsApp), e-mails")
    void contacts() {
        CanonicalMessage message = map("contacts.json");

        assertThat(message.getType()).isEqualTo(MessageType.CONTACTS);
        assertThat(message.getContacts()).containsExactly(new Contact("Barbara J. Johnson", "Barbara", "Johnson",
                List.of(new Contact.Phone("+1 (940) 555-1234", null, null, "HOME"),
                        new Contact.Phone("+1 (650) 555-1234", true, "16505551234", "WORK")),
                List.of(new Contact.Email("bjohnson@luckyshrub.com", "WORK"),
                        new Contact.Email("bfjohnson@gmail.com", "HOME")),
                null));
    }

    @Test
    @DisplayName("interactive button_reply: our button's id and title, context.id our message")
    void buttonReply() {
        CanonicalMessage message = map("interactive-button-reply.json");

        assertThat(message.getType()).isEqualTo(MessageType.INTERACTIVE);
        assertThat(message.getInteractive()).isEqualTo(new Interactive(Interactive.ReplyType.BUTTON, "cancel-button",
                "Cancel", null, null, OUR_MESSAGE));
    }

    @Test
    @DisplayName("interactive list_reply: the row's id, title and description")
    void listReply() {
        assertThat(map("interactive-list-reply.json").getInteractive()).isEqualTo(new Interactive(
                Interactive.ReplyType.LIST, "priority_express", "Priority Mail Express", "Next Day to 2 Days", null,
                OUR_MESSAGE));
    }

    @Test
    @DisplayName("interactive nfm_reply (WhatsApp Flows): replyType flow, the form's name and response_json parsed")
    void flowReplyCarriesTheParsedResponse() throws Exception {
        Interactive answer = map("interactive-nfm-reply.json").getInteractive();

        assertThat(answer.replyType()).isEqualTo(Interactive.ReplyType.FLOW);
        assertThat(answer.flowName()).isEqualTo("flow");
        assertThat(answer.title()).isEqualTo("Sent");
        assertThat(answer.messageId()).isEqualTo(OUR_MESSAGE);
        assertThat(answer.flowResponse()).isEqualTo(JSON.readTree(
                "{\"flow_token\":\"AQAAAAACS5FpgQ_cAAAAAD0QI3s.\",\"firstName\":\"Sheena\",\"lastName\":\"Nelson\","
                        + "\"email\":\"sheena@example.test\"}"));
    }

    @Test
    @DisplayName("nfm_reply whose response_json is not a JSON object: no flowResponse, the rest kept")
    void flowReplyWithUnreadableResponse() {
        ObjectNode payload = fixture("interactive-nfm-reply.json");
        ((ObjectNode) firstMessage(payload).at("/interactive/nfm_reply")).put("response_json", "{not json");

        Interactive answer = mapper.toCanonical(payload).get(0).getInteractive();

        assertThat(answer.flowResponse()).isNull();
        assertThat(answer.replyType()).isEqualTo(Interactive.ReplyType.FLOW);
    }

    @Test
    @DisplayName("an interactive of a kind Meta may add later: unknown")
    void unknownInteractiveKindIsUnknown() {
        ObjectNode payload = fixture("interactive-button-reply.json");
        ((ObjectNode) firstMessage(payload).path("interactive")).put("type", "carousel_reply");

        assertThat(mapper.toCanonical(payload).get(0).getType()).isEqualTo(MessageType.UNKNOWN);
    }

    @Test
    @DisplayName("button (a template's quick reply): interactive with payload as id and text as title")
    void templateQuickReplyIsInteractive() {
        CanonicalMessage message = map("button.json");

        assertThat(message.getType()).isEqualTo(MessageType.INTERACTIVE);
        assertThat(message.getInteractive()).isEqualTo(new Interactive(Interactive.ReplyType.BUTTON,
                "Unsubscribe from Promos", "Unsubscribe from Promos", null, null, OUR_MESSAGE));
    }

    @Test
    void reaction() {
        CanonicalMessage message = map("reaction.json");

        assertThat(message.getType()).isEqualTo(MessageType.REACTION);
        assertThat(message.getReaction()).isEqualTo(new Reaction("\uD83D\uDC4D", OUR_MESSAGE, false));
    }

    @Test
    @DisplayName("a reaction with an empty emoji takes the reaction back")
    void emptyEmojiRemovesTheReaction() {
        assertThat(map("reaction-removed.json").getReaction()).isEqualTo(new Reaction(null, OUR_MESSAGE, true));
    }

    @Test
    @DisplayName("a reaction without emoji field is a removal too")
    void missingEmojiRemovesTheReaction() {
        ObjectNode payload = fixture("reaction-removed.json");
        ((ObjectNode) firstMessage(payload).path("reaction")).remove("emoji");

        assertThat(mapper.toCanonical(payload).get(0).getReaction().removed()).isTrue();
    }

    @Test
    @DisplayName("edit: the original message's id and the new text")
    void edit() {
        CanonicalMessage message = map("edit.json");

        assertThat(message.getType()).isEqualTo(MessageType.EDIT);
        assertThat(message.getEdit()).isEqualTo(new Edit(
                "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                "Does it come in another colour, say green?"));
    }

    @Test
    @DisplayName("edit of a media message: the new caption")
    void editOfACaption() {
        ObjectNode payload = fixture("edit.json");
        ObjectNode changed = (ObjectNode) firstMessage(payload).at("/edit/message");
        changed.remove("text");
        changed.put("type", "image").putObject("image").put("caption", "The green one");

        assertThat(mapper.toCanonical(payload).get(0).getEdit().text()).isEqualTo("The green one");
    }

    @Test
    @DisplayName("revoke: delete of the original message")
    void revokeIsDelete() {
        CanonicalMessage message = map("revoke.json");

        assertThat(message.getType()).isEqualTo(MessageType.DELETE);
        assertThat(message.getDelete())
                .isEqualTo(new Delete("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="));
    }

    @Test
    @DisplayName("order: type order, the catalog, the note and each product with quantity, price, currency")
    void order() {
        CanonicalMessage message = map("order.json");

        assertThat(message.getType()).isEqualTo(MessageType.ORDER);
        assertThat(message.getOrder()).isEqualTo(new Order("194836987003835", "Please deliver before 6pm", List.of(
                new Order.Item("di9ozbzfi4", 2, 30.0, "USD"), new Order.Item("nqryix03ez", 1, 25.5, "USD"))));
    }

    @Test
    @DisplayName("system (the customer changed number): an event with its name and text")
    void systemIsAnEvent() {
        CanonicalMessage message = map("system.json");

        assertThat(message.getKind()).isEqualTo(Kind.EVENT);
        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getDirection()).isNull();
        assertThat(message.getEvent()).isEqualTo(new Event("user_changed_number", null, null, null));
        assertThat(message.getText()).contains("changed their phone number");
    }

    @Test
    @DisplayName("unsupported: unknown with Meta's errors[] kept")
    void unsupportedIsUnknownWithErrors() {
        CanonicalMessage message = map("unsupported.json");

        assertThat(message.getKind()).isEqualTo(Kind.MESSAGE);
        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getErrors()).containsExactly(new ProviderError(131051, "Message type unknown",
                "Message type unknown", "Message type is currently not supported.", null));
    }

    @Test
    @DisplayName("a type this mapper does not know: unknown, sender and chat kept")
    void unknownTypeIsUnknown() {
        CanonicalMessage message = map("unknown-type.json");

        assertThat(message.getType()).isEqualTo(MessageType.UNKNOWN);
        assertThat(message.getSender().phone()).isEqualTo(CUSTOMER);
        assertThat(message.getErrors()).isNull();
    }

    // --- context and referral ----------------------------------------------------------------------------------

    @Test
    @DisplayName("context: the message replied to (context.id) and who wrote it (context.from)")
    void contextIsTheQuotedMessage() {
        assertThat(map("context.json").getQuoted()).isEqualTo(new Quoted(OUR_MESSAGE, null, "15550783881", null, null));
    }

    @Test
    @DisplayName("context.forwarded / frequently_forwarded: the forwarding marks, no quoted message")
    void forwardedMarks() {
        CanonicalMessage message = map("context-forwarded.json");

        assertThat(message.getForwarded()).isTrue();
        assertThat(message.getFrequentlyForwarded()).isTrue();
        assertThat(message.getQuoted()).isNull();
    }

    @Test
    @DisplayName("a message without context says nothing about forwarding")
    void noContextNoForwarding() {
        CanonicalMessage message = map("text.json");

        assertThat(message.getForwarded()).isNull();
        assertThat(message.getFrequentlyForwarded()).isNull();
    }

    @Test
    @DisplayName("referral (click-to-WhatsApp ad): the referral block with headline, body and ctwa_clid")
    void referralIsTheAd() {
        Referral referral = map("referral.json").getReferral();

        assertThat(referral.sourceId()).isEqualTo("120226305854810726");
        assertThat(referral.sourceType()).isEqualTo("ad");
        assertThat(referral.sourceUrl()).isEqualTo("https://fb.me/3cr4Wqqkv");
        assertThat(referral.mediaType()).isEqualTo("image");
        assertThat(referral.headline()).isEqualTo("Chat with us");
        assertThat(referral.body()).isEqualTo("Chat with us");
        assertThat(referral.clickId()).startsWith("Aff-n8ZTODiE79d22KtAwQKj9e");
    }

    // --- statuses ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}, rank {2}")
    @CsvSource({"status-sent.json,SENT,10", "status-delivered.json,DELIVERED,20", "status-read.json,READ,30",
            "status-failed.json,FAILED,90"})
    void statusStates(String fixture, Status.State state, int rank) {
        CanonicalMessage message = map(fixture);

        assertThat(message.getKind()).isEqualTo(Kind.STATUS);
        assertThat(message.getType()).isEqualTo(MessageType.STATUS);
        assertThat(message.getStatus().state()).isEqualTo(state);
        assertThat(message.getStatus().rank()).isEqualTo(rank);
        assertThat(message.getStatus().messageId()).isEqualTo(OUR_MESSAGE);
        assertThat(message.getId()).isEqualTo("meta:" + OUR_MESSAGE + ":status:" + state.toString());
    }

    @Test
    @DisplayName("a status's chat is the recipient; it has no sender and no direction")
    void statusChatIsTheRecipient() {
        CanonicalMessage message = map("status-delivered.json");

        assertThat(message.getChat()).isEqualTo(new Chat(CUSTOMER, Chat.Type.DIRECT, null));
        assertThat(message.getSender()).isNull();
        assertThat(message.getDirection()).isNull();
    }

    @Test
    @DisplayName("sent: the conversation (id, origin, expiry) and the pricing are kept")
    void statusKeepsConversationAndPricing() {
        Status status = map("status-sent.json").getStatus();

        assertThat(status.conversation()).isEqualTo(new Status.Conversation("CONVERSATION_ID", "service",
                Instant.parse("2025-06-19T16:22:53Z")));
        assertThat(status.pricing()).isEqualTo(new Status.Pricing(true, "PMP", "service", "free_customer_service"));
    }

    @Test
    @DisplayName("failed: errors[] kept, the first one in error")
    void failedStatusKeepsErrors() {
        Status status = map("status-failed.json").getStatus();

        assertThat(status.errors()).containsExactly(new ProviderError(131026, "Message undeliverable",
                "Message undeliverable", "Message Undeliverable.",
                "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"));
        assertThat(status.error()).isEqualTo("131026: Message Undeliverable.");
    }

    @Test
    @DisplayName("a status word Meta may add later: unknown, rank 0, its word kept")
    void unknownStatusWord() {
        ObjectNode payload = fixture("status-sent.json");
        ((ObjectNode) payload.at("/entry/0/changes/0/value/statuses/0")).put("status", "warning");

        Status status = mapper.toCanonical(payload).get(0).getStatus();

        assertThat(status.state()).isEqualTo(Status.State.UNKNOWN);
        assertThat(status.rank()).isZero();
        assertThat(status.providerState()).isEqualTo("warning");
    }
}
