package org.wagateway.idempotency;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.wagateway.H2Files;

/** The ids table's retention SQL on the embedded H2 file database, as the gateway opens it by default. */
class ExpiredIdsH2Test extends ExpiredIdsContract {

    @TempDir
    static Path dir;

    @Override
    protected DataSource dataSource() {
        return H2Files.dataSource(dir.resolve("ids"));
    }
}
