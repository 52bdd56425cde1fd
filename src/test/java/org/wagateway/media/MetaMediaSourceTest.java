package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wagateway.media.FakeResolver.loopback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MediaStatus;
import org.wagateway.flow.CanonicalJson;
import org.wagateway.provider.meta.MetaProperties;

/**
 * Meta's two-step download against loopback stand-ins: a Graph API that answers the media lookup with a link to a
 * CDN, the CDN that serves the bytes, and a third host. Names resolve through {@link FakeResolver} only and every
 * connection goes through {@link SafeConnector}, so nothing leaves 127.0.0.1.
 */
class MetaMediaSourceTest {

    private static final String TOKEN = "EAAGtest-meta-token-5f1c9a77d2";
    private static final String MEDIA_ID = "1003383421387256";
    private static final String LOOKUP = "/v23.0/" + MEDIA_ID;
    private static final String FILE = "/whatsapp_business/attachments/";

    @TempDir
    Path dir;

    private LoopbackServer graph;
    private LoopbackServer cdn;
    private LoopbackServer third;
    private final FakeResolver resolver = new FakeResolver()
            .map("graph.example.test", loopback())
            .map("cdn.example.test", loopback())
            .map("third.example.test", loopback());
    private final SafeConnector connector = new SafeConnector();
    private final MediaProperties properties = new MediaProperties();
    private final MetaProperties meta = new MetaProperties();
    private final ObjectMapper objectMapper = Jackson2ObjectMapperBuilder.json().build();
    private final List<MediaDownloader> downloaders = new ArrayList<>();
    private LocalMediaStore store;
    private final byte[] photo = TestMedia.jpeg();

