package org.wagateway.deadletter;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The messages of a dead-letter queue, for the ops console and scripts: {@code GET .../{name}/messages?page=&size=}
 * (oldest first), {@code GET .../{name}/messages/{messageId}} (with its canonical JSON), and
 * {@code POST .../{name}/discard}, which deletes for good either the messages of a body {@code {"ids":[...]}} or,
 * only with {@code confirm=<the queue's name>} (e.g. {@code confirm=whatsapp.dlq.crm}), every message that waited
 * when the call started. {@code name} is one of {@link DeadLetterStages#queues()}. Every discard is logged with the
 * ops account's name.
 */
@RestController
@RequestMapping("/admin/dead-letters")
public class DeadLetterMessages {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMessages.class);
    static final int MAX_PAGE_SIZE = 100;
    private static final int MAX_PER_CALL = 10_000;

    private final DeadLetterStages stages;
    private final DeadLetterBrowser browser;
    private final DeadLetterMover mover;

    public DeadLetterMessages(DeadLetterStages stages, DeadLetterBrowser browser, DeadLetterMover mover) {
        this.stages = stages;
        this.browser = browser;
        this.mover = mover;
    }

    @GetMapping("/{name}/messages")
    public ResponseEntity<Map<String, Object>> messages(@PathVariable("name") String name,
                                                        @RequestParam(name = "page", defaultValue = "0") int page,
                                                        @RequestParam(name = "size", defaultValue = "20") int size) {
        String queue = stages.queueNamed(name).orElse(null);
        if (queue == null) {
            return unknownQueue();
        }
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            return AdminRejections.rejected(HttpStatus.BAD_REQUEST, "bad_parameter",
                    "page must be 0 or more, size from 1 to " + MAX_PAGE_SIZE);
        }
        long total = mover.waiting(queue);
        List<Map<String, Object>> messages = browser.page(queue, (int) Math.min(Integer.MAX_VALUE, (long) page * size),
                size);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("queue", queue);
        answer.put("replayable", stages.named(name).isPresent());
        answer.put("page", page);
        answer.put("size", size);
        answer.put("total", total);
        answer.put("messages", messages);
        return ResponseEntity.ok(answer);
    }

    @GetMapping("/{name}/messages/{messageId}")
    public ResponseEntity<Map<String, Object>> message(@PathVariable("name") String name,
                                                       @PathVariable("messageId") String messageId) {
        String queue = stages.queueNamed(name).orElse(null);
        if (queue == null) {
            return unknownQueue();
        }
        if (!DeadLetterMover.isMessageId(messageId)) {
            return AdminRejections.rejected(HttpStatus.BAD_REQUEST, "bad_message_id",
                    "Not a JMS message id: use the messageId GET .../messages answers");
        }
        return browser.one(queue, messageId).map(ResponseEntity::ok)
                .orElseGet(() -> AdminRejections.rejected(HttpStatus.NOT_FOUND, "unknown_message",
                        "No message " + messageId + " on " + queue));
    }

    @PostMapping("/{name}/discard")
    public ResponseEntity<Map<String, Object>> discard(@PathVariable("name") String name,
                                                       @RequestParam(name = "confirm", required = false) String confirm,
                                                       @RequestBody(required = false) MessageIds body,
                                                       Principal user) {
        String queue = stages.queueNamed(name).orElse(null);
        if (queue == null) {
            return unknownQueue();
        }
        List<String> ids = MessageIds.of(body);
        String problem = MessageIds.problem(ids);
        if (problem != null) {
            return AdminRejections.rejected(HttpStatus.BAD_REQUEST, "bad_message_id", problem);
        }
        int limit;
        if (ids.isEmpty()) {
            // deleting a whole queue is never one click away: the caller names the queue it means
            if (confirm == null || confirm.isBlank()) {
                return AdminRejections.rejected(HttpStatus.BAD_REQUEST, "confirmation_required",
                        "Discarding every message needs confirm=" + queue + " (or a body {\"ids\":[...]})");
            }
            if (!confirm.equals(queue)) {
                return AdminRejections.rejected(HttpStatus.BAD_REQUEST, "confirmation_mismatch",
                        "confirm must be the queue's name, " + queue);
            }
            limit = (int) Math.min(mover.waiting(queue), MAX_PER_CALL);
        } else {
            limit = browser.present(queue, ids).size();
            if (limit == 0) {
                return AdminRejections.rejected(HttpStatus.NOT_FOUND, "unknown_message",
                        "None of these messages is on " + queue);
            }
        }
        int discarded = limit == 0 ? 0 : mover.discard(queue, limit, ids);
        long left = mover.waiting(queue);
        LOG.info("{} discarded {} message(s) from {} ({}), {} left", user.getName(), discarded, queue,
                ids.isEmpty() ? "all" : ids.size() + " chosen", left);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "discarded");
        answer.put("queue", queue);
        answer.put("discarded", discarded);
        answer.put("left", left);
        return ResponseEntity.ok(answer);
    }

    private ResponseEntity<Map<String, Object>> unknownQueue() {
        return AdminRejections.rejected(HttpStatus.NOT_FOUND, "unknown_dead_letter_queue",
                "One of " + stages.queues().keySet());
    }
}
