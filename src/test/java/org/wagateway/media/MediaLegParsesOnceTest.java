package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wagateway.media.FakeResolver.loopback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.wagateway.Fixtures;
import org.wagateway.flow.CanonicalJson;
import org.wagateway.ops.GatewayMetrics;
import org.wagateway.provider.greenapi.GreenApiMapper;
import org.wagateway.routing.CanonicalSchemaCheck;

/**
 * Each stage of the media leg reads the canonical JSON once, however many of its steps look at it: the dispatch
 * stage (is there an attachment to fetch? then the schema check of a message without one) and the media stage
 * (the download's patch, the metrics, the schema check). The steps are the beans the routes call, in the order
 * the routes call them, on one exchange per stage as the JMS consumer hands it over.
 */
class MediaLegParsesOnceTest {

    @TempDir
    Path dir;

    private final AtomicInteger parses = new AtomicInteger();
    /** As Spring Boot configures it (ISO dates), counting the parses of JSON text. */
    private final ObjectMapper objectMapper = countingMapper();
    private final MediaProperties properties = new MediaProperties();
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LoopbackServer server;
    private MediaToFetch mediaToFetch;
    private MediaAttachment mediaAttachment;
    private GatewayMetrics metrics;
    private CanonicalSchemaCheck schemaCheck;

    @BeforeEach
    void setUp() throws Exception {
        server = LoopbackServer.start();
        properties.setAllowedHosts(List.of("media.example.test:" + server.port()));
        properties.setAllowPrivateAddresses(true);
        properties.setBackoff(Duration.ofMillis(5));
        properties.setLinkSecret("parse-once-test-secret-parse-once-test");
        CanonicalJson canonicalJson = new CanonicalJson(objectMapper);
        MediaDownloader downloader = new MediaDownloader(properties, dir, new FakeResolver()
                .map("media.example.test", loopback()), TestMedia.defaultTls(), new SafeConnector());
        MediaFetch fetch = new MediaFetch(properties, TestMedia.sources(properties, downloader), new LocalMediaStore(dir, Clock.systemUTC()),
                new MediaLinks(properties));
        mediaToFetch = new MediaToFetch(fetch, canonicalJson, objectMapper);
        mediaAttachment = new MediaAttachment(fetch, canonicalJson, objectMapper);
        metrics = new GatewayMetrics(registry, canonicalJson);
        schemaCheck = new CanonicalSchemaCheck(canonicalJson, camel);
    }

    @AfterEach
    void stop() {
        server.close();
        camel.stop();
    }

    private ObjectMapper countingMapper() {
        ObjectMapper mapper = new ObjectMapper() {
            @Override
            public JsonNode readTree(String content) throws JsonProcessingException {
                parses.incrementAndGet();
                return super.readTree(content);
            }
        };
        Jackson2ObjectMapperBuilder.json().featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .configure(mapper);
        return mapper;
    }

    /** A real canonical message with an attachment served by the loopback server, as JSON text. */
    private String canonicalImage() throws Exception {
        byte[] jpeg = TestMedia.jpeg();
        server.serve("/photo.jpg", 200, "image/jpeg", jpeg);
        ObjectNode webhook = (ObjectNode) Fixtures.load("greenapi/image-message.json");
        ((ObjectNode) webhook.path("messageData").path("fileMessageData"))
                .put("downloadUrl", "http://media.example.test:" + server.port() + "/photo.jpg");
        return objectMapper.writeValueAsString(new GreenApiMapper().toCanonical(webhook));
    }

    private Exchange stage(String body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        parses.set(0);
        return exchange;
    }

    @Test
    void theMediaLegParsesTheMessageOncePerStage() throws Exception {
        String json = canonicalImage();

        // dispatch: the message has an attachment to fetch, so it goes to the media queue
        Exchange dispatch = stage(json);
        assertThat(mediaToFetch.needsDownload(dispatch)).isTrue();
        assertThat(parses).as("parses in the dispatch stage").hasValue(1);

        // fetch-media: download and patch, metrics, then deliver's schema check
        Exchange media = stage(json);
        mediaAttachment.process(media);
        metrics.mediaFetched(media);
        schemaCheck.validate(media);
        assertThat(parses).as("parses in the media stage").hasValue(1);
        assertThat(media.getMessage().getBody(String.class)).contains("\"status\":\"stored\"");
        assertThat(registry.summary("gateway.media.bytes").totalAmount()).isEqualTo(TestMedia.jpeg().length);
    }

    @Test
    void aMessageWithoutAttachmentIsParsedOnceOnItsWayThroughDispatch() throws Exception {
        String json = objectMapper.writeValueAsString(
                new GreenApiMapper().toCanonical(Fixtures.load("greenapi/text-message.json")));

        Exchange dispatch = stage(json);
        assertThat(mediaToFetch.needsDownload(dispatch)).isFalse();
        schemaCheck.validate(dispatch);
        assertThat(parses).hasValue(1);
    }

    @Test
    void aReplacedBodyIsParsedAgainNeverReadFromTheOldTree() throws Exception {
        Exchange exchange = stage("{\"media\":{\"sourceUrl\":\"http://media.example.test/a.jpg\"}}");
        assertThat(mediaToFetch.needsDownload(exchange)).isTrue();
        exchange.getMessage().setBody("{\"media\":{\"sourceUrl\":\"http://media.example.test/a.jpg\",\"status\":\"stored\"}}");
        assertThat(mediaToFetch.needsDownload(exchange)).isFalse();
        assertThat(parses).hasValue(2);
    }
}
