package org.wagateway;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-compose (1.29, {@value #COMPOSE}) for the tests that let it read docker-compose.yml: no Docker
 * engine is needed for {@code config}. Installed with apt when missing and the test runs as root; when it is
 * missing and cannot be installed the test fails (a compose file nobody parsed is not a tested one).
 */
public final class DockerComposeCli {

    static final Path COMPOSE = Path.of("/usr/bin/docker-compose");

    /** What one run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private DockerComposeCli() {
    }

    public static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(COMPOSE)) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            fail(COMPOSE + " is missing and this user cannot install it: as root, run "
                    + "apt-get install -y --no-install-recommends docker-compose");
        }
        apt(List.of("apt-get", "update"));
        apt(List.of("apt-get", "install", "-y", "--no-install-recommends", "docker-compose"));
        if (!Files.isExecutable(COMPOSE)) {
            fail("apt-get install docker-compose did not provide " + COMPOSE);
        }
    }

    /**
     * Runs {@code docker-compose -f <file> <arguments>} in the file's folder with exactly {@code environment} (plus
     * PATH): what the file asks of the environment is what this run gives it, nothing of the test JVM's.
     */
    public static Result run(Path composeFile, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        ensureInstalled();
        List<String> command = new ArrayList<>(List.of(COMPOSE.toString(), "-f", composeFile.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(composeFile.getParent().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().putAll(environment);
        Path out = Files.createTempFile("compose", ".out");
        Path err = Files.createTempFile("compose", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static void apt(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed; install the package by hand");
        }
    }
}