    @BeforeEach
    void start() throws IOException {
        graph = LoopbackServer.start();
        cdn = LoopbackServer.start();
        third = LoopbackServer.start();
        properties.setAllowedHosts(List.of("graph.example.test:" + graph.port(), "cdn.example.test:" + cdn.port(),
                "third.example.test:" + third.port()));
        properties.setAllowPrivateAddresses(true); // the stand-ins are on loopback
        properties.setBackoff(Duration.ofMillis(10));
        properties.setLinkSecret("meta-media-test-secret-meta-media-test");
        meta.setGraphUrl("http://graph.example.test:" + graph.port() + "/v23.0");
        meta.setAccessToken(TOKEN);
        store = new LocalMediaStore(dir, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        downloaders.forEach(MediaDownloader::close);
        graph.close();
        cdn.close();
        third.close();
    }

    private MediaFetch fetch() {
        MediaDownloader downloader = new MediaDownloader(properties, dir, resolver, TestMedia.defaultTls(), connector);
        downloaders.add(downloader);
        return new MediaFetch(properties, TestMedia.sources(properties, downloader, meta), store,
                new MediaLinks(properties));
    }

    private String cdnUrl(String query) {
        return "http://cdn.example.test:" + cdn.port() + FILE + "?mid=" + MEDIA_ID + "&" + query;
    }

    /** The Graph API's answer to the lookup: the link, and the file's checksum and size as Meta gives them. */
    private String lookupAnswer(String url, byte[] bytes) {
        return "{\"messaging_product\":\"whatsapp\",\"url\":\"" + url + "\",\"mime_type\":\"image/jpeg\","
                + "\"sha256\":\"" + base64Sha256(bytes) + "\",\"file_size\":" + bytes.length + ",\"id\":\""
                + MEDIA_ID + "\"}";
    }

    private void graphAnswers(String url, byte[] bytes) {
        graph.serve(LOOKUP, 200, "application/json", lookupAnswer(url, bytes).getBytes(StandardCharsets.UTF_8));
    }

    private static String base64Sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Media metaImage(String declaredSha256) {
        return Media.byId(MEDIA_ID, "image/jpeg", declaredSha256, null, null, null);
    }

    private void assertNothingStored() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @ParameterizedTest(name = "declared sha256 in {0}")
    @ValueSource(strings = {"base64", "hex"})
    void theBytesAreFetchedWithTheTokenOnBothRequestsCheckedAndStored(String encoding) {
        graphAnswers(cdnUrl("ext=1&hash=abc"), photo);
        cdn.serve(FILE, 200, "image/jpeg", photo);
        String declared = encoding.equals("hex") ? TestMedia.sha256(photo) : base64Sha256(photo);

        Media media = fetch().fetch("meta", metaImage(declared));

        assertThat(media.status()).as(media.failure()).isEqualTo(MediaStatus.STORED);
        assertThat(media.sha256()).isEqualTo(TestMedia.sha256(photo));
        assertThat(media.size()).isEqualTo(photo.length);
        assertThat(media.mediaId()).isEqualTo(MEDIA_ID);
        assertThat(store.contentPath(media.sha256())).hasBinaryContent(photo);
        assertThat(graph.authorizations(LOOKUP)).containsExactly("Bearer " + TOKEN);
        assertThat(cdn.authorizations(FILE)).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void aRedirectToAnotherHostGoesWithoutTheToken() {
        graphAnswers(cdnUrl("ext=1"), photo);
        cdn.handle(FILE, exchange -> {
            exchange.getResponseHeaders().set("Location", "http://third.example.test:" + third.port() + "/copy.jpg");
            LoopbackServer.respond(exchange, 302, null, new byte[0]);
        });
        third.serve("/copy.jpg", 200, "image/jpeg", photo);

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).as(media.failure()).isEqualTo(MediaStatus.STORED);
        assertThat(cdn.authorizations(FILE)).containsExactly("Bearer " + TOKEN);
        assertThat(third.authorizations("/copy.jpg")).containsExactly("(none)");
    }

    @Test
    void aRedirectOfTheLookupToAnotherHostGoesWithoutTheTokenToo() {
        graph.handle(LOOKUP, exchange -> {
            exchange.getResponseHeaders().set("Location", "http://third.example.test:" + third.port() + "/lookup");
            LoopbackServer.respond(exchange, 307, null, new byte[0]);
        });
        third.serve("/lookup", 200, "application/json",
                lookupAnswer(cdnUrl("ext=1"), photo).getBytes(StandardCharsets.UTF_8));
        cdn.serve(FILE, 200, "image/jpeg", photo);

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).as(media.failure()).isEqualTo(MediaStatus.STORED);
        assertThat(third.authorizations("/lookup")).containsExactly("(none)");
        assertThat(cdn.authorizations(FILE)).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void bytesThatDoNotMatchTheAnnouncedChecksumAreAFailureAndNotStored() throws IOException {
        byte[] other = TestMedia.png();
        graph.serve(LOOKUP, 200, "application/json",
                lookupAnswer(cdnUrl("ext=1"), photo).getBytes(StandardCharsets.UTF_8));
        cdn.serve(FILE, 200, "image/png", other);

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(media.failure()).isEqualTo("the bytes from cdn.example.test have SHA-256 "
                + TestMedia.sha256(other) + ", not the " + TestMedia.sha256(photo) + " Meta announced");
        assertThat(media.sha256()).isNull();
        assertThat(media.url()).isNull();
        assertThat(cdn.hits(FILE)).as("a mismatch is not retried").isEqualTo(1);
        assertNothingStored();
    }

    @Test
    void theLookupsChecksumIsCheckedWhenTheMessageAnnouncedNone() throws IOException {
        graphAnswers(cdnUrl("ext=1"), photo);
        cdn.serve(FILE, 200, "image/png", TestMedia.png());

        Media media = fetch().fetch("meta", metaImage(null));

        assertThat(media.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(media.failure()).contains("Meta announced");
        assertNothingStored();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 404})
    void aGraphApiErrorIsAFailureWithItsReasonAndNotRetried(int status) throws IOException {
        graph.serve(LOOKUP, status, "application/json",
                ("{\"error\":{\"message\":\"Invalid OAuth access token " + TOKEN + "\",\"type\":\"OAuthException\","
                        + "\"code\":190}}").getBytes(StandardCharsets.UTF_8));

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(media.failure()).isEqualTo("media lookup: HTTP " + status + " from graph.example.test");
        assertThat(graph.hits(LOOKUP)).isEqualTo(1);
        assertThat(cdn.totalHits()).isZero();
        assertNothingStored();
    }

    @Test
    void eachTryAsksTheGraphApiForAFreshLink() {
        AtomicInteger lookups = new AtomicInteger();
        graph.handle(LOOKUP, exchange -> LoopbackServer.respond(exchange, 200, "application/json",
                lookupAnswer(cdnUrl("try=" + lookups.incrementAndGet()), photo).getBytes(StandardCharsets.UTF_8)));
        List<String> links = new ArrayList<>();
        cdn.handle(FILE, exchange -> {
            links.add(exchange.getRequestURI().getQuery());
            if (links.size() == 1) {
                LoopbackServer.respond(exchange, 503, "text/plain", "busy".getBytes());
            } else {
                LoopbackServer.respond(exchange, 200, "image/jpeg", photo);
            }
        });

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).as(media.failure()).isEqualTo(MediaStatus.STORED);
        assertThat(graph.hits(LOOKUP)).isEqualTo(2);
        assertThat(links).containsExactly("mid=" + MEDIA_ID + "&try=1", "mid=" + MEDIA_ID + "&try=2");
    }

