package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import jakarta.jms.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wagateway.Fixtures;
import org.wagateway.GatewayApplication;

/**
 * A really full disk: the gateway's data folder on a 64 MiB tmpfs, webhooks arriving steadily while another
 * process's file grows until the disk has not one byte left (ENOSPC), then that file deleted; in the second case
 * the CRM fails (503) from just before the fill until then, so that CRM retries are scheduled and fall due in the
 * broker while the disk is full. Every answer is 200 or 503 and quick, the gateway takes webhooks again within a
 * minute without a restart, and every webhook it answered 200 (before, while and after the disk was full) is on its type queue and reached the CRM exactly once.
 * Needs root (mount); elsewhere it is skipped, and {@link DiskFloorTest} covers the refusal and recovery logic.
 */
@CamelSpringBootTest
@DirtiesContext
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "gateway.kazinfoteh.api-key=" + FullDiskTest.KEY,
                "gateway.broker.tcp-port=0",
                "gateway.broker.name=gateway-full-disk",
                "gateway.broker.journal-file-length=4MB",
                "gateway.data.min-free-disk=16MB",
                "gateway.data.check-interval=1s",
                "gateway.admin.password=" + GatewayTestSupport.ADMIN_PASSWORD,
                "gateway.media.enabled=false",
                "gateway.crm.redelivery-delay-ms=300",
                "gateway.crm.maximum-redelivery-delay-ms=2000",
                "gateway.crm.maximum-redeliveries=100",
                "gateway.crm.circuit-breaker.minimum-number-of-calls=100000",
                "gateway.crm.circuit-breaker.sliding-window-size=100000",
        })
class FullDiskTest {

    static final String KEY = "full-disk-key";
    private static final String CRM_PATH = "/crm/messages";
    private static final Duration HANG = Duration.ofSeconds(5);
    private static final WireMockServer CRM = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path mount;

    @LocalServerPort
    int port;
    @Autowired
    JmsTemplate jms;

    record Answer(String id, int status, long nanos, String phase) {
    }

