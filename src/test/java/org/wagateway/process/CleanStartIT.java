package org.wagateway.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A start of the built jar with every setting given, and its stop on SIGTERM, print nothing an operator would have to
 * look into: no WARN or ERROR line, no Logback status warning about its configuration, no Commons Logging or SLF4J
 * complaint about the classpath, no JVM warning. The gateway's own warnings about a setting left out (no admin
 * password, no media link secret, no webhook secret) are advice and stay; they do not appear here because this start
 * sets everything they ask for.
 *
 * <p>Runs from Maven's {@code verify} phase (Failsafe) on {@code target/whatsapp-gateway.jar}; the console log is kept
 * in {@code target/clean-start-it/}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CleanStartIT extends ProcessLevelHarness {

    /** Spring Boot's console line at WARN or ERROR: {@code 2026-01-01T10:00:00.000Z  WARN 123 --- [...]}. */
    private static final Pattern LOG_WARNING = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s");
    /** Logback's own status messages (printed only when one is WARN or worse), SLF4J's and the JVM's warnings. */
    private static final Pattern OTHER_WARNING = Pattern.compile(
            "\\|-(WARN|ERROR) in |Commons Logging|commons-logging|^SLF4J|^WARNING:|^Exception in thread");

    @Test
    void aStartAndAStopWithEverySettingGivenPrintNoWarning() throws Exception {
        Path jar = prepareRun("clean-start-it");
        List<String> arguments = List.of(
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--gateway.data-dir=" + workDir.resolve("data"),
                "--server.tomcat.basedir=" + workDir.resolve("tomcat"),
                "--gateway.routes-dir=" + basedir().resolve("routes"),
                "--gateway.broker.tcp-host=127.0.0.1",
                "--gateway.broker.tcp-port=0");
        Map<String, String> environment = new HashMap<>(secrets("clean-start-admin-password"));
        environment.put("GATEWAY_MEDIA_LINK_SECRET", "clean-start-media-link-secret-of-32-bytes-or-more");

        GatewayProcess gateway = startGateway(1, jar, arguments, environment);
        // Camel warns when it is stopped within a second of its start: a run that short is a test's, never a
        // deployment's, so the stop comes once Camel has run for longer than that
        Instant camelStarted = camelStartedAt(gateway.logText());
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(camelStarted.plusMillis(1500)));
        gateway.terminate();
        assertThat(gateway.awaitExit(Duration.ofMinutes(2))).as("gateway stopped on SIGTERM").isTrue();

        String log = gateway.logText();
        assertThat(log).contains("Started GatewayApplication");
        List<String> warnings = log.lines()
                .filter(line -> LOG_WARNING.matcher(line).find() || OTHER_WARNING.matcher(line).find())
                .toList();
        assertThat(warnings).as("warnings in " + gateway.log()).isEmpty();
    }

    /** When Camel's "Apache Camel … started in" line was logged (the line's own timestamp). */
    private static Instant camelStartedAt(String log) {
        return log.lines().filter(line -> line.contains("Apache Camel ") && line.contains(" started in "))
                .map(line -> Instant.parse(line.substring(0, line.indexOf(' '))))
                .findFirst().orElseThrow(() -> new AssertionError("Camel's start line is not in the log"));
    }
}
