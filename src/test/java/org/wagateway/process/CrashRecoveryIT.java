package org.wagateway.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wagateway.process.CrmStub.Outcome;
import org.wagateway.process.CrmStub.Seen;
import org.wagateway.process.ProviderSimulator.State;
import org.wagateway.process.QueueReader.DeadLetter;
import org.wagateway.process.Webhooks.Webhook;

/**
 * Nothing lost, nothing twice, across a real crash. The built jar runs as a separate process on the
 * embedded default (persistent broker and H2 idempotency store in a temporary data folder), everything on
 * 127.0.0.1. Providers post {@value #WEBHOOKS} unique webhooks of the three providers while a CRM stub fails now
 * and then (500/503, dropped connections, timeouts). Every {@value #META_EVERY}th webhook is Meta's, signed with
 * the app secret ({@code X-Hub-Signature-256}): a message or a status alone, or a batch of 2 or 3 messages, some
 * with a status beside them, every message and status with its own wamid. In the middle of the load the gateway is
 * killed with SIGKILL — at a moment the CRM stub holds one of its POSTs unanswered, and while the providers send
 * their batches first, so that the kill finds batches in flight — and started again on the same data folder; the
 * providers then send the rest and re-send every webhook whose request failed or got no answer, whole, as Meta
 * does: the same body, so a batch comes again with every message it had, some perhaps stored before the kill.
 * Then, for every message of every webhook answered 2xx (each message of a batch on its own):
 * <ol>
 * <li>it reached the CRM (by {@code Idempotency-Key});</li>
 * <li>it was not accepted by the CRM twice, nor POSTed again after the CRM accepted it: a re-sent batch delivers
 * nothing twice;</li>
 * <li>it is on its JMS queue, read over the broker's TCP port with a plain ActiveMQ client (duplicates
 * on queues are reported, not failed: queues promise at-least-once);</li>
 * <li>a 2xx to a Meta webhook named the canonical id of every message and status it carried.</li>
 * </ol>
 * Why the kill waits for a held CRM POST: a gateway killed after the CRM answered 200 but before it recorded the
 * id POSTs that message again after the restart — a window no gateway closes without the CRM's help (that is
 * what the {@code Idempotency-Key} is for). Killing while the CRM holds the POST keeps that window out of the
 * test, so a repeat it finds is the gateway's fault; every other step (webhooks in flight, the ingest, dispatch
 * and outbox transactions) is cut wherever the kill finds it.
 *
 * <p>Runs from Maven's {@code verify} phase (Failsafe), after {@code package} built
 * {@code target/whatsapp-gateway.jar} (or the jar named by {@code -Dgateway.jar=...}). The gateways' console
 * logs and the report are kept in {@code target/crash-recovery-it/}.
 *
 * <p>For diagnosis only: {@code -Dcrash.kill=false} runs the same load without a kill (a control run),
 * {@code -Dcrash.gatewayArgs="--key=value ..."} adds gateway settings, {@code -Dcrash.routesDir=...} loads the
 * routes from another folder (e.g. an older version's), {@code -Dcrash.cpus=0} pins the gateway to one CPU
 * ({@code taskset}).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class CrashRecoveryIT extends ProcessLevelHarness {

    static final int WEBHOOKS = 528;
    /** A quarter of the webhooks; Meta's carry two notifications on average: two fifths of the messages. */
    private static final int META_EVERY = 4;
    private static final int SENDERS = 4;
    private static final int KILL_AFTER_ACCEPTED = WEBHOOKS / 4;   // the kill lands later: see the hold below
    private static final int CRM_RESPONSE_TIMEOUT_MS = 6_000;
    private static final String ADMIN_PASSWORD = "crash-admin-password";

    /** Diagnosis only: {@code -Dcrash.kill=false} runs the same load without the kill (a control run). */
    private static final boolean KILL = Boolean.parseBoolean(System.getProperty("crash.kill", "true"));
    /** Diagnosis only: more gateway arguments, space-separated, e.g. {@code -Dcrash.gatewayArgs=--a=b}. */
    private static final String EXTRA_ARGS = System.getProperty("crash.gatewayArgs", "").strip();

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration CRM_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration CRM_IDLE = Duration.ofMinutes(1);
    private static final Duration QUEUE_READ_TIMEOUT = Duration.ofSeconds(90);

    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();
    private Path jar;
    private final Set<String> deliveredTwice = new LinkedHashSet<>();
    private int acceptedAtKill = -1;

    @Test
    void nothingLostNothingTwiceAcrossSigkill() throws Exception {
        try {
            GatewayProcess first = startTheGatewayUnderLoad();
            GatewayProcess last = KILL ? killMidRequestAndRestart(first) : controlRunWithoutAKill(first);
            letTheProvidersFinish();
            Map<String, State> byId = acceptedById(problems);
            Set<String> lostToCrm = everyAcceptedWebhookReachesTheCrmOnce(byId);
            // by now every message was delivered: the CRM got it after its queue did
            QueueCheck queues = everyAcceptedWebhookIsOnItsQueue(last.brokerUrl(), byId, lostToCrm,
                    QUEUE_READ_TIMEOUT, Duration.ofSeconds(1), problems, report);
            theReSentBatchesDeliveredNothingTwice(lostToCrm, queues);
            writeTheReport(last, byId, lostToCrm, queues);
        } catch (Throwable failure) {
            printLogTails();
            throw failure;
        }
    }

    /** Run 1 on a fresh data folder, with the providers sending from {@value #SENDERS} threads. */
    private GatewayProcess startTheGatewayUnderLoad() throws Exception {
        jar = prepareRun("crash-recovery-it");
        crm = new CrmStub(CRM_RESPONSE_TIMEOUT_MS + 1_500L);
        GatewayProcess first = startGateway(1, jar, arguments(), secrets(ADMIN_PASSWORD));
        providers = new ProviderSimulator(Webhooks.generate(WEBHOOKS, ThreadLocalRandom.current().nextLong(),
                META_EVERY));
        providers.target(first.baseUrl(), 1);
        providers.start(SENDERS, LOAD_TIMEOUT.plus(START_TIMEOUT));
        return first;
    }

    private List<String> arguments() {
        Path routes = Path.of(System.getProperty("crash.routesDir", basedir().resolve("routes").toString()));
        assertTrue(Files.isDirectory(routes), "no routes folder at " + routes);
        List<String> arguments = gatewayArguments(routes, "crash-it", CRM_RESPONSE_TIMEOUT_MS);
        if (!EXTRA_ARGS.isEmpty()) {
            arguments.addAll(List.of(EXTRA_ARGS.split("\\s+")));
            note("extra gateway arguments (diagnosis): %s", EXTRA_ARGS);
        }
        return arguments;
    }

    /**
     * SIGKILL once a quarter of the webhooks is accepted and the CRM holds a POST unanswered, the providers sending
     * batches first meanwhile; then run 2 on the same data folder and new ports, where the providers send the rest
     * and re-send what got no answer.
     */
    private GatewayProcess killMidRequestAndRestart(GatewayProcess first) throws Exception {
        waitUntil(() -> providers.accepted() >= KILL_AFTER_ACCEPTED || providers.allSettled(), LOAD_TIMEOUT);
        crm.holdAll();
        providers.batchesFirst(true);
        long armed = System.nanoTime();
        boolean crmMidRequest = waitUntil(() -> crm.heldCount() >= 1
                && System.nanoTime() - armed >= TimeUnit.MILLISECONDS.toNanos(300), Duration.ofMinutes(2));
        acceptedAtKill = providers.accepted();
        int heldAtKill = crm.heldCount();
        long crmRequestsAtKill = crm.requests();
        first.kill();
        providers.batchesFirst(false);
        providers.target(null, 0);
        boolean exited = first.awaitExit(Duration.ofMinutes(1));
        crm.dropHeld();
        note("SIGKILL gateway run 1 (pid %d) with %d/%d webhooks accepted, %d CRM request(s) held "
                + "unanswered%s, %d CRM requests so far; exited: %s", first.pid(), acceptedAtKill, WEBHOOKS,
                heldAtKill, crmMidRequest ? "" : " (the CRM leg sent none in time: killed anyway)",
                crmRequestsAtKill, exited);
        assertTrue(exited, "the killed gateway did not exit");
        current = null;
        if (acceptedAtKill >= WEBHOOKS) {
            note("WARNING: every webhook was accepted before the kill (a very fast run): the kill hit no "
                    + "webhook in flight");
        }
        GatewayProcess second = startGateway(2, jar, arguments(), secrets(ADMIN_PASSWORD));
        providers.target(second.baseUrl(), 2);
        return second;
    }

    private GatewayProcess controlRunWithoutAKill(GatewayProcess first) {
        note("CONTROL RUN (-Dcrash.kill=false): same load, no kill, no restart");
        return first;
    }

    private void letTheProvidersFinish() throws InterruptedException {
        boolean settled = waitUntil(providers::allSettled, LOAD_TIMEOUT);
        providers.stop();
        note("providers done: %d/%d webhooks accepted%s", providers.accepted(), WEBHOOKS,
                settled ? "" : " (load phase timed out)");
    }

    /**
     * Every accepted message reaches the CRM (a bounded wait that stops early once the CRM has heard nothing for
     * {@link #CRM_IDLE}: retries are far more frequent), then trailing repeats get time to show up. None may be
     * accepted twice or POSTed again after a 2xx (those are kept in {@link #deliveredTwice}). Returns the ids the
     * CRM never accepted.
     */
    private Set<String> everyAcceptedWebhookReachesTheCrmOnce(Map<String, State> byId) {
        waitUntil(() -> byId.keySet().stream().allMatch(id -> crm.accepted(id) > 0)
                || crm.millisSinceLastRequest() > CRM_IDLE.toMillis(), CRM_TIMEOUT);
        boolean crmComplete = byId.keySet().stream().allMatch(id -> crm.accepted(id) > 0);
        waitUntil(() -> crm.millisSinceLastRequest() >= 5_000, Duration.ofMinutes(2));
        note("CRM %s: %d requests in all", crmComplete ? "has every accepted message" : "is MISSING messages",
                crm.requests());

        Map<String, List<Seen>> seen = crm.snapshot();
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        seen.values().forEach(list -> list.forEach(r -> outcomes.merge(r.outcome(), 1, Integer::sum)));
        int retriedBeforeSuccess = 0;
        int acceptedTwice = 0;
        int repeatedAfterSuccess = 0;
        Set<String> lostToCrm = new LinkedHashSet<>();
        for (Map.Entry<String, State> entry : byId.entrySet()) {
            List<Seen> requests = seen.getOrDefault(entry.getKey(), List.of());
            int firstSuccess = -1;
            for (int i = 0; i < requests.size() && firstSuccess < 0; i++) {
                firstSuccess = requests.get(i).outcome() == Outcome.ACCEPTED ? i : -1;
            }
            if (firstSuccess < 0) {
                lostToCrm.add(entry.getKey());
                continue;
            }
            retriedBeforeSuccess += firstSuccess > 0 ? 1 : 0;
            if (requests.stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count() > 1) {
                acceptedTwice++;
                deliveredTwice.add(entry.getKey());
                problem(problems, "accepted by the CRM twice", describe(entry.getKey(), entry.getValue(), requests));
            } else if (requests.size() > firstSuccess + 1) {
                repeatedAfterSuccess++;
                deliveredTwice.add(entry.getKey());
                problem(problems, "POSTed to the CRM again after it answered 2xx",
                        describe(entry.getKey(), entry.getValue(), requests));
            }
        }
        Set<String> unknownKeys = new LinkedHashSet<>(seen.keySet());
        unknownKeys.removeAll(byId.keySet());
        unknownKeys.forEach(key -> problem(problems, "CRM got an Idempotency-Key no webhook was accepted under",
                key));
        if (crm.requestsWithoutKey() > 0) {
            problem(problems, "CRM requests without an Idempotency-Key", String.valueOf(crm.requestsWithoutKey()));
        }
        report.add(String.format("CRM stub: %d requests %s; %d messages accepted only after failed attempts "
                + "(retries, expected); accepted twice: %d; POSTed again after a 2xx: %d; never accepted: %d",
                crm.requests(), outcomes, retriedBeforeSuccess, acceptedTwice, repeatedAfterSuccess,
                lostToCrm.size()));
        return lostToCrm;
    }

    /**
     * The batches re-sent whole after a failure or no answer: each of their messages was checked above like any
     * other (at the CRM once, on its queue); this says how many there were and how their messages fared.
     */
    private void theReSentBatchesDeliveredNothingTwice(Set<String> lostToCrm, QueueCheck queues) {
        List<State> resent = providers.states().stream()
                .filter(s -> s.hook.batch() && s.attempts.get() > 1 && s.acceptedId != null).toList();
        long noAnswerAtKill = resent.stream().filter(s -> s.gotNoAnswerInRun(1)).count();
        List<String> ids = resent.stream().flatMap(s -> s.acceptedIds.stream()).toList();
        long twice = ids.stream().filter(deliveredTwice::contains).count();
        long lost = ids.stream().filter(id -> lostToCrm.contains(id) || queues.missing.contains(id)).count();
        long queueCopies = ids.stream().filter(id -> queues.duplicates.keySet().stream()
                .anyMatch(key -> key.endsWith(" " + id))).count();
        report.add(String.format("batches re-sent whole: %d (%d after no answer from the killed gateway), carrying %d "
                + "messages: %d reached the CRM more than once, %d lost, %d with more than one copy on their queue "
                + "(at-least-once, not a failure)", resent.size(), noAnswerAtKill, ids.size(), twice, lost,
                queueCopies));
        if (KILL && noAnswerAtKill == 0) {
            note("WARNING: the kill found no batch in flight: no batch was re-sent after it");
        }
    }

    private void writeTheReport(GatewayProcess gateway, Map<String, State> byId, Set<String> lostToCrm,
            QueueCheck queues) throws Exception {
        List<State> states = providers.states();
        int noAnswerAtKill = (int) states.stream().filter(s -> s.gotNoAnswerInRun(1)).count();
        int resent = (int) states.stream().filter(s -> s.attempts.get() > 1).count();
        int accepted = (int) states.stream().filter(s -> s.acceptedId != null).count();
        int acceptedInRun2 = (int) states.stream().filter(s -> s.acceptedInRun == 2).count();
        int messages = states.stream().mapToInt(s -> s.hook.messages().size()).sum();
        Map<String, Long> byProvider = states.stream()
                .collect(Collectors.groupingBy(s -> s.hook.provider(), TreeMap::new, Collectors.counting()));
        List<Webhook> meta = states.stream().map(s -> s.hook).filter(h -> h.provider().equals(Webhooks.META))
                .toList();
        List<Webhook> batches = meta.stream().filter(Webhook::batch).toList();
        List<String> header = new ArrayList<>();
        header.add("=== crash recovery report ===");
        header.addAll(progress);
        header.add(String.format("webhooks: %d sent (%s) carrying %d messages and statuses, %d accepted (2xx) "
                + "carrying %d: %d in run 1, %d in run 2; kill point: %s; %d got no answer from the killed gateway; "
                + "%d were re-sent", WEBHOOKS, byProvider, messages, accepted, byId.size(), accepted - acceptedInRun2,
                acceptedInRun2, KILL ? "after " + acceptedAtKill + " accepted" : "none", noAnswerAtKill, resent));
        header.add(String.format("Meta: %d webhooks carrying %d messages and statuses: %d alone, %d batches of 2 or 3 "
                + "(%d with a status beside their messages)", meta.size(),
                meta.stream().mapToInt(h -> h.messages().size()).sum(), meta.size() - batches.size(),
                batches.size(), batches.stream().filter(CrashRecoveryIT::hasStatusBesideMessages).count()));
        report.addAll(0, header);
        report.add("gateway metrics since the last start: " + gatewayCounters(gateway, ADMIN_PASSWORD));
        finishReport(report, problems);
    }

    private static boolean hasStatusBesideMessages(Webhook hook) {
        long statuses = hook.messages().stream().filter(m -> m.expectedQueue().equals("whatsapp.status")).count();
        return statuses > 0 && statuses < hook.messages().size();
    }

    private String describe(String id, State state, List<Seen> requests) {
        return id + " (webhook " + state.hook.describe(id) + ", sent " + state.attempts.get() + " time(s), accepted "
                + "in run " + state.acceptedInRun + ", CRM saw: " + requests + ")";
    }
}
