package org.wagateway.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.wagateway.CanonicalSchema;
import org.wagateway.Fixtures;
import org.wagateway.JsonTrees;
import org.wagateway.provider.greenapi.GreenApiMapper;
import org.wagateway.provider.kazinfoteh.KazinfotehMapper;
import org.wagateway.provider.meta.MetaMapper;

/**
 * The canonical message of every provider fixture, pinned: {@code src/test/resources/golden/<provider>/<fixture>}
 * holds the mapper's output for {@code src/test/resources/fixtures/<provider>/<fixture>}, written as the gateway
 * writes it (Spring Boot's ObjectMapper settings), and this test compares the two field by field, naming the
 * JSON path of the first difference. The examples in {@code docs/canonical-message.md} (each after a
 * {@code <!-- golden: <provider>/<fixture> -->} line) are held to their golden files the same way.
 * <p>
 * A deliberate change of the mapping is recorded by regenerating: {@code mvn test -Dtest=CanonicalGoldenFilesTest
 * -Dgolden.update=true} rewrites every golden file and the docs' examples from the mappers' output; review the
 * diff before committing it. Without the property the test only compares.
 * <p>
 * The one field a mapper takes from outside the payload is {@link #CLOCK_FIELDS}: {@code receivedAt}, which is the
 * gateway's clock when the payload has no readable time. The mappers here run on a clock fixed at
 * {@link #MAPPING_TIME}, so that field is compared like any other, and {@link #onlyTheNamedFieldsDependOnTheClock}
 * fails if any other field starts to depend on the clock. Kazinfoteh's local times are read in the gateway's
 * default zone, {@link #KAZINFOTEH_ZONE}.
 * <p>
 * Meta's webhook batches notifications (several entries, changes, messages and statuses in one body), so its mapper
 * gives a list: the golden file of a Meta fixture is the JSON array of its canonical messages, in payload order,
 * and each of them is held to the schema.
 */
class CanonicalGoldenFilesTest {

    static final Instant MAPPING_TIME = Instant.parse("2030-01-01T00:00:00Z");
    static final Set<String> CLOCK_FIELDS = Set.of("$.receivedAt");
    static final ZoneId KAZINFOTEH_ZONE = ZoneId.of("Asia/Almaty");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path GOLDEN = ROOT.resolve("src/test/resources/golden");
    private static final Path DOCS = ROOT.resolve("docs/canonical-message.md");
    private static final List<String> PROVIDERS = List.of("greenapi", "kazinfoteh", "meta");
    /** Providers whose one webhook may batch several notifications: their golden file is the array of them. */
    private static final Set<String> BATCHING = Set.of("meta");
    private static final Pattern DOCS_EXAMPLE =
            Pattern.compile("<!-- golden: ([a-z]+/[a-z0-9-]+\\.json) -->\\n```json\\n(.*?)```", Pattern.DOTALL);

    // as Spring Boot builds the gateway's ObjectMapper (spring.jackson.* in application.yaml)
    private static final ObjectMapper GATEWAY_JSON = Jackson2ObjectMapperBuilder.json()
            .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final ObjectWriter GOLDEN_WRITER = GATEWAY_JSON.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    static Stream<Arguments> fixtures() {
        return PROVIDERS.stream().flatMap(provider -> Fixtures.names(provider).stream()
                .map(name -> Arguments.of(provider, name)));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("fixtures")
    void mapperOutputIsTheGoldenFile(String provider, String fixture) throws IOException {
        JsonNode actual = map(provider, fixture, Clock.fixed(MAPPING_TIME, ZoneOffset.UTC));
        Path golden = GOLDEN.resolve(provider).resolve(fixture);
        if (UPDATE) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, pretty(actual), StandardCharsets.UTF_8);
        }
        if (!Files.exists(golden)) {
            fail("No golden file " + ROOT.relativize(golden) + " for the fixture " + provider + "/" + fixture
                    + ": write it with -Dgolden.update=true and review it");
        }
        JsonNode expected = GATEWAY_JSON.readTree(Files.readString(golden, StandardCharsets.UTF_8));