    @BeforeAll
    static void mountSmallDisk() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path parent = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "test-data"));
        mount = Files.createTempDirectory(parent, "full-disk-");
        run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount.toString());
        CRM.start();
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).willReturn(aResponse().withStatus(200)));
    }

    @AfterAll
    static void unmount() throws Exception {
        CRM.stop();
        if (mount != null) {
            // lazy: the gateway's broker still holds its files until Spring closes the context after this class
            run("umount", "-l", mount.toString());
        }
    }

    @DynamicPropertySource
    static void dataOnTheSmallDisk(DynamicPropertyRegistry registry) {
        registry.add("gateway.data-dir", () -> mount.resolve("data").toString());
        registry.add("server.tomcat.basedir", () -> mount.resolveSibling(mount.getFileName() + "-tomcat").toString());
        registry.add("gateway.crm.url", () -> "http://127.0.0.1:" + CRM.port() + CRM_PATH);
    }

    @Test
    void aFullDiskIsRefusedThenRecoveredAndNothingAcknowledgedIsLost() throws Exception {
        fullDisk(false);
    }

    @Test
    void crmRetriesDueOnTheFullDiskReachTheCrmOnceBothRecover() throws Exception {
        fullDisk(true);
    }

    /** @param crmFailing whether the CRM answers 503 from just before the disk fills until it is freed */
    private void fullDisk(boolean crmFailing) throws Exception {
        CRM.resetAll();
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).willReturn(aResponse().withStatus(200)));
        HttpClient http = HttpClient.newBuilder().connectTimeout(HANG).build();
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        String[] phase = {"before"};
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        sender.scheduleAtFixedRate(() -> answers.add(send(http, phase[0])), 0, 10, TimeUnit.MILLISECONDS);
        Path filler = mount.resolve("filler");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> count(answers, "before", 200) >= 100);

            // the CRM fails from just before the disk fills until it is freed: CRM retries are scheduled in the
            // broker, and fall due while the disk is full
            if (crmFailing) {
                phase[0] = "crm-down";
                CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).willReturn(aResponse().withStatus(503)));
                await().atMost(Duration.ofSeconds(30)).until(() -> count(answers, "crm-down", 200) >= 30);
            }

            phase[0] = "full";
            long filled = fill(filler);
            assertThat(mount.toFile().getUsableSpace()).as("the disk is really full").isZero();
            // keep sending for a while on the full disk
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(8))
                    .until(() -> count(answers, "full", -2) >= 100);

            phase[0] = "freed";
            long freedAt = System.nanoTime();
            Files.delete(filler);
            if (crmFailing) {
                CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).willReturn(aResponse().withStatus(200)));
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> count(answers, "freed", 200) >= 1);
            Duration recovery = Duration.ofNanos(System.nanoTime() - freedAt);
            await().atMost(Duration.ofSeconds(30)).until(() -> count(answers, "freed", 200) >= 100);
            sender.shutdown();
            assertThat(sender.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            Map<Integer, Long> statuses = answers.stream()
                    .collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
            long slowest = answers.stream().mapToLong(Answer::nanos).max().orElse(0);
            System.out.printf("Full disk (CRM failing: %s): filler %d MiB; answers %s; during full %s; accepted "
                    + "again %d ms after the filler went; slowest answer %d ms%n", crmFailing, filled >> 20, statuses,
                    answers.stream().filter(a -> a.phase().equals("full"))
                            .collect(Collectors.groupingBy(Answer::status, Collectors.counting())),
                    recovery.toMillis(), TimeUnit.NANOSECONDS.toMillis(slowest));
            assertThat(statuses.keySet()).as("only 200 or 503, never a 500 nor a hang").containsOnly(200, 503);
            assertThat(Duration.ofNanos(slowest)).isLessThan(HANG);
            assertThat(count(answers, "full", 503)).as("refused while full").isPositive();
            assertThat(recovery).isLessThan(Duration.ofMinutes(1));

            Set<String> accepted = answers.stream().filter(a -> a.status() == 200).map(Answer::id)
                    .collect(Collectors.toSet());
            // a CRM delivery rolled back on the full disk is handed again after its back-off, which doubles up to a
            // minute (JmsClientSettings), and its consumer's prefetched messages wait behind it
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(crmKeysTaken()).containsAll(accepted));
            System.out.printf("Full disk (CRM failing: %s): every accepted message at the CRM %d s after the filler "
                    + "went%n", crmFailing, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - freedAt));
            // POSTed until the CRM took it (its 503s, then one 200), and taken once
            Map<String, Long> taken = CRM.getAllServeEvents().stream()
                    .filter(event -> event.getResponse().getStatus() == 200)
                    .collect(Collectors.groupingBy(event -> event.getRequest().getHeader("Idempotency-Key"),
                            Collectors.counting()));
            assertThat(accepted.stream().filter(id -> taken.getOrDefault(id, 0L) != 1).toList())
                    .as("not taken by the CRM exactly once").isEmpty();
            if (!crmFailing) {
                Map<String, Long> posts = CRM.getAllServeEvents().stream()
                        .collect(Collectors.groupingBy(event -> event.getRequest().getHeader("Idempotency-Key"),
                                Collectors.counting()));
                assertThat(accepted.stream().filter(id -> posts.get(id) != 1).toList())
                        .as("POSTed more than once").isEmpty();
            }
            Set<String> queued = drain("whatsapp.in.text");
            assertThat(accepted.stream().filter(id -> !queued.contains(id)).toList())
                    .as("acknowledged, not on whatsapp.in.text").isEmpty();
        } finally {
            sender.shutdownNow();
            Files.deleteIfExists(filler);
        }
    }

    private Answer send(HttpClient http, String phase) {
        ObjectNode body = Fixtures.load("kazinfoteh/text.json").deepCopy();
        body.put("id", UUID.randomUUID().toString());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/kazinfoteh"))
                .timeout(HANG).header("Content-Type", "application/json").header("X-API-KEY", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String id = null;
            if (response.statusCode() == 200) {
                id = JSON.readTree(response.body()).get("id").asText();
            } else {
                JsonNode error = JSON.readTree(response.body());
                assertThat(error.path("status").asText()).isEqualTo("rejected");
            }
            return new Answer(id, response.statusCode(), System.nanoTime() - start, phase);
        } catch (Exception e) {
            // a timeout: the hang this test is about
            return new Answer(null, -1, System.nanoTime() - start, phase);
        }
    }

    /** Answers of a phase with this status (-2: any). */
    private static long count(ConcurrentLinkedQueue<Answer> answers, String phase, int status) {
        return answers.stream().filter(a -> a.phase().equals(phase) && (status == -2 || a.status() == status))
                .count();
    }

    /** Grows the file 1 MiB at a time until the disk refuses (ENOSPC); its size. */
    private static long fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
        // the last bytes a full chunk no longer fit in
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk, 0, 4096);
                out.flush();
                written += 4096;
            }
        } catch (IOException full) {
            return written;
        }
    }

    /** The Idempotency-Keys of the POSTs the CRM answered 200. */
    private static Set<String> crmKeysTaken() {
        return CRM.getAllServeEvents().stream().filter(event -> event.getResponse().getStatus() == 200)
                .map(event -> event.getRequest().getHeader("Idempotency-Key")).collect(Collectors.toSet());
    }

    /** Every message's canonical id on a queue, read off it. */
    private Set<String> drain(String queue) throws Exception {
        Set<String> ids = new HashSet<>();
        jms.setReceiveTimeout(2000);
        Message message;
        while ((message = jms.receive(queue)) != null) {
            ids.add(message.getJMSCorrelationID());
        }
        return ids;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
