package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wagateway.media.FakeResolver.loopback;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wagateway.canonical.MediaStatus;

/**
 * HTTPS over a connection pinned to the checked address: the certificate is still checked against the name
 * (SNI and endpoint identification), not the address.
 */
class TlsDownloadTest {

    @TempDir
    Path dir;

    private LoopbackServer server;
    private final MediaProperties properties = new MediaProperties();
    private final FakeResolver resolver = new FakeResolver()
            .map("media.example.test", loopback())
            .map("other.example.test", loopback());
    private final SafeConnector connector = new SafeConnector();

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.startTls(TestMedia.serverTls());
        properties.setAllowedHosts(List.of("media.example.test:" + server.port(),
                "other.example.test:" + server.port()));
        properties.setAllowPrivateAddresses(true);
        properties.setBackoff(Duration.ofMillis(5));
    }

    @AfterEach
    void stop() {
        if (downloader != null) {
            downloader.close();
        }
        server.close();
    }

    private MediaDownloader downloader;

    private MediaDownloader downloader(SSLContext tls) {
        downloader = new MediaDownloader(properties, dir, resolver, tls, connector);
        return downloader;
    }

    @Test
    void downloadsOverHttpsWhenTheCertificateMatchesTheName() throws Exception {
        byte[] png = TestMedia.png();
        server.serve("/p.png", 200, "image/png", png);

        DownloadResult result = downloader(TestMedia.clientTls())
                .download("https://media.example.test:" + server.port() + "/p.png", null);

        assertThat(result.downloaded()).as(result.failure()).isTrue();
        assertThat(result.sha256()).isEqualTo(TestMedia.sha256(png));
    }

    @Test
    void aCertificateForAnotherNameFailsWithoutRetrying() throws Exception {
        server.serve("/p.png", 200, "image/png", TestMedia.png());

        DownloadResult result = downloader(TestMedia.clientTls())
                .download("https://other.example.test:" + server.port() + "/p.png", null);

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("TLS handshake with other.example.test");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(server.hits("/p.png")).isZero();
    }

    @Test
    void anUntrustedCertificateFails() throws IOException {
        server.serve("/p.png", 200, "image/png", TestMedia.png());

        DownloadResult result = downloader(TestMedia.defaultTls())
                .download("https://media.example.test:" + server.port() + "/p.png", null);

        assertThat(result.status()).isEqualTo(MediaStatus.FAILED);
        assertThat(result.failure()).contains("TLS handshake");
        assertThat(server.hits("/p.png")).isZero();
    }
}
