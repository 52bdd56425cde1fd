package org.wagateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ids table's retention SQL on a real database (its index, the batched delete by age): the same checks on the
 * embedded H2 and on PostgreSQL, the two databases the gateway keeps its ids in.
 */
abstract class ExpiredIdsContract {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    protected abstract DataSource dataSource();

    private ExpiredIds expired;
    private JdbcTemplate jdbc;
    private String run;

    @BeforeEach
    void freshTable() {
        expired = new ExpiredIds(dataSource());
        expired.createIfMissing();
        jdbc = new JdbcTemplate(dataSource());
        run = UUID.randomUUID().toString();
    }

    @Test
    void theIndexAndTheTableAreCreatedOnlyWhenMissing() {
        expired.createIfMissing();

        SingleStatementIdRepository repository = new SingleStatementIdRepository(dataSource(), "webhook");
        repository.setCreateString(IdempotencyConfiguration.CREATE_TABLE);
        repository.start();
        assertThat(repository.add(run + ":1")).isTrue();
        assertThat(repository.contains(run + ":1")).isTrue();
        repository.stop();
    }

    @Test
    void deletesInBatchesTheIdsOfEveryStageAddedBeforeTheCutoffAndNoneAfter() {
        for (int i = 0; i < 13; i++) {
            added("webhook", run + ":old-" + i, NOW.minusSeconds(3_600 + i));
            added("crm", run + ":old-" + i + "|", NOW.minusSeconds(3_600 + i));
        }
        added("webhook", run + ":at-cutoff", NOW);
        added("crm", run + ":new|", NOW.plusSeconds(1));

        int deleted = expired.deleteAddedBefore(NOW, 5);

        assertThat(deleted).isEqualTo(26);
        assertThat(idsOfThisRun()).isEqualTo(2);
        assertThat(known("webhook", run + ":at-cutoff")).isTrue();
        assertThat(known("crm", run + ":new|")).isTrue();
        assertThat(known("webhook", run + ":old-0")).isFalse();
    }

    @Test
    void deletesNothingWhenNoIdIsOlderThanTheCutoff() {
        added("webhook", run + ":recent", NOW.minusSeconds(10));

        assertThat(expired.deleteAddedBefore(NOW.minusSeconds(60), 1_000)).isZero();
        assertThat(known("webhook", run + ":recent")).isTrue();
    }

    private void added(String processor, String id, Instant at) {
        jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)",
                processor, id, Timestamp.from(at));
    }

    private boolean known(String processor, String id) {
        SingleStatementIdRepository repository = new SingleStatementIdRepository(dataSource(), processor);
        return repository.contains(id);
    }

    private int idsOfThisRun() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE ?",
                Integer.class, run + "%");
        return count == null ? 0 : count;
    }
}
