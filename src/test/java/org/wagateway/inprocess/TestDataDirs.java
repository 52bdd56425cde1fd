package org.wagateway.inprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Where a test gateway keeps its data (broker journal, idempotency store, media) and Tomcat its work files: a fresh
 * folder under the build's {@code target/test-data}. A cached Spring context holds its folder until the test JVM
 * ends, too late for the test to delete it; under {@code target} it goes with {@code mvn clean} instead of piling
 * up in the system's temporary folder run after run.
 */
public final class TestDataDirs {

    private TestDataDirs() {
    }

    /** Points the gateway's data folder and Tomcat's base folder at a new folder named from {@code prefix}. */
    public static void register(DynamicPropertyRegistry registry, String prefix) throws IOException {
        Path parent = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "test-data"));
        Path dataDir = Files.createTempDirectory(parent, prefix + "-");
        registry.add("gateway.data-dir", dataDir::toString);
        registry.add("server.tomcat.basedir", () -> dataDir.resolve("tomcat").toString());
    }
}
