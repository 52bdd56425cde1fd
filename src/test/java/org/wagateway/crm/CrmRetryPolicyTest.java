package org.wagateway.crm;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class CrmRetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private final CrmRetryPolicy policy = new CrmRetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10),
            Duration.ofMinutes(30), Duration.ofSeconds(30), 0);

    private static HttpOperationFailedException http(int status, Map<String, String> headers) {
        return new HttpOperationFailedException("http://127.0.0.1/crm", status, "status " + status, null, headers,
                "{}");
    }

    @Test
    void aServerErrorIsRetriedWithAWaitThatDoublesUpToTheMaximum() {
        assertThat(policy.decide(0, http(503, Map.of()), NOW).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.decide(1, http(500, Map.of()), NOW).delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.decide(2, http(502, Map.of()), NOW).delay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.decide(4, http(500, Map.of()), NOW).delay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void connectionErrorsTimeouts408And429AreRetried() {
        assertThat(policy.decide(0, new ConnectException("refused"), NOW).retry()).isTrue();
        assertThat(policy.decide(0, new SocketTimeoutException("read"), NOW).retry()).isTrue();
        assertThat(policy.decide(0, http(408, Map.of()), NOW).retry()).isTrue();
        assertThat(policy.decide(0, http(429, Map.of()), NOW).retry()).isTrue();
    }

    @Test
    void aClientErrorIsNotRetried() {
        CrmRetryPolicy.Decision decision = policy.decide(0, http(422, Map.of()), NOW);
        assertThat(decision.retry()).isFalse();
        assertThat(decision.failedAttempts()).isEqualTo(1);
        assertThat(decision.reason()).isEqualTo("http-422");
    }

    @Test
    void afterTheMaximumRedeliveriesTheMessageIsGivenUp() {
        assertThat(policy.decide(4, http(500, Map.of()), NOW).retry()).as("5th failure: 4th retry").isTrue();
        CrmRetryPolicy.Decision last = policy.decide(5, http(500, Map.of()), NOW);
        assertThat(last.retry()).isFalse();
        assertThat(last.failedAttempts()).isEqualTo(6);
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        assertThat(policy.decide(0, http(503, Map.of("Retry-After", "120")), NOW).delay())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(policy.decide(0, http(429, Map.of("retry-after", " 7 ")), NOW).delay())
                .isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        assertThat(policy.decide(0, http(503, Map.of("Retry-After", "Sat, 21 Nov 2026 10:05:00 GMT")), NOW).delay())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.decide(0, http(503, Map.of("Retry-After", "Sat, 21 Nov 2026 09:00:00 GMT")), NOW).delay())
                .as("a date in the past: at once").isEqualTo(Duration.ZERO);
    }

    @Test
    void aRetryAfterLongerThanTheCapIsCapped() {
        assertThat(policy.decide(0, http(503, Map.of("Retry-After", "86400")), NOW).delay())
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheBackOff() {
        assertThat(policy.decide(1, http(503, Map.of("Retry-After", "soon")), NOW).delay())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.decide(1, http(503, Map.of("Retry-After", "99999999999999999999999")), NOW).delay())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aCallTheOpenBreakerRefusedWaitsForTheBreakerAndIsNoAttempt() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("test");
        breaker.transitionToOpenState();
        CrmRetryPolicy.Decision decision = policy.decide(3, CallNotPermittedException
                .createCallNotPermittedException(breaker), NOW);
        assertThat(decision.retry()).isTrue();
        assertThat(decision.failedAttempts()).isEqualTo(3);
        assertThat(decision.delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(decision.reason()).isEqualTo("circuit-open");
    }

    @Test
    void aWrappedHttpFailureIsRecognised() {
        Exception wrapped = new RuntimeException("circuit breaker", http(400, Map.of()));
        assertThat(CrmRetryPolicy.isRetryable(wrapped)).isFalse();
        assertThat(CrmRetryPolicy.reason(wrapped)).isEqualTo("http-400");
    }

    @Test
    void onlySignsOfACrmInTroubleCountAgainstTheBreaker() {
        assertThat(CrmRetryPolicy.isCrmTrouble(http(503, Map.of()))).isTrue();
        assertThat(CrmRetryPolicy.isCrmTrouble(new ConnectException("refused"))).isTrue();
        assertThat(CrmRetryPolicy.isCrmTrouble(http(404, Map.of()))).isFalse();
    }

    @Test
    void jitterSpreadsTheWaitAroundTheBackOff() {
        CrmRetryPolicy jittered = new CrmRetryPolicy(5, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10),
                Duration.ofMinutes(30), Duration.ofSeconds(30), 0.2);
        for (int i = 0; i < 200; i++) {
            assertThat(jittered.decide(0, http(500, Map.of()), NOW).delay().toMillis()).isBetween(8_000L, 12_000L);
        }
    }
}
