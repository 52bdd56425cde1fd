package org.wagateway.idempotency;

import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wagateway.storage.BatchedDelete;

/**
 * The ids table's SQL for its retention, the same on H2 and PostgreSQL: an index on the time each id was added,
 * and a delete of the ids added before a cutoff, a batch of rows per statement.
 */
public class ExpiredIds {

    /** The purge's range: without it every batch would scan the whole table. */
    static final String CREATE_INDEX =
            "CREATE INDEX IF NOT EXISTS CAMEL_MESSAGEPROCESSED_CREATED ON CAMEL_MESSAGEPROCESSED (createdAt)";

    private final JdbcTemplate jdbc;

    public ExpiredIds(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Creates the table (when no stage has yet) and the index on its times; does nothing when both are there. */
    public void createIfMissing() {
        jdbc.execute(IdempotencyConfiguration.CREATE_TABLE);
        jdbc.execute(CREATE_INDEX);
    }

    /**
     * Deletes the ids of every stage added before {@code cutoff}, {@code batch} rows per statement (each its own
     * short transaction, so the stages' inserts never wait long); returns how many went.
     */
    public int deleteAddedBefore(Instant cutoff, int batch) {
        // Camel writes createdAt as a java.sql.Timestamp of the JVM's clock: compared the same way here
        String delete = "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE (processorName, messageId) IN (SELECT processorName,"
                + " messageId FROM CAMEL_MESSAGEPROCESSED WHERE createdAt < ? FETCH FIRST " + batch + " ROWS ONLY)";
        return BatchedDelete.run(jdbc, delete, batch, Timestamp.from(cutoff));
    }
}
