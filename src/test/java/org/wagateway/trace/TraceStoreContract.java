package org.wagateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trace's SQL on a real database (create, batch insert, search, purge, the kept hash key): the same checks on
 * the embedded H2 and on PostgreSQL, the two databases the gateway runs on.
 */
abstract class TraceStoreContract {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    protected abstract DataSource dataSource();

    private TraceStore store;
    private ChatHasher hasher;
    private String run;

    @BeforeEach
    void freshStore() {
        store = new TraceStore(dataSource());
        store.createIfMissing();
        store.createIfMissing();
        hasher = new ChatHasher(store.hashKey(null));
        run = UUID.randomUUID().toString();
    }

    @Test
    void theHashKeyIsGeneratedOnceAndSharedByEveryStoreOfTheDatabase() {
        String kept = store.hashKey(null);

        assertThat(new TraceStore(dataSource()).hashKey(null)).isEqualTo(kept).hasSizeGreaterThanOrEqualTo(40);
        assertThat(new TraceStore(dataSource()).hashKey("configured-key")).isEqualTo("configured-key");
    }

    @Test
    void findsAMessageByEachCriterionWithItsEventsInTimeOrder() {
        String id = "greenapi:" + run;
        store.insert(List.of(
                row(id, run, "79001234568@c.us", "accepted", T0),
                row(id, null, "79001234568@c.us", "delivered", T0.plusMillis(5)),
                row(id, null, null, "crm", T0.plusMillis(5)),
                row("greenapi:other-" + run, "other-" + run, "79001230000@c.us", "accepted", T0)));

        for (TraceQuery query : List.of(query(id, null, null, null, null), query(null, run, null, null, null),
                query(null, null, "+7 900 123-45-68", T0.minusSeconds(1), null),
                query(null, null, "79001234568", null, null), query(id, null, null, T0, T0))) {
            Map<String, List<TraceStore.Row>> found = store.find(query, hasher);
            assertThat(found).as(query.toString()).containsOnlyKeys(id);
            assertThat(found.get(id)).extracting(TraceStore.Row::stage).containsExactly("accepted", "delivered", "crm");
            assertThat(found.get(id).get(0).chatMasked()).isEqualTo("*******4568@c.us");
        }
        assertThat(store.find(query(null, null, null, T0.plusSeconds(10), T0.plusSeconds(20)), hasher)).isEmpty();
        assertThat(store.find(query("greenapi:x' OR '1'='1", null, null, null, null), hasher)).isEmpty();
    }

    @Test
    void answersTheNewestMessagesFirstUpToTheLimit() {
        List<TraceStore.Row> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(row("kazinfoteh:" + run + "-" + i, run + "-" + i, "77776662222", "accepted", T0.plusSeconds(i)));
        }
        store.insert(rows);

        Map<String, List<TraceStore.Row>> found = store.find(new TraceQuery(null, null, "77776662222", null,
                T0, T0.plusSeconds(4), 3), hasher);

        assertThat(found.keySet()).containsExactly("kazinfoteh:" + run + "-4", "kazinfoteh:" + run + "-3",
                "kazinfoteh:" + run + "-2");
    }

    @Test
    void purgesInBatchesEverythingBeforeTheCutoffAndNothingAfter() {
        Instant old = Instant.parse("2000-01-01T00:00:00Z");
        List<TraceStore.Row> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rows.add(row("meta:old-" + run + "-" + i, null, null, "accepted", old.plusMillis(i)));
        }
        rows.add(row("meta:new-" + run, null, null, "accepted", old.plusSeconds(60)));
        store.insert(rows);

        int purged = store.purgeBefore(old.plusSeconds(1), 10);

        assertThat(purged).isEqualTo(25);
        assertThat(store.find(query("meta:old-" + run + "-3", null, null, null, null), hasher)).isEmpty();
        assertThat(store.find(query("meta:new-" + run, null, null, null, null), hasher)).hasSize(1);
    }

    private TraceStore.Row row(String id, String providerMessageId, String chat, String stage, Instant at) {
        return TraceStore.Row.of(new TraceEvent(id, id.substring(0, id.indexOf(':')), providerMessageId, "text",
                "message", chat, chat, stage, "ok", "whatsapp.in.text", null, at), hasher);
    }

    private static TraceQuery query(String id, String providerMessageId, String chat, Instant from, Instant to) {
        return new TraceQuery(id, providerMessageId, chat, null, from, to, 50);
    }
}
