package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.jms.JmsEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.wagateway.config.GatewayProperties;
import org.wagateway.config.PropertyDefaults;

/**
 * The shared test gateway, which sets only its test settings (GatewayTestSupport): application.yaml sets no
 * {@code gateway.*} key, and every other key, in the typed classes and in the placeholders of the routes and of
 * Spring's settings, has the default written in its class (the one docs/configuration.md lists,
 * ConfigurationTableTest).
 */
class ConfigurationDefaultsTest extends GatewayTestSupport {

    /** The keys GatewayTestSupport sets; every other key keeps its default. */
    private static final List<String> SET_BY_THE_TEST = List.of("gateway.kazinfoteh.api-key", "gateway.greenapi.token",
            "gateway.broker.tcp-port", "gateway.broker.name", "gateway.crm.redelivery-delay-ms",
            "gateway.crm.maximum-redeliveries", "gateway.crm.circuit-breaker.minimum-number-of-calls",
            "gateway.crm.circuit-breaker.sliding-window-size", "gateway.admin.password", "gateway.ops.viewer.password",
            "gateway.media.allowed-hosts", "gateway.media.allow-private-addresses", "gateway.media.read-timeout",
            "gateway.media.max-attempts", "gateway.media.backoff", "gateway.data-dir", "gateway.crm.url",
            "gateway.meta.app-secret", "gateway.meta.verify-token", "gateway.meta.access-token", "gateway.meta.graph-url",
            "gateway.idempotency.retention", "gateway.idempotency.purge-interval");

    @Autowired
    ConfigurableEnvironment environment;

    @Autowired
    CamelContext camel;

    @Autowired
    GatewayProperties gateway;

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Test
    void applicationYamlSetsNoGatewayKeyAndTheClassesDefaultsComeLast() {
        List<String> fromYaml = new ArrayList<>();
        int yamlFiles = 0;
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source.getName().contains("application.yaml") && source instanceof EnumerablePropertySource<?> yaml) {
                yamlFiles++;
                for (String name : yaml.getPropertyNames()) {
                    if (name.startsWith("gateway.")) {
                        fromYaml.add(name + " in " + source.getName());
                    }
                }
            }
        }
        assertThat(yamlFiles).as("application.yaml read").isPositive();
        assertThat(fromYaml).as("gateway.* defaults belong in the *Properties classes").isEmpty();

        // every source ops write to comes before the defaults; those added behind them (Hawtio's, actuator's) set
        // no gateway.* key
        List<PropertySource<?>> sources = environment.getPropertySources().stream().toList();
        int defaults = sources.indexOf(environment.getPropertySources().get(PropertyDefaults.SOURCE_NAME));
        assertThat(defaults).isGreaterThan(sources.indexOf(environment.getPropertySources().get("systemEnvironment")))
                .isGreaterThan(sources.indexOf(environment.getPropertySources().get("systemProperties")));
        assertThat(sources.subList(defaults + 1, sources.size())).as("sources behind the gateway's defaults")
                .allSatisfy(source -> assertThat(source instanceof EnumerablePropertySource<?> names
                        ? List.of(names.getPropertyNames()) : List.<String>of())
                        .noneMatch(name -> name.startsWith("gateway.")));
    }

    @Test
    void theTypedClassesHoldTheDefaultOfEveryKeyTheTestDoesNotSet() {
        // every typed class the gateway binds (GatewayProperties, MediaProperties, each provider's)
        Map<String, Object> bound = new TreeMap<>();
        context.getBeansWithAnnotation(ConfigurationProperties.class).values().stream()
                .filter(bean -> bean.getClass().getName().startsWith("org.wagateway."))
                .forEach(bean -> bound.putAll(PropertyDefaults.valuesOf(AopUtils.getTargetClass(bean)
                        .getAnnotation(ConfigurationProperties.class).value(), bean)));
        Map<String, Object> defaults = new TreeMap<>(PropertyDefaults.defaults());
        SET_BY_THE_TEST.forEach(key -> {
            bound.remove(key);
            defaults.remove(key);
        });
        defaults.remove("gateway.routes-dir"); // read back as the path "routes": the same folder
        bound.remove("gateway.routes-dir");

        assertThat(bound).isEqualTo(defaults);
        assertThat(gateway.getRoutesDir().normalize()).hasToString("routes");
    }

    @Test
    void theRoutesPlaceholdersResolveToTheClassesDefaults() {
        assertThat(consumer("dispatch").getDestinationName()).isEqualTo("whatsapp.gateway.ingest");
        assertThat(consumer("dispatch").getConcurrentConsumers()).isEqualTo(2);
        assertThat(consumer("deliver-crm").getDestinationName()).isEqualTo("whatsapp.gateway.crm");
        assertThat(consumer("deliver-crm").getConcurrentConsumers()).isEqualTo(8);
        assertThat(consumer("fetch-media").getDestinationName()).isEqualTo("whatsapp.gateway.media");
        assertThat(consumer("fetch-media").getConcurrentConsumers()).isEqualTo(4);
        assertThat(camel.getEndpoints()).extracting(endpoint -> endpoint.getEndpointUri().replaceFirst("\\?.*", ""))
                .contains("jms://queue:whatsapp.gateway.media", "jms://queue:whatsapp.gateway.crm",
                        "jms://queue:whatsapp.dlq.invalid");
    }

    @Test
    void springsSettingsPlaceholdersResolveToTheClassesDefaults() throws SQLException {
        HttpComponent http = camel.getComponent("http", HttpComponent.class);
        assertThat(http.getConnectTimeout()).isEqualTo(5000);
        assertThat(http.getResponseTimeout()).isEqualTo(15000);
        // the data folder is the test's own; the rest of the URL is application.yaml's
        assertThat(dataSource.unwrap(HikariDataSource.class).getJdbcUrl())
                .isEqualTo("jdbc:h2:file:" + environment.getProperty("gateway.data-dir")
                        + "/idempotency/ids;DB_CLOSE_ON_EXIT=FALSE;AUTO_COMPACT_FILL_RATE=50;CACHE_SIZE=4096");
        assertThat(environment.getProperty("camel.main.routes-include-pattern")).isEqualTo("file:./routes/*.yaml");
    }

    private JmsEndpoint consumer(String routeId) {
        return (JmsEndpoint) camel.getRoute(routeId).getEndpoint();
    }
}
