package org.wagateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class ExpiredIdsPurgeTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private DriverManagerDataSource dataSource;
    private JdbcTemplate jdbc;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void emptyStore() {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:purge-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterEach
    void dropStore() {
        jdbc.execute("SHUTDOWN");
    }

    @Test
    void purgesTheIdsOlderThanTheRetentionAndCountsThem() {
        ExpiredIdsPurge purge = purge(Duration.ofDays(14), Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        new ExpiredIds(dataSource).createIfMissing();
        added("webhook", "greenapi:old", NOW.minus(Duration.ofDays(15)));
        added("crm", "greenapi:old|", NOW.minus(Duration.ofDays(15)));
        added("webhook", "greenapi:kept", NOW.minus(Duration.ofDays(13)));

        assertThat(purge.purge()).isEqualTo(2);

        assertThat(jdbc.queryForList("SELECT messageId FROM CAMEL_MESSAGEPROCESSED", String.class))
                .containsExactly("greenapi:kept");
        assertThat(registry.get("gateway.idempotency.purged").counter().count()).isEqualTo(2.0);
    }

    @Test
    void makesTheTableAndItsIndexWhenNoStageHasYet() {
        ExpiredIdsPurge purge = purge(Duration.ofDays(14), Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(purge.purge()).isZero();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = ?",
                Integer.class, "CAMEL_MESSAGEPROCESSED_CREATED")).isEqualTo(1);
    }

    @Test
    void runsByItselfEveryInterval() {
        ExpiredIdsPurge purge = purge(Duration.ofHours(1), Duration.ofMillis(100), Clock.systemUTC());
        new ExpiredIds(dataSource).createIfMissing();
        added("webhook", "kazinfoteh:old", Instant.now().minus(Duration.ofHours(2)));
        added("webhook", "kazinfoteh:new", Instant.now());

        purge.start();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    jdbc.queryForList("SELECT messageId FROM CAMEL_MESSAGEPROCESSED", String.class))
                    .containsExactly("kazinfoteh:new"));
        } finally {
            purge.stop();
        }
        assertThat(purge.isRunning()).isFalse();
    }

    @Test
    void refusesARetentionOrIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> purge(Duration.ZERO, Duration.ofHours(1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.idempotency.retention");
        assertThatThrownBy(() -> purge(Duration.ofDays(1), Duration.ofSeconds(-1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purge-interval");
    }

    private ExpiredIdsPurge purge(Duration retention, Duration interval, Clock clock) {
        return new ExpiredIdsPurge(new ExpiredIds(dataSource), retention, interval, clock, registry);
    }

    private void added(String processor, String id, Instant at) {
        jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)",
                processor, id, Timestamp.from(at));
    }
}
