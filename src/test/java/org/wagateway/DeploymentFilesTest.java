package org.wagateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What the files that build and run the gateway outside Maven's tests promise: the Dockerfile and docker-compose.yml
 * run exact image releases, publish only the ports something listens on, and ask for the ops password. No Docker
 * engine is needed: the files are read as text and YAML.
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
    private static final Map<String, String> COMPOSE_VARIABLES = Map.of(
            "GATEWAY_KAZINFOTEH_API_KEY", "k", "GATEWAY_GREENAPI_TOKEN", "t", "GATEWAY_ADMIN_PASSWORD", "a",
            "MINIO_ROOT_USER", "m", "MINIO_ROOT_PASSWORD", "mmmmmmmm", "POSTGRES_PASSWORD", "p",
            "GATEWAY_MEDIA_LINK_SECRET", "l");

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
    void composeParsesWithTheClusterProfileAndTurnsEveryBrokersSchedulerOn() throws Exception {
        DockerComposeCli.Result config = DockerComposeCli.run(ROOT, COMPOSE_VARIABLES, "--profile", "cluster",
                "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Object> parsed = new Yaml().load(config.output());
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
            assertThat(environment).containsEntry("GATEWAY_MEDIA_LINK_SECRET", "l")
                    .containsEntry("GATEWAY_MEDIA_STORE", "s3");
            assertThat(services.get(gateway)).doesNotContainKey("ports");
        }
        String activemqXml = Files.readString(ROOT.resolve("docker/activemq/activemq.xml"));
        assertThat(activemqXml).contains("schedulerSupport=\"true\"").contains("<shared-file-locker");
        assertThat(Files.readString(ROOT.resolve("docker/nginx/cluster.conf")))
                .contains("server gateway-a:8080").contains("server gateway-b:8080");
    }
}
