package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wagateway.media.FakeResolver.ip;
import static org.wagateway.media.FakeResolver.loopback;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wagateway.canonical.MediaStatus;

/** The downloader against loopback servers; names resolve through {@link FakeResolver} only. */
class MediaDownloaderTest {

    @TempDir
    Path dir;

    private LoopbackServer server;
    private LoopbackServer other;
    private final FakeResolver resolver = new FakeResolver()
            .map("media.example.test", loopback())
            .map("other.example.test", loopback())
            .map("127.0.0.1", loopback());
    private final SafeConnector connector = new SafeConnector();
    private final MediaProperties properties = new MediaProperties();

    @BeforeEach
    void start() throws IOException {
        server = LoopbackServer.start();
        other = LoopbackServer.start();
        properties.setAllowedHosts(List.of("media.example.test:" + server.port()));
        properties.setAllowPrivateAddresses(true); // the test servers are on loopback
        properties.setBackoff(Duration.ofMillis(10));
        properties.setConnectTimeout(Duration.ofSeconds(2));
        properties.setReadTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        downloaders.forEach(MediaDownloader::close);
        server.close();
        other.close();
    }

    private final List<MediaDownloader> downloaders = new ArrayList<>();

    private MediaDownloader downloader() {
        MediaDownloader downloader = new MediaDownloader(properties, dir, resolver, TestMedia.defaultTls(), connector);
        downloaders.add(downloader);
        return downloader;
    }

    private String url(String path) {
        return "http://media.example.test:" + server.port() + path;
    }

    private DownloadResult download(String path) {
        return downloader().download(url(path), null);
    }

