package org.wagateway.trace;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.wagateway.process.PostgresProcess;

/** The trace's SQL on a real PostgreSQL server (the shared database of several gateway instances). */
class TraceStorePostgresTest extends TraceStoreContract {

    @TempDir
    static Path folder;

    private static PostgresProcess postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresProcess.start(folder.resolve("postgres"), folder.resolve("postgres.log"));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected DataSource dataSource() {
        return postgres.dataSource();
    }
}
