package org.wagateway.storage;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A purge of many rows as a run of short statements: {@code delete} takes at most {@code batch} rows each time
 * (its own short transaction, so the tables' writers never wait long) and runs again until it takes fewer.
 */
public final class BatchedDelete {

    private BatchedDelete() {
    }

    /** Runs {@code delete} with {@code arguments} until it deletes fewer than {@code batch} rows; returns how many went. */
    public static int run(JdbcTemplate jdbc, String delete, int batch, Object... arguments) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.update(delete, arguments);
            total += deleted;
        } while (deleted >= batch);
        return total;
    }
}
