package org.wagateway.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.wagateway.process.Webhooks.Webhook;

/**
 * The providers: a few threads POST the webhooks to whichever gateway is up, as a provider does, and re-send
 * every webhook whose request failed or got no answer (at most {@link #MAX_ATTEMPTS} times each), whole: the same
 * body, so a Meta batch comes again with all its messages and its signature. A webhook that got a 2xx is never
 * sent again. While no gateway is up ({@link #target(String, int)} with null) they wait.
 */
final class ProviderSimulator {

    static final int MAX_ATTEMPTS = 30;

    static final String KAZINFOTEH_KEY = "crash-kazinfoteh-key";
    static final String GREENAPI_TOKEN = "crash-greenapi-token";
    static final String META_APP_SECRET = "process-meta-app-secret";
    static final String META_VERIFY_TOKEN = "process-meta-verify-token";

    /** What happened to one webhook. */
    static final class State {
        final Webhook hook;
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> failures = new ArrayList<>();
        /** The canonical id the 2xx named; for a Meta batch the first of {@link #acceptedIds}. */
        volatile String acceptedId;
        /**
         * Every message the 2xx accepted: the ids known before sending (Meta's), else the ones the answer named.
         */
        volatile List<String> acceptedIds = List.of();
        /** A 2xx whose ids were not the webhook's messages (null when they were). */
        volatile String unexpectedAnswer;
        volatile int acceptedInRun;
        volatile boolean gaveUp;

        State(Webhook hook) {
            this.hook = hook;
        }

        synchronized void failed(int run, String why) {
            failures.add("run " + run + ": " + why);
        }

        synchronized List<String> failures() {
            return List.copyOf(failures);
        }

        /** Whether a request of that run got no answer (the gateway killed, or gone: a refused connection). */
        synchronized boolean gotNoAnswerInRun(int run) {
            return failures.stream().anyMatch(f -> f.startsWith("run " + run + ": no answer"));
        }
    }

    private record Target(String baseUrl, int run) {
    }

