package org.wagateway.media;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The media step's replaceable parts; the beans themselves are components of this package. The {@link MediaStore}
 * is picked by {@code gateway.media.store}: {@link LocalMediaStore} for {@code local} (or unset), a component of
 * its own, and {@link S3MediaStore} for {@code s3}, made here from {@code gateway.media.s3.*}.
 */
@Configuration(proxyBeanMethods = false)
public class MediaConfiguration {

    /** The JVM's DNS, unless another {@link HostResolver} bean is defined. */
    @Bean
    @ConditionalOnMissingBean(HostResolver.class)
    HostResolver mediaHostResolver() {
        return HostResolver.system();
    }

    /**
     * The S3-compatible store; the start fails with the missing settings named when the endpoint, bucket or keys
     * are not set, or when {@code create-bucket} is on and the bucket cannot be created.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "gateway.media.store", havingValue = "s3")
    S3MediaStore s3MediaStore(MediaProperties properties) {
        return S3MediaStore.create(properties.getS3());
    }
}
