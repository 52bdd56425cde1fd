package org.wagateway;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's {@code promtool} ({@value #PROMTOOL}, from Debian's {@code prometheus} package: a 19 MB download,
 * 96 MB installed; the server it also installs is not started) for the tests of the alert rules. Installed with
 * apt when missing and the test runs as root; when it is missing and cannot be installed the test fails.
 */
final class Promtool {

    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(PROMTOOL)) {
            return;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            fail(PROMTOOL + " is missing and this user cannot install it: as root, run "
                    + "apt-get install -y --no-install-recommends prometheus");
        }
        DockerComposeCli.apt(List.of("apt-get", "update"));
        DockerComposeCli.apt(List.of("apt-get", "install", "-y", "--no-install-recommends", "prometheus"));
        if (!Files.isExecutable(PROMTOOL)) {
            fail("apt-get install prometheus did not provide " + PROMTOOL);
        }
    }

    /** {@code promtool <arguments>} in {@code folder}; its standard output and error together. */
    static Result run(Path folder, String... arguments) throws IOException, InterruptedException {
        ensureInstalled();
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
