package org.wagateway.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.wagateway.process.ProviderSimulator.State;
import org.wagateway.process.QueueReader.DeadLetter;

/**
 * What the process-level tests share: the gateways they start (killed if the test JVM dies first), the CRM stub and
 * providers, a timestamped progress log, and the clean-up after each test.
 */
abstract class ProcessLevelHarness {

    static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    final long startNanos = System.nanoTime();
    final List<String> progress = new ArrayList<>();
    Path workDir;
    Path outDir;
    CrmStub crm;
    ProviderSimulator providers;
    final List<GatewayProcess> gateways = new ArrayList<>();
    volatile GatewayProcess current;
    final Thread killOnExit = new Thread(() -> {
        GatewayProcess running = current;
        if (running != null) {
            running.kill();
        }
    }, getClass().getSimpleName() + "-kill-gateway");

    static Path basedir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /**
     * Prepares a run named {@code name}: an emptied report folder {@code target/<name>} ({@link #outDir}), a fresh
     * {@link #workDir}, the gateway killed if the test JVM dies, and a copy of the built jar in the work folder (a
     * rebuild of {@code target/} by someone else while this runs cannot pull the jar from under the gateway).
     */
    Path prepareRun(String name) throws IOException {
        Path builtJar = Path.of(System.getProperty("gateway.jar",
                basedir().resolve("target").resolve("whatsapp-gateway.jar").toString()));
        assertTrue(Files.isRegularFile(builtJar), "no gateway jar at " + builtJar + ": run `mvn package` first "
                + "(this test runs in the verify phase), or name one with -Dgateway.jar=...");
        outDir = Files.createDirectories(basedir().resolve("target").resolve(name));
        try (Stream<Path> old = Files.list(outDir)) {
            for (Path file : old.toList()) {
                Files.deleteIfExists(file);
            }
        }
        workDir = Files.createTempDirectory(name + "-");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        return Files.copy(builtJar, workDir.resolve("whatsapp-gateway.jar"));
    }