    /**
     * One attempt and what came of it: an HTTP answer ({@code status}, its {@code Content-Type} and
     * {@code Connection} headers and its body, cut to 300 characters), or no answer ({@code status} -1 and the
     * {@code failure}). Times are
     * {@link System#nanoTime()} values: when the request was sent and when its answer (or failure) came.
     */
    record Answer(int index, int run, long sentNanos, long endedNanos, int status, String contentType,
            String connection, String body, IOException failure) {

        /** No connection at all: nothing listens on the port (a refused connection). */
        boolean refused() {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof ConnectException) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<State> states = new ArrayList<>();
    private final LinkedBlockingDeque<Integer> pending = new LinkedBlockingDeque<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger settled = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final List<Thread> threads = new ArrayList<>();
    private final Object lock = new Object();
    private Target target;
    private volatile boolean stopped;
    private volatile boolean batchesFirst;
    private volatile long deadlineNanos;

    ProviderSimulator(List<Webhook> hooks) {
        for (Webhook hook : hooks) {
            states.add(new State(hook));
            pending.add(hook.index());
        }
    }

    /** The gateway to send to from now on; null while none is up. */
    void target(String baseUrl, int run) {
        synchronized (lock) {
            target = baseUrl == null ? null : new Target(baseUrl, run);
            lock.notifyAll();
        }
    }

    void start(int threadCount, Duration maxTime) {
        deadlineNanos = System.nanoTime() + maxTime.toNanos();
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(this::work, "provider-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void work() {
        while (!stopped && settled.get() < states.size() && System.nanoTime() < deadlineNanos) {
            Integer index;
            try {
                index = next();
            } catch (InterruptedException e) {
                return;
            }
            if (index == null) {
                continue;
            }
            Target to = awaitTarget();
            if (to == null) {
                pending.addFirst(index);
                return;
            }
            State state = states.get(index);
            state.attempts.incrementAndGet();
            boolean ok = send(state, to);
            if (ok) {
                settled.incrementAndGet();
            } else if (state.attempts.get() >= MAX_ATTEMPTS) {
                state.gaveUp = true;
                settled.incrementAndGet();
            } else {
                pending.addLast(index);
                pause(50);   // a provider backs off a little before it retries
            }
        }
    }

    /**
     * The webhook's POST as its provider sends it: Kazinfoteh's key, Green API's token, or Meta's
     * {@code X-Hub-Signature-256} (HMAC-SHA256 of the exact bytes sent, keyed with the app secret).
     */
    static HttpRequest.Builder request(String baseUrl, Webhook hook, Duration timeout) {
        byte[] body = hook.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + hook.path()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        switch (hook.provider()) {
            case "kazinfoteh" -> request.header("X-API-KEY", KAZINFOTEH_KEY);
            case Webhooks.META -> request.header("X-Hub-Signature-256", "sha256=" + hmacSha256(META_APP_SECRET, body));
            default -> request.header("Authorization", "Bearer " + GREENAPI_TOKEN);
        }
        return request;
    }

    private static String hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The next webhook to send: the first batch waiting while {@link #batchesFirst(boolean)} is on. */
    private Integer next() throws InterruptedException {
        if (batchesFirst) {
            for (Integer index : pending) {
                if (states.get(index).hook.batch() && pending.removeFirstOccurrence(index)) {
                    return index;
                }
            }
        }
        return pending.poll(200, TimeUnit.MILLISECONDS);
    }

    /**
     * While on, the senders take the batches (webhooks of several messages) before the other webhooks waiting, as
     * in a burst of Meta traffic: a kill made meanwhile finds batches in flight.
     */
    void batchesFirst(boolean on) {
        batchesFirst = on;
    }

    private boolean send(State state, Target to) {
        Webhook hook = state.hook;
        HttpRequest.Builder request = request(to.baseUrl(), hook, Duration.ofSeconds(60));
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            answers.add(new Answer(hook.index(), to.run(), sent, System.nanoTime(), response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Connection").orElse(null), abbreviate(response.body(), 300), null));
            if (response.statusCode() / 100 == 2) {
                List<String> named = answeredIds(JSON.readTree(response.body()));
                List<String> known = hook.canonicalIds();
                if (known.isEmpty() && named.isEmpty()) {
                    state.failed(to.run(), "2xx without an id: " + response.body());
                    return false;
                }
                // Meta takes any 2xx as done: what its batch carried is accepted, whatever the answer names
                if (!known.isEmpty() && !named.equals(known)) {
                    state.unexpectedAnswer = "named " + named + ", the webhook carried " + known;
                }
                state.acceptedIds = known.isEmpty() ? named : known;
                state.acceptedId = state.acceptedIds.get(0);
                state.acceptedInRun = to.run();
                accepted.incrementAndGet();
                return true;
            }
            state.failed(to.run(), "HTTP " + response.statusCode() + " " + abbreviate(response.body()));
            return false;
        } catch (IOException e) {
            answers.add(new Answer(hook.index(), to.run(), sent, System.nanoTime(), -1, null, null, null, e));
            state.failed(to.run(), "no answer: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.failed(to.run(), "interrupted");
            return false;
        }
    }

    /** {@code {"id":...}}, or a Meta batch's {@code {"ids":[...]}}. */
    private static List<String> answeredIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        String id = body.path("id").asText(null);
        if (id != null && !id.isBlank()) {
            ids.add(id);
        }
        body.path("ids").forEach(each -> ids.add(each.asText()));
        return ids;
    }

    private Target awaitTarget() {
        synchronized (lock) {
            while (target == null && !stopped) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                try {
                    lock.wait(Math.min(left, 500));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return stopped ? null : target;
        }
    }

    /** Every attempt so far and what came of it, in the order the answers came. */
    List<Answer> answers() {
        return List.copyOf(answers);
    }

    int accepted() {
        return accepted.get();
    }

    boolean allSettled() {
        return settled.get() >= states.size();
    }

    List<State> states() {
        return states;
    }

    void stop() throws InterruptedException {
        stopped = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        for (Thread thread : threads) {
            thread.join(70_000);
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviate(String text) {
        return abbreviate(text, 200);
    }

    private static String abbreviate(String text, int max) {
        return text == null ? "" : text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
