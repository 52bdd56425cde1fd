package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wagateway.media.FakeResolver.loopback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wagateway.canonical.MediaStatus;

/**
 * The downloader against answers written byte by byte on a loopback socket (one answer per connection, then
 * the server hangs up): what it does with odd framing, codings, answers cut short and answers that break HTTP.
 */
class RawHttpAnswersTest {

    @TempDir
    Path dir;

    private ServerSocket socket;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile IntFunction<byte[]> answers = n -> new byte[0];
    private final MediaProperties properties = new MediaProperties();
    private final FakeResolver resolver = new FakeResolver().map("raw.example.test", loopback());

    @BeforeEach
    void start() throws IOException {
        socket = new ServerSocket(0, 50, loopback());
        Thread acceptor = new Thread(this::serve, "raw-http");
        acceptor.setDaemon(true);
        acceptor.start();
        properties.setAllowedHosts(List.of("raw.example.test:" + socket.getLocalPort()));
        properties.setAllowPrivateAddresses(true);
        properties.setBackoff(Duration.ofMillis(5));
        properties.setMaxAttempts(2);
        properties.setReadTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                InputStream in = connection.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b == -1) {
                        break;
                    }
                    head.write(b);
                }
                requests.add(head.toString(StandardCharsets.ISO_8859_1));
                OutputStream out = connection.getOutputStream();
                out.write(answers.apply(requests.size()));
                out.flush();
            } catch (IOException e) {
                // closed by the test, or by the downloader hanging up
            }
        }
    }

    private DownloadResult download(String path) {
        try (MediaDownloader downloader = new MediaDownloader(properties, dir, resolver, TestMedia.defaultTls(),
                new SafeConnector())) {
            return downloader.download("http://raw.example.test:" + socket.getLocalPort() + path, null);
        }
    }

    private static byte[] bytes(String head, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return gzipped.toByteArray();
    }

    private List<Path> leftovers() throws IOException {
        Path temp = dir.resolve(".tmp");
        if (!Files.isDirectory(temp)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(temp)) {
            return files.toList();
        }
    }

    /** The request's header lines, names in lower case. */
    private static List<String> headerLines(String request) {
        return Arrays.stream(request.split("\r\n")).skip(1).filter(line -> !line.isEmpty())
                .map(line -> line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT) + line.substring(line.indexOf(':')))
                .toList();
    }

    // --- what is sent ------------------------------------------------------------------------------------------

    @Test
    void theRequestIsAGetOfPathAndQueryWithTheNameInHostAndNoFragmentCookieOrCredentials() {
        answers = n -> bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

        download("/upl/a%20b.jpeg?x=1#fragment");

        assertThat(requests).hasSize(1);
        String request = requests.get(0);
        assertThat(request).startsWith("GET /upl/a%20b.jpeg?x=1 HTTP/1.1\r\n");
        assertThat(headerLines(request))
                .contains("host: raw.example.test:" + socket.getLocalPort(), "user-agent: whatsapp-gateway-media/1")
                .noneMatch(line -> line.startsWith("cookie:") || line.startsWith("authorization:")
                        || line.startsWith("proxy-") || line.startsWith("upgrade:"));
    }

    // --- framing and codings the client decodes ------------------------------------------------------------------

    @Test
    void chunkedBodiesWithExtensionsAndTrailersAreDecoded() throws IOException {
        byte[] png = TestMedia.png();
        byte[] first = Arrays.copyOfRange(png, 0, 10);
        byte[] rest = Arrays.copyOfRange(png, 10, png.length);
        answers = n -> bytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "a;name=value\r\n", first,
                ("\r\n" + Integer.toHexString(rest.length).toUpperCase(Locale.ROOT) + "\r\n").getBytes(), rest,
                "\r\n0\r\nX-Trailer: yes\r\n\r\n".getBytes());

        DownloadResult result = download("/chunked.png");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.mimeType()).isEqualTo("image/png");
        assertThat(Files.readAllBytes(result.file())).isEqualTo(png);
    }

    @Test
    void aGzipAnswerIsDecodedAndTheDecodedBytesAreHashed() throws IOException {
        byte[] pdf = TestMedia.pdf();
        byte[] gzipped = gzip(pdf);
        answers = n -> bytes("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: " + gzipped.length + "\r\n\r\n", gzipped);

        DownloadResult result = download("/doc.pdf");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(pdf));
        assertThat(result.size()).isEqualTo(pdf.length);
        assertThat(Files.readAllBytes(result.file())).isEqualTo(pdf);
    }

    @Test
    void theLimitCountsDecodedBytesSoASmallGzipBombIsTooLarge() throws IOException {
        properties.setMaxBytes(100_000);
        byte[] bomb = gzip(new byte[5_000_000]);
        answers = n -> bytes("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: " + bomb.length + "\r\n\r\n", bomb);

        DownloadResult result = download("/bomb.mp4");

        assertThat(bomb.length).isLessThan(100_000);
        assertThat(result.status()).isEqualTo(MediaStatus.TOO_LARGE);
        assertThat(result.failure()).contains("100000");
        assertThat(requests).hasSize(1);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aBodyWithoutFramingLastsUntilTheConnectionCloses() {
        byte[] jpeg = TestMedia.jpeg();
        answers = n -> bytes("HTTP/1.0 200 OK\r\nContent-Type: image/jpeg\r\n\r\n", jpeg);

        DownloadResult result = download("/old.jpg");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(jpeg));
    }

    @Test
    void anInterimAnswerIsSkipped() {
        byte[] jpeg = TestMedia.jpeg();
        answers = n -> bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: " + jpeg.length
                + "\r\n\r\n", jpeg);

        assertThat(download("/x.jpg").downloaded()).isTrue();
    }

    // --- answers cut short: tried again ------------------------------------------------------------------------

    @Test
    void aBodyCutShortOfItsContentLengthIsRetriedAndLeavesNothing() throws IOException {
        answers = n -> bytes("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n",
                Arrays.copyOf(TestMedia.jpeg(), 10));

        DownloadResult result = download("/cut.jpg");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("raw.example.test").contains("2 tries");
        assertThat(requests).hasSize(2);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aChunkedBodyCutInTheMiddleOfAChunkIsRetriedAndTheSecondTryCanSucceed() throws IOException {
        byte[] png = TestMedia.png();
        answers = n -> n == 1
                ? bytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(png.length) + "\r\n", Arrays.copyOf(png, 20))
                : bytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " + png.length + "\r\n\r\n",
                        png);

        DownloadResult result = download("/cut.png");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(Files.readAllBytes(result.file())).isEqualTo(png);
        assertThat(leftovers()).containsExactly(result.file());
    }

    @Test
    void aConnectionClosedWithoutAnswerIsRetriedAndTheSecondTryCanSucceed() {
        byte[] jpeg = TestMedia.jpeg();
        answers = n -> n == 1 ? new byte[0]
                : bytes("HTTP/1.1 200 OK\r\nContent-Length: " + jpeg.length + "\r\n\r\n", jpeg);

        DownloadResult result = download("/later.jpg");

        assertThat(result.downloaded()).isTrue();
        assertThat(result.attempts()).isEqualTo(2);
    }

    /** The client skips lines that are not a status line (as garbage): ending without one is no answer at all. */
    @ParameterizedTest
    @ValueSource(strings = {"SSH-2.0-OpenSSH_9.6\r\n\r\n", "HTTP/1.1 2x0 OK\r\nContent-Length: 5\r\n\r\nhello"})
    void somethingThatIsNotAnHttpAnswerCountsAsNoAnswerAndIsRetried(String answer) throws IOException {
        answers = n -> answer.getBytes(StandardCharsets.ISO_8859_1);

        DownloadResult result = download("/garbage");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("raw.example.test").contains("2 tries");
        assertThat(requests).hasSize(2);
        assertThat(leftovers()).isEmpty();
    }

    // --- answers that break HTTP: not tried again --------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nBad header without colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: LONG\r\n\r\n",
    })
    void answersThatBreakTheProtocolFailWithoutRetryingAndLeaveNothing(String template) throws IOException {
        String answer = template.replace("LONG", "a".repeat(9000));
        answers = n -> answer.getBytes(StandardCharsets.ISO_8859_1);

        DownloadResult result = download("/broken");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).startsWith("bad HTTP answer from raw.example.test");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(requests).hasSize(1);
        assertThat(leftovers()).isEmpty();
    }
}
