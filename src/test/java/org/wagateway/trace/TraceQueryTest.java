package org.wagateway.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The criteria of GET /admin/messages, and the refusals of bad ones. */
class TraceQueryTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void readsEveryCriterion() {
        TraceQuery query = TraceQuery.parse(Map.of("id", "meta:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                "providerMessageId", "F7AEC1B7086ECDC7E6E45923F5EDB826", "chat", "+7 701 123-45-67",
                "sender", "79001234568@c.us", "from", "2026-11-30T10:00:00Z", "to", "2026-12-01", "limit", "500"), NOW);

        assertThat(query.id()).startsWith("meta:wamid.");
        assertThat(query.providerMessageId()).isEqualTo("F7AEC1B7086ECDC7E6E45923F5EDB826");
        assertThat(query.chat()).isEqualTo("+7 701 123-45-67");
        assertThat(query.sender()).isEqualTo("79001234568@c.us");
        assertThat(query.from()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(query.to()).isEqualTo(Instant.parse("2026-12-01T23:59:59.999Z"));
        assertThat(query.limit()).isEqualTo(500);
    }

    @Test
    void datesAreWholeDaysInUtcAndOffsetsAreRead() {
        TraceQuery query = TraceQuery.parse(Map.of("from", "2026-12-01", "to", "2026-12-01T20:00:00+05:00"), NOW);

        assertThat(query.from()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(query.to()).isEqualTo(Instant.parse("2026-12-01T15:00:00Z"));
        assertThat(query.limit()).isEqualTo(TraceQuery.DEFAULT_LIMIT);
    }

    @Test
    void refusesWhatIsNoSearch() {
        assertRejected(Map.of(), "no_criterion");
        assertRejected(Map.of("limit", "10"), "no_criterion");
        assertRejected(Map.of("from", "2026-11-01"), "time_range_too_long");
        assertRejected(Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-11-03T00:00:00Z"), "time_range_too_long");
    }

    @Test
    void refusesBadValues() {
        assertRejected(Map.of("id", "x' OR '1'='1"), "bad_id");
        assertRejected(Map.of("id", "greenapi:1; DROP TABLE GATEWAY_TRACE"), "bad_id");
        assertRejected(Map.of("id", "a".repeat(513)), "bad_id");
        assertRejected(Map.of("providerMessageId", "<script>"), "bad_provider_message_id");
        assertRejected(Map.of("chat", "77011234567'--"), "bad_chat");
        assertRejected(Map.of("sender", "   "), "bad_sender");
        assertRejected(Map.of("id", "greenapi:1", "from", "yesterday"), "bad_time");
        assertRejected(Map.of("id", "greenapi:1", "to", "2026-13-01"), "bad_time");
        assertRejected(Map.of("id", "greenapi:1", "from", "2026-12-02", "to", "2026-12-01"), "bad_time_range");
        assertRejected(Map.of("id", "greenapi:1", "limit", "0"), "bad_limit");
        assertRejected(Map.of("id", "greenapi:1", "limit", "501"), "bad_limit");
        assertRejected(Map.of("id", "greenapi:1", "limit", "ten"), "bad_limit");
        assertRejected(Map.of("phone", "77011234567"), "unknown_parameter");
    }

    private static void assertRejected(Map<String, String> parameters, String error) {
        assertThatThrownBy(() -> TraceQuery.parse(parameters, NOW)).as(parameters.toString())
                .isInstanceOfSatisfying(TraceQuery.Rejected.class, e -> assertThat(e.error()).isEqualTo(error));
    }
}
