package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wagateway.Fixtures;

/**
 * Clients that send their body a byte every 2 s hold connections, not request threads: while 300 authenticated
 * ones (more than Tomcat's 200 request threads) and 100 without credentials trickle, ordinary webhooks are each
 * answered 200 within 3 s; the authenticated slow ones get 408 once gateway.webhook.body-timeout (10 s) has
 * passed, the others their 401 at once. 400 client sockets stay far below Tomcat's max-connections (8192); the
 * test checks the process has the file descriptors for both ends first.
 */
class SlowClientsTest extends GatewayTestSupport {

    private static final int SLOW_AUTHENTICATED = 300;
    private static final int SLOW_ANONYMOUS = 100;
    private static final int DECLARED_BODY = 200;
    private static final int NORMAL_WEBHOOKS = 36;
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void slowBodiesHoldNoRequestThreadAndTimeOutWith408() throws Exception {
        long spareDescriptors = spareFileDescriptors();
        assertThat(spareDescriptors).as("spare file descriptors (both ends of every slow connection)")
                .isGreaterThan(2L * (SLOW_AUTHENTICATED + SLOW_ANONYMOUS) + 500);
        List<Socket> authenticated = new ArrayList<>();
        List<Socket> anonymous = new ArrayList<>();
        List<Socket> trickling = new CopyOnWriteArrayList<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ExecutorService senders = Executors.newFixedThreadPool(6);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < SLOW_AUTHENTICATED + SLOW_ANONYMOUS; i++) {
                boolean signed = i < SLOW_AUTHENTICATED;
                Socket socket = slowRequest(signed ? KAZINFOTEH_KEY : "guess");
                (signed ? authenticated : anonymous).add(socket);
                trickling.add(socket);
            }
            ticker.scheduleAtFixedRate(() -> trickle(trickling), 2, 2, TimeUnit.SECONDS);

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            List<Future<Long>> normal = new ArrayList<>();
            for (int i = 0; i < NORMAL_WEBHOOKS; i++) {
                normal.add(senders.submit(() -> timedWebhook(client)));
            }
            List<Long> millis = new ArrayList<>();
            for (Future<Long> each : normal) {
                millis.add(each.get(30, TimeUnit.SECONDS));
            }
            long normalDone = elapsedMillis(start);

            assertThat(millis).as("milliseconds to a 200 for each ordinary webhook").allSatisfy(
                    ms -> assertThat(ms).isBetween(0L, 2_999L));
            assertThat(normalDone).as("the ordinary webhooks ran while every slow one was still sending")
                    .isLessThan(BODY_TIMEOUT.toMillis());
            for (Socket socket : anonymous) {
                RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
                assertThat(answer.status()).isEqualTo(401);
                assertThat(answer.json().path("error").asText()).isEqualTo("unauthorized");
            }
            assertThat(elapsedMillis(start)).as("the anonymous ones were answered at once")
                    .isLessThan(BODY_TIMEOUT.toMillis());
            for (Socket socket : authenticated) {
                RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
                assertThat(answer.status()).isEqualTo(408);
                assertThat(answer.json().path("error").asText()).isEqualTo("body_timeout");
                assertThat(answer.headers().get("connection")).isEqualToIgnoringCase("close");
            }
            assertThat(elapsedMillis(start)).as("every slow one answered 408 shortly after the deadline")
                    .isBetween(BODY_TIMEOUT.toMillis(), BODY_TIMEOUT.toMillis() + 8_000);
        } finally {
            ticker.shutdownNow();
            senders.shutdownNow();
            for (Socket socket : trickling) {
                socket.close();
            }
            for (Socket socket : authenticated) {
                socket.close();
            }
            for (Socket socket : anonymous) {
                socket.close();
            }
        }
    }

    @Test
    void aBodyArrivingInPiecesWithinTheDeadlineIsTakenLikeAnyOther() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");

        RawHttp.Answer answer = inPieces(sample.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(receive("whatsapp.in.text", "kazinfoteh:" + sample.get("id").asText(), Duration.ofSeconds(20)))
                .isNotNull();
    }

    @Test
    void aBodyArrivingInPiecesIsCheckedLikeAnyOther() throws Exception {
        byte[] body = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id").toString()
                .getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xFF;

        RawHttp.Answer answer = inPieces(body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("invalid_utf8");
    }

    @Test
    void aChunkedWebhookIsTaken() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        byte[] body = sample.toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/greenapi"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + GREENAPI_TOKEN)
                // a publisher of unknown length: sent chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(receive("whatsapp.in.text", "greenapi:" + sample.get("idMessage").asText(), Duration.ofSeconds(20)))
                .isNotNull();
    }

    /** The headers and the first half of the body, the rest 300 ms later; the answer. */
    private RawHttp.Answer inPieces(byte[] body) throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(RawHttp.head(port, "POST", "/webhooks/kazinfoteh",
                    Map.of("Content-Type", "application/json", "X-API-KEY", KAZINFOTEH_KEY), body.length, true));
            out.write(body, 0, body.length / 2);
            out.flush();
            Future<?> rest = later.schedule(() -> {
                out.write(body, body.length / 2, body.length - body.length / 2);
                out.flush();
                return null;
            }, 300, TimeUnit.MILLISECONDS);
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            rest.get();
            return answer;
        } finally {
            later.shutdownNow();
        }
    }

    /** Headers declaring a body of {@value #DECLARED_BODY} bytes, and its first byte. */
    private Socket slowRequest(String key) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(25_000);
        OutputStream out = socket.getOutputStream();
        out.write(RawHttp.head(port, "POST", "/webhooks/kazinfoteh",
                Map.of("Content-Type", "application/json", "X-API-KEY", key), DECLARED_BODY, false));
        out.write('{');
        out.flush();
        return socket;
    }

    /** One more byte (JSON whitespace) on every slow connection the server has not closed. */
    private static void trickle(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.getOutputStream().write(' ');
                socket.getOutputStream().flush();
            } catch (IOException e) {
                sockets.remove(socket);
            }
        }
    }

    private long timedWebhook(HttpClient client) throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/kazinfoteh"))
                .timeout(Duration.ofSeconds(3)).header("Content-Type", "application/json")
                .header("X-API-KEY", KAZINFOTEH_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(sample.toString(), StandardCharsets.UTF_8)).build();
        long begin = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return elapsedMillis(begin);
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private static long spareFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
        }
        return Long.MAX_VALUE;
    }
}
