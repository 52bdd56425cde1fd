package org.wagateway.trace;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * "Where is my message": {@code GET /admin/messages} (ops viewer and admin) answers the journeys of the messages
 * matching the query ({@link TraceQuery}), newest first:
 * <pre>
 * {"messages":[{"id","provider","providerMessageId","type","kind","chat","sender","firstSeen","lastSeen",
 *               "events":[{"stage","outcome","queue","detail","at"}]}], "count": n}
 * </pre>
 * {@code chat} and {@code sender} masked, times ISO-8601 instants, events in time order. A query that matches
 * nothing is answered 200 with no messages, also for {@code id=} alone: the trace keeps a few days and is
 * best-effort, so "not in the trace" does not mean "no such message" (a 404 would say the latter). A bad query is
 * answered 400 {@code {"status":"rejected","error":"<code>","message":"..."}}.
 */
@RestController
public class MessageSearch {

    private final TraceRecorder recorder;
    private final Clock clock = Clock.systemUTC();

    public MessageSearch(TraceRecorder recorder) {
        this.recorder = recorder;
    }

    @GetMapping("/admin/messages")
    public ResponseEntity<Map<String, Object>> search(@RequestParam MultiValueMap<String, String> parameters) {
        if (!recorder.isEnabled()) {
            return rejected(HttpStatus.NOT_FOUND, "trace_disabled", "The message trace is off (gateway.trace.enabled)");
        }
        Map<String, String> single = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getValue().size() != 1) {
                return rejected(HttpStatus.BAD_REQUEST, "repeated_parameter",
                        "Give " + parameter.getKey() + " once");
            }
            single.put(parameter.getKey(), parameter.getValue().get(0));
        }
        TraceQuery query;
        try {
            query = TraceQuery.parse(single, clock.instant());
        } catch (TraceQuery.Rejected e) {
            return rejected(HttpStatus.BAD_REQUEST, e.error(), e.getMessage());
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        recorder.find(query).forEach((id, rows) -> messages.add(message(id, rows)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("messages", messages);
        answer.put("count", messages.size());
        return ResponseEntity.ok(answer);
    }

    /** One message: its fields from the first event that has each, and every event in time order. */
    static Map<String, Object> message(String id, List<TraceStore.Row> rows) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("provider", first(rows, TraceStore.Row::provider));
        message.put("providerMessageId", first(rows, TraceStore.Row::providerMessageId));
        message.put("type", first(rows, TraceStore.Row::type));
        message.put("kind", first(rows, TraceStore.Row::kind));
        message.put("chat", first(rows, TraceStore.Row::chatMasked));
        message.put("sender", first(rows, TraceStore.Row::senderMasked));
        message.put("firstSeen", TraceStore.instant(rows.get(0).atMicros()).toString());
        message.put("lastSeen", TraceStore.instant(rows.get(rows.size() - 1).atMicros()).toString());
        List<Map<String, Object>> events = new ArrayList<>(rows.size());
        for (TraceStore.Row row : rows) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("stage", row.stage());
            event.put("outcome", row.outcome());
            event.put("queue", row.queue());
            event.put("detail", row.detail());
            event.put("at", TraceStore.instant(row.atMicros()).toString());
            events.add(event);
        }
        message.put("events", events);
        return message;
    }

    private static String first(List<TraceStore.Row> rows, Function<TraceStore.Row, String> field) {
        return rows.stream().map(field).filter(value -> value != null).findFirst().orElse(null);
    }

    private static ResponseEntity<Map<String, Object>> rejected(HttpStatus status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "rejected");
        body.put("error", error);
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }
}
