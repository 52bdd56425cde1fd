package org.wagateway.idempotency;

import java.time.Clock;
import javax.sql.DataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wagateway.config.GatewayProperties;

/**
 * The ids already seen, kept in a database so they survive restarts: by default an embedded H2 file under
 * {@code <gateway.data-dir>/idempotency}; for several gateway instances, a shared PostgreSQL set by
 * {@code spring.datasource.*}. One table, one processor name per stage; in front of it, the ids added lately and
 * those the database refused ({@link RememberingIdRepository}).
 */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    /**
     * Camel's table, with ids wider than its default VARCHAR(100) (fingerprints and status ids are long); made by
     * the first stage's repository or the purge ({@link ExpiredIds}), whichever starts first.
     */
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS CAMEL_MESSAGEPROCESSED (processorName VARCHAR(255), "
            + "messageId VARCHAR(512), createdAt TIMESTAMP, PRIMARY KEY (processorName, messageId))";

    /**
     * Changes per journal file (two take turns): many times what H2's write delay holds at the benchmark's
     * saturation, and few enough that a start checks them all against the database in about a second.
     */
    static final int JOURNAL_CHANGES_PER_FILE = 5_000;

    /** Webhooks already stored: a provider's retry of one is answered 200 and not stored again. */
    @Bean
    IdempotentRepository webhookIdempotency(DataSource dataSource, GatewayProperties properties) {
        return repository(dataSource, properties, "webhook");
    }

    /** Messages the CRM already took: never POSTed twice, even when they reach the CRM outbox twice. */
    @Bean
    IdempotentRepository crmIdempotency(DataSource dataSource, GatewayProperties properties) {
        return repository(dataSource, properties, "crm");
    }

    /** The ids older than gateway.idempotency.retention, deleted every gateway.idempotency.purge-interval. */
    @Bean
    ExpiredIdsPurge expiredIdsPurge(DataSource dataSource, GatewayProperties properties, MeterRegistry registry) {
        GatewayProperties.Idempotency settings = properties.getIdempotency();
        return new ExpiredIdsPurge(new ExpiredIds(dataSource), settings.getRetention(), settings.getPurgeInterval(),
                Clock.systemUTC(), registry);
    }

    private static IdempotentRepository repository(DataSource dataSource, GatewayProperties properties,
            String processorName) {
        JdbcMessageIdRepository database = new SingleStatementIdRepository(dataSource, processorName);
        database.setCreateString(CREATE_TABLE);
        RecentIdsJournal journal = new RecentIdsJournal(properties.getDataDir().resolve("idempotency"),
                processorName, JOURNAL_CHANGES_PER_FILE);
        return new RememberingIdRepository(processorName, database, journal, Clock.systemUTC());
    }
}
