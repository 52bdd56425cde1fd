package org.wagateway.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wagateway.media.S3MockServer;
import org.wagateway.process.CrmStub.Outcome;
import org.wagateway.process.CrmStub.Seen;
import org.wagateway.process.ProviderSimulator.Answer;
import org.wagateway.process.ProviderSimulator.State;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cluster as deployed: two gateway jars ({@code gateway-a}, {@code gateway-b}) on one ActiveMQ Classic
 * master/slave pair (two broker JVMs of {@link ClusterBrokerMain} on one shared KahaDB folder, scheduler on,
 * reached over {@code failover:(A,B)}), one shared id store (a real PostgreSQL, {@link PostgresProcess}), one
 * shared media store (S3Mock) with the attachments' links pointed at a media server on loopback, the same secrets,
 * and a CRM stub that fails now and then. {@value #WEBHOOKS} webhooks of both providers are spread over
 * both gateways, and every tenth one accepted is sent again to the OTHER gateway; mid-load the master broker is
 * killed with SIGKILL (the slave takes over), later gateway B is killed with SIGKILL (its providers turn to A)
 * and started again. Then:
 * <ol>
 * <li>every webhook answered 2xx is on its queue (copies counted: at-least-once) and reached the CRM;</li>
 * <li>every re-send to the other gateway was answered with the same canonical id, and no message reached the
 * CRM under a key no webhook was accepted under (never under two keys);</li>
 * <li>a message the CRM accepted twice under its one key is counted and explained (a crash between the CRM's
 * answer and the record of it), not failed;</li>
 * <li>every attachment is stored once in the shared bucket (one object per file), and its link opens from both
 * gateways;</li>
 * <li>both gateways see each other with equal shared settings (health {@code cluster} UP).</li>
 * </ol>
 * The failover time is measured from the master's SIGKILL to the first webhook accepted after it, beside the
 * slave's own log line. The report ({@code target/cluster-it/report.txt}) ends with a summary table.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterIT extends ProcessLevelHarness {

    static final int WEBHOOKS = 2_000;
    private static final int SENDERS_PER_GATEWAY = 3;
    private static final int RESEND_EVERY = 10;
    private static final int KILL_BROKER_AFTER_ACCEPTED = WEBHOOKS / 4;
    private static final int KILL_GATEWAY_AFTER_ACCEPTED = WEBHOOKS / 2;
    private static final int CRM_RESPONSE_TIMEOUT_MS = 4_000;
    private static final String ADMIN_PASSWORD = "cluster-admin-password";
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration CRM_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "cluster-media";
    private static final String S3_KEY = "cluster-s3-key";
    private static final String S3_SECRET = "cluster-s3-secret";
    /** The type queues of the fixtures with an attachment. */
    private static final List<String> MEDIA_QUEUES = List.of("whatsapp.in.image", "whatsapp.in.video",
            "whatsapp.in.document", "whatsapp.in.audio", "whatsapp.in.sticker");

    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();
    private final List<Process> brokers = new ArrayList<>();
    private final Thread killAllOnExit = new Thread(this::killAll, "cluster-it-kill-all");
    private final Map<String, Resend> resends = new ConcurrentHashMap<>();
    private PostgresProcess ids;
    private S3MockServer s3;
    private HttpServer mediaServer;
    /** Media server path → how often a gateway fetched it. */
    private final Map<String, AtomicInteger> mediaFetches = new ConcurrentHashMap<>();
    private Path jar;
    private int brokerPortA;
    private int brokerPortB;
    private volatile GatewayProcess gatewayA;
    private volatile GatewayProcess gatewayB;
    private volatile boolean resending = true;

    /** A webhook accepted by one gateway and sent again to the other: what the other answered. */
    static final class Resend {
        final State original;
        volatile int attempts;
        volatile int status = -1;
        volatile String id;

        Resend(State original) {
            this.original = original;
        }
    }

    @Test
    void twoGatewaysOnABrokerPairLoseNothingAcrossABrokerFailoverAndAGatewayCrash() throws Exception {
        Runtime.getRuntime().addShutdownHook(killAllOnExit);
        try {
            startTheCluster();
            // one load, cut in three (webhooks without a provider id are unique by their timestamp within one
            // generated load only): to a, to b, and to b once it is up again after its kill
            List<Webhooks.Webhook> load = withLocalMedia(Webhooks.generate(WEBHOOKS,
                    ThreadLocalRandom.current().nextLong()));
            int late = WEBHOOKS / 10;
            ProviderSimulator toA = new ProviderSimulator(slice(load, 0, 2, WEBHOOKS - late));
            ProviderSimulator toB = new ProviderSimulator(slice(load, 1, 2, WEBHOOKS - late));
            ProviderSimulator toRestartedB = new ProviderSimulator(slice(load, WEBHOOKS - late, 1, WEBHOOKS));
            simulators = new ProviderSimulator[] {toA, toB, toRestartedB};
            toA.target(gatewayA.baseUrl(), 1);
            toB.target(gatewayB.baseUrl(), 2);
            toA.start(SENDERS_PER_GATEWAY, LOAD_TIMEOUT);
            toB.start(SENDERS_PER_GATEWAY, LOAD_TIMEOUT);
            Thread resender = startResending();

            Failover failover = killTheMasterBroker(toA, toB);
            killAndRestartGatewayB(toB);
            toRestartedB.target(gatewayB.baseUrl(), 3);
            toRestartedB.start(SENDERS_PER_GATEWAY, LOAD_TIMEOUT);

            waitUntil(() -> Arrays.stream(simulators).allMatch(ProviderSimulator::allSettled), LOAD_TIMEOUT);
            for (ProviderSimulator simulator : simulators) {
                simulator.stop();
            }
            waitUntil(() -> resends.values().stream().allMatch(r -> r.status / 100 == 2 || r.attempts >= 10),
                    Duration.ofSeconds(60));
            resending = false;
            resender.join(10_000);
            note("providers done: %d of %d webhooks accepted; %d re-sent to the other gateway",
                    providersAccepted(), WEBHOOKS, resends.size());

            Map<String, State> byId = new LinkedHashMap<>();
            for (ProviderSimulator simulator : simulators) {
                providers = simulator;
                byId.putAll(acceptedById(problems));
            }
            providers = null;
            theResendsGotTheSameIds();
            CrmCheck crmCheck = everyAcceptedWebhookReachesTheCrm(byId);
            MediaCheck media = mediaIsStoredOnceAndOpensFromEitherGateway(byId);
            QueueCheck queues = everyAcceptedWebhookIsOnItsQueue("tcp://127.0.0.1:" + brokerPortB, byId,
                    crmCheck.lost, Duration.ofSeconds(90), Duration.ofSeconds(1), problems, report);
            if (!queues.stillWaiting.isEmpty()) {
                threadDumps();
            }
            bothGatewaysSeeEachOtherWithEqualSettings();
            summary(byId, failover, crmCheck, queues, media, List.of(simulators));
            finishReport(report, problems);
        } catch (Throwable failure) {
            printLogTails();
            throw failure;
        }
    }

    private void startTheCluster() throws Exception {
        jar = prepareRun("cluster-it");
        s3 = S3MockServer.launch(Files.createDirectories(workDir.resolve("s3mock")));
        mediaServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mediaServer.createContext("/m/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            mediaFetches.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            byte[] body = mediaBytes(path);
            exchange.getResponseHeaders().add("Content-Type", "application/pdf");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        mediaServer.start();
        ids = PostgresProcess.start(workDir.resolve("postgres"), outDir.resolve("postgres.log"));
        brokerPortA = freePort();
        brokerPortB = freePort();
        Path shared = Files.createDirectories(workDir.resolve("broker-shared"));
        startBroker("a", brokerPortA, shared);
        awaitLog(outDir.resolve("broker-a.log"), ClusterBrokerMain.MASTER_LINE, Duration.ofMinutes(1));
        startBroker("b", brokerPortB, shared);
        awaitLog(outDir.resolve("broker-b.log"), "waiting for the store's lock", Duration.ofMinutes(1));
        note("broker a is master on %d, broker b waits for the lock on %d", brokerPortA, brokerPortB);
        crm = new CrmStub(CRM_RESPONSE_TIMEOUT_MS + 1_500L);
        try (S3Client client = s3Client()) {
            client.createBucket(b -> b.bucket(BUCKET));
        }
        long started = System.nanoTime();
        gatewayA = GatewayProcess.start(1, jar, workDir, arguments("a"), clusterSecrets(),
                outDir.resolve("gateway-run1.log"));
        gatewayB = GatewayProcess.start(2, jar, workDir, arguments("b"), clusterSecrets(),
                outDir.resolve("gateway-run2.log"));
        gateways.add(gatewayA);
        gateways.add(gatewayB);
        gatewayA.awaitReady(START_TIMEOUT);
        gatewayB.awaitReady(START_TIMEOUT);
        note("gateways a (pid %d, %s) and b (pid %d, %s) up in %d s", gatewayA.pid(), gatewayA.baseUrl(),
                gatewayB.pid(), gatewayB.baseUrl(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private List<String> arguments(String instance) {
        String failover = "failover:(tcp://127.0.0.1:" + brokerPortA + ",tcp://127.0.0.1:" + brokerPortB
                + ")?randomize=false&initialReconnectDelay=50&maxReconnectDelay=500";
        List<String> arguments = new ArrayList<>();
        for (String argument : gatewayArguments(basedir().resolve("routes"), "cluster-" + instance,
                CRM_RESPONSE_TIMEOUT_MS)) {
            if (argument.startsWith("--gateway.data-dir=")) {
                argument = "--gateway.data-dir=" + workDir.resolve("data-" + instance);
            } else if (argument.startsWith("--server.tomcat.basedir=")) {
                argument = "--server.tomcat.basedir=" + workDir.resolve("tomcat-" + instance);
            } else if (argument.startsWith("--gateway.media.enabled=")) {
                argument = "--gateway.media.enabled=true";
            } else if (argument.startsWith("--gateway.media.allowed-hosts=")) {
                // the media server's random port on loopback
                argument = "--gateway.media.allowed-hosts=127.0.0.1:*";
            }
            arguments.add(argument);
        }
        arguments.addAll(List.of(
                "--spring.activemq.broker-url=" + failover,
                "--spring.datasource.url=" + ids.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--gateway.media.link-secret=cluster-link-secret",
                "--gateway.media.allow-private-addresses=true",
                "--gateway.media.store=s3",
                "--gateway.media.s3.endpoint=" + s3Endpoint(),
                "--gateway.media.s3.bucket=" + BUCKET,
                "--gateway.cluster.heartbeat-interval=1s"));
        return arguments;
    }

    private void startBroker(String name, int port, Path shared) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), ClusterBrokerMain.class.getName(),
                shared.toString(), String.valueOf(port), name);
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(outDir.resolve("broker-" + name + ".log").toFile()).start();
        brokers.add(process);
    }

    private record Failover(long killWallMs, long slaveServesWallMs, long firstAcceptedAfterMs, int acceptedAtKill) {
    }

    /** SIGKILL of the master broker once a quarter of the webhooks is accepted; the slave takes over. */
    private Failover killTheMasterBroker(ProviderSimulator toA, ProviderSimulator toB) throws IOException {
        waitUntil(() -> toA.accepted() + toB.accepted() >= KILL_BROKER_AFTER_ACCEPTED, LOAD_TIMEOUT);
        int acceptedAtKill = toA.accepted() + toB.accepted();
        long killNanos = System.nanoTime();
        long killWallMs = System.currentTimeMillis();
        brokers.get(0).destroyForcibly();
        note("SIGKILL master broker a with %d webhooks accepted", acceptedAtKill);
        Path slaveLog = outDir.resolve("broker-b.log");
        awaitLog(slaveLog, ClusterBrokerMain.MASTER_LINE, Duration.ofMinutes(1));
        String line = Files.readAllLines(slaveLog).stream().filter(l -> l.startsWith(ClusterBrokerMain.MASTER_LINE))
                .findFirst().orElseThrow();
        long slaveServes = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        waitUntil(() -> firstAcceptedAfter(killNanos, toA, toB) > 0, Duration.ofMinutes(1));
        long firstAccepted = firstAcceptedAfter(killNanos, toA, toB);
        long firstAcceptedMs = firstAccepted > 0 ? TimeUnit.NANOSECONDS.toMillis(firstAccepted - killNanos) : -1;
        note("broker b serves %d ms after the kill (its log: \"%s\"); first webhook accepted after the kill: %d ms",
                slaveServes - killWallMs, line, firstAcceptedMs);
        if (firstAcceptedMs < 0) {
            problem(problems, "no webhook accepted after the master broker's SIGKILL", "within 1 minute");
        }
        return new Failover(killWallMs, slaveServes, firstAcceptedMs, acceptedAtKill);
    }

    /** The end of the first 2xx answer to a webhook sent after {@code nanos}, or 0. */
    private static long firstAcceptedAfter(long nanos, ProviderSimulator... simulators) {
        long first = 0;
        for (ProviderSimulator simulator : simulators) {
            for (Answer answer : simulator.answers()) {
                if (answer.sentNanos() > nanos && answer.status() / 100 == 2
                        && (first == 0 || answer.endedNanos() < first)) {
                    first = answer.endedNanos();
                }
            }
        }
        return first;
    }

    /**
     * SIGKILL of gateway B at half the load: its providers turn to A; B is started again (run 3) and takes the
     * last tenth of the load.
     */
    private void killAndRestartGatewayB(ProviderSimulator toB) throws Exception {
        waitUntil(() -> providersAccepted() >= KILL_GATEWAY_AFTER_ACCEPTED, LOAD_TIMEOUT);
        GatewayProcess killed = gatewayB;
        killed.kill();
        toB.target(gatewayA.baseUrl(), 1);
        assertTrue(killed.awaitExit(Duration.ofMinutes(1)), "gateway b did not exit");
        note("SIGKILL gateway b (pid %d) with %d webhooks accepted; its providers send to a", killed.pid(),
                providersAccepted());
        GatewayProcess restarted = GatewayProcess.start(3, jar, workDir, arguments("b"), clusterSecrets(),
                outDir.resolve("gateway-run3.log"));
        gateways.add(restarted);
        restarted.awaitReady(START_TIMEOUT);
        gatewayB = restarted;
        note("gateway b up again (run 3, pid %d, %s)", restarted.pid(), restarted.baseUrl());
    }

    private volatile ProviderSimulator[] simulators = new ProviderSimulator[0];

    /** Every {@code step}th webhook of {@code load} from {@code from} up to {@code to}, numbered from 0. */
    private static List<Webhooks.Webhook> slice(List<Webhooks.Webhook> load, int from, int step, int to) {
        List<Webhooks.Webhook> slice = new ArrayList<>();
        for (int i = from; i < to; i += step) {
            Webhooks.Webhook hook = load.get(i);
            slice.add(new Webhooks.Webhook(slice.size(), hook.provider(), hook.fixture(), hook.expectedQueue(),
                    hook.body()));
        }
        return slice;
    }

    private int providersAccepted() {
        int sum = 0;
        for (ProviderSimulator simulator : simulators) {
            sum += simulator.accepted();
        }
        return sum;
    }

    /** Every {@value #RESEND_EVERY}th webhook accepted is POSTed again to the other gateway, during the load. */
    private Thread startResending() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Thread thread = new Thread(() -> {
            while (resending) {
                boolean sent = false;
                for (int s = 0; s < simulators.length; s++) {
                    for (State state : simulators[s].states()) {
                        if (state.acceptedId == null || state.hook.index() % RESEND_EVERY != 0) {
                            continue;
                        }
                        String key = s + ":" + state.hook.index();
                        Resend resend = resends.computeIfAbsent(key, k -> new Resend(state));
                        if (resend.status / 100 == 2 || resend.attempts >= 10) {
                            continue;
                        }
                        // accepted by A (or by A while B was down): to B; accepted by B: to A
                        GatewayProcess other = state.acceptedInRun == 1 ? gatewayB : gatewayA;
                        if (!other.isAlive()) {
                            continue;   // killed: once it is up again
                        }
                        resendTo(client, other, resend);
                        sent = true;
                    }
                }
                if (!sent) {
                    waitUntil(() -> !resending, Duration.ofMillis(200));
                }
            }
        }, "cluster-it-resender");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void resendTo(HttpClient client, GatewayProcess gateway, Resend resend) {
        Webhooks.Webhook hook = resend.original.hook;
        HttpRequest.Builder request = ProviderSimulator.request(gateway.baseUrl(), hook, Duration.ofSeconds(30));
        resend.attempts++;
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                resend.id = JSON.readTree(response.body()).path("id").asText(null);
            }
            resend.status = response.statusCode();
        } catch (IOException e) {
            resend.status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void theResendsGotTheSameIds() {
        for (Resend resend : resends.values()) {
            if (resend.status / 100 != 2) {
                problem(problems, "re-sends to the other gateway never answered 2xx", resend.original.acceptedId
                        + " (last status " + resend.status + " after " + resend.attempts + " attempts)");
            } else if (!resend.original.acceptedId.equals(resend.id)) {
                problem(problems, "re-sends to the other gateway answered with another canonical id",
                        resend.original.acceptedId + " then " + resend.id);
            }
        }
    }

    private record CrmCheck(Set<String> lost, int acceptedTwice, List<String> twice, Map<Outcome, Integer> outcomes,
                            int retried) {
    }

    /**
     * Every accepted webhook reaches the CRM under its one key. A key accepted twice is counted, not failed: the
     * gateway records a delivery after the CRM's 2xx, and a crash (the gateway's SIGKILL, or the broker's, which
     * rolls back the CRM stage's transaction after its POST) between the two sends it again under the same key,
     * which a CRM that honours {@code Idempotency-Key} takes once.
     */
    private CrmCheck everyAcceptedWebhookReachesTheCrm(Map<String, State> byId) {
        waitUntil(() -> byId.keySet().stream().allMatch(id -> crm.accepted(id) > 0)
                || crm.millisSinceLastRequest() > 30_000, CRM_TIMEOUT);
        waitUntil(() -> crm.millisSinceLastRequest() >= 3_000, Duration.ofMinutes(1));
        Map<String, List<Seen>> seen = crm.snapshot();
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        seen.values().forEach(list -> list.forEach(r -> outcomes.merge(r.outcome(), 1, Integer::sum)));
        Set<String> lost = new LinkedHashSet<>();
        List<String> twice = new ArrayList<>();
        int retried = 0;
        for (Map.Entry<String, State> entry : byId.entrySet()) {
            List<Seen> requests = seen.getOrDefault(entry.getKey(), List.of());
            long accepted = requests.stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count();
            if (accepted == 0) {
                lost.add(entry.getKey());
            } else if (accepted > 1) {
                twice.add(entry.getKey() + " (accepted in run " + entry.getValue().acceptedInRun + ", CRM saw "
                        + requests + ")");
            }
            retried += requests.size() > 0 && requests.get(0).outcome() != Outcome.ACCEPTED ? 1 : 0;
        }
        Set<String> unknownKeys = new LinkedHashSet<>(seen.keySet());
        unknownKeys.removeAll(byId.keySet());
        unknownKeys.forEach(key -> problem(problems, "CRM got a key no webhook was accepted under (a message under "
                + "two keys)", key));
        if (crm.requestsWithoutKey() > 0) {
            problem(problems, "CRM requests without an Idempotency-Key", String.valueOf(crm.requestsWithoutKey()));
        }
        note("CRM: %d requests %s; accepted twice under one key: %d %s", crm.requests(), outcomes, twice.size(),
                first(twice, 3));
        return new CrmCheck(lost, twice.size(), twice, outcomes, retried);
    }

    private void bothGatewaysSeeEachOtherWithEqualSettings() {
        for (GatewayProcess gateway : List.of(gatewayA, gatewayB)) {
            boolean whole = waitUntil(() -> {
                JsonNode cluster = health(gateway).path("components").path("cluster");
                return "UP".equals(cluster.path("status").asText())
                        && cluster.path("details").path("otherInstances").size() == 1;
            }, Duration.ofSeconds(30));
            if (!whole) {
                problem(problems, "health cluster not UP with the other instance", "gateway run " + gateway.run()
                        + ": " + health(gateway).path("components").path("cluster"));
            }
        }
    }

    private static JsonNode health(GatewayProcess gateway) {
        try {
            String basic = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(gateway.baseUrl() + "/actuator/health")).header("Authorization", "Basic " + basic)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return JSON.createObjectNode().put("error", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createObjectNode();
        }
    }

    private void summary(Map<String, State> byId, Failover failover, CrmCheck crmCheck, QueueCheck queues,
                         MediaCheck media, List<ProviderSimulator> simulators) {
        Map<Integer, Long> byRun = byId.values().stream().collect(Collectors.groupingBy(s -> s.acceptedInRun,
                TreeMap::new, Collectors.counting()));
        int copies = queues.duplicates.values().stream().mapToInt(c -> c - 1).sum();
        int attempts = simulators.stream().mapToInt(s -> s.states().stream().mapToInt(st -> st.attempts.get()).sum())
                .sum();
        report.add(0, "=== cluster report ===");
        report.addAll(1, progress);
        report.add("");
        report.add("| what | measured |");
        report.add("|---|---|");
        report.add(String.format("| webhooks sent / accepted (2xx) | %d / %d (by gateway run 1=a, 2=b, 3=b "
                + "again: %s) |", WEBHOOKS, byId.size(), byRun));
        report.add(String.format("| provider attempts (re-sent after no answer or 5xx) | %d |", attempts));
        report.add(String.format("| re-sent to the other gateway / same id answered | %d / %d |", resends.size(),
                resends.values().stream().filter(r -> r.original.acceptedId.equals(r.id)).count()));
        report.add(String.format("| on their type queue | %d of %d; extra copies (at-least-once): %d in %d ids |",
                queues.onQueues, byId.size(), copies, queues.duplicates.size()));
        report.add(String.format("| reached the CRM | %d of %d; after failed attempts: %d |",
                byId.size() - crmCheck.lost().size(), byId.size(), crmCheck.retried()));
        report.add(String.format("| accepted by the CRM twice under one key (a gateway or broker crash between "
                + "the CRM's 2xx and its record: the POST's transaction rolled back) | %d |",
                crmCheck.acceptedTwice()));
        report.add("| CRM under two keys | " + problems.getOrDefault(
                "CRM got a key no webhook was accepted under (a message under two keys)", List.of()).size() + " |");
        report.add(String.format("| media messages accepted / stored on the type queues / objects in the shared "
                + "bucket | %d / %d / %d |", media.accepted(), media.stored(), media.objects()));
        report.add(String.format("| media fetched from the provider more than once (at-least-once copies) | %d |",
                media.fetchedTwice()));
        report.add(String.format("| media links opened from gateway a and from gateway b | %d of %d |",
                media.opened(), media.tried()));
        report.add(String.format("| master broker SIGKILL → slave serves (its log) | %d ms |",
                failover.slaveServesWallMs() - failover.killWallMs()));
        report.add(String.format("| master broker SIGKILL → first webhook accepted after it | %d ms |",
                failover.firstAcceptedAfterMs()));
        report.add("| gateway metrics a / b | " + gatewayCounters(gatewayA, ADMIN_PASSWORD) + " / "
                + gatewayCounters(gatewayB, ADMIN_PASSWORD) + " |");
        report.add("");
    }

    private Map<String, String> clusterSecrets() {
        Map<String, String> secrets = new HashMap<>(secrets(ADMIN_PASSWORD));
        secrets.put("GATEWAY_MEDIA_S3_ACCESS_KEY", S3_KEY);
        secrets.put("GATEWAY_MEDIA_S3_SECRET_KEY", S3_SECRET);
        return secrets;
    }

    private String s3Endpoint() {
        try {
            return s3.endpoint().toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private S3Client s3Client() {
        return S3Client.builder().endpointOverride(URI.create(s3Endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3_KEY, S3_SECRET)))
                .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    /** What the media server answers for a path: bytes of its own per path (a PDF by its first bytes). */
    private static byte[] mediaBytes(String path) {
        return ("%PDF-1.4\n% cluster media " + path + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The attachments' links of the load pointed at the media server on loopback, one file per webhook. */
    private List<Webhooks.Webhook> withLocalMedia(List<Webhooks.Webhook> load) throws IOException {
        String base = "http://127.0.0.1:" + mediaServer.getAddress().getPort() + "/m/";
        List<Webhooks.Webhook> pointed = new ArrayList<>();
        for (Webhooks.Webhook hook : load) {
            JsonNode body = JSON.readTree(hook.body());
            boolean changed = pointAt(body, base + hook.index());
            pointed.add(changed ? new Webhooks.Webhook(hook.index(), hook.provider(), hook.fixture(),
                    hook.expectedQueue(), body.toString()) : hook);
        }
        return pointed;
    }

    private static boolean pointAt(JsonNode node, String url) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            for (String field : List.of("msgAttachmentUrl", "downloadUrl")) {
                if (object.path(field).isTextual() && !object.path(field).asText().isBlank()) {
                    object.put(field, url);
                    changed = true;
                }
            }
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            changed |= pointAt(children.next(), url);
        }
        return changed;
    }

    private record MediaCheck(int accepted, int stored, int objects, int fetchedTwice, int opened, int tried) {
    }

    /**
     * The accepted messages with an attachment, as their type queues hold them (browsed, left for the queue check):
     * each stored once in the shared bucket (one object per file), and a few of their links opened from both
     * gateways with the media server's bytes.
     */
    private MediaCheck mediaIsStoredOnceAndOpensFromEitherGateway(Map<String, State> byId) throws Exception {
        long accepted = byId.values().stream().filter(st -> MEDIA_QUEUES.contains(st.hook.expectedQueue())
                && st.hook.body().contains("/m/")).count();
        Map<String, String> linkById = new LinkedHashMap<>();
        Map<String, String> shaById = new LinkedHashMap<>();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPortB);
        factory.setWatchTopicAdvisories(false);
        Connection connection = factory.createConnection();
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : MEDIA_QUEUES) {
                QueueBrowser browser = session.createBrowser(session.createQueue(queue));
                for (Enumeration<?> messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                    Message message = (Message) messages.nextElement();
                    if (message instanceof TextMessage text) {
                        JsonNode canonical = JSON.readTree(text.getText());
                        JsonNode media = canonical.path("media");
                        if ("stored".equals(media.path("status").asText())) {
                            linkById.put(canonical.path("id").asText(), media.path("url").asText());
                            shaById.put(canonical.path("id").asText(), media.path("sha256").asText());
                        }
                    }
                }
                browser.close();
            }
        } finally {
            connection.close();
        }
        int objects;
        try (S3Client client = s3Client()) {
            objects = client.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                    .mapToInt(o -> 1).sum();
        }
        long distinct = shaById.values().stream().distinct().count();
        if (linkById.size() < accepted) {
            problem(problems, "media messages without a stored copy on their type queue",
                    linkById.size() + " of " + accepted);
        }
        if (objects != distinct) {
            problem(problems, "objects in the shared bucket are not one per stored file",
                    objects + " objects for " + distinct + " files");
        }
        int opened = 0;
        int tried = 0;
        HttpClient client = HttpClient.newHttpClient();
        for (Map.Entry<String, String> link : linkById.entrySet().stream().limit(10).toList()) {
            tried++;
            State state = byId.get(link.getKey());
            byte[] expected = state == null ? new byte[0] : mediaBytes("/m/" + JSON.readTree(state.hook.body())
                    .findValuesAsText(state.hook.provider().equals("kazinfoteh") ? "msgAttachmentUrl" : "downloadUrl")
                    .get(0).replaceFirst(".*/m/", ""));
            boolean both = true;
            for (GatewayProcess gateway : List.of(gatewayA, gatewayB)) {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + link.getValue())).timeout(Duration.ofSeconds(20)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200 || !Arrays.equals(response.body(), expected)) {
                    both = false;
                    problem(problems, "media link not opened with its bytes", "gateway run " + gateway.run()
                            + " " + link.getValue().replaceFirst("\\?.*", "") + ": " + response.statusCode());
                }
            }
            opened += both ? 1 : 0;
        }
        int fetchedTwice = (int) mediaFetches.values().stream().filter(c -> c.get() > 1).count();
        note("media: %d accepted, %d stored on their queues, %d objects in the bucket, %d fetched more than once, "
                + "%d of %d links opened from both gateways", accepted, linkById.size(), objects, fetchedTwice,
                opened, tried);
        return new MediaCheck((int) accepted, linkById.size(), objects, fetchedTwice, opened, tried);
    }

    /** Messages left on a stage queue: what each live gateway's threads do, for the report folder. */
    private void threadDumps() {
        for (GatewayProcess gateway : gateways) {
            if (!gateway.isAlive()) {
                continue;
            }
            Path dump = outDir.resolve("gateway-run" + gateway.run() + "-threads.txt");
            try {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(gateway.pid()), "Thread.print").redirectErrorStream(true)
                        .redirectOutput(dump.toFile()).start();
                jcmd.waitFor(60, TimeUnit.SECONDS);
                note("thread dump of gateway run %d: %s", gateway.run(), dump);
            } catch (IOException e) {
                note("no thread dump of gateway run %d: %s", gateway.run(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitLog(Path log, String marker, Duration timeout) {
        boolean seen = waitUntil(() -> {
            try {
                return Files.exists(log) && Files.readString(log).contains(marker);
            } catch (IOException e) {
                return false;
            }
        }, timeout);
        assertTrue(seen, "no \"" + marker + "\" in " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void killAll() {
        brokers.forEach(Process::destroyForcibly);
        gateways.forEach(GatewayProcess::kill);
    }

    @AfterEach
    void stopTheRest() throws Exception {
        resending = false;
        for (Process broker : brokers) {
            broker.destroyForcibly();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
        if (ids != null) {
            ids.close();
        }
        if (mediaServer != null) {
            mediaServer.stop(0);
        }
        if (s3 != null) {
            s3.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killAllOnExit);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // the JVM is shutting down already, or the hook was never added
        }
    }
}
