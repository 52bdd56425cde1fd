package org.wagateway.security;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.wagateway.config.GatewayProperties;
import org.wagateway.webhook.WebhookPath;

/**
 * Who may call what. Webhooks authenticate themselves with the providers' secrets (see
 * {@link WebhookAuthenticator}); media links carry their own signature; health and info stay open for load
 * balancers. Everything else (Hawtio, Jolokia, the other actuator endpoints, {@code /admin/**}) needs an ops
 * account, on the login form or over HTTP Basic: the admin ({@code gateway.admin.*}, roles ADMIN and VIEWER)
 * or, when its password is set, the read-only viewer ({@code gateway.ops.viewer.*}, role VIEWER). What each
 * may do through Jolokia is {@link JolokiaAccessPolicy}'s.
 */
@Configuration(proxyBeanMethods = false)
public class OpsSecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OpsSecurityConfiguration.class);
    private static final String ADMIN = "ADMIN";
    private static final String VIEWER = "VIEWER";

    /**
     * No Micrometer observation around Spring Security's filters, nor the wrapper it puts around every filter of
     * every request to make one (a per-filter cost on the hottest path, for observations nobody reads).
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

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
                        // webhooks never reach this chain (webhookSecurity takes every spelling of their path)
                        .requestMatchers("/media/**", "/error").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        // reading the dead-letter queues is the viewer's; replaying them (any other method) the admin's
                        .requestMatchers(HttpMethod.GET, "/admin/**").hasAnyRole(VIEWER, ADMIN)
                        .requestMatchers("/admin/**").hasRole(ADMIN)
                        // Hawtio, Jolokia (each command is checked by JolokiaAccessPolicy), metrics
                        .anyRequest().hasAnyRole(VIEWER, ADMIN))
                // a person logs in on a form (a session); scripts and Prometheus send HTTP Basic on every request
                .formLogin(Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                // a page a person navigates to goes to the login form, anything else gets 401 and a Basic challenge
                // (set as defaults, not as the entry point, which would turn the generated login page off)
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                OpsEntryPoints.pageNavigation())
                        .defaultAuthenticationEntryPointFor(OpsEntryPoints.basicChallenge(), AnyRequestMatcher.INSTANCE)
                        .accessDeniedHandler(new JsonAccessDenied(OpsEntryPoints.basicChallenge())))
                // Hawtio sends the XSRF-TOKEN cookie back as X-XSRF-TOKEN on its Jolokia POSTs; requests that
                // carry their own credentials and no browser's cross-site mark need no token (see OpsCsrf)
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new OpsCsrf.TokenRequestHandler())
                        .ignoringRequestMatchers(OpsCsrf::carriesItsOwnCredentials))
                .addFilterAfter(new OpsCsrf.CookieFilter(), BasicAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED));
        return http.build();
    }

    @Bean
    UserDetailsService opsAccounts(GatewayProperties properties) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
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
        List<UserDetails> accounts = new ArrayList<>();
        accounts.add(User.withUsername(admin.getUsername()).password(encoder.encode(password))
                .roles(ADMIN, VIEWER).build());
        GatewayProperties.Viewer viewer = properties.getOps().getViewer();
        if (viewer.isEnabled()) {
            if (viewer.getUsername().equals(admin.getUsername())) {
                throw new IllegalStateException("gateway.ops.viewer.username must differ from gateway.admin.username");
            }
            accounts.add(User.withUsername(viewer.getUsername()).password(encoder.encode(viewer.getPassword()))
                    .roles(VIEWER).build());
        }
        return new InMemoryUserDetailsManager(accounts);
    }

    @Bean
    JolokiaAccessPolicy jolokiaAccessPolicy() {
        return new JolokiaAccessPolicy();
    }

    @Bean
    HawtioJmxSecurity hawtioJmxSecurity(JolokiaAccessPolicy policy) {
        return new HawtioJmxSecurity(policy);
    }
}
