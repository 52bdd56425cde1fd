package org.wagateway.webhook;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * platform-http's Spring Boot engine, set to run each webhook's route on the thread Tomcat gave the request.
 * <p>
 * Why: by default it hands every request to Spring's task executor and the answer back (two thread switches per
 * webhook, and a second pool to size by the broker's latency). The route blocks for its synchronous broker send
 * either way; on Tomcat's own threads ({@code server.tomcat.threads.max}) that is one pool to size, not two.
 * The answer is then written before Spring MVC sees the consumer's future, which it takes as it is
 * ({@link AnsweredWebhookFutures}), without dispatching the request a second time.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookEngineConfiguration {

    @Bean("platform-http-engine")
    PlatformHttpEngine platformHttpEngine(Environment environment) {
        return new SpringBootPlatformHttpEngine(environment.getProperty("server.port", Integer.class, 8080),
                Runnable::run);
    }

    /**
     * {@link AnsweredWebhookFutures} ahead of Spring's own handlers of a handler method's return value, handing a
     * future still running to Spring's own handler of futures from the same list.
     */
    @Bean
    static BeanPostProcessor answeredWebhookFutures() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    handlers.stream().filter(DeferredResultMethodReturnValueHandler.class::isInstance).findFirst()
                            .ifPresent(springs -> handlers.add(0, new AnsweredWebhookFutures(springs)));
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }
}
