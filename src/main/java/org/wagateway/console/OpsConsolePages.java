package org.wagateway.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The ops console at {@code /ops/}: static files under {@code static/ops/} (a page, a script, a style sheet; nothing
 * fetched from elsewhere), {@code /ops} redirected to it. Behind the ops login like every path that is not a
 * webhook, health or media link; the page reads {@link OpsOverview} and the dead-letter API.
 */
@Configuration(proxyBeanMethods = false)
public class OpsConsolePages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/ops", "/ops/");
        registry.addViewController("/ops/").setViewName("forward:/ops/index.html");
    }
}
