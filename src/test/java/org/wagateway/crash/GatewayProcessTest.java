package org.wagateway.crash;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;

/**
 * What the process-level tests share: the gateways they start (killed if the test JVM dies first), the CRM stub and
 * providers, a timestamped progress log, and the clean-up after each test.
 */
abstract class GatewayProcessTest {

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

    static void problem(Map<String, List<String>> problems, String what, String detail) {
        problems.computeIfAbsent(what, k -> new ArrayList<>()).add(detail);
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
