package org.wagateway.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for the tests: Adobe S3Mock, started from its executable jar (a test dependency without
 * anything transitive) in a child JVM, on 127.0.0.1 and a free port. Running it apart keeps S3Mock, a Spring Boot
 * application with its own {@code application.properties}, banner and libraries, out of the tests' class path
 * and out of every gateway context the other tests start. The child runs {@link S3MockMain}; it accepts any keys.
 */
public final class S3MockServer implements AutoCloseable {

    private static final String S3MOCK_POM = "META-INF/maven/com.adobe.testing/s3mock/pom.properties";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private int port;

    private S3MockServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts S3Mock with its data, class and log files under {@code workDir}, and returns at once: tests that need
     * no server run while it boots; {@link #endpoint()} waits for it.
     */
    public static S3MockServer launch(Path workDir) throws IOException {
        Path jar = executableJar();
        Path launcherClasses = workDir.resolve("launcher");
        Path launcherClass = launcherClasses.resolve(S3MockMain.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(launcherClass.getParent());
        try (InputStream in = S3MockMain.class.getResourceAsStream(S3MockMain.class.getSimpleName() + ".class")) {
            Files.copy(in, launcherClass);
        }
        Path store = Files.createDirectories(workDir.resolve("store"));
        Path tmp = Files.createDirectories(workDir.resolve("tmp"));
        Path log = workDir.resolve("s3mock.log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + tmp,
                "-Dloader.path=" + launcherClasses,
                "-Dloader.main=" + S3MockMain.class.getName(),
                "-cp", jar.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                store.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // nothing from the test's environment steers the child (it makes no outbound connections anyway)
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_")
                || name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        return new S3MockServer(builder.start(), log);
    }

    /** S3Mock's address, once it answers; the start failing or timing out stops the child and throws. */
    public synchronized URI endpoint() throws IOException, InterruptedException {
        if (port == 0) {
            try {
                port = awaitPort(process, log);
            } catch (IOException | RuntimeException | InterruptedException e) {
                process.destroyForcibly();
                throw e;
            }
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    private static int awaitPort(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (line.startsWith(S3MockMain.READY)) {
                        return Integer.parseInt(line.substring(S3MockMain.READY.length()).strip());
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with " + process.exitValue() + ":\n" + tail(log));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("S3Mock did not start within " + START_TIMEOUT + ":\n" + tail(log));
    }

    /** The jar holding S3Mock's Maven descriptor: the executable jar, the only S3Mock artifact on the path. */
    private static Path executableJar() throws IOException {
        List<URL> found = Collections.list(S3MockServer.class.getClassLoader().getResources(S3MOCK_POM));
        if (found.size() != 1 || !found.get(0).getProtocol().equals("jar")) {
            throw new IllegalStateException("expected S3Mock's executable jar once on the test class path, found "
                    + found);
        }
        String url = found.get(0).toString();
        try {
            return Path.of(new URI(url.substring("jar:".length(), url.indexOf("!/"))));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }


    /** Closes the child's standard input (it stops itself), then makes sure it is gone. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
