package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wagateway.media.FakeResolver.loopback;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large body, made on the fly by the loopback server (chunked, nothing of it in the repository), streams to
 * disk while the downloading thread allocates only a few MiB. The default size keeps the test run fast; for the
 * full-size check run
 * <pre>mvn -q -B -o test -Dtest=LargeDownloadTest -Dmedia.largeBodyMiB=200</pre>
 */
class LargeDownloadTest {

    private static final int MIB = 1024 * 1024;
    private static final long ALLOCATION_BUDGET = 8L * MIB;

    @TempDir
    Path dir;

    @Test
    void aLargeBodyStreamsWithBoundedMemory() throws Exception {
        int mib = Integer.getInteger("media.largeBodyMiB", 32);
        long size = (long) mib * MIB;
        byte[] block = new byte[MIB];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31 + (i >> 8));
        }
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < mib; i++) {
            expected.update(block);
        }
        MediaProperties properties = new MediaProperties();
        properties.setAllowedHosts(List.of("media.example.test:*")); // the server's port is not known yet
        properties.setAllowPrivateAddresses(true);
        properties.setMaxBytes(size);
        try (MediaDownloader downloader = new MediaDownloader(properties, dir,
                new FakeResolver().map("media.example.test", loopback()), TestMedia.defaultTls(), new SafeConnector());
             LoopbackServer server = LoopbackServer.start()) {
            server.handle("/big.mp4", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "video/mp4");
                exchange.sendResponseHeaders(200, 0); // chunked
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < mib; i++) {
                        out.write(block);
                    }
                }
            });
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();
            long allocatedBefore = threads.getThreadAllocatedBytes(thread);

            DownloadResult result = downloader.download("http://media.example.test:" + server.port() + "/big.mp4",
                    null);

            long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
            assertThat(result.downloaded()).as(result.failure()).isTrue();
            assertThat(result.size()).isEqualTo(size);
            assertThat(result.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
            assertThat(Files.size(result.file())).isEqualTo(size);
            assertThat(allocated).as("bytes allocated by the downloading thread for %d MiB", mib)
                    .isLessThan(ALLOCATION_BUDGET);
            Files.delete(result.file());
        }
    }
}
