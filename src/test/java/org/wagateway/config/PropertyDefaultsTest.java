package org.wagateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.wagateway.media.MediaProperties;
import org.wagateway.provider.greenapi.GreenApiProperties;
import org.wagateway.provider.kazinfoteh.KazinfotehProperties;
import org.wagateway.provider.meta.MetaProperties;
import org.wagateway.trace.TraceProperties;

/**
 * The defaults {@link PropertyDefaults} puts in the Environment: read from the classes' initialisers, under the
 * keys ops set, in a text the binder reads back, and below everything ops set (environment variables included).
 */
class PropertyDefaultsTest {

    @Test
    void theDefaultsAreTheClassesInitialisersUnderTheirKeys() {
        Map<String, Object> defaults = PropertyDefaults.defaults();

        assertThat(defaults)
                .containsEntry("gateway.queues.ingest", "whatsapp.gateway.ingest")
                .containsEntry("gateway.crm.concurrent-deliveries", "8")
                .containsEntry("gateway.dispatch.concurrent-consumers", "2")
                .containsEntry("gateway.media.concurrent-downloads", "4")
                .containsEntry("gateway.data-dir", "./data")
                .containsEntry("gateway.routes-dir", "./routes")
                .containsEntry("gateway.crm.connect-timeout-ms", "5000")
                .containsEntry("gateway.data.min-free-disk", "256MB")
                .containsEntry("gateway.media.total-timeout", "10m")
                .containsEntry("gateway.media.backoff", "500ms")
                .containsEntry("gateway.media.link-ttl", "7d")
                .containsEntry("gateway.media.s3.region", "us-east-1")
                .containsEntry("gateway.media.allowed-hosts", String.join(",", MediaProperties.DEFAULT_ALLOWED_HOSTS));
        // derived getters are no keys; unset keys have no value, so their placeholders still fail loudly
        assertThat(defaults).doesNotContainKeys("gateway.crm.enabled", "gateway.ops.viewer.enabled",
                "gateway.crm.url", "gateway.admin.password", "gateway.media.dir",
                "gateway.kazinfoteh.allowed-source-ips", "gateway.routing.types");
        assertThat(defaults.keySet()).allMatch(key -> key.matches("gateway(\\.[a-z0-9]+(-[a-z0-9]+)*)+"), "kebab-case");
    }

    @Test
    void theBinderReadsEveryDefaultBackAsTheSameValue() {
        StandardEnvironment environment = environmentWith(Map.of());

        GatewayProperties gateway = Binder.get(environment).bind("gateway", GatewayProperties.class).get();
        MediaProperties media = Binder.get(environment).bind("gateway.media", MediaProperties.class).get();

        Map<String, Object> roundTrip = new TreeMap<>(PropertyDefaults.valuesOf("gateway", gateway));
        roundTrip.putAll(PropertyDefaults.valuesOf("gateway.media", media));
        // each provider's own keys (provider/<name>/*Properties), and the trace's
        for (Class<?> type : List.of(KazinfotehProperties.class, GreenApiProperties.class, MetaProperties.class,
                TraceProperties.class)) {
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            roundTrip.putAll(PropertyDefaults.valuesOf(prefix, Binder.get(environment).bindOrCreate(prefix, type)));
        }
        assertThat(gateway.getData().getMinFreeDisk()).isEqualTo(new GatewayProperties().getData().getMinFreeDisk());
        assertThat(media.getAllowedHosts()).isEqualTo(MediaProperties.DEFAULT_ALLOWED_HOSTS);
        assertThat(media.getTotalTimeout()).isEqualTo(new MediaProperties().getTotalTimeout());
        Map<String, Object> defaults = new TreeMap<>(PropertyDefaults.defaults());
        // the binder reads "./data" as the path "data": the same folder (H2 sees the text, which needs the "./")
        for (String path : new String[] {"gateway.data-dir", "gateway.routes-dir"}) {
            assertThat(Path.of((String) roundTrip.remove(path)))
                    .isEqualTo(Path.of((String) defaults.remove(path)).normalize());
        }
        assertThat(roundTrip).isEqualTo(defaults);
    }

    @Test
    void environmentVariablesAndSettingsWinOverTheDefaults() {
        StandardEnvironment environment = environmentWith(Map.of(
                "GATEWAY_CRM_URL", "http://127.0.0.1:9/crm",
                "GATEWAY_CRM_CONCURRENT_DELIVERIES", "3",
                "GATEWAY_MEDIA_S3_ACCESS_KEY", "access-key-id",
                "GATEWAY_DATA_DIR", "/srv/gateway"));
        environment.getPropertySources().addFirst(new MapPropertySource("settings", Map.of(
                "gateway.queues.ingest", "custom.ingest",
                "spring.datasource.url", "jdbc:h2:file:${gateway.data-dir}/idempotency/ids")));

        // as the routes' {{...}} and the settings' ${...} read them
        assertThat(environment.getProperty("gateway.queues.ingest")).isEqualTo("custom.ingest");
        assertThat(environment.getProperty("gateway.crm.concurrent-deliveries")).isEqualTo("3");
        assertThat(environment.getProperty("gateway.crm.url")).isEqualTo("http://127.0.0.1:9/crm");
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:h2:file:/srv/gateway/idempotency/ids");
        assertThat(environment.getProperty("gateway.queues.crm-outbox")).isEqualTo("whatsapp.gateway.crm");
        // as the typed classes read them
        GatewayProperties gateway = Binder.get(environment).bind("gateway", GatewayProperties.class).get();
        assertThat(gateway.getCrm().getConcurrentDeliveries()).isEqualTo(3);
        assertThat(gateway.getQueues().getIngest()).isEqualTo("custom.ingest");
        assertThat(gateway.getQueues().getDlqRejected()).isEqualTo("whatsapp.dlq.rejected");
        MediaProperties media = Binder.get(environment).bind("gateway.media", MediaProperties.class).get();
        assertThat(media.getS3().getAccessKey()).isEqualTo("access-key-id");
    }

    @Test
    void propertyNamesAreKebabCase() {
        assertThat(PropertyDefaults.kebab("dataDir")).isEqualTo("data-dir");
        assertThat(PropertyDefaults.kebab("waitDurationInOpenStateMs")).isEqualTo("wait-duration-in-open-state-ms");
        assertThat(PropertyDefaults.kebab("greenapi")).isEqualTo("greenapi");
    }

    /** An Environment as Spring Boot prepares it: these environment variables, and the gateway's defaults last. */
    private static StandardEnvironment environmentWith(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        variables));
        new PropertyDefaults().postProcessEnvironment(environment, new SpringApplication());
        ConfigurationPropertySources.attach(environment);
        return environment;
    }
}
