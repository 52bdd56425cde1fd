package org.wagateway.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The load: every fixture of Kazinfoteh and Green API (as listed in {@code fixtures/expected-routing.csv}, with the
 * queue each is routed to), taken in turn until there are {@code count} webhooks, each made unique: its provider ids
 * ({@code id}/{@code msgId} for Kazinfoteh, {@code idMessage} for Green API) are replaced, and a payload without
 * an id (whose canonical id is its SHA-256) gets its own {@code timestamp}.
 *
 * <p>With {@code metaEvery} above 0, every {@code metaEvery}th webhook is Meta's instead, built from the Meta
 * fixtures ({@code fixtures/expected-routing-meta.csv}) as Meta sends them: a message alone, a status alone, or a
 * batch of 2 or 3 messages in one {@code value.messages[]}, some with a status in a change of its own. Each
 * message and status gets its own wamid, so the test knows every canonical id of the batch before it is sent.
 */
final class Webhooks {

    static final String META = "meta";

    /**
     * One message or status a webhook carries: its fixture, the queue it is routed to, and its canonical id when
     * the test knows it beforehand (Meta's {@code meta:<wamid>}, a status {@code meta:<wamid>:status:<status>});
     * null when only the gateway's answer names it.
     */
    record Message(String fixture, String expectedQueue, String canonicalId) {
    }

    record Webhook(int index, String provider, String body, List<Message> messages) {

        /** A webhook of one message whose canonical id the gateway's answer names. */
        Webhook(int index, String provider, String fixture, String expectedQueue, String body) {
            this(index, provider, body, List.of(new Message(fixture, expectedQueue, null)));
        }

        String path() {
            return "/webhooks/" + provider;
        }

        boolean batch() {
            return messages.size() > 1;
        }

        String fixture() {
            return messages.stream().map(Message::fixture).collect(Collectors.joining(" + "));
        }

        /** The queue of a webhook of one message (a batch's messages each have theirs: {@link #message}). */
        String expectedQueue() {
            if (batch()) {
                throw new IllegalStateException("webhook #" + index + " is a batch: ask each of its messages");
            }
            return messages.get(0).expectedQueue();
        }

        /** The canonical ids known before sending (Meta's); empty when only the gateway's answer names them. */
        List<String> canonicalIds() {
            return messages.stream().map(Message::canonicalId).filter(id -> id != null).toList();
        }

        /** The message with this canonical id; a webhook of one message has only that one. */
        Message message(String canonicalId) {
            for (Message message : messages) {
                if (canonicalId.equals(message.canonicalId())) {
                    return message;
                }
            }
            if (!batch()) {
                return messages.get(0);
            }
            throw new IllegalArgumentException("webhook #" + index + " carries no " + canonicalId);
        }

