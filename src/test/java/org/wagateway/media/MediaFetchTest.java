package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wagateway.media.FakeResolver.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MediaStatus;
import org.wagateway.flow.ExchangeContract.Header;
import org.wagateway.storage.InsufficientStorageException;

/** Download, store and link together, as the route will call them. */
class MediaFetchTest {

    @TempDir
    Path dir;

    private LoopbackServer server;
    private final MediaProperties properties = new MediaProperties();
    private final FakeResolver resolver = new FakeResolver().map("media.example.test", loopback());
    private final SafeConnector connector = new SafeConnector();
    /** As Spring Boot configures it (JavaTimeModule, ISO dates). */
    private final ObjectMapper objectMapper = Jackson2ObjectMapperBuilder.json().build();
    private LocalMediaStore store;
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private MediaFetch processor;
    private MediaAttachment attachment;

    @BeforeEach
    void setUp() throws IOException {
        server = LoopbackServer.start();
        properties.setAllowedHosts(List.of("media.example.test:" + server.port()));
        properties.setAllowPrivateAddresses(true);
        properties.setBackoff(Duration.ofMillis(5));
        properties.setLinkSecret("processor-test-secret-processor-test");
        store = new LocalMediaStore(dir, Clock.systemUTC());
        processor = processor(store);
        attachment = new MediaAttachment(processor, new org.wagateway.flow.CanonicalJson(objectMapper), objectMapper);
    }

    private MediaFetch processor(MediaStore mediaStore) {
        MediaDownloader downloader = new MediaDownloader(properties, dir, resolver, TestMedia.defaultTls(), connector);
        return new MediaFetch(properties, TestMedia.sources(properties, downloader), mediaStore, new MediaLinks(properties));
    }