        String difference = JsonTrees.describe(expected, actual);
        assertThat(difference).as("%s/%s differs from its golden file (-Dgolden.update=true rewrites it)",
                provider, fixture).isNull();
        for (JsonNode message : BATCHING.contains(provider) ? expected : List.of(expected)) {
            assertThat(CanonicalSchema.validate(message)).as("golden %s/%s against the schema", provider, fixture)
                    .isEmpty();
        }
        if (BATCHING.contains(provider)) {
            assertThat(expected.isArray() && !expected.isEmpty()).as("golden %s/%s is a non-empty array", provider,
                    fixture).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("fixtures")
    void onlyTheNamedFieldsDependOnTheClock(String provider, String fixture) {
        JsonNode atMappingTime = map(provider, fixture, Clock.fixed(MAPPING_TIME, ZoneOffset.UTC));
        JsonNode aYearLater = map(provider, fixture, Clock.fixed(MAPPING_TIME.plusSeconds(365L * 86400),
                ZoneOffset.UTC));

        assertThat(JsonTrees.differences(atMappingTime, aYearLater))
                .allSatisfy(difference -> assertThat(CLOCK_FIELDS).as(difference.toString())
                        .contains(difference.path()));
    }

    @Test
    void everyGoldenFileHasItsFixture() throws IOException {
        List<String> orphans = new ArrayList<>();
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String provider = file.getParent().getFileName().toString();
                if (!PROVIDERS.contains(provider)
                        || !Fixtures.names(provider).contains(file.getFileName().toString())) {
                    orphans.add(GOLDEN.relativize(file).toString());
                }
            });
        }
        assertThat(orphans).as("golden files without a fixture (delete them)").isEmpty();
    }

    @Test
    void docsExamplesAreTheirGoldenFiles() throws IOException {
        String docs = Files.readString(DOCS, StandardCharsets.UTF_8);
        if (UPDATE) {
            docs = DOCS_EXAMPLE.matcher(docs).replaceAll(example -> Matcher.quoteReplacement(
                    "<!-- golden: " + example.group(1) + " -->\n```json\n" + goldenText(example.group(1)) + "```"));
            Files.writeString(DOCS, docs, StandardCharsets.UTF_8);
        }
        Matcher example = DOCS_EXAMPLE.matcher(docs);
        int examples = 0;
        while (example.find()) {
            examples++;
            String golden = example.group(1);
            assertThat(docs).as("the example of %s links its golden file", golden)
                    .contains("](../src/test/resources/golden/" + golden + ")");
            JsonNode shown = GATEWAY_JSON.readTree(example.group(2));
            JsonNode expected = GATEWAY_JSON.readTree(goldenText(golden));
            assertThat(JsonTrees.describe(expected, shown))
                    .as("the example of %s in docs/canonical-message.md (-Dgolden.update=true rewrites it)", golden)
                    .isNull();
        }
        assertThat(examples).as("examples in docs/canonical-message.md").isPositive();
    }

    private static String goldenText(String golden) {
        try {
            return Files.readString(GOLDEN.resolve(golden), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("docs/canonical-message.md shows golden/" + golden + ", which is not there", e);
        }
    }

    private static JsonNode map(String provider, String fixture, Clock clock) {
        Map<String, Function<JsonNode, Object>> mappers = Map.of(
                "greenapi", new GreenApiMapper(clock)::toCanonical,
                "kazinfoteh", new KazinfotehMapper(KAZINFOTEH_ZONE, clock)::toCanonical,
                "meta", new MetaMapper(clock)::toCanonical);
        Object message = mappers.get(provider).apply(Fixtures.load(provider + "/" + fixture));
        try {
            // through the text, as the message travels: the tree is what a consumer reads
            return GATEWAY_JSON.readTree(GATEWAY_JSON.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static String pretty(JsonNode message) throws JsonProcessingException {
        return GOLDEN_WRITER.writeValueAsString(message) + "\n";
    }
}
