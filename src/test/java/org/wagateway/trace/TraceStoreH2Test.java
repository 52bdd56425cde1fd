package org.wagateway.trace;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.wagateway.H2Files;

/** The trace's SQL on the embedded H2 file database, as the gateway opens it by default. */
class TraceStoreH2Test extends TraceStoreContract {

    @TempDir
    static Path dir;

    @Override
    protected DataSource dataSource() {
        return H2Files.dataSource(dir.resolve("ids"));
    }
}
