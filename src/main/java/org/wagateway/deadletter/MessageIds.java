package org.wagateway.deadletter;

import java.util.List;

/**
 * The body of a replay or discard of chosen dead letters: {@code {"ids":["<JMS message id>", ...]}}. No body, or
 * no ids, means the call is about the whole queue.
 */
public record MessageIds(List<String> ids) {

    /** At most this many ids in one call. */
    static final int MAX = 1_000;

    static List<String> of(MessageIds body) {
        return body == null || body.ids() == null ? List.of() : body.ids().stream().distinct().toList();
    }

    /** Why these ids cannot be used, or null when they can. */
    static String problem(List<String> ids) {
        if (ids.size() > MAX) {
            return "At most " + MAX + " ids in one call";
        }
        for (String id : ids) {
            if (!DeadLetterMover.isMessageId(id)) {
                return "Not a JMS message id: each id is what GET .../messages answers as messageId";
            }
        }
        return null;
    }
}
