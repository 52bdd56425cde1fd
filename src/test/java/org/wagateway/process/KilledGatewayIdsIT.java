package org.wagateway.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wagateway.process.Webhooks.Webhook;

/**
 * An id the gateway recorded is not lost to a SIGKILL that follows at once. The built jar runs on the embedded
 * default (H2 id store in a temporary data folder, everything on 127.0.0.1); {@value #WEBHOOKS} webhooks of all
 * three providers (Meta's batches among them) are each answered 200, the gateway is killed right after the last
 * answer, and started again on the same data folder. The providers' retries of those same webhooks are then
 * answered 200 without storing anything: no webhook is accepted again, each of their messages counts as a
 * provider retry.
 *
 * <p>Why: an embedded database that keeps its last commits in memory for a write delay (H2's default is half a
 * second) loses them to a kill, and the retry of a webhook stored in that window is stored a second time. A Meta
 * batch cut by a crash is retried whole, so the messages of it that were stored before the kill are always in
 * that window.
 *
 * <p>Runs from Maven's {@code verify} phase (Failsafe) on {@code target/whatsapp-gateway.jar}; the console logs
 * are kept in {@code target/killed-gateway-ids-it/}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class KilledGatewayIdsIT extends ProcessLevelHarness {

    private static final int WEBHOOKS = 60;
    private static final int META_EVERY = 3;
    private static final String ADMIN_PASSWORD = "killed-ids-admin-password";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void retriesAfterAKillStoreNothingAgain() throws Exception {
        try {
            Path jar = prepareRun("killed-gateway-ids-it");
            crm = CrmStub.reliable(Duration.ZERO);
            List<String> arguments = gatewayArguments(basedir().resolve("routes"), "killed-ids", 5_000);
            List<Webhook> webhooks = Webhooks.generate(WEBHOOKS, ThreadLocalRandom.current().nextLong(), META_EVERY);
            int messages = webhooks.stream().mapToInt(hook -> hook.messages().size()).sum();

            GatewayProcess first = startGateway(1, jar, arguments, secrets(ADMIN_PASSWORD));
            assertThat(post(first, webhooks)).as("answers of run 1").containsOnly(200);
            first.kill();
            assertThat(first.awaitExit(Duration.ofMinutes(1))).as("gateway run 1 exited on SIGKILL").isTrue();

            GatewayProcess second = startGateway(2, jar, arguments, secrets(ADMIN_PASSWORD));
            assertThat(post(second, webhooks)).as("answers to the retries in run 2").containsOnly(200);
            Map<String, Double> counters = gatewayCounters(second, ADMIN_PASSWORD);
            assertThat(counters).as("run 2's counters").isNotNull();
            assertThat(counters.getOrDefault("gateway_webhooks_accepted_total", 0.0))
                    .as("messages stored again after the kill").isZero();
            assertThat(counters.getOrDefault("gateway_webhooks_duplicate_total", 0.0))
                    .as("messages recognised as provider retries").isEqualTo((double) messages);
        } catch (Throwable failure) {
            printLogTails();
            throw failure;
        }
    }

    /** Sends each webhook in turn, as its provider does; returns the answers' statuses. */
    private static List<Integer> post(GatewayProcess gateway, List<Webhook> webhooks) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Integer> statuses = new ArrayList<>();
        for (Webhook hook : webhooks) {
            statuses.add(client.send(ProviderSimulator.request(gateway.baseUrl(), hook, ANSWER_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }
}
