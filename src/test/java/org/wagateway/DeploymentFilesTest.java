package org.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What the files that build and run the gateway outside Maven's tests promise: the Dockerfile and docker-compose.yml
 * run exact image releases, publish only the ports something listens on, and ask for the ops password. No Docker
 * engine is needed: the files are read as text and YAML, and Debian's docker-compose ({@link DockerComposeCli})
 * parses docker-compose.yml as {@code docker compose up} would.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    /**
     * An image reference with an exact release in its tag (3.9.11-..., 17.0.16_8-jre, RELEASE.2025-09-07T...; for
     * PostgreSQL, whose releases are numbered major.minor, 17.6).
     */
    private static final Pattern EXACT_TAG = Pattern.compile("[^:@\\s]+:[^:@\\s]*"
            + "(\\d+\\.\\d+\\.\\d+|RELEASE\\.\\d{4}-\\d{2}-\\d{2}T)[^:@\\s]*(@sha256:[0-9a-f]{64})?"
            + "|postgres:\\d+\\.\\d+(-[a-z]+)?");
    /** Values for the variables the compose file asks for ({@code ${VAR:?...}}). */
    @Test
    void theDockerfileBuildsOnExactReleasesAndExposesOnlyHttp() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile"), StandardCharsets.UTF_8);
        List<String> images = lines.stream().filter(line -> line.startsWith("FROM "))
                .map(line -> line.split("\\s+")[1]).toList();
        assertThat(images).hasSize(2).allSatisfy(image -> assertThat(image).matches(EXACT_TAG));
        assertThat(images.get(0)).as("the build stage, by digest").contains("@sha256:");
        // the embedded broker listens on the container's localhost: its port is no use to anyone outside
        assertThat(lines).filteredOn(line -> line.startsWith("EXPOSE ")).containsExactly("EXPOSE 8080");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsExactReleasesAsksForTheOpsPasswordAndPublishesNoBrokerPortOfTheGateway() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        services.forEach((name, service) -> {
            if (service.containsKey("image")) {
                assertThat((String) service.get("image")).as(name).matches(EXACT_TAG);
            }
        });
        Map<String, Object> gateway = services.get("gateway");
        Map<String, Object> environment = (Map<String, Object>) gateway.get("environment");
        assertThat(environment).containsEntry("GATEWAY_ADMIN_PASSWORD",
                "${GATEWAY_ADMIN_PASSWORD:?set GATEWAY_ADMIN_PASSWORD}");
        // on the external broker the gateway runs none of its own: nothing listens on 61616 in its container
        assertThat(environment).containsKey("SPRING_ACTIVEMQ_BROKER_URL");
        assertThat((List<Object>) gateway.get("ports")).map(String::valueOf).containsExactly("8080:8080");
        assertThat(gateway).doesNotContainKey("expose");
    }

    @Test
    void dockerComposeParsesTheFileWithEverySecretItAsksFor() throws Exception {
        Map<String, String> secrets = requiredVariables();
        assertThat(secrets).containsKeys("GATEWAY_ADMIN_PASSWORD", "GATEWAY_OPS_VIEWER_PASSWORD",
                "GRAFANA_ADMIN_PASSWORD");

        DockerComposeCli.Result config = DockerComposeCli.run(ROOT.resolve("docker-compose.yml"), secrets, "config");
        assertThat(config.exitCode()).as(config.stderr()).isZero();
        DockerComposeCli.Result services = DockerComposeCli.run(ROOT.resolve("docker-compose.yml"), secrets,
                "config", "--services");
        assertThat(services.stdout().lines()).contains("gateway", "prometheus", "grafana");
    }

    @Test
    void dockerComposeRefusesToRunWithoutTheGrafanaOrTheViewerPassword() throws Exception {
        for (String missing : List.of("GRAFANA_ADMIN_PASSWORD", "GATEWAY_OPS_VIEWER_PASSWORD")) {
            Map<String, String> secrets = requiredVariables();
            secrets.remove(missing);

            DockerComposeCli.Result config = DockerComposeCli.run(ROOT.resolve("docker-compose.yml"), secrets,
                    "config");

            assertThat(config.exitCode()).as(missing).isNotZero();
            assertThat(config.stderr()).as(missing).contains("set " + missing);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusAndGrafanaListenOnLoopbackOnlyAndTakeTheirPasswordsFromTheEnvironment() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Object> prometheus = services.get("prometheus");
        Map<String, Object> grafana = services.get("grafana");

        assertThat((List<Object>) prometheus.get("ports")).map(String::valueOf).containsExactly("127.0.0.1:9090:9090");
        assertThat((List<Object>) grafana.get("ports")).map(String::valueOf).containsExactly("127.0.0.1:3000:3000");
        assertThat((Map<String, Object>) prometheus.get("environment")).containsEntry("GATEWAY_OPS_VIEWER_PASSWORD",
                "${GATEWAY_OPS_VIEWER_PASSWORD:?set GATEWAY_OPS_VIEWER_PASSWORD}");
        assertThat((Map<String, Object>) services.get("gateway").get("environment")).containsEntry(
                "GATEWAY_OPS_VIEWER_PASSWORD", "${GATEWAY_OPS_VIEWER_PASSWORD:?set GATEWAY_OPS_VIEWER_PASSWORD}");
        assertThat((Map<String, Object>) grafana.get("environment")).containsEntry("GF_SECURITY_ADMIN_PASSWORD",
                "${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD}");
        assertThat((List<String>) grafana.get("volumes")).contains(
                "./docker/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./docker/grafana/dashboards:/etc/grafana/dashboards:ro");
        assertThat((List<String>) prometheus.get("volumes")).contains("./docker/prometheus:/etc/prometheus:ro");
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaIsProvisionedWithTheDashboardOnTheDataSourceItNames() throws IOException {
        Map<String, Object> datasources = new Yaml().load(Files.readString(
                ROOT.resolve("docker/grafana/provisioning/datasources/prometheus.yaml")));
        Map<String, Object> datasource = ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
        Map<String, Object> providers = new Yaml().load(Files.readString(
                ROOT.resolve("docker/grafana/provisioning/dashboards/gateway.yaml")));
        Map<String, Object> provider = ((List<Map<String, Object>>) providers.get("providers")).get(0);
        String dashboard = Files.readString(ROOT.resolve("docker/grafana/dashboards/gateway.json"));

        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        assertThat((Map<String, Object>) provider.get("options")).containsEntry("path", "/etc/grafana/dashboards");
        List<String> used = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard)
                .findValues("datasource").stream().map(node -> node.path("uid").asText()).distinct().toList();
        assertThat(used).as("data sources of the panels and queries").containsExactly(
                String.valueOf(datasource.get("uid")));
    }

    @Test
    void noPasswordIsWrittenInTheMonitoringFiles() throws IOException {
        try (var files = Files.walk(ROOT.resolve("docker"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString())
                        .doesNotContainPattern("(?i)password\\s*[:=]\\s*[^\\s$]");
            }
        }
    }

    /** Every {@code ${NAME:?...}} the compose file asks for, each with a value of its own. */
    private static Map<String, String> requiredVariables() throws IOException {
        Matcher required = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(
                Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, String> variables = new TreeMap<>();
        required.results().forEach(m -> variables.put(m.group(1), "test-" + m.group(1).toLowerCase() + "-value"));
        return variables;
    }

    @Test
    void composeParsesWithTheClusterProfileAndTurnsEveryBrokersSchedulerOn() throws Exception {
        Map<String, String> secrets = requiredVariables();
        DockerComposeCli.Result config = DockerComposeCli.run(ROOT.resolve("docker-compose.yml"), secrets,
                "--profile", "cluster", "config");
        assertThat(config.exitCode()).as(config.stderr()).isZero();
        Map<String, Object> parsed = new Yaml().load(config.stdout());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) parsed.get("services");
        assertThat(services).containsKeys("activemq", "activemq-a", "activemq-b", "postgres", "gateway-a",
                "gateway-b", "nginx", "minio");
        for (String broker : List.of("activemq", "activemq-a", "activemq-b")) {
            assertThat(String.valueOf(services.get(broker).get("volumes"))).as(broker)
                    .contains("docker/activemq/activemq.xml").contains("/opt/apache-activemq/conf/activemq.xml");
        }
        // the pair shares one store: whichever broker holds its lock serves
        assertThat(String.valueOf(services.get("activemq-a").get("volumes")))
                .contains("activemq-cluster-data");
        assertThat(String.valueOf(services.get("activemq-b").get("volumes")))
                .contains("activemq-cluster-data");
        for (String gateway : List.of("gateway-a", "gateway-b")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> environment = (Map<String, Object>) services.get(gateway).get("environment");
            assertThat(String.valueOf(environment.get("SPRING_ACTIVEMQ_BROKER_URL"))).as(gateway)
                    .isEqualTo("failover:(tcp://activemq-a:61616,tcp://activemq-b:61616)");
            assertThat(String.valueOf(environment.get("SPRING_DATASOURCE_URL"))).startsWith("jdbc:postgresql:");
            assertThat(environment).containsEntry("GATEWAY_MEDIA_LINK_SECRET", secrets.get("GATEWAY_MEDIA_LINK_SECRET"))
                    .containsEntry("GATEWAY_MEDIA_STORE", "s3");
            assertThat(services.get(gateway)).doesNotContainKey("ports");
        }
        String activemqXml = Files.readString(ROOT.resolve("docker/activemq/activemq.xml"));
        assertThat(activemqXml).contains("schedulerSupport=\"true\"").contains("<shared-file-locker");
        assertThat(Files.readString(ROOT.resolve("docker/nginx/cluster.conf")))
                .contains("server gateway-a:8080").contains("server gateway-b:8080");
    }
}
