package org.wagateway.console;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.wagateway.config.GatewayProperties;
import org.wagateway.deadletter.DeadLetterStages;
import org.wagateway.ops.QueueReadings;

/**
 * What the ops console's first panel shows: {@code GET /admin/stages}, every stage and dead-letter queue with its
 * depth and the age of its oldest message ({@link QueueReadings}, a reading at most a few seconds old), and the CRM
 * circuit breaker's state; {@code GET /admin/me}, the ops account that asks and whether it may act.
 */
@RestController
public class OpsOverview {

    private final QueueReadings readings;
    private final DeadLetterStages deadLetters;
    private final CircuitBreaker crmBreaker;
    private final Map<String, String> stages = new LinkedHashMap<>();

    public OpsOverview(QueueReadings readings, DeadLetterStages deadLetters, GatewayProperties properties,
                       @Qualifier("crmCircuitBreaker") CircuitBreaker crmBreaker) {
        this.readings = readings;
        this.deadLetters = deadLetters;
        this.crmBreaker = crmBreaker;
        GatewayProperties.Queues queues = properties.getQueues();
        stages.put("ingest", queues.getIngest());
        stages.put("media", queues.getMedia());
        stages.put("crm-outbox", queues.getCrmOutbox());
    }

    @GetMapping("/admin/stages")
    public Map<String, Object> stages() {
        List<Map<String, Object>> queues = new ArrayList<>();
        stages.forEach((name, queue) -> queues.add(queue(name, queue, "stage", null)));
        deadLetters.queues().forEach((name, queue) -> queues.add(queue(name, queue, "dead-letter",
                deadLetters.named(name).map(DeadLetterStages.Stage::to).orElse(null))));
        CircuitBreaker.Metrics metrics = crmBreaker.getMetrics();
        Map<String, Object> breaker = new LinkedHashMap<>();
        breaker.put("state", crmBreaker.getState().name().toLowerCase().replace('_', '-'));
        breaker.put("failureRate", metrics.getFailureRate());
        breaker.put("bufferedCalls", metrics.getNumberOfBufferedCalls());
        breaker.put("failedCalls", metrics.getNumberOfFailedCalls());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queues", queues);
        answer.put("crmCircuitBreaker", breaker);
        answer.put("at", Instant.now().toString());
        return answer;
    }

    @GetMapping("/admin/me")
    public Map<String, Object> me(Authentication user) {
        List<String> roles = user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(role -> role.startsWith("ROLE_") ? role.substring(5) : role).sorted().toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", user.getName());
        answer.put("roles", roles);
        answer.put("admin", roles.contains("ADMIN"));
        return answer;
    }

    private Map<String, Object> queue(String name, String queue, String kind, String replaysTo) {
        QueueReadings.Reading reading = readings.read(queue);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("queue", queue);
        row.put("kind", kind);
        if (replaysTo != null) {
            row.put("replaysTo", replaysTo);
        }
        row.put("depth", reading.depth());
        row.put("oldestAgeSeconds", Math.round(reading.oldestAgeSeconds() * 10) / 10.0);
        return row;
    }
}
