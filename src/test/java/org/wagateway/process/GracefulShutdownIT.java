package org.wagateway.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wagateway.process.CrmStub.Outcome;
import org.wagateway.process.CrmStub.Seen;
import org.wagateway.process.ProviderSimulator.Answer;
import org.wagateway.process.ProviderSimulator.State;
import org.wagateway.process.Webhooks.Webhook;

/**
 * Graceful shutdown, as the README promises it: "on SIGTERM the webhooks answer 503 at once (providers retry),
 * requests and exchanges in flight get {@code spring.lifecycle.timeout-per-shutdown-phase} /
 * {@code camel.main.shutdown-timeout} to finish, then the broker stops and flushes".
 *
 * <p>The built jar runs as a separate process on the embedded default (persistent broker, H2 idempotency store in a
 * temporary data folder), everything on 127.0.0.1, with both shutdown timeouts set to {@link #GRACE}. Providers post
 * {@value #WEBHOOKS} unique webhooks of both providers from {@value #SENDERS} threads to a CRM stub that never fails
 * but answers slowly. In the middle of the load the CRM slows down to {@link #CRM_SLOW} a POST, and once it holds
 * such a POST the gateway gets SIGTERM. Then:
 * <ol>
 * <li>every answer a provider got from the SIGTERM on is a 2xx, a 503 with a JSON body, or no connection once
 * the port is closed: refused, or (Tomcat's doing) a kept-alive connection closed without reading a request sent
 * after the port closed. No other status, nothing dropped that was sent before, and no 2xx for a webhook sent
 * after the WebhookGate closed;</li>
 * <li>the gateway exits by itself within the two timeouts plus {@link #EXIT_MARGIN}, and its log shows the orderly
 * stop (webhooks closed, HTTP requests drained, Camel stopped without hitting its timeout, the broker stopped
 * after Camel) and no ERROR line;</li>
 * <li>every CRM POST in flight at the SIGTERM was answered 200 (finished, not cut);</li>
 * <li>restarted on the same data folder, while the providers re-send what got a 503 or no answer: every webhook
 * answered 2xx in either run reached the CRM exactly once (the CRM never fails here, so any second POST is a
 * repeat) and is on its JMS queue (read over the broker's TCP port); the restarted gateway found none of the
 * re-sent webhooks already stored (nothing was taken in without an answer), and its broker store opened without
 * replaying its journal (it was flushed and closed, unlike after a SIGKILL).</li>
 * </ol>
 *
 * <p>Runs from Maven's {@code verify} phase (Failsafe), after {@code package} built
 * {@code target/whatsapp-gateway.jar} (or the jar named by {@code -Dgateway.jar=...}). The gateways' console
 * logs and the report are kept in {@code target/graceful-shutdown-it/}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class GracefulShutdownIT extends ProcessLevelHarness {

    static final int WEBHOOKS = 352;
    private static final int SENDERS = 4;
    private static final int SIGTERM_AFTER_ACCEPTED = WEBHOOKS / 3;
    private static final String ADMIN_PASSWORD = "graceful-admin-password";

    /** Both shutdown timeouts (Spring's per phase, Camel's for exchanges in flight), shorter than the defaults. */
    private static final Duration GRACE = Duration.ofSeconds(10);
    /** Slack on top of the two timeouts for the JVM, the broker and a busy machine. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(20);
    /** The CRM's answer time during the load, and while the gateway stops: POSTs in flight, well within GRACE. */
    private static final Duration CRM_DELAY = Duration.ofMillis(20);
    private static final Duration CRM_SLOW = Duration.ofSeconds(3);
    private static final int CRM_RESPONSE_TIMEOUT_MS = 8_000;

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration CRM_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration QUEUE_READ_TIMEOUT = Duration.ofSeconds(60);

    private static final String GATE_CLOSED = "Shutting down: webhooks are answered 503 from now on";
    /** Spring Boot's line as Tomcat stops accepting connections (it pauses the connector, closes the port). */
    private static final String PORT_CLOSED = "Commencing graceful shutdown";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();
    private Path jar;

    /** What the SIGTERM of run 1 found and did. */
    private record Sigterm(long nanos, Instant at, Map<Long, String> crmInFlight, long crmSeq, int accepted,
            long exitNanos, long crmSeqAtExit) {
    }

    // what the steps found, for the report
    private final Map<String, Integer> answerKinds = new TreeMap<>();
    private final List<String> timeline = new ArrayList<>();
    private final Map<Outcome, Integer> crmOutcomes = new TreeMap<>();
    private final Map<Outcome, Integer> inFlightOutcomes = new TreeMap<>();
    private int acceptedOnce;
    private String queueLine = "";
    private Map<String, Double> countersOfRun2;
    private List<String> journalReplays = List.of();

    @Test
    void sigtermStopsTakingWebhooksFinishesInFlightWorkAndLosesNothing() throws Exception {
        try {
            GatewayProcess first = startTheGatewayUnderLoad();
            Sigterm sigterm = sigtermWhileTheCrmHoldsASlowPost(first);
            everyAnswerFromTheSigtermOnIsA2xxAJson503OrNoConnection(first, sigterm);
            checkOrderlyStop(first, problems);
            GatewayProcess second = restartWhileTheProvidersResend();
            Map<String, State> byId = acceptedById(problems);
            Set<String> lostToCrm = theCrmGotEveryAcceptedWebhookExactlyOnce(byId, sigterm);
            List<String> queueLines = new ArrayList<>();
            QueueCheck queues = everyAcceptedWebhookIsOnItsQueue(second.brokerUrl(), byId, lostToCrm,
                    QUEUE_READ_TIMEOUT, Duration.ofMillis(300), problems, queueLines);
            queueLine = queueLines.get(0);
            nothingTakenInByRun1WentUnanswered(second);
            theBrokerStoreWasClosedCleanly(second);
            writeTheReport(first, second, sigterm, byId, lostToCrm, queues);
        } catch (Throwable failure) {
            if (report.isEmpty()) {
                // failed before the report: keep what is known
                List<String> partial = new ArrayList<>(progress);
                partial.add("FAILED: " + failure);
                problems.forEach((what, details) -> partial.add("PROBLEM " + what + ": " + first(details, 5)));
                Files.writeString(outDir.resolve("report.txt"), String.join("\n", partial) + "\n",
                        StandardCharsets.UTF_8);
            }
            printLogTails();
            throw failure;
        }
    }

    /** Run 1 on a fresh data folder, the CRM answering every POST after {@link #CRM_DELAY}. */
    private GatewayProcess startTheGatewayUnderLoad() throws Exception {
        jar = prepareRun("graceful-shutdown-it");
        crm = CrmStub.reliable(CRM_DELAY);
        GatewayProcess first = startGateway(1, jar, arguments(), secrets(ADMIN_PASSWORD));
        providers = new ProviderSimulator(Webhooks.generate(WEBHOOKS, ThreadLocalRandom.current().nextLong()));
        providers.target(first.baseUrl(), 1);
        providers.start(SENDERS, LOAD_TIMEOUT.plus(START_TIMEOUT));
        return first;
    }

    private List<String> arguments() {
        Path routes = basedir().resolve("routes");
        assertTrue(Files.isDirectory(routes), "no routes folder at " + routes);
        return gatewayArguments(routes, "graceful-it", CRM_RESPONSE_TIMEOUT_MS,
                // the shutdown under test, with shorter timeouts than the defaults (30 s each)
                "--server.shutdown=graceful",
                "--spring.lifecycle.timeout-per-shutdown-phase=" + GRACE.toSeconds() + "s",
                "--camel.main.shutdown-timeout=" + GRACE.toSeconds());
    }

    /**
     * Once a third of the webhooks is accepted the CRM slows to {@link #CRM_SLOW} a POST; SIGTERM once it holds
     * such a POST. The gateway must exit by itself within both timeouts plus {@link #EXIT_MARGIN}.
     */
    private Sigterm sigtermWhileTheCrmHoldsASlowPost(GatewayProcess first) throws Exception {
        waitUntil(() -> providers.accepted() >= SIGTERM_AFTER_ACCEPTED || providers.allSettled(), LOAD_TIMEOUT);
        long slowFromSeq = crm.requests();
        crm.delay(CRM_SLOW);
        long slowed = System.nanoTime();
        boolean slowPostInFlight = waitUntil(() -> crm.inFlight().keySet().stream().anyMatch(s -> s > slowFromSeq)
                && System.nanoTime() - slowed >= TimeUnit.MILLISECONDS.toNanos(500), Duration.ofSeconds(30));

        Map<Long, String> crmInFlightAtSigterm = crm.inFlight();
        long crmSeqAtSigterm = crm.requests();
        int acceptedAtSigterm = providers.accepted();
        long sigtermNanos = System.nanoTime();
        Instant sigtermAt = Instant.now();
        first.terminate();
        boolean exited = first.awaitExit(GRACE.multipliedBy(2).plus(EXIT_MARGIN));
        long exitNanos = System.nanoTime();
        providers.target(null, 0);
        crm.delay(CRM_DELAY);
        long crmSeqAtExit = crm.requests();
        note("SIGTERM gateway run 1 (pid %d) with %d/%d webhooks accepted, %d CRM POST(s) in flight%s; "
                + "%s after %d ms%s", first.pid(), acceptedAtSigterm, WEBHOOKS, crmInFlightAtSigterm.size(),
                slowPostInFlight ? "" : " (none of them slow: the CRM had caught up)",
                exited ? "exited" : "STILL RUNNING", millis(exitNanos - sigtermNanos),
                exited ? " with exit code " + first.exitValue() : "");
        if (crmInFlightAtSigterm.isEmpty()) {
            problem(problems, "test set-up: no CRM POST in flight at the SIGTERM", "CRM requests so far: "
                    + crmSeqAtSigterm);
        }
        assertTrue(exited, "the gateway did not exit within " + GRACE.multipliedBy(2).plus(EXIT_MARGIN)
                + " of SIGTERM; log tail:\n" + first.tail(40));
        current = null;
        if (first.exitValue() != 143 && first.exitValue() != 0) {
            problem(problems, "exit code after SIGTERM is neither 143 (128 + SIGTERM) nor 0",
                    String.valueOf(first.exitValue()));
        }
        return new Sigterm(sigtermNanos, sigtermAt, crmInFlightAtSigterm, crmSeqAtSigterm, acceptedAtSigterm,
                exitNanos, crmSeqAtExit);
    }

    /**
     * Every answer from the SIGTERM on: 2xx, a JSON 503, or no connection once the port is closed (refused, or a
     * kept-alive connection closed without an answer: the request was not taken, see the duplicates check); and no
     * 2xx for a webhook sent after the WebhookGate closed.
     */
    private void everyAnswerFromTheSigtermOnIsA2xxAJson503OrNoConnection(GatewayProcess first, Sigterm sigterm)
            throws IOException {
        long at = sigterm.nanos();
        Instant portClosedAt = logTime(first, PORT_CLOSED);
        Instant gateClosedAt = logTime(first, GATE_CLOSED);
        Predicate<Answer> sentAfterPortClosed = a -> portClosedAt != null
                && !sigterm.at().plusNanos(a.sentNanos() - at).isBefore(portClosedAt);
        List<Answer> afterSigterm = providers.answers().stream()
                .filter(a -> a.run() == 1 && a.endedNanos() >= at).toList();
        Map<String, Integer> inFlightAnswerKinds = new TreeMap<>();
        long first503 = -1;
        long firstRefused = -1;
        long last2xx = -1;
        for (Answer answer : afterSigterm) {
            String kind = kindOf(answer, sentAfterPortClosed.test(answer));
            answerKinds.merge(kind, 1, Integer::sum);
            if (answer.sentNanos() < at) {
                inFlightAnswerKinds.merge(kind, 1, Integer::sum);
            }
            if (kind.startsWith("OTHER")) {
                problem(problems, "answers after SIGTERM that are neither 2xx, a JSON 503 nor no connection once "
                        + "the port is closed", describe(answer, at) + " (port closed at " + portClosedAt
                        + ", SIGTERM at " + sigterm.at() + ")");
            } else if (answer.status() / 100 == 2 && gateClosedAt != null && sigterm.at().plusNanos(
                    answer.sentNanos() - at).isAfter(gateClosedAt.plusMillis(1))) {
                problem(problems, "2xx for webhooks sent after the WebhookGate closed", describe(answer, at)
                        + " (gate closed at " + gateClosedAt + ", SIGTERM at " + sigterm.at() + ")");
            }
            if (answer.status() == 503 && first503 < 0) {
                first503 = answer.endedNanos() - at;
            } else if (answer.refused() && firstRefused < 0) {
                firstRefused = answer.endedNanos() - at;
            } else if (answer.status() / 100 == 2) {
                last2xx = answer.endedNanos() - at;
            }
        }
        // what the providers saw, next to the gateway's log: every answer but the refused connections
        timeline.add("SIGTERM sent at " + sigterm.at());
        afterSigterm.stream().filter(a -> !a.refused()).limit(30).forEach(a -> timeline.add(
                describe(a, at) + " [" + kindOf(a, sentAfterPortClosed.test(a)) + "] (clock: sent "
                        + sigterm.at().plusNanos(a.sentNanos() - at) + ", answered "
                        + sigterm.at().plusNanos(a.endedNanos() - at) + ")"));
        afterSigterm.stream().filter(Answer::refused).findFirst().ifPresent(a -> timeline.add(
                "first refused connection: " + describe(a, at) + ", at "
                        + sigterm.at().plusNanos(a.endedNanos() - at)));
        note("answers from the SIGTERM until the exit: %s (requests sent before the SIGTERM: %s); first 503: %s, "
                + "first refused connection: %s, last 2xx: %s", answerKinds, inFlightAnswerKinds, after(first503),
                after(firstRefused), after(last2xx));
        if (!answerKinds.keySet().stream().anyMatch(k -> k.startsWith("503") || k.startsWith("refused"))) {
            problem(problems, "test set-up: no webhook was sent while the gateway stopped",
                    "answers after SIGTERM: " + answerKinds);
        }
    }

    /** Run 2 on the same data folder and new ports; the providers send the rest and re-send what got 503/no answer. */
    private GatewayProcess restartWhileTheProvidersResend() throws Exception {
        GatewayProcess second = startGateway(2, jar, arguments(), secrets(ADMIN_PASSWORD));
        providers.target(second.baseUrl(), 2);
        boolean settled = waitUntil(providers::allSettled, LOAD_TIMEOUT);
        providers.stop();
        note("providers done: %d/%d webhooks accepted%s", providers.accepted(), WEBHOOKS,
                settled ? "" : " (load phase timed out)");
        return second;
    }

    /**
     * The CRM got every accepted webhook exactly once (it never fails here, so a second POST is a repeat), and the
     * POSTs in flight at the SIGTERM finished with its 200. Returns the ids it never accepted.
     */
    private Set<String> theCrmGotEveryAcceptedWebhookExactlyOnce(Map<String, State> byId, Sigterm sigterm) {
        boolean crmComplete = waitUntil(() -> byId.keySet().stream().allMatch(id -> crm.accepted(id) > 0),
                CRM_TIMEOUT);
        waitUntil(() -> crm.millisSinceLastRequest() >= 3_000 && crm.inFlight().isEmpty(), Duration.ofMinutes(1));
        note("CRM %s: %d requests in all", crmComplete ? "has every accepted message" : "is MISSING messages",
                crm.requests());
        Map<String, List<Seen>> seen = crm.snapshot();
        Map<Long, Seen> bySeq = new TreeMap<>();
        seen.values().forEach(list -> list.forEach(s -> bySeq.put(s.seq(), s)));
        bySeq.values().forEach(s -> crmOutcomes.merge(s.outcome(), 1, Integer::sum));
        Set<String> lostToCrm = new LinkedHashSet<>();
        for (Map.Entry<String, State> entry : byId.entrySet()) {
            List<Seen> requests = seen.getOrDefault(entry.getKey(), List.of());
            long accepted = requests.stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count();
            if (accepted == 0) {
                lostToCrm.add(entry.getKey());
            } else if (accepted > 1) {
                problem(problems, "accepted by the CRM more than once", describe(entry.getValue(), requests));
            } else if (requests.size() > 1) {
                problem(problems, "POSTed to the CRM more than once (it never fails here)",
                        describe(entry.getValue(), requests));
            } else {
                acceptedOnce++;
            }
        }
        Set<String> unknownKeys = new LinkedHashSet<>(seen.keySet());
        unknownKeys.removeAll(byId.keySet());
        unknownKeys.forEach(key -> problem(problems, "CRM got an Idempotency-Key no webhook was accepted under",
                key));
        if (crm.requestsWithoutKey() > 0) {
            problem(problems, "CRM requests without an Idempotency-Key", String.valueOf(crm.requestsWithoutKey()));
        }
        sigterm.crmInFlight().forEach((seq, key) -> {
            Seen request = bySeq.get(seq);
            inFlightOutcomes.merge(request == null ? Outcome.ANSWER_FAILED : request.outcome(), 1, Integer::sum);
            if (request == null || request.outcome() != Outcome.ACCEPTED) {
                problem(problems, "CRM POSTs in flight at the SIGTERM that did not finish with the CRM's 200",
                        key + " (#" + seq + ": " + request + ")");
            }
        });
        long crmPostsWhileStopping = bySeq.keySet().stream()
                .filter(s -> s > sigterm.crmSeq() && s <= sigterm.crmSeqAtExit()).count();
        note("CRM POSTs in flight at the SIGTERM: %d, ended %s; POSTs started while the gateway stopped: %d",
                sigterm.crmInFlight().size(), inFlightOutcomes, crmPostsWhileStopping);
        return lostToCrm;
    }

    /** Run 2 found none of the re-sent webhooks stored: run 1 answered everything it took in. */
    private void nothingTakenInByRun1WentUnanswered(GatewayProcess second) {
        countersOfRun2 = gatewayCounters(second, ADMIN_PASSWORD);
        if (countersOfRun2 == null || !countersOfRun2.containsKey("gateway_webhooks_accepted_total")) {
            problem(problems, "gateway run 2 metrics unreadable", String.valueOf(countersOfRun2));
        } else if (countersOfRun2.getOrDefault("gateway_webhooks_duplicate_total", 0.0) > 0) {
            problem(problems, "webhooks run 1 stored without answering 2xx (found stored when re-sent to run 2)",
                    String.valueOf(countersOfRun2.get("gateway_webhooks_duplicate_total")));
        }
    }

    /** The broker flushed: run 2's KahaDB starts without replaying its journal (as it does after a SIGKILL). */
    private void theBrokerStoreWasClosedCleanly(GatewayProcess second) throws IOException {
        journalReplays = second.logLines("Recovering from the journal @", "unclean shutdown");
        if (!journalReplays.isEmpty()) {
            problem(problems, "the broker's store was not closed cleanly: run 2 recovered it", first(journalReplays, 3));
        }
        List<String> errors2 = second.logLines(" ERROR ");
        if (!errors2.isEmpty()) {
            problem(problems, "ERROR lines in the log of run 2 (after the restart)", first(errors2, 3));
        }
    }

    private void writeTheReport(GatewayProcess first, GatewayProcess second, Sigterm sigterm,
            Map<String, State> byId, Set<String> lostToCrm, QueueCheck queues) throws IOException {
        int acceptedInRun2 = (int) providers.states().stream().filter(s -> s.acceptedInRun == 2).count();
        int resent = (int) providers.states().stream().filter(s -> s.attempts.get() > 1).count();
        Map<String, Long> byProvider = providers.states().stream().filter(s -> s.acceptedId != null)
                .collect(Collectors.groupingBy(s -> s.hook.provider(), TreeMap::new, Collectors.counting()));
        report.add("=== graceful shutdown report ===");
        report.addAll(progress);
        report.add(String.format("settings: server.shutdown=graceful, spring.lifecycle.timeout-per-shutdown-phase"
                + "=%ds, camel.main.shutdown-timeout=%d; exit allowed within %d s; CRM answers 200 after %d ms "
                + "(%d ms from just before the SIGTERM until the exit)", GRACE.toSeconds(), GRACE.toSeconds(),
                GRACE.multipliedBy(2).plus(EXIT_MARGIN).toSeconds(), CRM_DELAY.toMillis(), CRM_SLOW.toMillis()));
        report.add(String.format("webhooks: %d sent, %d accepted (2xx) %s: %d in run 1, %d in run 2; "
                + "SIGTERM after %d accepted; %d were re-sent", WEBHOOKS, byId.size(), byProvider,
                byId.size() - acceptedInRun2, acceptedInRun2, sigterm.accepted(), resent));
        report.add(String.format("shutdown: exit %d ms after SIGTERM (code %d); answers meanwhile %s",
                millis(sigterm.exitNanos() - sigterm.nanos()), first.exitValue(), answerKinds));
        report.add(String.format("CRM stub: %d requests %s; accepted exactly once: %d of %d; never accepted: %d; "
                + "in flight at SIGTERM: %d, ended %s", crm.requests(), crmOutcomes, acceptedOnce, byId.size(),
                lostToCrm.size(), sigterm.crmInFlight().size(), inFlightOutcomes));
        report.add(queueLine);
        report.add("providers' answers from the SIGTERM on (refused connections left out):");
        timeline.forEach(line -> report.add("    " + line));
        report.add("gateway run 2 metrics (a duplicate would be a re-sent webhook run 1 had stored without "
                + "answering 2xx): " + countersOfRun2);
        report.add("gateway run 1 stopping (log lines from the SIGTERM on, INFO lines about the stop and every "
                + "WARN/ERROR):");
        stopLines(first).forEach(line -> report.add("    " + abbreviate(line, 220)));
        report.add("gateway run 2 broker start, recovery lines: " + first(second.logLines("Recover", "recover"), 4)
                + " (KahaDB journal replays: " + journalReplays.size() + ")");
        finishReport(report, problems);
    }

    /**
     * The log of a gateway stopped by SIGTERM: the webhooks close first, then Tomcat drains the requests in
     * flight, then Camel stops (without running into its timeout), then the broker stops after Camel; and no
     * ERROR line anywhere.
     */
    private void checkOrderlyStop(GatewayProcess gateway, Map<String, List<String>> problems) throws IOException {
        List<String> lines = gateway.logText().lines().toList();
        // each step: a line holding all of its markers, after the previous step's line
        List<List<String>> steps = List.of(
                List.of(GATE_CLOSED),
                List.of(PORT_CLOSED),
                List.of("Graceful shutdown complete"),
                List.of("Apache Camel", "is shutting down"),
                List.of("Apache Camel", "shutdown in"),
                List.of("Apache ActiveMQ", "is shutting down"),
                List.of("Stopped KahaDB"),
                List.of("Apache ActiveMQ", "is shutdown"));
        int from = 0;
        for (List<String> step : steps) {
            int at = indexOf(lines, from, step);
            if (at < 0) {
                boolean anywhere = indexOf(lines, 0, step) >= 0;
                problem(problems, "orderly stop: a step missing from the log of run 1" + (anywhere ? " or out of order"
                        : ""), String.join(" … ", step) + (anywhere ? " (logged before the step it should follow)"
                        : " (not logged)"));
            } else {
                from = at + 1;
            }
        }
        for (String cut : List.of("Timeout occurred during graceful shutdown", "Graceful shutdown aborted",
                "Forcing shutdown")) {
            lines.stream().filter(line -> line.contains(cut)).forEach(line -> problem(problems,
                    "orderly stop: a timeout cut the work in flight", abbreviate(line, 300)));
        }
        List<String> errors = gateway.logLines(" ERROR ");
        if (!errors.isEmpty()) {
            problem(problems, "ERROR lines in the log of run 1 (stopped by SIGTERM)", first(errors, 3));
        }
    }

    /** The log lines from the WebhookGate's line on that say what the stop did, and every WARN or ERROR. */
    private static List<String> stopLines(GatewayProcess gateway) throws IOException {
        List<String> lines = gateway.logText().lines().toList();
        int gate = indexOf(lines, 0, List.of(GATE_CLOSED));
        if (gate < 0) {
            return List.of("(the WebhookGate's line is not in the log)");
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines.subList(gate, lines.size())) {
            if (line.contains(" WARN ") || line.contains(" ERROR ") || line.contains(GATE_CLOSED)
                    || line.contains("GracefulShutdown") || line.contains("Apache Camel")
                    || line.contains("inflight") || line.contains("Apache ActiveMQ") || line.contains("KahaDB")) {
                kept.add(line);
            }
        }
        return kept;
    }

    /** When the gateway logged the first line holding the marker (its log's clock is the test's), or null. */
    private static Instant logTime(GatewayProcess gateway, String marker) throws IOException {
        return gateway.logText().lines().filter(line -> line.contains(marker)).findFirst().map(line -> {
            try {
                return Instant.parse(line.substring(0, line.indexOf(' ')));
            } catch (RuntimeException e) {
                return null;
            }
        }).orElse(null);
    }

    private static int indexOf(List<String> lines, int from, List<String> markers) {
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            if (markers.stream().allMatch(line::contains)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * 2xx; 503 with a JSON error body (by its error); no connection once the port is closed: refused, or a kept-alive
     * connection closed without an answer to a request sent after the port closed (Tomcat does not read it); or
     * OTHER: anything a stopping gateway must not answer.
     */
    private static String kindOf(Answer answer, boolean sentAfterPortClosed) {
        if (answer.status() / 100 == 2) {
            return "2xx";
        }
        if (answer.status() == 503) {
            String error = jsonError(answer);
            return error != null ? "503 " + error : "OTHER 503 without a JSON error body";
        }
        if (answer.status() >= 0) {
            return "OTHER " + answer.status();
        }
        if (answer.refused()) {
            return "refused";
        }
        // Tomcat closing a kept-alive connection as it stops, without reading the request on it: not taken, and
        // the provider sends it again. (Were it taken after all, the restarted gateway would count the re-send as
        // a duplicate, and the test fails on that.) The port's close and the send race by a millisecond or two.
        boolean closedUnread = answer.failure() != null && String.valueOf(answer.failure().getMessage())
                .contains("received no bytes");
        return sentAfterPortClosed || closedUnread ? "refused (kept-alive connection closed, request not read)"
                : "OTHER no answer: " + answer.failure().getClass().getSimpleName();
    }

    /** The {@code error} of a JSON answer {@code {"status":"rejected","error":...}}, or null. */
    private static String jsonError(Answer answer) {
        if (answer.contentType() == null || !answer.contentType().startsWith("application/json")) {
            return null;
        }
        try {
            JsonNode body = JSON.readTree(answer.body());
            return "rejected".equals(body.path("status").asText()) && body.hasNonNull("error")
                    ? body.path("error").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(Answer answer, long sigterm) {
        return "#" + answer.index() + " sent at " + signedMillis(answer.sentNanos() - sigterm) + " ms, answered at "
                + signedMillis(answer.endedNanos() - sigterm) + " ms (from the SIGTERM): "
                + (answer.status() >= 0 ? answer.status() + " " + answer.contentType()
                        + (answer.connection() == null ? "" : " Connection: " + answer.connection()) + " "
                        + answer.body() : String.valueOf(answer.failure()));
    }

    private static String describe(State state, List<Seen> requests) {
        return state.acceptedId + " (webhook #" + state.hook.index() + " " + state.hook.fixture() + ", accepted in run "
                + state.acceptedInRun + ", CRM saw: " + requests + ")";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String signedMillis(long nanos) {
        return (nanos < 0 ? "-" : "+") + TimeUnit.NANOSECONDS.toMillis(Math.abs(nanos));
    }

    /** A time after the SIGTERM, or "none" when it did not happen (-1). */
    private static String after(long nanos) {
        return nanos < 0 ? "none" : "+" + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }
}
