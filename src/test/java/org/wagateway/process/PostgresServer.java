package org.wagateway.process;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

/**
 * A real PostgreSQL server ({@link PostgresProcess}) for the tests of one class, in a folder of its own: started
 * before the first test, stopped and deleted after the last. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    private Path folder;
    private PostgresProcess postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        folder = Files.createTempDirectory("postgres-test-");
        postgres = PostgresProcess.start(folder.resolve("postgres"), folder.resolve("postgres.log"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (postgres != null) {
            postgres.close();
        }
        if (folder != null) {
            FileSystemUtils.deleteRecursively(folder);
        }
    }

    /** The server's database as its superuser. */
    public DataSource dataSource() {
        return postgres.dataSource();
    }
}