    @Test
    void aBusyGraphApiIsRetriedLikeAnyMediaHost() {
        AtomicInteger calls = new AtomicInteger();
        graph.handle(LOOKUP, exchange -> {
            if (calls.incrementAndGet() == 1) {
                LoopbackServer.respond(exchange, 503, "text/plain", "busy".getBytes());
            } else {
                LoopbackServer.respond(exchange, 200, "application/json",
                        lookupAnswer(cdnUrl("ext=1"), photo).getBytes(StandardCharsets.UTF_8));
            }
        });
        cdn.serve(FILE, 200, "image/jpeg", photo);

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).as(media.failure()).isEqualTo(MediaStatus.STORED);
        assertThat(graph.hits(LOOKUP)).isEqualTo(2);
        assertThat(cdn.hits(FILE)).isEqualTo(1);
    }

    @Test
    void aLinkToAHostOffTheAllowListIsRefusedWithoutALookupOfThatHost() throws IOException {
        graphAnswers("http://evil.example.test/steal?mid=" + MEDIA_ID, photo);

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(media.failure()).isEqualTo("host evil.example.test is not on gateway.media.allowed-hosts");
        assertThat(resolver.lookups).doesNotContain("evil.example.test");
        assertThat(connector.connections).hasSize(1); // the lookup only
        assertNothingStored();
    }

    @Test
    void aGraphUrlOffTheAllowListIsRefusedBeforeTheTokenGoesAnywhere() {
        properties.setAllowedHosts(List.of("cdn.example.test:" + cdn.port()));

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(media.failure()).isEqualTo("media lookup: host graph.example.test is not on "
                + "gateway.media.allowed-hosts");
        assertThat(connector.connections).isEmpty();
    }

    @Test
    void aFileSizeOverTheLimitIsTooLargeBeforeAnyByteIsFetched() {
        properties.setMaxBytes(photo.length - 1);
        graphAnswers(cdnUrl("ext=1"), photo);
        cdn.serve(FILE, 200, "image/jpeg", photo);

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).isEqualTo(MediaStatus.TOO_LARGE);
        assertThat(media.failure()).isEqualTo("file_size " + photo.length + " exceeds the limit of "
                + (photo.length - 1) + " bytes");
        assertThat(cdn.totalHits()).isZero();
    }

    @Test
    void withoutATokenNothingIsAskedAndTheReasonSaysWhichKey() {
        meta.setAccessToken(null);

        Media media = fetch().fetch("meta", metaImage(base64Sha256(photo)));

        assertThat(media.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(media.failure()).isEqualTo("gateway.meta.access-token is not set");
        assertThat(graph.totalHits() + cdn.totalHits()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../me/accounts", "123?fields=access_token", "12/34", "1 2", "12%2F34"})
    void aMediaIdThatCouldLeaveItsPathSegmentIsRefused(String id) {
        Media media = fetch().fetch("meta", Media.byId(id, "image/jpeg", null, null, null, null));

        assertThat(media.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(media.failure()).isEqualTo("not a valid Meta media id");
        assertThat(connector.connections).isEmpty();
    }

    @Test
    void anHttpsGraphApiThatAnswersAPlainHttpLinkIsRefusedAndTheTokenNotSent() throws Exception {
        try (LoopbackServer tlsGraph = LoopbackServer.startTls(TestMedia.serverTls())) {
            resolver.map("media.example.test", loopback());
            properties.setAllowedHosts(List.of("media.example.test:" + tlsGraph.port(),
                    "cdn.example.test:" + cdn.port()));
            meta.setGraphUrl("https://media.example.test:" + tlsGraph.port() + "/v23.0/");
            tlsGraph.serve(LOOKUP, 200, "application/json",
                    lookupAnswer(cdnUrl("ext=1"), photo).getBytes(StandardCharsets.UTF_8));
            MediaDownloader downloader = new MediaDownloader(properties, dir, resolver, TestMedia.clientTls(),
                    connector);
            downloaders.add(downloader);
            MediaFetch fetch = new MediaFetch(properties, TestMedia.sources(properties, downloader, meta), store,
                    new MediaLinks(properties));

            Media media = fetch.fetch("meta", metaImage(base64Sha256(photo)));

            assertThat(media.status()).isEqualTo(MediaStatus.REFUSED);
            assertThat(media.failure()).isEqualTo("media lookup: the Graph API's url for cdn.example.test is not "
                    + "https; the token goes over https only");
            assertThat(tlsGraph.authorizations(LOOKUP)).containsExactly("Bearer " + TOKEN);
            assertThat(cdn.totalHits()).isZero();
        }
    }

    @Test
    void theTokenIsInNoLogLineAndNoFailureText() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        Logger gateway = (Logger) LoggerFactory.getLogger("org.wagateway");
        Level before = gateway.getLevel();
        gateway.setLevel(Level.DEBUG);
        List<String> failures = new ArrayList<>();
        try {
            MediaFetch fetch = fetch();
            // a lookup error, a busy CDN until the tries run out, a checksum mismatch, a refused link, a success
            graph.serve(LOOKUP, 401, "application/json", ("{\"error\":\"" + TOKEN + "\"}").getBytes());
            failures.add(fetch.fetch("meta", metaImage(base64Sha256(photo))).failure());
            graphAnswers(cdnUrl("ext=1"), photo);
            cdn.serve(FILE, 503, "text/plain", TOKEN.getBytes());
            failures.add(fetch.fetch("meta", metaImage(base64Sha256(photo))).failure());
            cdn.serve(FILE, 200, "image/png", TestMedia.png());
            failures.add(fetch.fetch("meta", metaImage(base64Sha256(photo))).failure());
            graphAnswers("http://evil.example.test/?access_token=" + TOKEN, photo);
            failures.add(fetch.fetch("meta", metaImage(base64Sha256(photo))).failure());
            graphAnswers(cdnUrl("ext=1"), photo);
            cdn.serve(FILE, 200, "image/jpeg", photo);
            assertThat(fetch.fetch("meta", metaImage(base64Sha256(photo))).status()).isEqualTo(MediaStatus.STORED);
        } finally {
            root.detachAppender(appender);
            gateway.setLevel(before);
        }

        assertThat(failures).hasSize(4).doesNotContainNull().noneMatch(text -> text.contains(TOKEN));
        // the gateway's own lines at every level, everything else at the gateway's level (INFO)
        List<String> lines = appender.list.stream()
                .filter(e -> e.getLoggerName().startsWith("org.wagateway") || e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
        assertThat(lines).anyMatch(line -> line.contains("graph.example.test"));
        assertThat(lines).noneMatch(line -> line.contains(TOKEN));
    }

    @Test
    void theDispatchStepQueuesAMetaMediaByItsIdAndNoOtherProvidersMediaWithoutALink() throws Exception {
        MediaToFetch toFetch = new MediaToFetch(fetch(), new CanonicalJson(objectMapper), objectMapper);
        ObjectNode message = objectMapper.createObjectNode().put("provider", "meta");
        message.set("media", objectMapper.valueToTree(metaImage(base64Sha256(photo))));

        assertThat(toFetch.needsDownload(exchange(message))).isTrue();
        message.put("provider", "greenapi");
        assertThat(toFetch.needsDownload(exchange(message))).isFalse();
        message.put("provider", "meta");
        ((ObjectNode) message.get("media")).put("status", "stored");
        assertThat(toFetch.needsDownload(exchange(message))).isFalse();
    }

    private Exchange exchange(ObjectNode message) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(objectMapper.writeValueAsString(message));
        return exchange;
    }

    @Test
    void announcedChecksumsAreReadInBase64OrHex() {
        byte[] sha = HexFormat.of().parseHex(TestMedia.sha256(photo));

        assertThat(MetaMediaSource.sha256Bytes(Base64.getEncoder().encodeToString(sha))).isEqualTo(sha);
        assertThat(MetaMediaSource.sha256Bytes(Base64.getUrlEncoder().withoutPadding().encodeToString(sha)))
                .isEqualTo(sha);
        assertThat(MetaMediaSource.sha256Bytes(TestMedia.sha256(photo).toUpperCase())).isEqualTo(sha);
        assertThat(MetaMediaSource.sha256Bytes("abc")).isNull();
        assertThat(MetaMediaSource.sha256Bytes(Base64.getEncoder().encodeToString(new byte[20]))).isNull();
        assertThat(MetaMediaSource.sha256Bytes("z".repeat(64))).isNull();
    }
}
