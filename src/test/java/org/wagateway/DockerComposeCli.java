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
 * Debian's {@code docker-compose} (1.29, no Docker engine needed for {@code config}), installed with apt when
 * missing and the test runs as root; when it is missing and cannot be installed the test fails: a compose file
 * nobody parsed is not checked.
 */
public final class DockerComposeCli {

    static final Path COMPOSE = Path.of("/usr/bin/docker-compose");

    private DockerComposeCli() {
    }

    /** What a run printed, and its exit code. */
    public record Result(int exitCode, String output) {
    }

    static void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(COMPOSE)) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            fail(COMPOSE + " is missing and this user cannot install it: as root, run "
                    + "apt-get install -y docker-compose");
        }
        install(List.of("apt-get", "update"));
        install(List.of("apt-get", "install", "-y", "--no-install-recommends", "docker-compose"));
        if (!Files.isExecutable(COMPOSE)) {
            fail("apt-get install docker-compose did not provide " + COMPOSE);
        }
    }

    private static void install(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process = builder.start();
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " failed; install docker-compose by hand");
        }
    }

    /**
     * Runs {@code docker-compose <arguments>} in {@code dir} with {@code environment} added to a copy of this
     * process's environment (the compose file's {@code ${VAR:?…}} variables); installs it first if needed.
     */
    public static Result run(Path dir, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        ensureInstalled();
        List<String> command = new ArrayList<>(List.of(COMPOSE.toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("docker-compose-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 2 minutes");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
