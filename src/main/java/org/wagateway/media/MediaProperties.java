package org.wagateway.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code gateway.media.*} settings: downloading each attachment when its message arrives, keeping a copy
 * and serving it over signed links. Like {@code GatewayProperties}: each key a field, its javadoc the description,
 * its initialiser the only default ({@code concurrent-downloads} and {@code store} are read by the routes and by
 * the store's condition through {@code PropertyDefaults}).
 */
@ConfigurationProperties("gateway.media")
public class MediaProperties {

    /** The providers' media hosts, as of the fixtures and their documentation. */
    public static final List<String> DEFAULT_ALLOWED_HOSTS = List.of(
            "kazinfoteh.kz", "*.kazinfoteh.kz",
            "green-api.com", "*.green-api.com",
            // Green API's file storage: sw-media.…, sw-media-out.…, sw-media-1101.… (buckets on Yandex Cloud)
            "sw-media*.storage.yandexcloud.net",
            "mmg.whatsapp.net", "*.fbcdn.net",
            // Meta's Cloud API: the Graph API's media lookup, and the download links it answers with
            "graph.facebook.com", "lookaside.fbsbx.com");

    /** Off: messages keep the provider's link only and nothing is downloaded. */
    private boolean enabled = true;
    /** Where copies are kept; unset means {@code <gateway.data-dir>/media}. */
    private Path dir;
    /** Which {@link MediaStore} keeps the copies: {@code local} (files under {@link #dir}) or {@code s3}
     *  (an S3-compatible object store, {@link #s3}). */
    private String store = "local";
    /** Largest attachment kept, in bytes (100 MiB); a bigger one gets status too_large. */
    private long maxBytes = 104_857_600L;
    /** Longest wait for the media host to accept the connection. */
    private Duration connectTimeout = Duration.ofSeconds(5);
    /** Longest wait for the next bytes (also for the answer's headers): a stall longer than this fails the try. */
    private Duration readTimeout = Duration.ofSeconds(30);
    /** Longest a single try may take in all, against servers that trickle bytes just under the read timeout. */
    private Duration totalTimeout = Duration.ofMinutes(10);
    /** Tries in all, counting the first, on 5xx, 429, timeouts and connection errors. */
    private int maxAttempts = 3;
    /** Wait before the second try; it doubles before each further one. */
    private Duration backoff = Duration.ofMillis(500);
    /** Hosts the gateway downloads from: exact names, {@code *.example.com} (any subdomain), or a
     *  {@code *} inside one label ({@code sw-media*.storage.yandexcloud.net}); each with an optional port
     *  ({@code host:8443}, {@code [2001:db8::1]:8080}, {@code host:*} for any port, development only). Without a
     *  port an entry allows only the link's default port (80 for http, 443 for https). Checked on every
     *  redirect; a malformed entry stops the start ({@link AllowedHost#parse}). */
    private List<String> allowedHosts = new ArrayList<>(DEFAULT_ALLOWED_HOSTS);
    /** Allow hosts that resolve to loopback, private, link-local... addresses. For tests and labs only. */
    private boolean allowPrivateAddresses = false;
    /** Redirects followed per try; each target is checked like the first link. */
    private int maxRedirects = 3;
    /** Key of the media links' HMAC. Unset: a random one per start (links die with a restart; every
     *  instance behind one load balancer needs the same key). */
    private String linkSecret;
    /** How long a media link stays valid. */
    private Duration linkTtl = Duration.ofDays(7);
    /** Prefix of media links, e.g. {@code https://gateway.example.com}; empty gives relative {@code /media/...}. */
    private String publicBaseUrl = "";
    /** Downloads at once: the consumers of the media queue. */
    private int concurrentDownloads = 4;
    /** The S3-compatible store's settings ({@code gateway.media.s3.*}), used when {@code store=s3}. */
    private final S3 s3 = new S3();

    /** The media folder: {@link #getDir()} or {@code <dataDir>/media}. */
    public Path resolveDir(Path dataDir) {
        if (dir != null) {
            return dir;
        }
        return Objects.requireNonNull(dataDir, "gateway.data-dir is not set").resolve("media");
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Path getDir() { return dir; }
    public void setDir(Path dir) { this.dir = dir; }
    public String getStore() { return store; }
    public void setStore(String store) {
        String value = store == null ? "" : store.strip().toLowerCase(Locale.ROOT);
        if (!value.equals("local") && !value.equals("s3")) {
            throw new IllegalArgumentException("gateway.media.store must be local or s3, not '" + store + "'");
        }
        this.store = value;
    }
    public long getMaxBytes() { return maxBytes; }
    public void setMaxBytes(long maxBytes) { this.maxBytes = maxBytes; }
    public Duration getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    public Duration getReadTimeout() { return readTimeout; }
    public void setReadTimeout(Duration readTimeout) { this.readTimeout = readTimeout; }
    public Duration getTotalTimeout() { return totalTimeout; }
    public void setTotalTimeout(Duration totalTimeout) { this.totalTimeout = totalTimeout; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public Duration getBackoff() { return backoff; }
    public void setBackoff(Duration backoff) { this.backoff = backoff; }
    public List<String> getAllowedHosts() { return allowedHosts; }
    public void setAllowedHosts(List<String> allowedHosts) {
        if (allowedHosts != null) {
            allowedHosts.forEach(AllowedHost::parse);
        }
        this.allowedHosts = allowedHosts;
    }
    public boolean isAllowPrivateAddresses() { return allowPrivateAddresses; }
    public void setAllowPrivateAddresses(boolean allowPrivateAddresses) { this.allowPrivateAddresses = allowPrivateAddresses; }
    public int getMaxRedirects() { return maxRedirects; }
    public void setMaxRedirects(int maxRedirects) { this.maxRedirects = maxRedirects; }
    public String getLinkSecret() { return linkSecret; }
    public void setLinkSecret(String linkSecret) { this.linkSecret = linkSecret; }
    public Duration getLinkTtl() { return linkTtl; }
    public void setLinkTtl(Duration linkTtl) { this.linkTtl = linkTtl; }
    public String getPublicBaseUrl() { return publicBaseUrl; }
    public void setPublicBaseUrl(String publicBaseUrl) { this.publicBaseUrl = publicBaseUrl; }
    public int getConcurrentDownloads() { return concurrentDownloads; }
    public void setConcurrentDownloads(int concurrentDownloads) { this.concurrentDownloads = concurrentDownloads; }
    public S3 getS3() { return s3; }

    /**
     * {@code gateway.media.s3.*}: where {@link S3MediaStore} keeps the copies. Everything is explicit (endpoint,
     * region, static keys): the client never looks up a region, credentials or instance metadata on its own.
     */
    public static class S3 {

        /** The S3 API's base URL, e.g. {@code http://minio:9000} or {@code https://s3.eu-central-1.amazonaws.com}. */
        private String endpoint;
        /** Region the requests are signed for; MinIO accepts the default. */
        private String region = "us-east-1";
        /** Bucket of the copies. */
        private String bucket = "whatsapp-media";
        /** Prepended to every key: {@code <prefix><sha[0..2]>/<sha256>}. Empty, or ending in {@code /}. */
        private String prefix = "media/";
        /** Access key id (GATEWAY_MEDIA_S3_ACCESS_KEY). */
        private String accessKey;
        /** Secret key (GATEWAY_MEDIA_S3_SECRET_KEY); never logged. */
        private String secretKey;
        /** {@code http://host/bucket/key} rather than {@code http://bucket.host/key}: MinIO and most
         *  self-hosted stores need it. */
        private boolean pathStyleAccess = true;
        /** Create the bucket at start when it is missing (the start fails if it cannot). */
        private boolean createBucket = false;

        public String getEndpoint() { return endpoint; }
        public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
        public String getRegion() { return region; }
        public void setRegion(String region) { this.region = region; }
        public String getBucket() { return bucket; }
        public void setBucket(String bucket) { this.bucket = bucket; }
        public String getPrefix() { return prefix; }
        public void setPrefix(String prefix) { this.prefix = prefix; }
        public String getAccessKey() { return accessKey; }
        public void setAccessKey(String accessKey) { this.accessKey = accessKey; }
        public String getSecretKey() { return secretKey; }
        public void setSecretKey(String secretKey) { this.secretKey = secretKey; }
        public boolean isPathStyleAccess() { return pathStyleAccess; }
        public void setPathStyleAccess(boolean pathStyleAccess) { this.pathStyleAccess = pathStyleAccess; }
        public boolean isCreateBucket() { return createBucket; }
        public void setCreateBucket(boolean createBucket) { this.createBucket = createBucket; }

        /** The settings without the keys. */
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                    + ", pathStyleAccess=" + pathStyleAccess + ", createBucket=" + createBucket + "]";
        }
    }
}
