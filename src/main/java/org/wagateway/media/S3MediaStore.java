package org.wagateway.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.defaultsmode.DefaultsMode;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Copies in an S3-compatible object store (MinIO, AWS S3, ...), {@code gateway.media.store=s3}, content-addressed
 * like the local store: the key is {@code <prefix><sha[0..2]>/<sha256>}, the object's Content-Type the checked
 * type, and its user metadata {@code sha256}, {@code size}, {@code stored-at} (ISO-8601) and {@code file-name}.
 * Metadata travels as HTTP headers, which carry ASCII only, so the file name is always percent-encoded UTF-8
 * ({@code Отчёт 1.pdf} → {@code %D0%9E...%201.pdf}), cut to at most 1024 encoded characters.
 *
 * <p>{@link #store} asks for the key first (HEAD): bytes already kept are not sent again, the temporary file is
 * just deleted and the first copy's type, name and time are returned. Otherwise the file is uploaded streaming
 * from disk, with its SHA-256 as {@code x-amz-checksum-sha256} (the server refuses bytes that do not match) and
 * {@code If-None-Match: *} (of two gateways storing the same bytes at once, the first one's metadata stays).
 * {@link #open} asks for the metadata (HEAD) and each {@link StoredMediaContent#openStream()} GETs the object as
 * a stream; a stream closed before its end aborts its connection rather than reading the rest. Nothing is ever
 * held whole in memory. Errors of the store come out as {@link IOException}s.
 *
 * <p>The client is configured explicitly: endpoint, region, static keys, path-style access, no proxy and an empty
 * AWS profile, so it never looks up a region, credentials, {@code ~/.aws} settings or instance metadata.
 */
public class S3MediaStore implements MediaStore, AutoCloseable {

    static final String META_SHA256 = "sha256";
    static final String META_SIZE = "size";
    static final String META_STORED_AT = "stored-at";
    static final String META_FILE_NAME = "file-name";
    /** Longest file name kept in the metadata, encoded (S3 allows 2 KiB of user metadata in all). */
    static final int MAX_ENCODED_NAME = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(S3MediaStore.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final Clock clock;

    /**
     * A store over a client made elsewhere; {@link #close()} closes it.
     *
     * @param prefix put before every key: empty, or ending in {@code /} (one is added when missing)
     */
    public S3MediaStore(S3Client client, String bucket, String prefix, Clock clock) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = normalizePrefix(prefix);
        this.clock = clock;
    }

    /**
     * The store of the {@code gateway.media.s3.*} settings, with its own client; creates the bucket when
     * {@code create-bucket} is on.
     *
     * @throws IllegalStateException when a setting is missing or wrong, or the bucket cannot be created
     */
    public static S3MediaStore create(MediaProperties.S3 settings) {
        URI endpoint = checkSettings(settings);
        S3Client client = client(settings, endpoint);
        S3MediaStore store = new S3MediaStore(client, settings.getBucket().strip(), settings.getPrefix(),
                Clock.systemUTC());
        if (settings.isCreateBucket()) {
            try {
                store.createBucketIfMissing(regionOf(settings));
            } catch (RuntimeException e) {
                client.close();
                throw new IllegalStateException("gateway.media.s3.create-bucket: could not check or create bucket '"
                        + store.bucket + "' at " + endpoint + ": " + e.getMessage(), e);
            }
        }
        LOG.info("Media copies are kept in S3 bucket '{}' at {} under '{}<sha[0..2]>/<sha256>'", store.bucket,
                endpoint, store.prefix);
        return store;
    }

    /** The endpoint, once every required setting is there. */
    static URI checkSettings(MediaProperties.S3 settings) {
        List<String> missing = new ArrayList<>();
        if (isBlank(settings.getEndpoint())) {
            missing.add("gateway.media.s3.endpoint (GATEWAY_MEDIA_S3_ENDPOINT)");
        }
        if (isBlank(settings.getBucket())) {
            missing.add("gateway.media.s3.bucket (GATEWAY_MEDIA_S3_BUCKET)");
        }
        if (isBlank(settings.getAccessKey())) {
            missing.add("gateway.media.s3.access-key (GATEWAY_MEDIA_S3_ACCESS_KEY)");
        }
        if (isBlank(settings.getSecretKey())) {
            missing.add("gateway.media.s3.secret-key (GATEWAY_MEDIA_S3_SECRET_KEY)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("gateway.media.store=s3 needs " + String.join(", ", missing));
        }
        URI endpoint;
        try {
            endpoint = URI.create(settings.getEndpoint().strip());
        } catch (IllegalArgumentException e) {
            endpoint = null;
        }
        if (endpoint == null || endpoint.getHost() == null || endpoint.getScheme() == null
                || !(endpoint.getScheme().equalsIgnoreCase("http") || endpoint.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalStateException("gateway.media.s3.endpoint must be an http(s) URL such as "
                    + "http://minio:9000, not '" + settings.getEndpoint() + "'");
        }
        return endpoint;
    }

    /** A client for these settings (checked by {@link #checkSettings}). */
    static S3Client client(MediaProperties.S3 settings, URI endpoint) {
        ProfileFile noProfile = ProfileFile.builder()
                .content(InputStream.nullInputStream())
                .type(ProfileFile.Type.CONFIGURATION)
                .build();
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(regionOf(settings))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.getAccessKey().strip(), settings.getSecretKey().strip())))
                .forcePathStyle(settings.isPathStyleAccess())
                .fipsEnabled(false)
                .dualstackEnabled(false)
                // never AUTO (which asks the EC2 instance metadata service where it runs)
                .defaultsMode(DefaultsMode.STANDARD)
                // checksums only where S3 requires them: S3-compatible servers differ in the newer ones; the
                // upload sends our own SHA-256 anyway
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.defaultProfileFileSupplier(() -> noProfile).defaultProfileName("default"))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .proxyConfiguration(ProxyConfiguration.builder()
                                .useSystemPropertyValues(false)
                                .useEnvironmentVariableValues(false)
                                .build()))
                .build();
    }

    private static Region regionOf(MediaProperties.S3 settings) {
        return Region.of(isBlank(settings.getRegion()) ? "us-east-1" : settings.getRegion().strip());
    }

    /** The bucket, created when it is missing. */
    void createBucketIfMissing(Region region) {
        try {
            client.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            // create it below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
        CreateBucketRequest.Builder create = CreateBucketRequest.builder().bucket(bucket);
        if (!Region.US_EAST_1.equals(region)) {
            create.createBucketConfiguration(c -> c.locationConstraint(region.id()));
        }
        try {
            client.createBucket(create.build());
            LOG.info("Created bucket '{}' for media copies", bucket);
        } catch (BucketAlreadyOwnedByYouException e) {
            // made meanwhile by another instance
        }
    }

    @Override
    public StoredMedia store(Path tempFile, String sha256, String mimeType, String fileName) throws IOException {
        requireId(sha256);
        try {
            Optional<StoredMedia> existing = head(sha256);
            if (existing.isPresent()) {
                return existing.get();
            }
            long size = Files.size(tempFile);
            Instant storedAt = clock.instant();
            String encodedName = fileName == null ? null : encodeName(fileName);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(META_SHA256, sha256);
            metadata.put(META_SIZE, Long.toString(size));
            metadata.put(META_STORED_AT, storedAt.toString());
            if (encodedName != null) {
                metadata.put(META_FILE_NAME, encodedName);
            }
            PutObjectRequest.Builder put = PutObjectRequest.builder()
                    .bucket(bucket)
                    .key(key(sha256))
                    .contentLength(size)
                    .metadata(metadata)
                    .checksumSHA256(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)))
                    .ifNoneMatch("*");
            if (mimeType != null) {
                put.contentType(mimeType);
            }
            try {
                client.putObject(put.build(), RequestBody.fromFile(tempFile));
            } catch (S3Exception e) {
                // 412: the key exists after all (stored meanwhile); 409: a concurrent upload of the same key
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    Optional<StoredMedia> first = head(sha256);
                    if (first.isPresent()) {
                        return first.get();
                    }
                }
                throw e;
            }
            return new StoredMedia(sha256, size, mimeType, decodeName(encodedName), storedAt);
        } catch (SdkException e) {
            throw new IOException("S3 bucket '" + bucket + "': could not store " + sha256 + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tempFile);
        }
    }

    @Override
    public Optional<StoredMediaContent> open(String sha256) throws IOException {
        if (!MediaStore.isValidId(sha256)) {
            return Optional.empty();
        }
        Optional<StoredMedia> media;
        try {
            media = head(sha256);
        } catch (SdkException e) {
            throw new IOException("S3 bucket '" + bucket + "': could not read " + sha256 + ": " + e.getMessage(), e);
        }
        if (media.isEmpty()) {
            return Optional.empty();
        }
        StoredMedia found = media.get();
        String key = key(sha256);
        return Optional.of(new StoredMediaContent() {
            @Override
            public StoredMedia media() {
                return found;
            }

            @Override
            public InputStream openStream() throws IOException {
                try {
                    return new AbortingStream(client.getObject(b -> b.bucket(bucket).key(key)));
                } catch (NoSuchKeyException e) {
                    throw new NoSuchFileException("s3://" + bucket + "/" + key);
                } catch (SdkException e) {
                    throw new IOException("S3 bucket '" + bucket + "': could not read " + sha256 + ": "
                            + e.getMessage(), e);
                }
            }
        });
    }

    /** The object key of this id. */
    public String key(String sha256) {
        requireId(sha256);
        return prefix + sha256.substring(0, 2) + "/" + sha256;
    }

    /** Closes the client and its connections. */
    @Override
    public void close() {
        client.close();
    }

    private Optional<StoredMedia> head(String sha256) {
        HeadObjectResponse head;
        try {
            head = client.headObject(b -> b.bucket(bucket).key(key(sha256)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        Map<String, String> metadata = head.metadata();
        Instant storedAt = head.lastModified();
        String storedAtText = metadata.get(META_STORED_AT);
        if (storedAtText != null) {
            try {
                storedAt = Instant.parse(storedAtText);
            } catch (DateTimeParseException e) {
                // keep Last-Modified
            }
        }
        long size = head.contentLength() != null ? head.contentLength() : -1;
        return Optional.of(new StoredMedia(sha256, size, head.contentType(), decodeName(metadata.get(META_FILE_NAME)),
                storedAt));
    }

    /** The name percent-encoded as UTF-8 ({@code %20} for a space), whole characters only, at most
     *  {@link #MAX_ENCODED_NAME} characters. */
    static String encodeName(String name) {
        StringBuilder encoded = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            int codePoint = name.codePointAt(i);
            String piece = URLEncoder.encode(new String(Character.toChars(codePoint)), StandardCharsets.UTF_8)
                    .replace("+", "%20");
            if (encoded.length() + piece.length() > MAX_ENCODED_NAME) {
                break;
            }
            encoded.append(piece);
            i += Character.charCount(codePoint);
        }
        return encoded.toString();
    }

    static String decodeName(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return null;
        }
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return encoded;
        }
    }

    private static String normalizePrefix(String prefix) {
        String value = prefix == null ? "" : prefix.strip();
        while (value.startsWith("/")) {
            value = value.substring(1);
        }
        return value.isEmpty() || value.endsWith("/") ? value : value + "/";
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static void requireId(String sha256) {
        if (!MediaStore.isValidId(sha256)) {
            throw new IllegalArgumentException("not a hex SHA-256: " + sha256);
        }
    }

    /**
     * The object's bytes; closed before the end, it aborts the connection instead of reading the rest (a client
     * that gave up on a large file must not cost its whole transfer from the store).
     */
    private static final class AbortingStream extends FilterInputStream {

        private final ResponseInputStream<GetObjectResponse> response;
        private final long length;
        private long read;
        private boolean ended;

        AbortingStream(ResponseInputStream<GetObjectResponse> response) {
            super(response);
            this.response = response;
            Long contentLength = response.response().contentLength();
            this.length = contentLength == null ? -1 : contentLength;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            if (n < 0) {
                ended = true;
            } else {
                read += n;
                ended |= length >= 0 && read >= length;
            }
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            super.close();
        }
    }

    @Override
    public String toString() {
        return "S3MediaStore[bucket=" + bucket + ", prefix=" + prefix + "]";
    }
}
