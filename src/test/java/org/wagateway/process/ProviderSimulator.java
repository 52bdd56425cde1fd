package org.wagateway.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.net.ConnectException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.wagateway.process.Webhooks.Webhook;

/**
 * The providers: a few threads POST the webhooks to whichever gateway is up, as a provider does, and re-send
 * every webhook whose request failed or got no answer (at most {@link #MAX_ATTEMPTS} times each). A webhook that
 * got a 2xx is never sent again. While no gateway is up ({@link #target(String, int)} with null) they wait.
 */
final class ProviderSimulator {

    static final int MAX_ATTEMPTS = 30;

    static final String KAZINFOTEH_KEY = "crash-kazinfoteh-key";
    static final String GREENAPI_TOKEN = "crash-greenapi-token";

    /** What happened to one webhook. */
    static final class State {
        final Webhook hook;
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> failures = new ArrayList<>();
        volatile String acceptedId;
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
                index = pending.poll(200, TimeUnit.MILLISECONDS);
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

    private boolean send(State state, Target to) {
        Webhook hook = state.hook;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(to.baseUrl() + hook.path()))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(hook.body()));
        if (hook.provider().equals("kazinfoteh")) {
            request.header("X-API-KEY", KAZINFOTEH_KEY);
        } else {
            request.header("Authorization", "Bearer " + GREENAPI_TOKEN);
        }
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            answers.add(new Answer(hook.index(), to.run(), sent, System.nanoTime(), response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Connection").orElse(null), abbreviate(response.body(), 300), null));
            if (response.statusCode() / 100 == 2) {
                JsonNode body = JSON.readTree(response.body());
                String id = body.path("id").asText(null);
                if (id == null || id.isBlank()) {
                    state.failed(to.run(), "2xx without an id: " + response.body());
                    return false;
                }
                state.acceptedId = id;
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
