package org.wagateway.webhook;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * platform-http's Spring Boot engine, set to run each webhook's route on the thread Tomcat gave the request.
 * <p>
 * Why: by default it hands every request to Spring's task executor and the answer back (two thread switches per
 * webhook, and a second pool to size by the broker's latency). The route blocks for its synchronous broker send
 * either way; on Tomcat's own threads ({@code server.tomcat.threads.max}) that is one pool to size, not two.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookEngineConfiguration {

    @Bean("platform-http-engine")
    PlatformHttpEngine platformHttpEngine(Environment environment) {
        return new SpringBootPlatformHttpEngine(environment.getProperty("server.port", Integer.class, 8080),
                Runnable::run);
    }
}
