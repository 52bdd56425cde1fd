package org.wagateway.security;

import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.wagateway.config.GatewayProperties;
import org.wagateway.webhook.WebhookPath;

/**
 * Who may call what. Webhooks authenticate themselves with the providers' secrets (see
 * {@link WebhookAuthenticator}); media links carry their own signature; health and info stay open for load
 * balancers. Everything else (Hawtio, Jolokia, the other actuator endpoints) needs the ops account over HTTP
 * Basic: {@code gateway.admin.username} / {@code gateway.admin.password}.
 */
@Configuration(proxyBeanMethods = false)
public class OpsSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OpsSecurityConfiguration.class);

    /**
     * The webhooks' own chain: they carry the provider's secret, checked by the webhook filter, so Spring
     * Security has nothing to add here but cost on the hottest path: no session, no security context, no CSRF,
     * no request cache, no Basic parsing of a Green API {@code Authorization: Bearer}. It takes every spelling
     * of a webhook path ({@link WebhookPath}), so that the front door, not the ops chain's login, answers them.
     */
    @Bean
    @Order(1)
    SecurityFilterChain webhookSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(WebhookPath::matches)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .securityContext(AbstractHttpConfigurer::disable)
                .sessionManagement(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain gatewaySecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/webhooks/**", "/media/**", "/error").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                // Webhooks, Jolokia and the admin API are called with explicit credentials, not browser forms.
                .csrf(csrf -> csrf.ignoringRequestMatchers("/webhooks/**", "/actuator/jolokia/**", "/admin/**"))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED));
        return http.build();
    }

    @Bean
    UserDetailsService opsAccount(GatewayProperties properties) {
        GatewayProperties.Admin admin = properties.getAdmin();
        String password = admin.getPassword();
        if (password == null || password.isBlank()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            // Printed once, on purpose: there is no other way to learn it. Set gateway.admin.password instead.
            LOG.warn("gateway.admin.password is not set; generated password for ops user '{}': {}",
                    admin.getUsername(), password);
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(admin.getUsername())
                .password(encoder.encode(password)).roles("OPS").build());
    }
}
