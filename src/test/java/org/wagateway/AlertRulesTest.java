package org.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Prometheus files of docker/prometheus, checked by Prometheus's own promtool: the rules and the scrape
 * configuration load, and the unit tests of docker/prometheus/tests show each alert firing on the series it watches
 * and staying quiet on the others. Each alert tells ops what to do and links a section of docs/operations.md.
 */
class AlertRulesTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path PROMETHEUS = ROOT.resolve("docker/prometheus");

    @Test
    void promtoolLoadsTheRules() throws Exception {
        Promtool.Result result = Promtool.run(PROMETHEUS, "check", "rules", "alerts.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void promtoolLoadsTheConfigurationWhichScrapesWithTheViewerAndAPasswordFile() throws Exception {
        Promtool.Result result = Promtool.run(PROMETHEUS, "check", "config", "prometheus.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();

        Map<String, Object> config = new Yaml().load(Files.readString(PROMETHEUS.resolve("prometheus.yml")));
        assertThat((List<String>) config.get("rule_files")).containsExactly("alerts.yml");
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        assertThat(jobs).hasSize(1);
        Map<String, Object> job = jobs.get(0);
        assertThat(job).containsEntry("job_name", "whatsapp-gateway").containsEntry("metrics_path",
                "/actuator/prometheus");
        Map<String, Object> auth = (Map<String, Object>) job.get("basic_auth");
        assertThat(auth).containsEntry("username", "viewer").containsKey("password_file")
                .doesNotContainKey("password");
    }

    @Test
    void theUnitTestsOfTheAlertsPass() throws Exception {
        Promtool.Result result = Promtool.run(PROMETHEUS, "test", "rules", "tests/alerts-test.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void aWrongExpectationFailsTheUnitTests(@TempDir Path folder) throws Exception {
        // the unit tests are evaluated, not just parsed: an alert expected where the series say otherwise fails
        String tests = Files.readString(PROMETHEUS.resolve("tests/alerts-test.yml"), StandardCharsets.UTF_8)
                .replace("  - ../alerts.yml", "  - " + PROMETHEUS.resolve("alerts.yml"))
                .replace("      - eval_time: 3m\n        alertname: GatewayDown\n        exp_alerts: []",
                        "      - eval_time: 3m\n        alertname: GatewayDown\n        exp_alerts:\n"
                                + "          - exp_labels:\n              severity: critical");
        Files.writeString(folder.resolve("wrong-test.yml"), tests);

        Promtool.Result result = Promtool.run(folder, "test", "rules", "wrong-test.yml");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("alertname: GatewayDown, time: 3m");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertIsTestedFiringAndQuiet() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(PROMETHEUS.resolve("tests/alerts-test.yml")));
        List<Map<String, Object>> checks = ((List<Map<String, Object>>) file.get("tests")).stream()
                .flatMap(test -> ((List<Map<String, Object>>) test.get("alert_rule_test")).stream()).toList();
        Set<String> fired = checks.stream().filter(check -> !((List<?>) check.get("exp_alerts")).isEmpty())
                .map(check -> (String) check.get("alertname")).collect(Collectors.toSet());
        Set<String> quiet = checks.stream().filter(check -> ((List<?>) check.get("exp_alerts")).isEmpty())
                .map(check -> (String) check.get("alertname")).collect(Collectors.toSet());

        Set<String> names = alerts().stream().map(alert -> (String) alert.get("alert")).collect(Collectors.toSet());
        assertThat(fired).as("alerts shown firing").containsAll(names);
        assertThat(quiet).as("alerts shown quiet").containsAll(names);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertSaysWhatToDoAndLinksItsSectionOfTheOperationsGuide() throws IOException {
        Set<String> anchors = Files.readAllLines(ROOT.resolve("docs/operations.md"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("#")).map(AlertRulesTest::anchor).collect(Collectors.toSet());

        assertThat(alerts()).isNotEmpty().allSatisfy(alert -> {
            Map<String, String> annotations = (Map<String, String>) alert.get("annotations");
            assertThat(annotations.get("summary")).as(alert.get("alert") + " summary").isNotBlank();
            assertThat(annotations.get("description")).as(alert.get("alert") + " description").hasSizeGreaterThan(80);
            assertThat(annotations.get("runbook")).as(alert.get("alert") + " runbook").startsWith("docs/operations.md#");
            assertThat(anchors).as("headings of docs/operations.md")
                    .contains(annotations.get("runbook").substring("docs/operations.md#".length()));
            assertThat(((Map<String, String>) alert.get("labels")).get("severity")).isIn("warning", "critical");
        });
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alerts() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(PROMETHEUS.resolve("alerts.yml")));
        return ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .filter(rule -> rule.containsKey("alert")).toList();
    }

    /** GitHub's anchor of a Markdown heading: lower case, spaces to dashes, punctuation dropped. */
    private static String anchor(String heading) {
        String text = Normalizer.normalize(heading.replaceFirst("^#+\\s*", ""), Normalizer.Form.NFC)
                .toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
