package org.wagateway.deadletter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;
import org.wagateway.media.MediaRetry;

/**
 * Which dead-letter queue is replayed to which stage: {@code crm} → the CRM outbox, {@code media} → the media
 * queue (download outcome cleared, so it is fetched again), {@code dispatch} and {@code invalid} → the ingest
 * queue. Rejected webhooks are kept for reading, not replayed: they were never accepted.
 */
@Component
public class DeadLetterStages {

    /**
     * One replay: from a dead-letter queue to a stage's queue, the body prepared by {@code body};
     * {@code freshMedia} when the stage fetches the attachment again (its last outcome is not carried over).
     */
    public record Stage(String from, String to, UnaryOperator<String> body, boolean freshMedia) {
    }

    private final Map<String, Stage> stages;
    private final Map<String, String> queues;

    public DeadLetterStages(GatewayProperties properties) {
        GatewayProperties.Queues queues = properties.getQueues();
        Map<String, Stage> byName = new LinkedHashMap<>();
        byName.put("crm", new Stage(queues.getDlqCrm(), queues.getCrmOutbox(), UnaryOperator.identity(), false));
        byName.put("media", new Stage(queues.getDlqMedia(), queues.getMedia(), MediaRetry::forRetry, true));
        byName.put("dispatch", new Stage(queues.getDlqDispatch(), queues.getIngest(), UnaryOperator.identity(),
                false));
        byName.put("invalid", new Stage(queues.getDlqInvalid(), queues.getIngest(), UnaryOperator.identity(),
                false));
        this.stages = Collections.unmodifiableMap(byName);
        Map<String, String> queueByName = new LinkedHashMap<>();
        byName.forEach((name, stage) -> queueByName.put(name, stage.from()));
        queueByName.put("rejected", queues.getDlqRejected());
        this.queues = Collections.unmodifiableMap(queueByName);
    }

    /** Every replayable dead-letter queue by its name in {@code /admin/dead-letters/{name}}, in a fixed order. */
    public Map<String, Stage> all() {
        return stages;
    }

    public Optional<Stage> named(String name) {
        return Optional.ofNullable(stages.get(name));
    }

    /**
     * Every dead-letter queue by its name in {@code /admin/dead-letters/{name}/messages}: the replayable ones and
     * {@code rejected}, whose messages can be read and discarded but not replayed.
     */
    public Map<String, String> queues() {
        return queues;
    }

    public Optional<String> queueNamed(String name) {
        return Optional.ofNullable(queues.get(name));
    }
}
