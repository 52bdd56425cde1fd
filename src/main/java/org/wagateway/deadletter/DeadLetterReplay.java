package org.wagateway.deadletter;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ops' replay of dead letters (ops account): {@code GET /admin/dead-letters} lists the dead-letter queues and
 * what each is replayed to ({@link DeadLetterStages}); {@code POST /admin/dead-letters/{name}/replay?max=N} moves
 * up to N messages back to processing ({@link DeadLetterMover}), no more than were waiting when the call started.
 * One call moves each message at most once: a message that fails again and is dead-lettered while the call still
 * runs stays there (it carries the call's {@code replayId}). The answer says how many moved ({@code replayed}),
 * how many wait now ({@code left}) and the call's {@code replayId}. With a body {@code {"ids":[...]}} it moves
 * just those messages (JMS message ids, as {@link DeadLetterMessages} lists them), each at most once; 404 when
 * none of them is there. Every replay is logged with the ops account's name.
 */
@RestController
@RequestMapping("/admin/dead-letters")
public class DeadLetterReplay {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final int MAX_PER_CALL = 10_000;

    private final DeadLetterStages stages;
    private final DeadLetterMover mover;
    private final DeadLetterBrowser browser;

    public DeadLetterReplay(DeadLetterStages stages, DeadLetterMover mover, DeadLetterBrowser browser) {
        this.stages = stages;
        this.mover = mover;
        this.browser = browser;
    }

    @GetMapping
    public Map<String, Object> list() {
        Map<String, Object> answer = new LinkedHashMap<>();
        stages.all().forEach((name, stage) -> answer.put(name, Map.of("queue", stage.from(),
                "replaysTo", stage.to(), "waiting", mover.waiting(stage.from()))));
        return answer;
    }

    @PostMapping("/{name}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable("name") String name,
                                                      @RequestParam(name = "max", defaultValue = "100") int max,
                                                      @RequestBody(required = false) MessageIds body,
                                                      Principal user) {
        DeadLetterStages.Stage stage = stages.named(name).orElse(null);
        if (stage == null) {
            return AdminRejections.rejected(HttpStatus.NOT_FOUND, "unknown_dead_letter_queue",
                    "One of " + stages.all().keySet());
        }
        List<String> ids = MessageIds.of(body);
        String problem = MessageIds.problem(ids);
        if (problem != null) {
            return AdminRejections.rejected(HttpStatus.BAD_REQUEST, "bad_message_id", problem);
        }
        // Messages that arrive while the call runs queue behind the ones waiting at its start: taking no more
        // than were waiting keeps a call from chasing a stream of new dead letters.
        long waitingAtStart = ids.isEmpty() ? mover.waiting(stage.from()) : browser.present(stage.from(), ids).size();
        if (!ids.isEmpty() && waitingAtStart == 0) {
            return AdminRejections.rejected(HttpStatus.NOT_FOUND, "unknown_message",
                    "None of these messages is on " + stage.from());
        }
        // chosen messages are bounded by their list; max bounds a replay of the queue's oldest
        long cap = ids.isEmpty() ? Math.min(max, MAX_PER_CALL) : MAX_PER_CALL;
        int limit = (int) Math.max(0, Math.min(cap, waitingAtStart));
        String replayId = UUID.randomUUID().toString();
        int moved = limit == 0 ? 0 : mover.move(stage, replayId, limit, ids);
        long left = mover.waiting(stage.from());
        LOG.info("{} replayed {} message(s) from {} to {} ({}; replay {}), {} left", user.getName(), moved,
                stage.from(), stage.to(), ids.isEmpty() ? "oldest first" : ids.size() + " chosen", replayId, left);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "replayed");
        answer.put("queue", stage.from());
        answer.put("replaysTo", stage.to());
        answer.put("replayed", moved);
        answer.put("left", left);
        answer.put("replayId", replayId);
        return ResponseEntity.ok(answer);
    }
}
