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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wagateway.canonical.MediaStatus;

/** Answers written byte by byte on a loopback socket: the small HTTP client's framing and error handling. */
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
        properties.setAllowedHosts(List.of("raw.example.test"));
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
                // closed by the test
            }
        }
    }

    private DownloadResult download(String path) {
        return new MediaDownloader(properties, dir, resolver, (SSLSocketFactory) SSLSocketFactory.getDefault(),
                new SafeConnector()).download("http://raw.example.test:" + socket.getLocalPort() + path, null);
    }

    private static byte[] bytes(String head, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void theRequestIsAPlainGetWithTheNameInHostAndNothingElse() {
        answers = n -> bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

        download("/upl/a%20b.jpeg?x=1#fragment");

        assertThat(requests).singleElement().isEqualTo("GET /upl/a%20b.jpeg?x=1 HTTP/1.1\r\n"
                + "Host: raw.example.test:" + socket.getLocalPort() + "\r\n"
                + "User-Agent: whatsapp-gateway-media/1\r\n"
                + "Accept: */*\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: close\r\n\r\n");
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailersAreDecoded() throws IOException {
        byte[] png = TestMedia.png();
        byte[] first = java.util.Arrays.copyOfRange(png, 0, 10);
        byte[] rest = java.util.Arrays.copyOfRange(png, 10, png.length);
        answers = n -> bytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "a;name=value\r\n", first,
                ("\r\n" + Integer.toHexString(rest.length).toUpperCase() + "\r\n").getBytes(), rest,
                "\r\n0\r\nX-Trailer: yes\r\n\r\n".getBytes());

        DownloadResult result = download("/chunked.png");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(Files.readAllBytes(result.file())).isEqualTo(png);
    }

    @Test
    void aGzipAnswerIsDecodedAndTheDecodedBytesAreHashed() throws IOException {
        byte[] pdf = TestMedia.pdf();
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(pdf);
        }
        answers = n -> bytes("HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: " + gzipped.size() + "\r\n\r\n", gzipped.toByteArray());

        DownloadResult result = download("/doc.pdf");

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(pdf));
        assertThat(result.size()).isEqualTo(pdf.length);
    }

    @Test
    void aBodyWithoutFramingLastsUntilTheConnectionCloses() {
        byte[] jpeg = TestMedia.jpeg();
        answers = n -> bytes("HTTP/1.0 200 OK\r\nContent-Type: image/jpeg\r\n\r\n", jpeg);

        DownloadResult result = download("/old.jpg");

        assertThat(result.downloaded()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(jpeg));
    }

    @Test
    void anInterimAnswerIsSkipped() {
        byte[] jpeg = TestMedia.jpeg();
        answers = n -> bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: " + jpeg.length
                + "\r\n\r\n", jpeg);

        assertThat(download("/x.jpg").downloaded()).isTrue();
    }

    @Test
    void aBodyCutShortOfItsContentLengthIsRetriedAndLeavesNothing() throws IOException {
        answers = n -> bytes("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 1000\r\n\r\n",
                java.util.Arrays.copyOf(TestMedia.jpeg(), 10));

        DownloadResult result = download("/cut.jpg");

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("EOFException").contains("990 bytes short").contains("2 tries");
        assertThat(requests).hasSize(2);
        try (var files = Files.list(dir.resolve(".tmp"))) {
            assertThat(files).isEmpty();
        }
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

    @Test
    void answersThatBreakTheProtocolFailWithoutRetrying() {
        String[] broken = {
                "SSH-2.0-OpenSSH_9.6\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nBad header without colon\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX: " + "a".repeat(9000) + "\r\n\r\n",
        };
        for (String answer : broken) {
            requests.clear();
            answers = n -> answer.getBytes(StandardCharsets.ISO_8859_1);

            DownloadResult result = download("/broken");

            assertThat(result.status()).as(answer).isEqualTo(MediaStatus.FAILED);
            assertThat(result.failure()).as(answer).startsWith("bad HTTP answer from raw.example.test");
            assertThat(requests).as(answer).hasSize(1);
        }
    }
}