    /**
     * How both process tests run the gateway: loopback only, free ports, its data in {@link #workDir}, the CRM
     * stub, CRM retries that wait briefly in the broker's scheduler (short waits keep the test short, and some are
     * still waiting there when the gateway stops), a breaker the intermittent CRM may trip now and then that reopens
     * quickly, no media downloads. {@code more} comes last.
     */
    List<String> gatewayArguments(Path routes, String brokerName, int crmResponseTimeoutMs, String... more) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--gateway.data-dir=" + workDir.resolve("data"),
                "--server.tomcat.basedir=" + workDir.resolve("tomcat"),
                "--gateway.routes-dir=" + routes,
                "--gateway.broker.name=" + brokerName,
                "--gateway.broker.tcp-host=127.0.0.1",
                "--gateway.broker.tcp-port=0",
                "--gateway.crm.url=" + crm.url(),
                "--gateway.crm.redelivery-delay-ms=50",
                "--gateway.crm.maximum-redeliveries=40",
                "--gateway.crm.maximum-redelivery-delay-ms=1500",
                "--gateway.crm.circuit-breaker.wait-duration-in-open-state-ms=1000",
                "--gateway.crm.connect-timeout-ms=5000",
                "--gateway.crm.response-timeout-ms=" + crmResponseTimeoutMs,
                "--gateway.media.enabled=false",
                "--gateway.media.allowed-hosts=127.0.0.1"));
        arguments.addAll(List.of(more));
        return arguments;
    }

    /** The gateway's secrets, given through the environment, not on the command line. */
    static Map<String, String> secrets(String adminPassword) {
        return Map.of(
                "GATEWAY_KAZINFOTEH_API_KEY", ProviderSimulator.KAZINFOTEH_KEY,
                "GATEWAY_GREENAPI_TOKEN", ProviderSimulator.GREENAPI_TOKEN,
                "GATEWAY_META_APP_SECRET", ProviderSimulator.META_APP_SECRET,
                "GATEWAY_META_VERIFY_TOKEN", ProviderSimulator.META_VERIFY_TOKEN,
                "GATEWAY_META_ACCESS_TOKEN", "process-meta-access-token",
                "GATEWAY_ADMIN_PASSWORD", adminPassword);
    }

    /** Starts gateway run number {@code run} on {@link #workDir} and waits until it answers. */
    GatewayProcess startGateway(int run, Path jar, List<String> arguments, Map<String, String> secrets)
            throws Exception {
        long started = System.nanoTime();
        GatewayProcess gateway = GatewayProcess.start(run, jar, workDir, arguments, secrets,
                outDir.resolve("gateway-run" + run + ".log"));
        gateways.add(gateway);
        current = gateway;
        gateway.awaitReady(START_TIMEOUT);
        note("gateway run %d up in %d s: pid %d, %s, broker %s", run,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), gateway.pid(), gateway.baseUrl(),
                gateway.brokerUrl());
        return gateway;
    }

    void note(String format, Object... args) {
        String line = String.format("[%5.1fs] ", (System.nanoTime() - startNanos) / 1e9) + String.format(format, args);
        progress.add(line);
        System.out.println(line);
    }

    void printLogTails() {
        for (GatewayProcess gateway : gateways) {
            System.out.println("----- tail of " + gateway.log() + " -----");
            System.out.println(gateway.tail(80));
        }
    }

    /**
     * Ends the report (each gateway run's ERROR lines, the run time, the problems found), prints it, writes it to
     * {@code report.txt} in {@link #outDir}, and fails the test if a problem was found.
     */
    void finishReport(List<String> report, Map<String, List<String>> problems) throws IOException {
        for (GatewayProcess gateway : gateways) {
            List<String> errors = gateway.logLines(" ERROR ");
            report.add(String.format("gateway run %d log %s: %d ERROR lines%s", gateway.run(), gateway.log(),
                    errors.size(), errors.isEmpty() ? "" : ", first: " + first(errors, 3)));
        }
        report.add(String.format("run time: %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos)));
        problems.forEach((what, details) -> {
            report.add("PROBLEM " + what + ": " + details.size());
            details.stream().limit(5).forEach(d -> report.add("    " + d));
        });
        String text = String.join("\n", report);
        System.out.println(text);
        Files.writeString(outDir.resolve("report.txt"), text + "\n", StandardCharsets.UTF_8);
        assertTrue(problems.isEmpty(), text);
    }

    /**
     * The gateway's own counters of accepted and duplicate webhooks, CRM deliveries and dead letters (since its last
     * start, summed over their tags; a counter never incremented is absent), or null if they could not be read.
     */
    static Map<String, Double> gatewayCounters(GatewayProcess gateway, String adminPassword) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword)
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create(gateway.baseUrl() + "/actuator/prometheus")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.out.println("prometheus answered " + response.statusCode());
                return null;
            }
            Map<String, Double> sums = new TreeMap<>();
            response.body().lines()
                    .filter(line -> line.startsWith("gateway_webhooks_duplicate_total")
                            || line.startsWith("gateway_crm_delivered_total")
                            || line.startsWith("gateway_dead_letters_total")
                            || line.startsWith("gateway_webhooks_accepted_total"))
                    .forEach(line -> sums.merge(line.substring(0, line.indexOf('{') > 0 ? line.indexOf('{')
                            : line.indexOf(' ')), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                            Double::sum));
            return sums;
        } catch (IOException | RuntimeException e) {
            System.out.println("prometheus unreadable: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The messages the gateway accepted (a 2xx to their webhook: every message of a batch), by canonical id, each
     * with its webhook; a webhook never accepted, a 2xx naming other ids than its batch's, or two messages with
     * one id, is a problem.
     */
    Map<String, State> acceptedById(Map<String, List<String>> problems) {
        Map<String, State> byId = new LinkedHashMap<>();
        for (State state : providers.states()) {
            if (state.acceptedId == null) {
                problem(problems, "webhooks never answered 2xx", "#" + state.hook.index() + " ("
                        + state.hook.fixture() + ") after " + state.attempts.get() + " attempts: "
                        + lastOf(state.failures(), 3));
                continue;
            }
            if (state.unexpectedAnswer != null) {
                problem(problems, "2xx answers that did not name the batch's messages", "#" + state.hook.index()
                        + " (" + state.hook.fixture() + "): " + state.unexpectedAnswer);
            }
            for (String id : state.acceptedIds) {
                State other = byId.putIfAbsent(id, state);
                if (other != null) {
                    problem(problems, "test set-up: two messages with one canonical id", "#"
                            + other.hook.index() + " and #" + state.hook.index() + ": " + id);
                }
            }
        }
        return byId;
    }

    static void problem(Map<String, List<String>> problems, String what, String detail) {
        problems.computeIfAbsent(what, k -> new ArrayList<>()).add(detail);
    }

    /**
     * Every accepted message (each of a batch) is on its queue, read over the broker's TCP port
     * ({@link #checkQueues}); a message neither there nor at the CRM (not in {@code lostToCrm}) is a LOST problem,
     * with where it was seen instead. Adds the queues' line to the report.
     */
    QueueCheck everyAcceptedWebhookIsOnItsQueue(String brokerUrl, Map<String, State> byId, Set<String> lostToCrm,
            Duration timeout, Duration idle, Map<String, List<String>> problems, List<String> report)
            throws Exception {
        Map<String, Set<String>> expectedByQueue = new TreeMap<>();
        byId.forEach((id, state) -> expectedByQueue.computeIfAbsent(state.hook.message(id).expectedQueue(),
                q -> new LinkedHashSet<>()).add(id));
        QueueCheck queues = checkQueues(brokerUrl, expectedByQueue, timeout, idle, !lostToCrm.isEmpty(), problems);
        Map<String, List<CrmStub.Seen>> seen = crm.snapshot();
        for (String id : byId.keySet()) {
            boolean crmLost = lostToCrm.contains(id);
            boolean queueLost = queues.missing.contains(id);
            if (!crmLost && !queueLost) {
                continue;
            }
            State state = byId.get(id);
            DeadLetter letter = queues.deadLetterOf(id);
            problem(problems, "LOST: " + (crmLost && queueLost ? "neither on its queue nor at the CRM"
                    : crmLost ? "on its queue, never accepted by the CRM" : "at the CRM, not on its queue")
                    + (letter == null ? "" : ", on a dead-letter queue (from " + letter.from() + ")")
                    + (queues.stillWaiting.containsKey(id) ? ", still on " + queues.stillWaiting.get(id) : ""),
                    id + " (" + state.hook.describe(id) + ", accepted in run " + state.acceptedInRun
                            + ", CRM saw " + seen.getOrDefault(id, List.of()) + ")");
        }
        Map<Integer, Long> lostByRun = byId.entrySet().stream()
                .filter(e -> lostToCrm.contains(e.getKey()) || queues.missing.contains(e.getKey()))
                .collect(Collectors.groupingBy(e -> e.getValue().acceptedInRun, TreeMap::new,
                        Collectors.counting()));
        if (!lostByRun.isEmpty()) {
            note("lost messages by the run that accepted their webhook: %s", lostByRun);
        }
        report.add(String.format("queues: %d of %d accepted messages on their queue (%d queues); duplicates on "
                + "queues (at-least-once, not a failure): %d %s; dead letters: %s", queues.onQueues, byId.size(),
                expectedByQueue.size(), queues.duplicates.size(), first(queues.duplicates.entrySet(), 5),
                queues.deadLetterCounts()));
        return queues;
    }

    /** Polls until the condition holds or the time is up; true if it held. */
    static boolean waitUntil(BooleanSupplier condition, Duration max) {
        try {
            await().atMost(max).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    static String abbreviate(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }

    static String lastOf(List<String> list, int n) {
        return list.subList(Math.max(0, list.size() - n), list.size()).toString();
    }

    static String first(Collection<?> items, int n) {
        return items.stream().limit(n).map(String::valueOf).collect(Collectors.joining(", ", "[",
                items.size() > n ? ", … (" + items.size() + ")]" : "]"));
    }

    /** What a queue consumer finds of the accepted messages after the run, read over the broker's TCP port. */
    static final class QueueCheck {
        int onQueues;
        final Set<String> missing = new LinkedHashSet<>();
        /** "queue id" → copies, for ids found more than once (at-least-once: reported, not failed). */
        final Map<String, Integer> duplicates = new TreeMap<>();
        /** Dead-letter queue → its messages. */
        final Map<String, List<DeadLetter>> deadLetters = new TreeMap<>();
        /** Id → the gateway's stage queue it still waits on (looked up only when something is missing). */
        final Map<String, String> stillWaiting = new LinkedHashMap<>();

        Map<String, Integer> deadLetterCounts() {
            Map<String, Integer> counts = new TreeMap<>();
            deadLetters.forEach((queue, letters) -> counts.put(queue, letters.size()));
            return counts;
        }

        DeadLetter deadLetterOf(String id) {
            return deadLetters.values().stream().flatMap(List::stream).filter(l -> id.equals(l.id())).findFirst()
                    .orElse(null);
        }
    }

    /**
     * Drains each queue of the ids expected on it (one deadline for all: by now everything was delivered), notes
     * strangers as problems, drains the dead-letter queues, and when something is missing (or {@code lookInStages})
     * looks for it on the gateway's own stage queues.
     */
    QueueCheck checkQueues(String brokerUrl, Map<String, Set<String>> expectedByQueue, Duration timeout,
                           Duration idle, boolean lookInStages, Map<String, List<String>> problems) throws Exception {
        QueueCheck check = new QueueCheck();
        try (QueueReader reader = new QueueReader(brokerUrl)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Map.Entry<String, Set<String>> queue : expectedByQueue.entrySet()) {
                Map<String, Integer> counts = reader.drain(queue.getKey(), queue.getValue(), deadline, idle);
                for (String id : queue.getValue()) {
                    int count = counts.getOrDefault(id, 0);
                    if (count == 0) {
                        check.missing.add(id);
                    } else {
                        check.onQueues++;
                        if (count > 1) {
                            check.duplicates.put(queue.getKey() + " " + id, count);
                        }
                    }
                }
                counts.keySet().stream().filter(id -> !queue.getValue().contains(id)).forEach(id -> problem(
                        problems, "messages on a queue no webhook was routed to", queue.getKey() + ": " + id));
            }
            for (String dlq : List.of("whatsapp.dlq.crm", "whatsapp.dlq.dispatch", "whatsapp.dlq.invalid",
                    "whatsapp.dlq.media", "whatsapp.dlq.rejected", "ActiveMQ.DLQ")) {
                List<DeadLetter> letters = reader.drainDeadLetters(dlq, idle);
                if (!letters.isEmpty()) {
                    check.deadLetters.put(dlq, letters);
                    Map<String, Long> byOriginAndReason = letters.stream().collect(Collectors.groupingBy(
                            l -> l.from() + ": " + abbreviate(l.reason().replaceAll("ID:[^ ]+", "ID:…"), 80),
                            TreeMap::new, Collectors.counting()));
                    note("%s holds %d: %s", dlq, letters.size(), byOriginAndReason);
                }
            }
            if (lookInStages || !check.missing.isEmpty()) {
                for (String stage : List.of("whatsapp.gateway.ingest", "whatsapp.gateway.media",
                        "whatsapp.gateway.crm")) {
                    Map<String, Integer> waiting = reader.browse(stage);
                    note("%s still holds %d messages", stage, waiting.values().stream()
                            .mapToInt(Integer::intValue).sum());
                    waiting.keySet().forEach(id -> check.stillWaiting.putIfAbsent(id, stage));
                }
            }
        }
        return check;
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (GatewayProcess gateway : gateways) {
            if (gateway.isAlive()) {
                gateway.kill();
            }
        }
        for (GatewayProcess gateway : gateways) {
            if (!gateway.awaitExit(Duration.ofMinutes(1))) {
                System.out.println("gateway run " + gateway.run() + " (pid " + gateway.pid() + ") did not exit");
            }
        }
        current = null;
        if (providers != null) {
            providers.stop();
        }
        if (crm != null) {
            crm.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // the JVM is shutting down already, or the hook was never added
        }
        if (workDir != null) {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException ignored) {
                        // retried below
                    }
                }
            } catch (IOException ignored) {
                // a file vanished while walking: walk again
            }
        }
        if (Files.exists(dir)) {
            System.out.println("could not delete " + dir);
        }
    }
}
