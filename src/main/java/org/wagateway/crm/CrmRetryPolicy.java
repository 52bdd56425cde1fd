package org.wagateway.crm;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * What to do after a failed POST to the CRM: try again later (and when), or give up. Pure: no Camel, no clock of
 * its own, so every rule is unit-tested.
 * <ul>
 *   <li>a 4xx answer other than 408 and 429 is final: the CRM refused this message;</li>
 *   <li>connection errors, timeouts, 5xx, 408 and 429 are retried, waiting {@code firstDelay × multiplier^n}
 *   (capped at {@code maximumDelay}, ± {@code jitter} so a backlog does not come back all at once), or as long
 *   as the CRM's {@code Retry-After} says (capped at {@code maximumRetryAfter});</li>
 *   <li>after {@code maximumRedeliveries} retries the message is dead-lettered;</li>
 *   <li>a call the open circuit breaker did not let through is not an attempt: it waits for the breaker.</li>
 * </ul>
 */
public record CrmRetryPolicy(int maximumRedeliveries, Duration firstDelay, double multiplier, Duration maximumDelay,
                             Duration maximumRetryAfter, Duration circuitOpenDelay, double jitter) {

    /** The decision for one failed attempt. */
    public record Decision(boolean retry, Duration delay, int failedAttempts, String reason) {
    }

    /**
     * @param failedBefore failed attempts this message had before this one (0 for a first attempt)
     * @param failure      why this attempt failed
     */
    public Decision decide(int failedBefore, Throwable failure, Instant now) {
        String reason = reason(failure);
        if (isCircuitOpen(failure)) {
            return new Decision(true, jittered(circuitOpenDelay), failedBefore, reason);
        }
        int failed = failedBefore + 1;
        if (!isRetryable(failure) || failed > maximumRedeliveries) {
            return new Decision(false, Duration.ZERO, failed, reason);
        }
        Optional<Duration> retryAfter = retryAfter(failure, now);
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get();
            return new Decision(true, asked.compareTo(maximumRetryAfter) > 0 ? maximumRetryAfter : asked, failed,
                    reason);
        }
        return new Decision(true, jittered(backoff(failed)), failed, reason);
    }

    /** The wait before retry number {@code retry} (1 = the first retry), without jitter. */
    Duration backoff(int retry) {
        double millis = firstDelay.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
        return millis >= maximumDelay.toMillis() ? maximumDelay : Duration.ofMillis((long) millis);
    }

    private Duration jittered(Duration delay) {
        if (jitter <= 0 || delay.isZero()) {
            return delay;
        }
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Duration.ofMillis(Math.max(1, Math.round(delay.toMillis() * factor)));
    }

    /** Whether a failure may go away by itself: everything except a CRM's 4xx other than 408 and 429. */
    public static boolean isRetryable(Throwable failure) {
        HttpOperationFailedException http = httpFailure(failure);
        if (http == null) {
            return true;
        }
        int status = http.getStatusCode();
        return status < 400 || status >= 500 || status == 408 || status == 429;
    }

    /** Whether a failure says the CRM is in trouble (and so counts against the circuit breaker). */
    public static boolean isCrmTrouble(Throwable failure) {
        return !isCircuitOpen(failure) && isRetryable(failure);
    }

    static boolean isCircuitOpen(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CallNotPermittedException) {
                return true;
            }
        }
        return false;
    }

    /** The CRM's {@code Retry-After} (delta-seconds or an HTTP date), if it sent one that makes sense. */
    static Optional<Duration> retryAfter(Throwable failure, Instant now) {
        HttpOperationFailedException http = httpFailure(failure);
        if (http == null || http.getResponseHeaders() == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> header : http.getResponseHeaders().entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey())) {
                return parseRetryAfter(header.getValue(), now);
            }
        }
        return Optional.empty();
    }

    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
            } catch (NumberFormatException e) {
                return Optional.empty();   // more digits than a long: not a wait anyone means
            }
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A short reason for logs, metrics and the message's properties: the HTTP status or the exception's name. */
    public static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        if (isCircuitOpen(failure)) {
            return "circuit-open";
        }
        HttpOperationFailedException http = httpFailure(failure);
        if (http != null) {
            return "http-" + http.getStatusCode();
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    private static HttpOperationFailedException httpFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
