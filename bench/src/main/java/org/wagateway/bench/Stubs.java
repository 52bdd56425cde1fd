package org.wagateway.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's counterparts, each a JDK {@link HttpServer} bound to 127.0.0.1 on a free port.
 *
 * <pre>
 *   Stubs env     PORT_FILE MAX_SECONDS   the CRM stub and the media server (writes crm=PORT, media=PORT)
 *   Stubs trivial PORT_FILE MAX_SECONDS   a server that reads the request and answers 200 (writes trivial=PORT)
 * </pre>
 *
 * <p>CRM stub: any POST is answered 200 and recorded per {@code Idempotency-Key}: how many times, and the wall
 * clock (epoch microseconds) of the first arrival. {@code GET /_bench/stats} gives the counters,
 * {@code GET /_bench/dump} one line per key: {@code key TAB count TAB firstArrivalMicros}.
 *
 * <p>Media server: {@code GET /media/NAME.jpg} a small JPEG, {@code GET /media/NAME.pdf} a small PDF; the bytes
 * differ per name (a content-addressed store cannot take a shortcut).
 *
 * <p>Every process exits by itself after MAX_SECONDS, so nothing outlives a benchmark that was interrupted.
 */
public final class Stubs {

    private static final byte[] OK_JSON = "{\"status\":\"accepted\",\"id\":\"trivial\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CRM_OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    static final int JPEG_BYTES = 16 * 1024;
    static final int PDF_BYTES = 32 * 1024;

    private Stubs() {
    }

    public static void main(String[] args) throws Exception {
        // Without it the JDK server may leave small answers to Nagle's algorithm (40 ms stalls on loopback).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        String mode = args[0];
        Path portFile = Path.of(args[1]);
        long maxSeconds = Long.parseLong(args[2]);
        StringBuilder ports = new StringBuilder();
        switch (mode) {
            case "trivial" -> {
                HttpServer trivial = server(Integer.getInteger("bench.threads", 8));
                trivial.createContext("/", Stubs::trivial);
                trivial.start();
                ports.append("trivial=").append(trivial.getAddress().getPort()).append('\n');
            }
            case "env" -> {
                Crm crm = new Crm();
                HttpServer crmServer = server(8);
                crmServer.createContext("/", crm::handle);
                crmServer.start();
                HttpServer media = server(4);
                media.createContext("/", Stubs::media);
                media.start();
                ports.append("crm=").append(crmServer.getAddress().getPort()).append('\n');
                ports.append("media=").append(media.getAddress().getPort()).append('\n');
            }
            default -> throw new IllegalArgumentException("mode: env | trivial");
        }
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, ports);
        Files.move(tmp, portFile);
        Thread.sleep(maxSeconds * 1000);
        System.err.println("stubs: " + maxSeconds + " s are up, exiting");
        System.exit(0);
    }

    private static HttpServer server(int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        return server;
    }

    private static void trivial(HttpExchange exchange) throws IOException {
        try (exchange) {
            drain(exchange.getRequestBody());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, OK_JSON.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(OK_JSON);
            }
        }
    }

    private static byte[] drain(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** The CRM: 200 to every POST, recording each Idempotency-Key's count and first arrival. */
    static final class Crm {
        static final class Rec {
            final long firstMicros;
            final AtomicInteger count = new AtomicInteger();

            Rec(long firstMicros) {
                this.firstMicros = firstMicros;
            }
        }

        final Map<String, Rec> keys = new ConcurrentHashMap<>(1 << 18);
        final AtomicLong posts = new AtomicLong();
        final AtomicLong withoutKey = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong mediaPosts = new AtomicLong();
        final AtomicLong mediaStored = new AtomicLong();

        void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/_bench/")) {
                    drain(exchange.getRequestBody());
                    control(exchange, path);
                    return;
                }
                long arrived = nowMicros();
                byte[] body = drain(exchange.getRequestBody());
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                posts.incrementAndGet();
                if (key == null || key.isEmpty()) {
                    withoutKey.incrementAndGet();
                } else {
                    Rec rec = keys.computeIfAbsent(key, k -> new Rec(arrived));
                    if (rec.count.incrementAndGet() > 1) {
                        duplicates.incrementAndGet();
                    }
                }
                String json = new String(body, StandardCharsets.UTF_8);
                if (json.contains("\"media\":{")) {
                    mediaPosts.incrementAndGet();
                    if (json.contains("\"status\":\"stored\"")) {
                        mediaStored.incrementAndGet();
                    }
                }
                send(exchange, 200, "application/json", CRM_OK);
            }
        }

        private void control(HttpExchange exchange, String path) throws IOException {
            if (path.equals("/_bench/stats")) {
                String stats = "keys=" + keys.size() + "\nposts=" + posts.get() + "\nduplicates=" + duplicates.get()
                        + "\nwithoutKey=" + withoutKey.get() + "\nmediaPosts=" + mediaPosts.get()
                        + "\nmediaStored=" + mediaStored.get() + "\n";
                send(exchange, 200, "text/plain", stats.getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/_bench/dump")) {
                StringBuilder out = new StringBuilder(keys.size() * 64);
                keys.forEach((key, rec) -> out.append(key).append('\t').append(rec.count.get()).append('\t')
                        .append(rec.firstMicros).append('\n'));
                send(exchange, 200, "text/plain", out.toString().getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, "text/plain", new byte[0]);
            }
        }
    }

    private static final AtomicLong MEDIA_GETS = new AtomicLong();

    private static void media(HttpExchange exchange) throws IOException {
        try (exchange) {
            drain(exchange.getRequestBody());
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/_bench/stats")) {
                send(exchange, 200, "text/plain", ("gets=" + MEDIA_GETS.get() + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) || !path.startsWith("/media/")) {
                send(exchange, 404, "text/plain", new byte[0]);
                return;
            }
            MEDIA_GETS.incrementAndGet();
            if (path.endsWith(".jpg") || path.endsWith(".jpeg")) {
                send(exchange, 200, "image/jpeg", jpeg(path));
            } else if (path.endsWith(".pdf")) {
                send(exchange, 200, "application/pdf", pdf(path));
            } else {
                send(exchange, 404, "text/plain", new byte[0]);
            }
        }
    }

    /** A JFIF header, bytes that depend on the name, an end-of-image marker. */
    static byte[] jpeg(String name) {
        byte[] b = filler(name, JPEG_BYTES);
        byte[] head = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01,
                0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00};
        System.arraycopy(head, 0, b, 0, head.length);
        b[b.length - 2] = (byte) 0xFF;
        b[b.length - 1] = (byte) 0xD9;
        return b;
    }

    /** A PDF header, a comment line of bytes that depend on the name, and the end-of-file marker. */
    static byte[] pdf(String name) {
        byte[] b = filler(name, PDF_BYTES);
        byte[] head = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, b, 0, head.length);
        byte[] tail = "\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(tail, 0, b, b.length - tail.length, tail.length);
        return b;
    }

    private static byte[] filler(String name, int size) {
        byte[] b = new byte[size];
        SplittableRandom random = new SplittableRandom(name.hashCode() * 0x9E3779B97F4A7C15L);
        for (int i = 0; i < size; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < size; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }
}