    static Stream<Arguments> realFiles() {
        return Stream.of(
                Arguments.of("/photo.jpg", "image/jpeg", TestMedia.jpeg(), "image/jpeg"),
                Arguments.of("/picture.png", "image/png", TestMedia.png(), "image/png"),
                Arguments.of("/invoice.pdf", "application/pdf", TestMedia.pdf(), "application/pdf"),
                Arguments.of("/voice.ogg", "audio/ogg; codecs=opus", TestMedia.oggOpus(), "audio/ogg; codecs=opus"),
                Arguments.of("/song.mp3", "audio/mpeg", TestMedia.mp3(), "audio/mpeg"));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("realFiles")
    void downloadsARealFileWithItsHashSizeAndType(String path, String contentType, byte[] body, String expectedType)
            throws IOException {
        server.serve(path, 200, contentType, body);

        DownloadResult result = download(path);

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.status()).isEqualTo(MediaStatus.STORED);
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(body));
        assertThat(result.size()).isEqualTo(body.length);
        assertThat(result.mimeType()).isEqualTo(expectedType);
        assertThat(result.declaredMimeType()).isNull();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(Files.readAllBytes(result.file())).isEqualTo(body);
        assertThat(result.file().getParent()).isEqualTo(dir.resolve(".tmp"));
        assertThat(server.hits(path)).isEqualTo(1);
        assertThat(server.hostHeaders()).containsExactly("media.example.test:" + server.port());
        assertThat(connector.connections).hasSize(1);
    }

    @Test
    void theBytesWinOverALyingContentType() {
        server.serve("/report.pdf", 200, "application/pdf", TestMedia.png());

        DownloadResult result = download("/report.pdf");

        assertThat(result.downloaded()).isTrue();
        assertThat(result.mimeType()).isEqualTo("image/png");
        assertThat(result.declaredMimeType()).isEqualTo("application/pdf");
    }

    @Test
    void aGenericContentTypeFallsBackToTheProvidersDeclaredTypeThenTheBytes() {
        server.serve("/a", 200, "application/octet-stream", TestMedia.jpeg());
        server.serve("/b", 200, null, TestMedia.pdf());

        DownloadResult declaredAgrees = downloader().download(url("/a"), "image/jpeg");
        DownloadResult declaredLies = downloader().download(url("/b"), "video/mp4");

        assertThat(declaredAgrees.mimeType()).isEqualTo("image/jpeg");
        assertThat(declaredAgrees.declaredMimeType()).isNull();
        assertThat(declaredLies.mimeType()).isEqualTo("application/pdf");
        assertThat(declaredLies.declaredMimeType()).isEqualTo("video/mp4");
    }

    @Test
    void aClientErrorIsNotRetried() {
        DownloadResult result = download("/gone.jpg"); // the server answers 404 to unknown paths

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("HTTP 404").contains("media.example.test");
        assertThat(result.file()).isNull();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(server.hits("/gone.jpg")).isEqualTo(1);
    }

    @Test
    void aServerErrorIsRetriedAndTheSecondTryCanSucceed() {
        AtomicInteger calls = new AtomicInteger();
        byte[] jpeg = TestMedia.jpeg();
        server.handle("/flaky.jpg", exchange -> {
            if (calls.incrementAndGet() == 1) {
                LoopbackServer.respond(exchange, 503, "text/plain", "busy".getBytes());
            } else {
                LoopbackServer.respond(exchange, 200, "image/jpeg", jpeg);
            }
        });

        DownloadResult result = download("/flaky.jpg");

        assertThat(result.downloaded()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(jpeg));
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(server.hits("/flaky.jpg")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503, 429})
    void retriesStopAfterMaxAttempts(int status) {
        server.serve("/down", status, "text/plain", "no".getBytes());

        DownloadResult result = download("/down");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("HTTP " + status).contains("3 tries");
        assertThat(server.hits("/down")).isEqualTo(3);
    }

    @Test
    void aStalledBodyTimesOutRetriesAndLeavesNothing() throws IOException {
        properties.setReadTimeout(Duration.ofMillis(250));
        properties.setMaxAttempts(2);
        server.handle("/stall.jpg", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, 10_000);
            OutputStream out = exchange.getResponseBody();
            out.write(TestMedia.jpeg(), 0, 20);
            out.flush();
            try {
                server.closing.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        long started = System.nanoTime();
        DownloadResult result = download("/stall.jpg");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("timeout").contains("2 tries");
        assertThat(server.hits("/stall.jpg")).isEqualTo(2);
        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void aStalledAnswerHeadTimesOutToo() {
        properties.setReadTimeout(Duration.ofMillis(200));
        properties.setMaxAttempts(1);
        server.handle("/silent", exchange -> {
            try {
                server.closing.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        DownloadResult result = download("/silent");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("timeout");
    }

    @Test
    void aContentLengthOverTheLimitIsRefusedBeforeReading() throws IOException {
        properties.setMaxBytes(1000);
        server.serve("/big.jpg", 200, "image/jpeg", new byte[5000]);

        DownloadResult result = download("/big.jpg");

        assertThat(result.status()).isEqualTo(MediaStatus.TOO_LARGE);
        assertThat(result.failure()).contains("Content-Length 5000").contains("1000");
        assertThat(result.file()).isNull();
        assertThat(server.hits("/big.jpg")).isEqualTo(1);
        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void aBodyThatGrowsOverTheLimitIsCutMidStreamAndDeleted() throws IOException {
        properties.setMaxBytes(100_000);
        server.handle("/endless", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, 0); // chunked, no Content-Length
            OutputStream out = exchange.getResponseBody();
            byte[] piece = new byte[16 * 1024];
            try {
                for (int i = 0; i < 64; i++) {
                    out.write(piece);
                }
                out.close();
            } catch (IOException e) {
                // the downloader hung up: expected
            }
        });

        DownloadResult result = download("/endless");

        assertThat(result.status()).isEqualTo(MediaStatus.TOO_LARGE);
        assertThat(result.failure()).contains("100000");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(filesUnder(dir)).isEmpty();
    }

    @Test
    void aRedirectOnTheAllowedHostIsFollowed() {
        byte[] png = TestMedia.png();
        server.serve("/picture.png", 200, "image/png", png);
        server.handle("/short", exchange -> {
            exchange.getResponseHeaders().set("Location", "/picture.png");
            LoopbackServer.respond(exchange, 302, null, new byte[0]);
        });

        DownloadResult result = download("/short");

        assertThat(result.downloaded()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(png));
        assertThat(server.hits("/short")).isEqualTo(1);
        assertThat(server.hits("/picture.png")).isEqualTo(1);
    }

    @Test
    void aRelativeRedirectFromTheRootStaysOnTheHost() {
        byte[] png = TestMedia.png();
        server.serve("/picture.png", 200, "image/png", png);
        server.handle("/", exchange -> {
            exchange.getResponseHeaders().set("Location", "picture.png");
            LoopbackServer.respond(exchange, 303, null, new byte[0]);
        });

        DownloadResult result = downloader().download("http://media.example.test:" + server.port(), null);

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(server.hits("/picture.png")).isEqualTo(1);
    }

    @Test
    void aLinkWithSpacesAndNonAsciiCharactersIsQuotedNotRefused() {
        byte[] pdf = TestMedia.pdf();
        server.serve("/upl/счёт 1.pdf", 200, "application/pdf", pdf);

        DownloadResult result = download("/upl/счёт 1.pdf");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(pdf));
    }

    @Test
    void aRedirectToAHostOffTheAllowListIsRefusedAndThatHostGetsNothing() {
        other.serve("/stolen", 200, "image/png", TestMedia.png());
        server.handle("/out", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://other.example.test:" + other.port() + "/stolen");
            LoopbackServer.respond(exchange, 302, null, new byte[0]);
        });

        DownloadResult result = download("/out");

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(result.failure()).contains("other.example.test").contains("allowed-hosts").contains("redirect 1");
        assertThat(other.totalHits()).isZero();
        assertThat(resolver.lookups).doesNotContain("other.example.test");
        assertThat(server.hits("/out")).isEqualTo(1);
        assertThat(connector.connections).hasSize(1);
    }

    @Test
    void anAllowedHostOnAnotherPortThanItsEntryNamesIsRefusedAndGetsNothing() {
        properties.setAllowedHosts(List.of("media.example.test")); // http: port 80 only
        server.serve("/picture.png", 200, "image/png", TestMedia.png());

        DownloadResult result = download("/picture.png");

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(result.failure()).isEqualTo("host media.example.test is on gateway.media.allowed-hosts but not at"
                + " port " + server.port() + " (an entry without :port allows only 80 for http)");
        assertThat(result.attempts()).isZero();
        assertThat(server.totalHits()).isZero();
        assertThat(resolver.lookups).isEmpty();
        assertThat(connector.connections).isEmpty();
    }

    @Test
    void aHostAndPortEntryIsFetchedAtThatPort() {
        properties.setAllowedHosts(List.of("other.example.test:" + other.port(),
                "media.example.test:" + server.port()));
        server.serve("/picture.png", 200, "image/png", TestMedia.png());

        DownloadResult result = download("/picture.png");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(server.hits("/picture.png")).isEqualTo(1);
    }

    @Test
    void aRedirectToAnotherPortOfTheAllowedHostIsRefusedAndThatPortGetsNothing() {
        other.serve("/stolen", 200, "image/png", TestMedia.png());
        server.handle("/elsewhere", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://media.example.test:" + other.port() + "/stolen");
            LoopbackServer.respond(exchange, 302, null, new byte[0]);
        });

        DownloadResult result = download("/elsewhere");

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(result.failure()).contains("media.example.test").contains("not at port " + other.port())
                .contains("redirect 1");
        assertThat(server.hits("/elsewhere")).isEqualTo(1);
        assertThat(other.totalHits()).isZero();
        assertThat(connector.connections).hasSize(1);
    }

    @Test
    void anAnyPortEntryFollowsARedirectToAnotherPortOfItsHost() {
        properties.setAllowedHosts(List.of("media.example.test:*"));
        byte[] png = TestMedia.png();
        other.serve("/picture.png", 200, "image/png", png);
        server.handle("/elsewhere", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://media.example.test:" + other.port() + "/picture.png");
            LoopbackServer.respond(exchange, 302, null, new byte[0]);
        });

        DownloadResult result = download("/elsewhere");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(png));
        assertThat(other.hits("/picture.png")).isEqualTo(1);
    }

    @Test
    void aRedirectToAPrivateAddressIsRefusedWithoutConnecting() {
        // public.example.test "is" 93.184.216.34; the connector carries that to the loopback server
        InetAddress pretendPublic = ip("public.example.test", 93, 184, 216, 34);
        connector.translate(pretendPublic);
        properties.setAllowPrivateAddresses(false);
        properties.setAllowedHosts(List.of("public.example.test:" + server.port(), "metadata.example.test"));
        resolver.map("public.example.test", pretendPublic);
        resolver.map("metadata.example.test", ip("metadata.example.test", 169, 254, 169, 254));
        server.handle("/meta", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://metadata.example.test/latest/meta-data/");
            LoopbackServer.respond(exchange, 307, null, new byte[0]);
        });

        DownloadResult result = downloader().download("http://public.example.test:" + server.port() + "/meta", null);

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(result.failure()).contains("169.254.169.254").contains("redirect 1");
        assertThat(server.hits("/meta")).isEqualTo(1);
        assertThat(connector.connections).extracting(a -> a.getAddress()).containsExactly(pretendPublic);
    }

    @Test
    void aNameThatRebindsToAPrivateAddressAfterTheCheckIsRefusedWhenConnecting() {
        // the guard's lookup sees a public address; the lookup for the connection gets loopback (DNS rebinding)
        InetAddress pretendPublic = ip("rebind.example.test", 93, 184, 216, 34);
        connector.translate(pretendPublic);
        properties.setAllowPrivateAddresses(false);
        properties.setAllowedHosts(List.of("rebind.example.test:" + server.port()));
        resolver.rebind("rebind.example.test", pretendPublic, loopback());
        server.serve("/secret", 200, "image/png", TestMedia.png());

        DownloadResult result = downloader().download("http://rebind.example.test:" + server.port() + "/secret", null);

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(result.failure()).isEqualTo("host rebind.example.test resolves to a non-public address 127.0.0.1");
        assertThat(result.attempts()).isZero();
        assertThat(resolver.lookups).containsExactly("rebind.example.test", "rebind.example.test");
        assertThat(connector.connections).isEmpty();
        assertThat(server.totalHits()).isZero();
    }

    @Test
    void oneDownloaderReusesItsConnectionAndConnectsOnlyToCheckedAddresses() {
        server.serve("/a.png", 200, "image/png", TestMedia.png());
        server.serve("/b.pdf", 200, "application/pdf", TestMedia.pdf());
        MediaDownloader downloader = downloader();

        assertThat(downloader.download(url("/a.png"), null).downloaded()).isTrue();
        assertThat(downloader.download(url("/b.pdf"), null).downloaded()).isTrue();

        assertThat(connector.connections).extracting(a -> a.getAddress()).containsExactly(loopback());
        assertThat(server.hostHeaders()).containsOnly("media.example.test:" + server.port());
    }

    @Test
    @Timeout(10)
    void anEndlessBodyOverTheLimitIsCutOffNotReadToItsEnd() throws Exception {
        properties.setMaxBytes(100_000);
        AtomicBoolean cutOff = new AtomicBoolean();
        server.handle("/endless.mp4", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, 0); // chunked, never ends
            endless(exchange.getResponseBody(), cutOff);
        });

        long started = System.nanoTime();
        DownloadResult result = download("/endless.mp4");

        assertThat(result.status()).isEqualTo(MediaStatus.TOO_LARGE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(filesUnder(dir)).isEmpty();
        waitFor(cutOff);
    }

    @Test
    @Timeout(10)
    void anEndlessErrorBodyIsNotReadEither() throws Exception {
        properties.setMaxAttempts(2);
        AtomicBoolean cutOff = new AtomicBoolean();
        server.handle("/busy", exchange -> {
            exchange.sendResponseHeaders(503, 0); // chunked, never ends
            endless(exchange.getResponseBody(), cutOff);
        });

        DownloadResult result = download("/busy");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("HTTP 503").contains("2 tries");
        assertThat(server.hits("/busy")).isEqualTo(2);
        waitFor(cutOff);
    }

    /** Writes until the client hangs up (then sets {@code cutOff}) or the test ends. */
    private void endless(OutputStream out, AtomicBoolean cutOff) {
        byte[] piece = new byte[16 * 1024];
        try {
            while (server.closing.getCount() > 0) {
                out.write(piece);
            }
        } catch (IOException e) {
            cutOff.set(true);
        }
    }

    private static void waitFor(AtomicBoolean flag) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!flag.get() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(flag).as("the server saw the downloader hang up").isTrue();
    }

    @Test
    void aRedirectLoopStopsAfterMaxRedirectsWithoutRetrying() {
        server.handle("/loop", exchange -> {
            exchange.getResponseHeaders().set("Location", url("/loop"));
            LoopbackServer.respond(exchange, 301, null, new byte[0]);
        });

        DownloadResult result = download("/loop");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("more than 3 redirects");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(server.hits("/loop")).isEqualTo(4); // the first request and three followed redirects
    }

    @Test
    void aRedirectWithoutLocationFails() {
        server.serve("/nowhere", 302, null, new byte[0]);

        DownloadResult result = download("/nowhere");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("without Location");
    }

    @Test
    void anEmptyBodyFails() {
        server.serve("/empty", 200, "image/jpeg", new byte[0]);

        DownloadResult result = download("/empty");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("empty body");
    }

    // --- refusals: nothing is sent -------------------------------------------------------------------------------

    @Test
    void loopbackIsRefusedWhenPrivateAddressesAreNotAllowed() {
        properties.setAllowPrivateAddresses(false);
        properties.setAllowedHosts(List.of("127.0.0.1:" + server.port(), "media.example.test:" + server.port()));
        server.serve("/picture.png", 200, "image/png", TestMedia.png());

        DownloadResult byAddress = downloader().download("http://127.0.0.1:" + server.port() + "/picture.png", null);
        DownloadResult byName = download("/picture.png");

        assertThat(byAddress.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(byAddress.failure()).contains("non-public address 127.0.0.1");
        assertThat(byAddress.attempts()).isZero();
        assertThat(byName.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(server.totalHits()).isZero();
        assertThat(connector.connections).isEmpty();
    }

    static Stream<InetAddress> privateAnswers() throws Exception {
        return Stream.of(
                ip("h", 10, 0, 0, 1),
                ip("h", 169, 254, 169, 254),
                ip("h", 192, 168, 1, 1),
                ip("h", 172, 16, 0, 1),
                ip("h", 100, 64, 0, 1),
                ip("h", 0, 0, 0, 0),
                ip("h", 224, 0, 0, 251),
                ip("h", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),                       // ::1
                ip("h", 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),                    // fd00::1
                ip("h", 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),                 // fe80::1
                java.net.Inet6Address.getByAddress("h",                                         // ::ffff:10.0.0.1
                        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1}, -1));
    }

    @ParameterizedTest
    @MethodSource("privateAnswers")
    void aPublicLookingNameThatResolvesToAPrivateAddressIsRefusedWithoutConnecting(InetAddress answer) {
        properties.setAllowPrivateAddresses(false);
        properties.setAllowedHosts(List.of("cdn.example.test"));
        resolver.map("cdn.example.test", answer);

        DownloadResult result = downloader().download("https://cdn.example.test/media/photo.jpg", "image/jpeg");

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(result.failure()).contains("non-public address");
        assertThat(connector.connections).isEmpty();
    }

    @Test
    void oneBadAddressAmongGoodOnesIsEnoughToRefuse() {
        properties.setAllowPrivateAddresses(false);
        properties.setAllowedHosts(List.of("cdn.example.test"));
        resolver.map("cdn.example.test", ip("cdn.example.test", 93, 184, 216, 34), ip("cdn.example.test", 10, 1, 2, 3));

        DownloadResult result = downloader().download("https://cdn.example.test/photo.jpg", null);

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(connector.connections).isEmpty();
    }

    @Test
    void aHostOffTheAllowListIsRefusedWithoutEvenALookup() {
        DownloadResult result = downloader().download("https://evil.example.test/photo.jpg?token=secret", null);

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(result.failure()).isEqualTo("host evil.example.test is not on gateway.media.allowed-hosts");
        assertThat(resolver.lookups).isEmpty();
        assertThat(connector.connections).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://media.example.test/a.jpg", "file:///etc/passwd", "gopher://media.example.test/",
            "http://user:pw@media.example.test/a.jpg", "mailto:someone@media.example.test", "not a link at all",
            "/relative/only.jpg", "http:///no-host"})
    void linksThatAreNotPlainHttpAreRefused(String link) {
        DownloadResult result = downloader().download(link, null);

        assertThat(result.status()).isEqualTo(MediaStatus.REFUSED);
        assertThat(resolver.lookups).isEmpty();
        assertThat(connector.connections).isEmpty();
    }

    @Test
    void anUnknownHostIsAFailureRetriedLikeANetworkError() {
        properties.setAllowedHosts(List.of("*.example.test"));

        DownloadResult result = downloader().download("https://nxdomain.example.test/a.jpg", null);

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("unknown host nxdomain.example.test");
        assertThat(resolver.lookups).hasSize(3);
        assertThat(connector.connections).isEmpty();
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
