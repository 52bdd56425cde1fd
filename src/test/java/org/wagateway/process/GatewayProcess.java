package org.wagateway.process;

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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as ops run it: {@code java -jar whatsapp-gateway.jar} in a child JVM, everything on 127.0.0.1,
 * its console (stdout and stderr) in a log file. The HTTP and broker ports are free ones the gateway picks
 * itself; they are read from its log.
 */
final class GatewayProcess {

    private static final Pattern HTTP_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Pattern BROKER = Pattern.compile("external consumers at tcp://[^\\s:]+:(\\d+)");
    private static final String STARTED = "Started GatewayApplication";
    /** What a gateway on an external broker logs at start (its scheduler check). */
    private static final String NO_OWN_BROKER = "The external broker delays scheduled messages";

    /** The environment the gateway reads its settings from: none of the caller's may steer the child. */
    private static final List<String> FOREIGN_ENV_PREFIXES = List.of("GATEWAY_", "SPRING_", "SERVER_", "CAMEL_",
            "MANAGEMENT_", "LOGGING_", "HAWTIO_");

    private final Process process;
    private final Path log;
    private final int run;
    private int httpPort;
    private int brokerPort;

    private GatewayProcess(Process process, Path log, int run) {
        this.process = process;
        this.log = log;
        this.run = run;
    }

    static GatewayProcess start(int run, Path jar, Path workDir, List<String> arguments, Map<String, String> secrets,
            Path log) throws IOException {
        Path tmp = Files.createDirectories(workDir.resolve("tmp-run" + run));
        List<String> command = new ArrayList<>();
        String cpus = System.getProperty("crash.cpus", "").strip();
        if (!cpus.isEmpty()) {
            // diagnosis only: pin the gateway to these CPUs (taskset), to see how it fares when starved
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
                "-Djava.io.tmpdir=" + tmp,
                "-jar", jar.toString()));
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> FOREIGN_ENV_PREFIXES.stream()
                .anyMatch(prefix -> name.toUpperCase(Locale.ROOT).startsWith(prefix)));
        builder.environment().putAll(secrets);
        return new GatewayProcess(builder.start(), log, run);
    }

    /** Waits for the gateway to log that it started, reads its ports, then waits for its health to be UP. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = logText();
            Matcher http = HTTP_PORT.matcher(text);
            Matcher broker = BROKER.matcher(text);
            // a gateway on an external broker (spring.activemq.broker-url) runs none of its own: no broker port
            if (text.contains(STARTED) && http.find() && (broker.find() || text.contains(NO_OWN_BROKER))) {
                httpPort = Integer.parseInt(http.group(1));
                brokerPort = broker.find(0) ? Integer.parseInt(broker.group(1)) : -1;
                break;
            }
            checkRunning(deadline, "log that it started");
            Thread.sleep(200);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(20)).GET().build();
        String last = "";
        while (true) {
            try {
                HttpResponse<String> response = client.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            checkRunning(deadline, "be healthy (last: " + last + ")");
            Thread.sleep(300);
        }
    }

    private void checkRunning(long deadline, String what) {
        if (!process.isAlive()) {
            throw new IllegalStateException("gateway run " + run + " exited with " + process.exitValue()
                    + " before it could " + what + "; log " + log + ":\n" + tail(60));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("gateway run " + run + " did not " + what + " in time; log " + log
                    + ":\n" + tail(60));
        }
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux): no shutdown hook, no graceful stop. */
    void kill() {
        process.destroyForcibly();
    }

    /**
     * SIGTERM (what {@link Process#destroy()} sends on Linux), as {@code docker stop} or Kubernetes send it: the
     * JVM runs its shutdown hooks, so Spring Boot closes the gateway gracefully (webhooks answered 503, work in
     * flight finished, broker stopped). Returns at once; wait with {@link #awaitExit(Duration)}.
     */
    void terminate() {
        process.destroy();
    }

    /** The exit code of a process that is gone (143 = 128 + SIGTERM for a JVM stopped by SIGTERM). */
    int exitValue() {
        return process.exitValue();
    }

    /** Waits for the process to be gone; true if it is. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int run() {
        return run;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    Path log() {
        return log;
    }

    String logText() throws IOException {
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    }

    /** Lines of the log that contain any of the markers. */
    List<String> logLines(String... markers) {
        try {
            return logText().lines().filter(line -> Arrays.stream(markers).anyMatch(line::contains)).toList();
        } catch (IOException e) {
            return List.of("(log unreadable: " + e + ")");
        }
    }

    String tail(int lines) {
        try {
            List<String> all = logText().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
