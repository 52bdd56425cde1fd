package org.wagateway.idempotency;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wagateway.process.PostgresServer;

/** The ids table's retention SQL on a real PostgreSQL server (the shared database of several gateway instances). */
class ExpiredIdsPostgresTest extends ExpiredIdsContract {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @Override
    protected DataSource dataSource() {
        return POSTGRES.dataSource();
    }
}
