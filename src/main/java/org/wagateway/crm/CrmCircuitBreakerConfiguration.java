package org.wagateway.crm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wagateway.config.GatewayProperties;
import org.wagateway.flow.ExchangeContract.RouteId;

/**
 * The CRM's circuit breaker ({@code crmCircuitBreaker}, used by the {@code deliver-crm} route's circuitBreaker
 * step). Only signs of a CRM in trouble count against it (connection errors, timeouts, 5xx, 408, 429), never a
 * 4xx refusal of one message. While it is open the {@code deliver-crm} route is suspended: the outbox simply
 * fills up in the broker (its depth shows in Hawtio) instead of every message being taken and put back. After
 * {@code wait-duration-in-open-state-ms} the breaker half-opens by itself, the route resumes, and a few trial
 * calls decide whether it closes or opens again.
 */
@Configuration(proxyBeanMethods = false)
public class CrmCircuitBreakerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CrmCircuitBreakerConfiguration.class);

    @Bean("crmCircuitBreaker")
    CircuitBreaker crmCircuitBreaker(GatewayProperties properties, CamelContext camelContext, MeterRegistry registry) {
        GatewayProperties.Crm.CircuitBreakerSettings settings = properties.getCrm().getCircuitBreaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.getFailureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.getSlidingWindowSize())
                .minimumNumberOfCalls(settings.getMinimumNumberOfCalls())
                .permittedNumberOfCallsInHalfOpenState(settings.getPermittedCallsInHalfOpenState())
                .waitDurationInOpenState(Duration.ofMillis(settings.getWaitDurationInOpenStateMs()))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(CrmRetryPolicy::isCrmTrouble)
                .writableStackTraceEnabled(false)
                .build();
        CircuitBreaker breaker = CircuitBreaker.of("crm", config);
        if (settings.isSuspendRoute()) {
            ExecutorService control = camelContext.getExecutorServiceManager()
                    .newSingleThreadExecutor(this, "crm-circuit-breaker");
            breaker.getEventPublisher().onStateTransition(event -> {
                CircuitBreaker.State to = event.getStateTransition().getToState();
                // not on the thread that tripped it: that thread is an exchange of the route being suspended
                control.execute(() -> follow(camelContext, to));
            });
        }
        Gauge.builder("gateway.crm.circuit.state", breaker, b -> switch (b.getState()) {
                    case CLOSED -> 0;
                    case OPEN, FORCED_OPEN -> 1;
                    case HALF_OPEN -> 2;
                    default -> 3;
                }).description("CRM circuit breaker: 0 closed, 1 open, 2 half-open, 3 disabled")
                .register(registry);
        return breaker;
    }

    private static void follow(CamelContext camelContext, CircuitBreaker.State state) {
        try {
            ServiceStatus status = camelContext.getRouteController().getRouteStatus(RouteId.DELIVER_CRM);
            if (status == null) {
                return;
            }
            if ((state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN)
                    && status.isStarted()) {
                LOG.warn("CRM circuit breaker open: CRM delivery paused, messages wait on the outbox queue");
                camelContext.getRouteController().suspendRoute(RouteId.DELIVER_CRM);
            } else if ((state == CircuitBreaker.State.HALF_OPEN || state == CircuitBreaker.State.CLOSED)
                    && status.isSuspended()) {
                LOG.info("CRM circuit breaker {}: CRM delivery resumes", state == CircuitBreaker.State.CLOSED
                        ? "closed" : "half-open, trying the CRM again");
                camelContext.getRouteController().resumeRoute(RouteId.DELIVER_CRM);
            }
        } catch (Exception e) {
            LOG.warn("Could not follow the CRM circuit breaker to {}: {}", state, e.toString());
        }
    }
}
