package org.wagateway.inprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.wagateway.GatewayApplication;

/**
 * A whole gateway in this JVM on a broker the test runs ({@code spring.activemq.broker-url}), on loopback, a free
 * port and a data folder of its own under {@code target/test-data}, with the test secrets of
 * {@link GatewayTestSupport}. Several may run at once: each has its Camel name, and no JMX names of its own.
 */
final class GatewayOnExternalBroker {

    private GatewayOnExternalBroker() {
    }

    /** Starts it; {@code more} adds to or overrides the settings. The caller closes the context. */
    static ConfigurableApplicationContext start(String name, String brokerUrl, Map<String, String> more)
            throws IOException {
        Path parent = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "test-data"));
        Path dataDir = Files.createTempDirectory(parent, name + "-");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.address", "127.0.0.1");
        properties.put("server.port", "0");
        properties.put("gateway.data-dir", dataDir.toString());
        properties.put("server.tomcat.basedir", dataDir.resolve("tomcat").toString());
        properties.put("spring.activemq.broker-url", brokerUrl);
        properties.put("camel.main.name", name);
        properties.put("camel.main.jmx-enabled", "false");
        // several gateways in one JVM: Spring exports each one's data source under a name of its own
        properties.put("spring.jmx.unique-names", "true");
        properties.put("gateway.kazinfoteh.api-key", GatewayTestSupport.KAZINFOTEH_KEY);
        properties.put("gateway.greenapi.token", GatewayTestSupport.GREENAPI_TOKEN);
        properties.put("gateway.media.link-secret", "external-broker-link-secret");
        properties.put("gateway.admin.password", GatewayTestSupport.ADMIN_PASSWORD);
        properties.putAll(more);
        // as arguments: Spring's default properties would come after the gateway's own defaults
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(GatewayApplication.class).run(arguments);
    }
}
