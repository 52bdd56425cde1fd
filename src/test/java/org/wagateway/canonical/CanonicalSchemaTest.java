package org.wagateway.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wagateway.CanonicalSchema;
import org.wagateway.Fixtures;
import org.wagateway.provider.greenapi.GreenApiMapper;
import org.wagateway.provider.kazinfoteh.KazinfotehMapper;
import org.wagateway.provider.meta.MetaMapper;

/**
 * The canonical JSON Schema against what the mappers really produce: every fixture of every provider, mapped
 * and written as Spring Boot writes it, is valid; sparse payloads (fields missing) are valid too; and the schema
 * rejects what a broken mapper might write.
 */
class CanonicalSchemaTest {

    /** What Spring Boot's ObjectMapper does to the canonical message: Java time, instants as ISO-8601 strings. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    // The system clock: a payload without a readable time gets "now", with its fraction of a second.
    private static final KazinfotehMapper KAZINFOTEH = new KazinfotehMapper(ZoneId.of("Asia/Almaty"), Clock.systemUTC());
    private static final GreenApiMapper GREEN_API = new GreenApiMapper(Clock.systemUTC());
    private static final MetaMapper META = new MetaMapper(Clock.systemUTC());

    static Stream<Arguments> fixtures() {
        return Stream.of("kazinfoteh", "greenapi", "meta").flatMap(provider -> {
            try (Stream<Path> files = Files.list(fixtureDir(provider))) {
                List<Path> json = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
                assertThat(json).as("fixtures of " + provider).isNotEmpty();
                return json.stream().map(f -> Arguments.of(provider + "/" + f.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureMapsToAValidCanonicalMessage(String fixture) {
        List<JsonNode> messages = mapAll(fixture.substring(0, fixture.indexOf('/')), Fixtures.load(fixture));

        assertThat(messages).as("canonical messages of %s", fixture).isNotEmpty();
        for (JsonNode canonical : messages) {
            assertThat(CanonicalSchema.validate(canonical)).as("schema errors of %s", canonical).isEmpty();
        }
    }

    /** Payloads with most fields missing: the mappers leave fields out, and the schema must still accept them. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "kazinfoteh {}",
            "kazinfoteh {\"typeRequest\":\"inboxmsg\"}",
            "kazinfoteh {\"typeRequest\":\"inboxmsg\",\"msgType\":\"location\",\"msgLocLatitude\":\"\",\"receivedAt\":\"garbage\"}",
            "kazinfoteh {\"typeRequest\":\"inboxmsg\",\"msgType\":\"contacts\"}",
            "kazinfoteh {\"typeRequest\":\"inboxmsg\",\"msgType\":\"interactive\",\"itemsType\":\"carousel\"}",
            "kazinfoteh {\"status\":\"Not Delivered\",\"errorCode\":\"131026\"}",
            "greenapi {}",
            "greenapi {\"typeWebhook\":\"incomingMessageReceived\"}",
            "greenapi {\"typeWebhook\":\"incomingMessageReceived\",\"messageData\":{\"typeMessage\":\"pollUpdateMessage\",\"pollMessageData\":{\"votes\":[{\"optionVoters\":[]}]}}}",
            "greenapi {\"typeWebhook\":\"incomingMessageReceived\",\"messageData\":{\"typeMessage\":\"contactsArrayMessage\"}}",
            "greenapi {\"typeWebhook\":\"incomingMessageReceived\",\"messageData\":{\"typeMessage\":\"reactionMessage\",\"extendedTextMessageData\":{\"text\":\"\"}}}",
            "greenapi {\"typeWebhook\":\"outgoingMessageStatus\"}",
            "greenapi {\"typeWebhook\":\"outgoingMessageStatus\",\"idMessage\":\"X1\",\"status\":\"noAccount\",\"timestamp\":\"1700000000\"}",
            "greenapi {\"typeWebhook\":\"outgoingCall\",\"idMessage\":\"C1\",\"status\":\"hangUp\",\"duration\":\"12\",\"isVideo\":true}",
            "greenapi {\"typeWebhook\":\"stateInstanceChanged\"}",
            "greenapi {\"typeWebhook\":\"deviceInfo\"}",
            "greenapi {\"typeWebhook\":\"incomingBlock\"}",
            "meta {\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{}],\"statuses\":[{}]}}]}]}",
            "meta {\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"type\":\"image\",\"image\":{}}]}}]}]}",
            "meta {\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"type\":\"order\",\"order\":{\"product_items\":[{}]}}]}}]}]}",
            "meta {\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"type\":\"interactive\",\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":{}}}]}}]}]}",
            "meta {\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"type\":\"reaction\",\"reaction\":{\"emoji\":\"\"}},{\"type\":\"system\"},{\"type\":\"contacts\",\"contacts\":[{}]},{\"type\":\"unsupported\",\"errors\":[{}]}]}}]}]}",
            "meta {\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"w1\",\"status\":\"failed\",\"errors\":[{\"code\":\"x\"}],\"conversation\":{},\"pricing\":{}}]}}]}]}"})
    void sparsePayloadsMapToValidCanonicalMessages(String providerAndPayload) throws IOException {
        int space = providerAndPayload.indexOf(' ');
        JsonNode payload = JSON.readTree(providerAndPayload.substring(space + 1));

        List<JsonNode> messages = mapAll(providerAndPayload.substring(0, space), payload);

        assertThat(messages).isNotEmpty();
        for (JsonNode canonical : messages) {
            assertThat(CanonicalSchema.validate(canonical)).as("schema errors of %s", canonical).isEmpty();
        }
    }

    // --- the schema bites ---------------------------------------------------------------------------------------

    @Test
    void anUnknownTopLevelFieldIsRejected() {
        assertRejected(m -> m.put("recievedAt", "2024-08-06T10:13:10Z"), "recievedAt");
    }

    @Test
    void anUnknownFieldInANestedObjectIsRejected() {
        assertRejected(m -> ((ObjectNode) m.get("sender")).put("phoneNumber", "77776662222"), "phoneNumber");
    }

    @Test
    void aKindOutsideTheListIsRejected() {
        assertRejected(m -> m.put("kind", "foo"), "kind");
    }

    @ParameterizedTest(name = "type \"{0}\"")
    @ValueSource(strings = {"foo", "TEXT", "voice", ""})
    void aTypeOutsideTheListIsRejected(String type) {
        assertRejected(m -> m.put("type", type), "type");
    }

    @Test
    void aTypeOfAnotherKindIsRejected() {
        assertRejected(m -> m.put("type", "status"), "kind");
    }

    @ParameterizedTest(name = "receivedAt \"{0}\"")
    @ValueSource(strings = {"2024-08-06T10:13:10", "2024-08-06T15:13:10+05:00", "2024-08-06 10:13:10Z",
            "not a date", "2024-13-06T10:13:10Z", "1722939190"})
    void aReceivedAtThatIsNotAUtcInstantIsRejected(String receivedAt) {
        assertRejected(m -> m.put("receivedAt", receivedAt), "receivedAt");
    }

    @Test
    void aReceivedAtAsANumberIsRejected() {
        assertRejected(m -> m.put("receivedAt", 1722939190L), "receivedAt");
    }

    @Test
    void anotherSchemaVersionIsRejected() {
        assertRejected(m -> m.put("schemaVersion", 2), "schemaVersion");
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"schemaVersion", "id", "provider", "providerMessageId", "kind", "type", "receivedAt", "raw"})
    void aMessageWithoutARequiredFieldIsRejected(String field) {
        assertRejected(m -> m.remove(field), field);
    }

    @Test
    void aNullInsteadOfAnAbsentFieldIsRejected() {
        assertRejected(m -> m.putNull("caption"), "caption");
    }

    @Test
    void aPhoneWithMoreThanDigitsIsRejected() {
        assertRejected(m -> ((ObjectNode) m.get("sender")).put("phone", "+7 777 666 22 22"), "phone");
    }

    @Test
    void aChatTypeOutsideTheListIsRejected() {
        assertRejected(m -> ((ObjectNode) m.get("chat")).put("type", "channel"), "type");
    }

    @Test
    void coordinatesOutOfRangeAreRejected() {
        JsonNode location = map("kazinfoteh", Fixtures.load("kazinfoteh/location.json"));
        ObjectNode broken = location.deepCopy();
        ((ObjectNode) broken.get("location")).put("latitude", 91.0).put("longitude", -180.5);

        assertThat(String.join("\n", CanonicalSchema.validate(broken))).contains("latitude").contains("longitude");
    }

    @Test
    void aStatusWhoseRankDoesNotMatchItsStateIsRejected() {
        JsonNode status = map("greenapi", Fixtures.load("greenapi/outgoing-message-status.json"));
        ObjectNode broken = status.deepCopy();
        ((ObjectNode) broken.get("status")).put("rank", 30);

        assertThat(CanonicalSchema.validate(broken)).anyMatch(error -> error.contains("rank"));
    }

    @Test
    void aStatusStateOutsideTheListIsRejected() {
        JsonNode status = map("greenapi", Fixtures.load("greenapi/outgoing-message-status.json"));
        ObjectNode broken = status.deepCopy();
        ((ObjectNode) broken.get("status")).put("state", "noaccount");

        assertThat(CanonicalSchema.validate(broken)).anyMatch(error -> error.contains("state"));
    }

    @Test
    void aLocationMessageWithoutItsLocationIsRejected() {
        JsonNode location = map("kazinfoteh", Fixtures.load("kazinfoteh/location.json"));
        ObjectNode broken = location.deepCopy();
        broken.remove("location");

        assertThat(CanonicalSchema.validate(broken)).anyMatch(error -> error.contains("location"));
    }

    @Test
    void rawMustBeAnObject() {
        assertRejected(m -> m.put("raw", "typeRequest=inboxmsg"), "raw");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** The Kazinfoteh text fixture, mapped, then broken by {@code breakIt}: the schema must name {@code field}. */
    private static void assertRejected(Consumer<ObjectNode> breakIt, String field) {
        ObjectNode message = map("kazinfoteh", Fixtures.load("kazinfoteh/text.json")).deepCopy();
        assertThat(CanonicalSchema.validate(message)).as("the unbroken message").isEmpty();

        breakIt.accept(message);

        List<String> errors = CanonicalSchema.validate(message);
        assertThat(errors).as("errors of %s", message).isNotEmpty();
        assertThat(errors).as("errors of %s", message).anyMatch(error -> error.contains(field));
    }

    /** Every canonical message of a payload: one for most providers, one per notification for Meta. */
    private static List<JsonNode> mapAll(String provider, JsonNode payload) {
        if ("meta".equals(provider)) {
            return META.toCanonical(payload).stream().map(CanonicalSchemaTest::asConsumerReadsIt).toList();
        }
        return List.of(map(provider, payload));
    }

    private static JsonNode map(String provider, JsonNode payload) {
        CanonicalMessage message = switch (provider) {
            case "kazinfoteh" -> KAZINFOTEH.toCanonical(payload);
            case "greenapi" -> GREEN_API.toCanonical(payload);
            default -> throw new IllegalArgumentException("No mapper for " + provider);
        };
        return asConsumerReadsIt(message);
    }

    private static JsonNode asConsumerReadsIt(CanonicalMessage message) {
        // Through the text, as the message travels: the schema sees exactly what a consumer reads.
        try {
            return JSON.readTree(JSON.writeValueAsString(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fixtureDir(String provider) {
        URL url = CanonicalSchemaTest.class.getClassLoader().getResource("fixtures/" + provider);
        assertThat(url).as("fixtures/" + provider + " on the classpath").isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
