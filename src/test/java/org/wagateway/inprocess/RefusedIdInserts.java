package org.wagateway.inprocess;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.api.Trigger;

/**
 * An H2 trigger on the idempotency table that refuses to record the ids starting with {@link #prefix}: the ids
 * store failing at the moment an id is written, as a full disk makes it fail, for one message only.
 */
public class RefusedIdInserts implements Trigger {

    static volatile String prefix = "";
    static final AtomicInteger REFUSED = new AtomicInteger();

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow != null && String.valueOf(newRow[1]).startsWith(prefix) && !prefix.isEmpty()) {
            REFUSED.incrementAndGet();
            throw new SQLException("No space left on device (refused by the test)");
        }
    }
}
