package org.wagateway.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The load: every fixture of both providers (as listed in {@code fixtures/expected-routing.csv}, with the queue
 * each is routed to), taken in turn until there are {@code count} webhooks, each made unique: its provider ids
 * ({@code id}/{@code msgId} for Kazinfoteh, {@code idMessage} for Green API) are replaced, and a payload without
 * an id (whose canonical id is its SHA-256) gets its own {@code timestamp}.
 */
final class Webhooks {

    record Webhook(int index, String provider, String fixture, String expectedQueue, String body) {
        String path() {
            return "/webhooks/" + provider;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Webhooks() {
    }

    static List<Webhook> generate(int count, long nonce) {
        List<String[]> rows = new ArrayList<>();
        for (String line : resource("expected-routing.csv").lines().skip(1).toList()) {
            if (!line.isBlank()) {
                rows.add(line.strip().split(","));
            }
        }
        List<Webhook> hooks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String[] row = rows.get(i % rows.size());
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
            hooks.add(new Webhook(i, provider, fixture, row[3], payload.toString()));
        }
        return hooks;
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
