package org.wagateway;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** An embedded H2 file database, opened as the gateway opens its default idempotency store. */
public final class H2Files {

    private H2Files() {
    }

    public static DataSource dataSource(Path file) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        dataSource.setUser("sa");
        return dataSource;
    }
}
