package org.wagateway.media;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The media step's replaceable parts; the beans themselves are components of this package. */
@Configuration(proxyBeanMethods = false)
public class MediaConfiguration {

    /** The JVM's DNS, unless another {@link HostResolver} bean is defined. */
    @Bean
    @ConditionalOnMissingBean(HostResolver.class)
    HostResolver mediaHostResolver() {
        return HostResolver.system();
    }
}
