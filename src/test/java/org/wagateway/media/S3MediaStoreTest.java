package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MediaStatus;
import org.wagateway.config.GatewayProperties;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link S3MediaStore} against a real S3 server on loopback (S3Mock in a child JVM, {@link S3MockServer}), alone,
 * behind {@link MediaFetch} and {@link MediaController}, and as {@code gateway.media.store=s3} picks it.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3MediaStoreTest {

    private static final String ACCESS_KEY = "s3-test-access-key";
    private static final String SECRET_KEY = "s3-test-secret-key-never-logged";
    private static final String BUCKET = "whatsapp-media";

    @TempDir
    static Path serverDir;

    @TempDir
    Path dir;

    private static S3MockServer server;
    private static S3MediaStore store;
    private static S3Client s3;

    /** Starts S3Mock without waiting: the tests that need no server ({@code @Order(1)}) run meanwhile. */
    @BeforeAll
    static void launchServer() throws IOException {
        server = S3MockServer.launch(serverDir);
    }

    /** The store on the test bucket (made by create-bucket), once S3Mock answers. */
    private static synchronized S3MediaStore store() throws Exception {
        if (store == null) {
            MediaProperties.S3 settings = settings(BUCKET);
            settings.setCreateBucket(true);
            store = S3MediaStore.create(settings);
            s3 = S3MediaStore.client(settings, server.endpoint());
        }
        return store;
    }

    /** A plain client on S3Mock, to look at what the store wrote. */
    private static S3Client s3() throws Exception {
        store();
        return s3;
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static MediaProperties.S3 settings(String bucket) throws Exception {
        MediaProperties.S3 settings = new MediaProperties.S3();
        settings.setEndpoint(server.endpoint().toString());
        settings.setBucket(bucket);
        settings.setAccessKey(ACCESS_KEY);
        settings.setSecretKey(SECRET_KEY);
        return settings;
    }

    private Path temp(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "download", ".part"), bytes);
    }

    private static byte[] bytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(StoredMediaContent content) throws IOException {
        try (InputStream in = content.openStream()) {
            return in.readAllBytes();
        }
    }

    /** The key the store gives these bytes with the default prefix. */
    private static String key(String sha) {
        return "media/" + sha.substring(0, 2) + "/" + sha;
    }

    private static List<S3Object> objects(String sha) throws Exception {
        return s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("media/" + sha.substring(0, 2) + "/")).contents();
    }

    @Test
    void storedBytesComeBackWithTheirMetadata() throws Exception {
        byte[] bytes = bytes(1, 70_000);
        String sha = sha256(bytes);
        Path tmp = temp(bytes);

        StoredMedia stored = store().store(tmp, sha, "image/jpeg", "photo.jpg");

        assertThat(tmp).doesNotExist();
        assertThat(stored.sha256()).isEqualTo(sha);
        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(stored.mimeType()).isEqualTo("image/jpeg");
        assertThat(stored.fileName()).isEqualTo("photo.jpg");
        assertThat(stored.storedAt()).isNotNull();

        Optional<StoredMediaContent> opened = store().open(sha);
        assertThat(opened).isPresent();
        assertThat(opened.get().media()).isEqualTo(stored);
        assertThat(read(opened.get())).isEqualTo(bytes);
        assertThat(read(opened.get())).as("each stream is new").isEqualTo(bytes);

        assertThat(store().key(sha)).isEqualTo(key(sha));
        HeadObjectResponse head = s3().headObject(b -> b.bucket(BUCKET).key(key(sha)));
        assertThat(head.contentType()).isEqualTo("image/jpeg");
        assertThat(head.contentLength()).isEqualTo(bytes.length);
        assertThat(head.metadata()).containsEntry("sha256", sha)
                .containsEntry("size", Integer.toString(bytes.length))
                .containsEntry("file-name", "photo.jpg")
                .containsEntry("stored-at", stored.storedAt().toString());
    }

    @Test
    void theSameBytesTwiceAreOneObjectWithTheFirstMetadata() throws Exception {
        byte[] bytes = bytes(2, 5_000);
        String sha = sha256(bytes);
        Path first = temp(bytes);
        Path second = temp(bytes);

        StoredMedia kept = store().store(first, sha, "application/pdf", "first.pdf");
        HeadObjectResponse before = s3().headObject(b -> b.bucket(BUCKET).key(key(sha)));
        StoredMedia again = store().store(second, sha, "application/octet-stream", "second.bin");

        assertThat(first).doesNotExist();
        assertThat(second).doesNotExist();
        assertThat(again).isEqualTo(kept);
        assertThat(objects(sha)).hasSize(1);
        HeadObjectResponse after = s3().headObject(b -> b.bucket(BUCKET).key(key(sha)));
        assertThat(after.eTag()).isEqualTo(before.eTag());
        assertThat(after.lastModified()).isEqualTo(before.lastModified());
        assertThat(store().open(sha).orElseThrow().media().fileName()).isEqualTo("first.pdf");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void unknownAndInvalidIdsAreEmpty() throws Exception {
        assertThat(store().open(sha256("never stored".getBytes(StandardCharsets.UTF_8)))).isEmpty();
        assertThat(store().open("not-a-sha")).isEmpty();
        assertThat(store().open(null)).isEmpty();
        assertThat(store().open("A".repeat(64))).as("upper case is not an id").isEmpty();
        assertThatThrownBy(() -> store().store(temp(new byte[] {1}), "../../etc/passwd", "text/plain", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonAsciiFileNamesSurviveAsAsciiMetadata() throws Exception {
        String name = "Отчёт за март — 2024 (финал) 📎 100% +план.pdf";
        byte[] bytes = bytes(3, 1_000);
        String sha = sha256(bytes);

        StoredMedia stored = store().store(temp(bytes), sha, "application/pdf", name);

        assertThat(stored.fileName()).isEqualTo(name);
        assertThat(store().open(sha).orElseThrow().media().fileName()).isEqualTo(name);
        String raw = s3().headObject(b -> b.bucket(BUCKET).key(key(sha))).metadata().get("file-name");
        assertThat(raw).isEqualTo(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                .matches("[\\x21-\\x7e]+");
    }

    @Test
    @Order(1) // needs no server: runs while S3Mock starts
    void aVeryLongNameIsCutOnWholeCharacters() throws Exception {
        String name = "ж".repeat(400) + ".txt";
        String encoded = S3MediaStore.encodeName(name);
        assertThat(encoded.length()).isLessThanOrEqualTo(S3MediaStore.MAX_ENCODED_NAME);
        assertThat(S3MediaStore.decodeName(encoded)).isEqualTo("ж".repeat(encoded.length() / 6));
        assertThat(S3MediaStore.decodeName(null)).isNull();
    }

    @Test
    void noObjectWithoutAName() throws Exception {
        byte[] bytes = bytes(4, 100);
        String sha = sha256(bytes);
        StoredMedia stored = store().store(temp(bytes), sha, "image/png", null);
        assertThat(stored.fileName()).isNull();
        assertThat(store().open(sha).orElseThrow().media().fileName()).isNull();
    }

    @Test
    void bytesThatAreNotTheirShaAreRefusedByTheServer() throws Exception {
        byte[] bytes = bytes(5, 2_000);
        String wrongSha = sha256(bytes(6, 2_000));
        Path tmp = temp(bytes);

        assertThatThrownBy(() -> store().store(tmp, wrongSha, "image/png", "x.png")).isInstanceOf(IOException.class)
                .hasMessageContaining(wrongSha)
                // AWS answers BadDigest, S3Mock BadRequest: either way a 400 for the checksum
                .cause().isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).containsIgnoringCase("checksum");
                });

        assertThat(tmp).doesNotExist();
        assertThat(store().open(wrongSha)).isEmpty();
    }

    @Test
    void twentyMebibytesStreamBothWays() throws Exception {
        int size = 20 * 1024 * 1024;
        Path tmp = Files.createTempFile(dir, "large", ".part");
        MessageDigest written = digest();
        Random random = new Random(7);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (int i = 0; i < size / chunk.length; i++) {
                random.nextBytes(chunk);
                written.update(chunk);
                out.write(chunk);
            }
        }
        String sha = HexFormat.of().formatHex(written.digest());

        StoredMedia stored = store().store(tmp, sha, "video/mp4", "clip.mp4");
        assertThat(stored.size()).isEqualTo(size);
        assertThat(tmp).doesNotExist();

        StoredMediaContent content = store().open(sha).orElseThrow();
        assertThat(content.media().size()).isEqualTo(size);
        MessageDigest read = digest();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = content.openStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.update(buffer, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(sha);

        // a reader that gives up early costs no full transfer, and the store goes on working
        long started = System.nanoTime();
        try (InputStream in = content.openStream()) {
            assertThat(in.readNBytes(1024)).hasSize(1024);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        try (InputStream in = content.openStream()) {
            assertThat(in.readNBytes(10)).hasSize(10);
        }
    }

    @Test
    void theProcessorStoresADownloadInS3AndTheControllerServesIt() throws Exception {
        byte[] pdf = ("%PDF-1.4\n" + "x".repeat(3000) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
        AtomicInteger downloads = new AtomicInteger();
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/files/report.pdf", exchange -> {
            downloads.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/pdf");
            exchange.sendResponseHeaders(200, pdf.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(pdf);
            }
        });
        origin.start();
        MediaProperties properties = new MediaProperties();
        properties.setAllowedHosts(List.of("media.s3-test.example:" + origin.getAddress().getPort()));
        properties.setAllowPrivateAddresses(true);
        properties.setBackoff(Duration.ofMillis(5));
        properties.setLinkSecret("s3-store-test-secret-s3-store-test-secret");
        HostResolver resolver = host -> {
            if (!host.equals("media.s3-test.example")) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        };
        MediaLinks links = new MediaLinks(properties);
        String link = "http://media.s3-test.example:" + origin.getAddress().getPort() + "/files/report.pdf";
        try (MediaDownloader downloader = new MediaDownloader(properties, dir.resolve("media"), resolver,
                SSLContext.getDefault())) {
            MediaFetch fetch = new MediaFetch(properties, TestMedia.sources(properties, downloader), store(), links);

            Media media = fetch.fetch("kazinfoteh", new Media(link, "application/pdf", "Отчёт.pdf"));

            assertThat(media.status()).isEqualTo(MediaStatus.STORED);
            assertThat(media.sha256()).isEqualTo(sha256(pdf));
            assertThat(media.size()).isEqualTo(pdf.length);
            assertThat(media.url()).startsWith("/media/" + sha256(pdf) + "?");
            assertThat(objects(media.sha256())).hasSize(1);

            MockMvc mvc = MockMvcBuilders.standaloneSetup(new MediaController(links, store())).build();
            mvc.perform(get(media.url()))
                    .andExpect(status().isOk())
                    .andExpect(header().string("Content-Type", "application/pdf"))
                    .andExpect(header().longValue("Content-Length", pdf.length))
                    .andExpect(header().string("Content-Disposition",
                            "attachment; filename=\"_____.pdf\"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82.pdf"))
                    .andExpect(content().bytes(pdf));
            String unknown = sha256("nothing".getBytes(StandardCharsets.UTF_8));
            mvc.perform(get(links.url(unknown)))
                    .andExpect(status().isNotFound())
                    .andExpect(jsonPath("$.error").value("not_found"));
            assertThat(downloads).hasValue(1);
        } finally {
            origin.stop(0);
        }
    }

    @Test
    @Order(1) // needs no server: runs while S3Mock starts
    void s3MockLeavesNothingOnTheTestsClassPath() throws Exception {
        ClassLoader tests = getClass().getClassLoader();
        for (String resource : List.of("application.properties", "application-test.properties", "banner.txt",
                "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports",
                "META-INF/spring.factories")) {
            assertThat(Collections.list(tests.getResources(resource)))
                    .as(resource).noneMatch(url -> url.toString().contains("s3mock"));
        }
        assertThatThrownBy(() -> Class.forName("com.adobe.testing.s3mock.S3MockApplication", false, tests))
                .isInstanceOf(ClassNotFoundException.class);
    }

    /** Just the pieces {@code gateway.media.store} picks between, with their properties; no gateway. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({MediaProperties.class, GatewayProperties.class})
    static class StoreChoice {
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withUserConfiguration(StoreChoice.class, MediaConfiguration.class, LocalMediaStore.class)
                .withPropertyValues("gateway.data-dir=" + dir);
    }

    /** Settings as the environment gives them (GATEWAY_MEDIA_S3_ACCESS_KEY...), bound the way Spring Boot does. */
    private static SystemEnvironmentPropertySource environment(Map<String, Object> variables) {
        return new SystemEnvironmentPropertySource("test-systemEnvironment", variables);
    }

    @Test
    @Order(1) // needs no server: runs while S3Mock starts
    void theLocalStoreStaysTheDefault() throws Exception {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(MediaStore.class);
            assertThat(context.getBean(MediaStore.class)).isInstanceOf(LocalMediaStore.class);
        });
        runner().withPropertyValues("gateway.media.store=local").run(context ->
                assertThat(context.getBean(MediaStore.class)).isInstanceOf(LocalMediaStore.class));
    }

    @Test
    void s3IsPickedByConfigurationFromTheEnvironment(CapturedOutput output) throws Exception {
        // random hex and a run of 13 digits (epoch millis): part of a longer name, not a phone, so logged unmasked
        String bucket = "from-env-" + Long.toHexString(System.nanoTime()) + "-" + System.currentTimeMillis();
        String endpoint = server.endpoint().toString();
        runner()
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(environment(Map.of(
                        "GATEWAY_MEDIA_STORE", "s3",
                        "GATEWAY_MEDIA_S3_ENDPOINT", endpoint,
                        "GATEWAY_MEDIA_S3_BUCKET", bucket,
                        "GATEWAY_MEDIA_S3_PREFIX", "copies",
                        "GATEWAY_MEDIA_S3_ACCESS_KEY", ACCESS_KEY,
                        "GATEWAY_MEDIA_S3_SECRET_KEY", SECRET_KEY,
                        "GATEWAY_MEDIA_S3_PATH_STYLE_ACCESS", "true",
                        "GATEWAY_MEDIA_S3_CREATE_BUCKET", "true"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(MediaStore.class);
                    MediaStore chosen = context.getBean(MediaStore.class);
                    assertThat(chosen).isInstanceOf(S3MediaStore.class);
                    byte[] bytes = bytes(8, 300);
                    String sha = sha256(bytes);
                    chosen.store(temp(bytes), sha, "image/gif", "a.gif");
                    assertThat(s3().headObject(b -> b.bucket(bucket).key("copies/" + sha.substring(0, 2) + "/" + sha))
                            .contentLength()).isEqualTo(300);
                    assertThat(read(chosen.open(sha).orElseThrow())).isEqualTo(bytes);
                });
        assertThat(output).contains("Media copies are kept in S3 bucket '" + bucket + "'")
                .doesNotContain(SECRET_KEY);
    }

    @Test
    @Order(1) // needs no server: runs while S3Mock starts
    void s3WithoutItsSettingsStopsTheStartNamingThem() {
        runner().withPropertyValues("gateway.media.store=s3", "gateway.media.s3.endpoint=http://127.0.0.1:9")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("gateway.media.store=s3 needs")
                            .hasMessageContaining("gateway.media.s3.access-key (GATEWAY_MEDIA_S3_ACCESS_KEY)")
                            .hasMessageContaining("gateway.media.s3.secret-key (GATEWAY_MEDIA_S3_SECRET_KEY)")
                            .message().doesNotContain("endpoint (");
                });
        runner().withPropertyValues("gateway.media.store=s3", "gateway.media.s3.access-key=a",
                        "gateway.media.s3.secret-key=b", "gateway.media.s3.bucket=")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("gateway.media.s3.endpoint (GATEWAY_MEDIA_S3_ENDPOINT)")
                        .hasMessageContaining("gateway.media.s3.bucket (GATEWAY_MEDIA_S3_BUCKET)"));
        runner().withPropertyValues("gateway.media.store=s3", "gateway.media.s3.access-key=a",
                        "gateway.media.s3.secret-key=b", "gateway.media.s3.endpoint=minio:9000")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("gateway.media.s3.endpoint must be an http(s) URL"));
    }

    @Test
    @Order(1) // needs no server: runs while S3Mock starts
    void anUnknownStoreIsRefused() throws Exception {
        runner().withPropertyValues("gateway.media.store=minio").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("gateway.media.store must be local or s3, not 'minio'");
        });
    }
}
