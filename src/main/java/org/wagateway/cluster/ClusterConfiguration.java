package org.wagateway.cluster;

import jakarta.jms.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.wagateway.broker.ExternalBrokerConfiguration;
import org.wagateway.config.GatewayProperties;

/**
 * Instances share a broker only when it is an external one: on its embedded broker each gateway is alone, and no
 * heartbeat is sent.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ExternalBrokerConfiguration.ExternalBroker.class)
public class ClusterConfiguration {

    @Bean("clusterHealthIndicator")
    ClusterPeers clusterPeers(ConnectionFactory connectionFactory, GatewayProperties properties,
                              Environment environment) {
        return new ClusterPeers(connectionFactory, properties, SharedSettings.digests(environment),
                SharedSettings.ownIdStore(environment));
    }
}
