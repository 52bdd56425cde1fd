package org.wagateway.trace;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The criteria of {@code GET /admin/messages}, checked: {@code id} (canonical id), {@code providerMessageId},
 * {@code chat}, {@code sender} (as typed: {@code +7 701 123-45-67}, {@code 77011234567@c.us}), the time range
 * {@code from}/{@code to} (ISO-8601 instants such as {@code 2026-12-01T10:00:00Z}, or dates: {@code from} a day's
 * start, {@code to} its end, in UTC; both ends inclusive) and {@code limit} (messages, 1 to 500, default 50). All given criteria must
 * hold. At least one of id, providerMessageId, chat and sender is needed, or a time range of at most
 * {@link #MAX_RANGE_ALONE}: a search is answered from indexes, never by reading a week of events.
 */
public record TraceQuery(String id, String providerMessageId, String chat, String sender, Instant from, Instant to,
                         int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** The longest time range searched without another criterion. */
    public static final Duration MAX_RANGE_ALONE = Duration.ofDays(1);
    private static final Set<String> PARAMETERS =
            Set.of("id", "providerMessageId", "chat", "sender", "from", "to", "limit");
    /** The characters of the providers' message ids and of canonical ids (base64 and fingerprints included). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:=+/@-]{1,512}");
    /** What a phone or chat id is typed with. */
    private static final Pattern CHAT = Pattern.compile("[A-Za-z0-9+()@.:_ -]{1," + ChatIds.MAX_LENGTH + "}");

    /** A refused query: {@code error} is the code of the 400 answer. */
    public static final class Rejected extends RuntimeException {
        private final String error;

        Rejected(String error, String message) {
            super(message);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    /** The query of these parameters, or {@link Rejected} saying what is wrong. */
    public static TraceQuery parse(Map<String, String> parameters, Instant now) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new Rejected("unknown_parameter", "Unknown parameter " + name + ": use id, providerMessageId, "
                        + "chat, sender, from, to, limit");
            }
        }
        String id = matching(parameters.get("id"), ID, "bad_id",
                "id is a canonical id such as greenapi:F7AEC1B7086ECDC7E6E45923F5EDB826");
        String providerMessageId = matching(parameters.get("providerMessageId"), ID, "bad_provider_message_id",
                "providerMessageId is the provider's id of the message");
        String chat = chat(parameters.get("chat"), "chat");
        String sender = chat(parameters.get("sender"), "sender");
        Instant from = instant(parameters.get("from"), "from", false);
        Instant to = instant(parameters.get("to"), "to", true);
        int limit = limit(parameters.get("limit"));
        if (from != null && to != null && from.isAfter(to)) {
            throw new Rejected("bad_time_range", "from (" + from + ") is after to (" + to + ")");
        }
        if (id == null && providerMessageId == null && chat == null && sender == null) {
            if (from == null) {
                throw new Rejected("no_criterion", "Give id, providerMessageId, chat or sender, or a time range "
                        + "(from, to) of at most " + MAX_RANGE_ALONE.toHours() + " hours");
            }
            Instant end = to == null ? now : to;
            if (Duration.between(from, end).compareTo(MAX_RANGE_ALONE) > 0) {
                throw new Rejected("time_range_too_long", "A time range alone may span at most "
                        + MAX_RANGE_ALONE.toHours() + " hours; add id, providerMessageId, chat or sender");
            }
        }
        return new TraceQuery(id, providerMessageId, chat, sender, from, to, limit);
    }

    private static String matching(String value, Pattern pattern, String error, String hint) {
        if (value == null) {
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            throw new Rejected(error, "Not a valid value: " + hint);
        }
        return value;
    }

    private static String chat(String value, String name) {
        if (value == null) {
            return null;
        }
        if (!CHAT.matcher(value).matches() || ChatIds.normalise(value) == null) {
            throw new Rejected("bad_" + name, name + " is a phone number or chat id as the provider spells it "
                    + "(digits, +, spaces, -, (), @c.us, @g.us), at most " + ChatIds.MAX_LENGTH + " characters");
        }
        return value;
    }

    /** An instant, or a date: its start for {@code from}, its last millisecond for {@code to} (both inclusive). */
    private static Instant instant(String value, String name, boolean endOfDay) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                LocalDate day = LocalDate.parse(value);
                Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
                return endOfDay ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1) : start;
            } catch (DateTimeParseException notADate) {
                throw new Rejected("bad_time", name + " is an ISO-8601 instant (2026-12-01T10:00:00Z) or date "
                        + "(2026-12-01)");
            }
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new Rejected("bad_limit", "limit is a number of messages from 1 to " + MAX_LIMIT);
        }
        return limit;
    }
}
