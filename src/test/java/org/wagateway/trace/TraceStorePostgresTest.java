package org.wagateway.trace;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wagateway.process.PostgresServer;

/** The trace's SQL on a real PostgreSQL server (the shared database of several gateway instances). */
class TraceStorePostgresTest extends TraceStoreContract {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @Override
    protected DataSource dataSource() {
        return POSTGRES.dataSource();
    }
}