    /** The fetch-media step on a body of canonical JSON: the body and header it leaves. */
    private Exchange attach(String json) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(json);
        attachment.process(exchange);
        return exchange;
    }

    @AfterEach
    void stop() {
        server.close();
        camel.stop();
    }

    private String url(String path) {
        return "http://media.example.test:" + server.port() + path;
    }

    @Test
    void aStoredAttachmentGetsItsCopysFieldsAndKeepsTheMappers() throws IOException {
        byte[] jpeg = TestMedia.jpeg();
        server.serve("/photo.jpg", 200, "image/jpeg", jpeg);
        Instant before = Instant.now();

        Media media = processor.fetch("greenapi", new Media(url("/photo.jpg"), "image/jpeg", "витрина.jpg", true, null));

        String sha = TestMedia.sha256(jpeg);
        assertThat(media.status()).isEqualTo(MediaStatus.STORED);
        assertThat(media.sha256()).isEqualTo(sha);
        assertThat(media.size()).isEqualTo(jpeg.length);
        assertThat(media.mimeType()).isEqualTo("image/jpeg");
        assertThat(media.declaredMimeType()).isNull();
        assertThat(media.fileName()).isEqualTo("витрина.jpg");
        assertThat(media.storedAt()).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(media.url()).startsWith("/media/" + sha + "?expires=").contains("&signature=");
        assertThat(media.failure()).isNull();
        assertThat(media.sourceUrl()).isEqualTo(url("/photo.jpg"));
        assertThat(media.hasThumbnail()).isTrue();
        assertThat(store.contentPath(sha)).hasBinaryContent(jpeg);
        assertThat(Files.list(dir.resolve(".tmp"))).isEmpty();
    }

    @Test
    void aNamelessAttachmentIsNamedAfterItsLinkAndALyingTypeIsRecorded() {
        server.serve("/upl/09CC4398-236C.jpeg", 200, "image/jpeg", TestMedia.png());

        Media media = processor.fetch("greenapi", new Media(url("/upl/09CC4398-236C.jpeg"), null, null));

        assertThat(media.fileName()).isEqualTo("09CC4398-236C.jpeg");
        assertThat(media.mimeType()).isEqualTo("image/png");
        assertThat(media.declaredMimeType()).isEqualTo("image/jpeg");
    }

    @Test
    void theSameBytesFromTwoLinksAreKeptOnce() throws IOException {
        byte[] pdf = TestMedia.pdf();
        server.serve("/a.pdf", 200, "application/pdf", pdf);
        server.serve("/b.pdf", 200, "application/pdf", pdf);

        Media first = processor.fetch("greenapi", new Media(url("/a.pdf"), "application/pdf", "a.pdf"));
        Media second = processor.fetch("greenapi", new Media(url("/b.pdf"), "application/pdf", "b.pdf"));

        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(second.status()).isEqualTo(MediaStatus.STORED);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(first.sha256(), first.sha256() + ".json");
        }
    }

    @Test
    void problemsBecomeAStatusAndAReasonNeverAnException() {
        properties.setMaxBytes(10);
        server.serve("/big.jpg", 200, "image/jpeg", TestMedia.jpeg());

        Media missing = processor.fetch("greenapi", new Media(url("/missing.jpg"), "image/jpeg", "x.jpg"));
        Media refused = processor.fetch("greenapi", new Media("https://evil.example.test/x.jpg", "image/jpeg", "x.jpg"));
        Media tooLarge = processor.fetch("greenapi", new Media(url("/big.jpg"), "image/jpeg", "big.jpg"));
        Media garbage = processor.fetch("greenapi", new Media("::not a link::", null, null));

        assertThat(missing).isEqualTo(new Media(url("/missing.jpg"), "image/jpeg", "x.jpg")
                .withFailure(MediaStatus.FAILED, "HTTP 404 from media.example.test"));
        assertThat(refused.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(refused.failure()).contains("evil.example.test");
        assertThat(tooLarge.status()).isEqualTo(MediaStatus.TOO_LARGE);
        assertThat(tooLarge.sha256()).isNull();
        assertThat(tooLarge.url()).isNull();
        assertThat(garbage.status()).isEqualTo(MediaStatus.REFUSED);
    }

    @Test
    void aStoreFailureIsAFailedAttachmentAndTheDownloadIsCleanedUp() throws IOException {
        server.serve("/photo.jpg", 200, "image/jpeg", TestMedia.jpeg());
        MediaStore broken = new MediaStore() {
            @Override
            public StoredMedia store(Path tempFile, String sha256, String mimeType, String fileName) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public Optional<StoredMediaContent> open(String sha256) {
                return Optional.empty();
            }
        };

        Media media = processor(broken).fetch("greenapi", new Media(url("/photo.jpg"), "image/jpeg", "x.jpg"));

        assertThat(media.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(media.failure()).isEqualTo("could not store the copy: IOException");
        assertThat(Files.list(dir.resolve(".tmp"))).isEmpty();
    }

    @Test
    void aFullDiskIsNoFailureOfTheAttachmentItIsRefusedForALaterRetry() throws IOException {
        server.serve("/photo.jpg", 200, "image/jpeg", TestMedia.jpeg());
        MediaStore full = new MediaStore() {
            @Override
            public StoredMedia store(Path tempFile, String sha256, String mimeType, String fileName) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public Optional<StoredMediaContent> open(String sha256) {
                return Optional.empty();
            }
        };

        assertThatThrownBy(() -> processor(full).fetch("greenapi", new Media(url("/photo.jpg"), "image/jpeg", "x.jpg")))
                .isInstanceOf(InsufficientStorageException.class);
        assertThat(Files.list(dir.resolve(".tmp"))).isEmpty();
    }

    @Test
    void nothingHappensWhenOffWithoutALinkOrWhenAlreadyHandled() {
        Media pending = new Media(url("/photo.jpg"), "image/jpeg", "x.jpg");
        Media handled = pending.withFailure(MediaStatus.FAILED, "HTTP 404 from media.example.test");
        Media linkless = new Media(null, "image/jpeg", "x.jpg");

        assertThat(processor.fetch("greenapi", handled)).isSameAs(handled);
        assertThat(processor.fetch("greenapi", linkless)).isSameAs(linkless);
        properties.setEnabled(false);
        assertThat(processor.fetch("greenapi", pending)).isSameAs(pending);
        assertThat(processor.fetch("greenapi", null)).isNull();
        assertThat(server.totalHits()).isZero();
    }

    @Test
    void attachJsonUpdatesOnlyTheMediaObject() throws Exception {
        byte[] ogg = TestMedia.oggOpus();
        server.serve("/voice.oga", 200, "audio/ogg; codecs=opus", ogg);
        String json = """
                {"schemaVersion":1,"id":"greenapi:ABC","type":"audio","receivedAt":"2024-08-06T10:13:10Z",
                 "media":{"sourceUrl":"%s","mimeType":"audio/ogg","fileName":"voice.oga","hasThumbnail":false},
                 "raw":{"typeWebhook":"incomingMessageReceived","nested":[1,2.50,{"x":null}]},
                 "fieldFromTheFuture":"kept"}""".formatted(url("/voice.oga"));

        Exchange outcome = attach(json);

        JsonNode before = objectMapper.readTree(json);
        JsonNode after = objectMapper.readTree(outcome.getMessage().getBody(String.class));
        assertThat(outcome.getMessage().getHeader(Header.MEDIA_STATUS)).isEqualTo("stored");
        JsonNode media = after.get("media");
        assertThat(media.get("status").asText()).isEqualTo("stored");
        assertThat(media.get("sha256").asText()).isEqualTo(TestMedia.sha256(ogg));
        assertThat(media.get("size").asLong()).isEqualTo(ogg.length);
        assertThat(media.get("mimeType").asText()).isEqualTo("audio/ogg; codecs=opus");
        assertThat(media.get("storedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(media.get("url").asText()).startsWith("/media/");
        assertThat(media.get("hasThumbnail").asBoolean()).isFalse();
        assertThat(media.has("failure")).isFalse();
        ((ObjectNode) before).remove("media");
        ((ObjectNode) after).remove("media");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void jsonWithoutAnAttachmentComesBackAsItWas() throws Exception {
        String text = "{\"id\":\"kazinfoteh:1\",\"type\":\"text\",\"text\":\"hi\"}";
        String mediaWithoutLink = "{\"id\":\"x\",\"media\":{\"fileName\":\"a.jpg\"}}";

        assertThat(attach(text).getMessage().getBody()).isSameAs(text);
        assertThat(attach(mediaWithoutLink).getMessage().getBody()).isSameAs(mediaWithoutLink);
        assertThat(attach("[1,2]").getMessage().getBody()).isEqualTo("[1,2]");
        assertThat(attach(text).getMessage().getHeader(Header.MEDIA_STATUS)).isNull();
        assertThat(server.totalHits()).isZero();
    }

    @Test
    void asACamelProcessorItReplacesTheBodyAndSetsTheMediaStatusHeader() throws Exception {
        String json = "{\"id\":\"greenapi:1\",\"media\":{\"sourceUrl\":\"" + url("/nope.jpg") + "\"}}";
        String text = "{\"id\":\"greenapi:2\",\"text\":\"hi\"}";
        Exchange withMedia = new DefaultExchange(camel);
        withMedia.getMessage().setBody(json);
        Exchange withoutMedia = new DefaultExchange(camel);
        withoutMedia.getMessage().setBody(text);
        withoutMedia.getMessage().setHeader(Header.MEDIA_STATUS, "stale");

        attachment.process(withMedia);
        attachment.process(withoutMedia);

        assertThat(withMedia.getMessage().getHeader("mediaStatus")).isEqualTo("failed");
        assertThat(withMedia.getMessage().getBody(String.class))
                .contains("\"status\":\"failed\"").contains("\"failure\":\"HTTP 404 from media.example.test\"");
        assertThat(withoutMedia.getMessage().getHeader("mediaStatus")).isNull();
        assertThat(withoutMedia.getMessage().getBody()).isSameAs(text);
    }
}
