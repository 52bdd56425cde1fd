package org.wagateway.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CRM on 127.0.0.1 (the JDK's HTTP server) that fails on purpose and remembers everything it saw, by
 * {@code Idempotency-Key}. What it answers depends only on the request's sequence number:
 * <ul>
 * <li>every {@link #TIMEOUT_EVERY}th (starting at the 126th): no answer for longer than the gateway's response
 * timeout, then the connection is closed;</li>
 * <li>every 5th request: a 5xx — 503 for every 25th (the gateway's HTTP client itself retries a 503 once, after a
 * second), 500 for the others (left to the gateway's redelivery);</li>
 * <li>every 7th (starting at the 3rd): the connection is closed without an answer (a reset to the client);</li>
 * <li>otherwise 200 — the only answer that counts as an accepted delivery.</li>
 * </ul>
 * While {@link #holdAll() holding}, every request is kept unanswered until {@link #dropHeld()}: the test kills
 * the gateway while the CRM leg is mid-request, never just after a 200 the gateway has not yet recorded.
 *
 * <p>{@link #reliable(Duration)} makes a CRM that never fails on purpose instead: every request is answered 200
 * after a delay, which {@link #delay(Duration)} changes for the requests that arrive from then on (a slow CRM keeps
 * POSTs in flight). Holding works the same in both.
 */
final class CrmStub implements AutoCloseable {

    static final String PATH = "/crm/messages";
    static final int TIMEOUT_EVERY = 250;

    enum Outcome { ACCEPTED, REFUSED_500, REFUSED_503, RESET, TIMED_OUT, HELD_AT_KILL, ANSWER_FAILED }

    /** One request the stub saw: when (ms since the stub started), what it answered, how long it took. */
    record Seen(long seq, long atMs, long tookMs, Outcome outcome) {
        @Override
        public String toString() {
            return "#" + seq + "@" + atMs + "ms " + outcome + " (" + tookMs + "ms)";
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final long timeoutSleepMs;
    private final boolean reliable;
    private volatile long okDelayMs;
    private final Map<Long, String> inFlight = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong lastRequestNanos = new AtomicLong(System.nanoTime());
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger missingKey = new AtomicInteger();
    private final Map<String, List<Seen>> byKey = new LinkedHashMap<>();
    private volatile CountDownLatch hold;

    CrmStub(long timeoutSleepMs) throws IOException {
        this(timeoutSleepMs, false, 0);
    }

    /** A CRM that answers every request 200 after {@code delay}; none fails on purpose. */
    static CrmStub reliable(Duration delay) throws IOException {
        return new CrmStub(0, true, delay.toMillis());
    }

    private CrmStub(long timeoutSleepMs, boolean reliable, long okDelayMs) throws IOException {
        this.timeoutSleepMs = timeoutSleepMs;
        this.reliable = reliable;
        this.okDelayMs = okDelayMs;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "crm-stub-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(PATH, this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        long seq = sequence.incrementAndGet();
        lastRequestNanos.set(started);
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null) {
            missingKey.incrementAndGet();
            key = "(none)";
        }
        inFlight.put(seq, key);
        long delayMs = okDelayMs;
        Outcome outcome;
        CountDownLatch holding = hold;
        if (holding != null) {
            held.incrementAndGet();
            awaitQuietly(holding, 300_000);
            outcome = Outcome.HELD_AT_KILL;
            exchange.close();   // no answer: the gateway that asked is dead by now
        } else if (reliable) {
            sleepQuietly(delayMs);
            outcome = answer(exchange, 200, "{\"status\":\"ok\"}") ? Outcome.ACCEPTED : Outcome.ANSWER_FAILED;
        } else if (seq % TIMEOUT_EVERY == TIMEOUT_EVERY / 2 + 1) {
            outcome = Outcome.TIMED_OUT;
            sleepQuietly(timeoutSleepMs);
            exchange.close();
        } else if (seq % 25 == 0) {
            outcome = answer(exchange, 503, "{\"error\":\"busy\"}") ? Outcome.REFUSED_503 : Outcome.ANSWER_FAILED;
        } else if (seq % 5 == 0) {
            outcome = answer(exchange, 500, "{\"error\":\"oops\"}") ? Outcome.REFUSED_500 : Outcome.ANSWER_FAILED;
        } else if (seq % 7 == 3) {
            outcome = Outcome.RESET;
            exchange.close();   // no response headers sent: the JDK server drops the connection
        } else {
            outcome = answer(exchange, 200, "{\"status\":\"ok\"}") ? Outcome.ACCEPTED : Outcome.ANSWER_FAILED;
        }
        long now = System.nanoTime();
        lastRequestNanos.set(now);
        Seen seen = new Seen(seq, TimeUnit.NANOSECONDS.toMillis(started - startNanos),
                TimeUnit.NANOSECONDS.toMillis(now - started), outcome);
        synchronized (byKey) {
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(seen);
        }
        inFlight.remove(seq);
    }

    /** Sends the answer; false if the client was gone (then it is not counted as accepted). */
    private static boolean answer(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return true;
        } catch (IOException e) {
            exchange.close();
            return false;
        }
    }

    /** From now on every request is kept unanswered. */
    void holdAll() {
        hold = new CountDownLatch(1);
    }

    /** Reliable CRM only: the requests that arrive from now on are answered after {@code delay}. */
    void delay(Duration delay) {
        okDelayMs = delay.toMillis();
    }

    /** The requests being handled right now (not answered yet): sequence number to Idempotency-Key. */
    Map<Long, String> inFlight() {
        return new TreeMap<>(inFlight);
    }

    int heldCount() {
        return held.get();
    }

    /** Lets the held requests go, unanswered, and answers normally again. */
    void dropHeld() {
        CountDownLatch holding = hold;
        hold = null;
        if (holding != null) {
            holding.countDown();
        }
    }

    long requests() {
        return sequence.get();
    }

    int requestsWithoutKey() {
        return missingKey.get();
    }

    long millisSinceLastRequest() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRequestNanos.get());
    }

    /** Everything seen so far, by Idempotency-Key, in arrival order (a slow answer is recorded when it ends). */
    Map<String, List<Seen>> snapshot() {
        Map<String, List<Seen>> copy = new LinkedHashMap<>();
        synchronized (byKey) {
            byKey.forEach((key, seen) -> copy.put(key, seen.stream().sorted(Comparator.comparingLong(Seen::seq))
                    .toList()));
        }
        return copy;
    }

    long accepted(String key) {
        synchronized (byKey) {
            List<Seen> seen = byKey.get(key);
            return seen == null ? 0 : seen.stream().filter(s -> s.outcome() == Outcome.ACCEPTED).count();
        }
    }

    private static void awaitQuietly(CountDownLatch latch, long ms) {
        try {
            latch.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        dropHeld();
        server.stop(0);
        executor.shutdownNow();
    }
}
