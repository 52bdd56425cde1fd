package org.wagateway.idempotency;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the connection pool to drop a connection whose embedded H2 database closed itself. H2 closes a database
 * for good when a write fails (a full disk): every statement on its open connections then fails, and the pool,
 * which drops connections only for errors it knows as fatal (SQL states 08xxx and the like), kept handing them
 * out until a restart. Dropped, they are replaced by new connections, which open the database again as soon as
 * its disk has room. Errors of other databases (PostgreSQL) are left to the pool's own judgement.
 */
public class ClosedDatabaseEviction implements SQLExceptionOverride {

    /**
     * H2's error codes for a database that cannot go on: closed (90098), being shut down (90121), its file
     * unreadable or unwritable (90028, 90030, 90031), and a general error (50000), which is how its storage
     * engine's own failure surfaces.
     */
    static final Set<Integer> H2_DATABASE_GONE = Set.of(90098, 90121, 90028, 90030, 90031, 50000);

    @java.lang.Override
    public Override adjudicate(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && isH2(sql) && H2_DATABASE_GONE.contains(sql.getErrorCode())) {
                return Override.MUST_EVICT;
            }
        }
        return Override.CONTINUE_EVICT;
    }

    private static boolean isH2(SQLException failure) {
        return failure.getClass().getName().startsWith("org.h2.");
    }
}
