package org.wagateway.trace;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** The trace's SQL on the embedded H2 file database, as the gateway opens it by default. */
class TraceStoreH2Test extends TraceStoreContract {

    @TempDir
    static Path dir;

    @Override
    protected DataSource dataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("ids").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        dataSource.setUser("sa");
        return dataSource;
    }
}