        /** {@code #12 meta/image.json → whatsapp.in.image}, with its place when the webhook is a batch. */
        String describe(String canonicalId) {
            Message message = message(canonicalId);
            return "#" + index + " " + message.fixture() + " → " + message.expectedQueue()
                    + (batch() ? " (" + (messages.indexOf(message) + 1) + " of a batch of " + messages.size() + ")"
                    : "");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Webhooks() {
    }

    static List<Webhook> generate(int count, long nonce) {
        return generate(count, nonce, 0);
    }

    static List<Webhook> generate(int count, long nonce, int metaEvery) {
        List<String[]> rows = rows("expected-routing.csv");
        List<String[]> metaMessages = new ArrayList<>();
        List<String[]> metaStatuses = new ArrayList<>();
        for (String[] row : metaEvery > 0 ? rows("expected-routing-meta.csv") : List.<String[]>of()) {
            if (row[0].equals("meta/batch.json")) {
                continue;   // its row names only its first message's queue; the batches are built below
            }
            (row[1].equals("status") ? metaStatuses : metaMessages).add(row);
        }
        List<Webhook> hooks = new ArrayList<>(count);
        int others = 0;
        int metas = 0;
        int metaMessage = 0;
        int metaStatus = 0;
        for (int i = 0; i < count; i++) {
            if (metaEvery > 0 && i % metaEvery == metaEvery - 1) {
                List<String[]> parts = new ArrayList<>();
                // the shapes in turn: a message, 2 messages, 2 messages and a status, 3 messages, a status
                int shape = metas++ % 5;
                int messages = switch (shape) {
                    case 0 -> 1;
                    case 1, 2 -> 2;
                    case 3 -> 3;
                    default -> 0;
                };
                for (int m = 0; m < messages; m++) {
                    parts.add(metaMessages.get(metaMessage++ % metaMessages.size()));
                }
                if (shape == 2 || shape == 4) {
                    parts.add(metaStatuses.get(metaStatus++ % metaStatuses.size()));
                }
                hooks.add(meta(i, nonce, parts));
            } else {
                hooks.add(other(i, nonce, rows.get(others++ % rows.size())));
            }
        }
        return hooks;
    }

    private static Webhook other(int i, long nonce, String[] row) {
        String fixture = row[0];
        String provider = fixture.substring(0, fixture.indexOf('/'));
        ObjectNode payload = parse(resource(fixture));
        boolean hasId = false;
        if (provider.equals("kazinfoteh")) {
            for (String field : List.of("id", "msgId")) {
                if (payload.hasNonNull(field)) {
                    payload.put(field, new UUID(nonce, i * 2L + (field.equals("id") ? 0 : 1)).toString());
                    hasId = true;
                }
            }
        } else if (payload.hasNonNull("idMessage")) {
            payload.put("idMessage", String.format("%016X%016X", nonce, (long) i));
            hasId = true;
        }
        if (!hasId) {
            payload.put("timestamp", 1_700_000_000L + i);
        }
        return new Webhook(i, provider, fixture, row[3], payload.toString());
    }

    /**
     * One Meta webhook of the fixtures' notifications (each fixture holds one): the first fixture's envelope, the
     * later messages added to the first messages' {@code value.messages[]} (their senders to its
     * {@code contacts[]}), each status in a change of its own in the same entry.
     */
    private static Webhook meta(int i, long nonce, List<String[]> parts) {
        ObjectNode envelope = null;
        ObjectNode messagesValue = null;
        List<Message> messages = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            String[] row = parts.get(p);
            ObjectNode payload = parse(resource(row[0]));
            ObjectNode change = (ObjectNode) payload.path("entry").path(0).path("changes").path(0);
            ObjectNode value = (ObjectNode) change.path("value");
            boolean status = row[1].equals("status");
            ObjectNode item = (ObjectNode) value.path(status ? "statuses" : "messages").path(0);
            String wamid = String.format("wamid.HBgL%016X%06X%d", nonce, i, p);
            item.put("id", wamid);
            messages.add(new Message(row[0], row[3],
                    META + ":" + wamid + (status ? ":status:" + item.path("status").asText() : "")));
            if (envelope == null) {
                envelope = payload;
                messagesValue = status ? null : value;
            } else if (!status && messagesValue != null) {
                ((ArrayNode) messagesValue.get("messages")).add(item);
                addContacts(messagesValue, value);
            } else {
                ((ArrayNode) envelope.path("entry").path(0).get("changes")).add(change);
                messagesValue = status ? messagesValue : value;
            }
        }
        return new Webhook(i, META, envelope.toString(), List.copyOf(messages));
    }

    private static void addContacts(ObjectNode into, ObjectNode from) {
        ArrayNode contacts = into.has("contacts") ? (ArrayNode) into.get("contacts") : into.putArray("contacts");
        for (JsonNode contact : from.path("contacts")) {
            String waId = contact.path("wa_id").asText();
            boolean known = false;
            for (JsonNode existing : contacts) {
                known |= existing.path("wa_id").asText().equals(waId);
            }
            if (!known) {
                contacts.add(contact);
            }
        }
    }

    private static List<String[]> rows(String csv) {
        List<String[]> rows = new ArrayList<>();
        for (String line : resource(csv).lines().skip(1).toList()) {
            if (!line.isBlank()) {
                rows.add(line.strip().split(","));
            }
        }
        return rows;
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Webhooks.class.getClassLoader().getResourceAsStream("fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name + " on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
