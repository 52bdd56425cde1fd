package org.wagateway.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.wagateway.canonical.MediaStatus;
import org.wagateway.config.GatewayProperties;

/**
 * Downloads an attachment from the provider's link into a temporary file of the media folder, with its SHA-256
 * and checked type. Never throws for a download problem: the {@link DownloadResult} says what happened.
 *
 * <p><b>Before every request</b>, the first and each redirect's ({@code gateway.media.max-redirects}, followed
 * here, never automatically): {@link UrlGuard} checks scheme, host allow-list and the addresses the host
 * resolves to ({@link HostResolver}). A refusal sends nothing.
 *
 * <p><b>DNS rebinding.</b> The JDK {@code HttpClient} and {@code HttpURLConnection} both resolve the host
 * themselves when they connect, so a name could answer the check with a public address and the connection with
 * a private one; neither lets the caller pin the address without giving up TLS host name checks or setting the
 * restricted {@code Host} header JVM-wide. So the request goes through {@link PinnedHttpClient}: a small
 * HTTP/1.1 GET over a socket this class opens to an address the guard checked, the name being used only for
 * {@code Host}, SNI and the certificate check. The host is resolved once per hop and never again. Limits:
 * no outbound HTTP proxy (the gateway needs direct egress to the providers), HTTP/1.1 only, one request per
 * connection; the allow-list trusts whole subdomain trees where it says {@code *.}; a public address on the
 * allow-listed host that forwards to internal services (an open proxy) is out of reach of any client-side check.
 *
 * <p><b>Streaming.</b> The body goes to disk through a {@link DigestInputStream} in 64 KiB pieces, never whole
 * in memory. More than {@code max-bytes} (or a Content-Length saying so, before reading) is too_large and the
 * partial file is deleted. {@code read-timeout} bounds each wait for bytes (a stall), {@code total-timeout} a
 * whole try.
 *
 * <p><b>Retries</b> ({@code max-attempts} tries in all, waits of {@code backoff} doubling): on 5xx, 429, 408,
 * timeouts, connection errors and bodies cut short. Not on other 4xx (failed, with the status in the reason),
 * refusals, TLS certificate errors, protocol violations or too many redirects.
 *
 * <p><b>Type.</b> The answer's Content-Type (or, when it is missing or generic, the provider's declared type)
 * is checked against the first bytes by {@link MagicNumbers#check}: the bytes win over a lying header.
 */
@Component
public class MediaDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(MediaDownloader.class);
    private static final String TEMP_FOLDER = ".tmp";
    private static final Duration STALE_TEMP_FILE = Duration.ofDays(1);

    private final MediaProperties properties;
    private final Path tempDir;
    private final HostResolver resolver;
    private final PinnedHttpClient http;
    private final AtomicBoolean tempFolderChecked = new AtomicBoolean();

    @Autowired
    public MediaDownloader(MediaProperties properties, GatewayProperties gateway, HostResolver resolver) {
        this(properties, properties.resolveDir(gateway.getDataDir()), resolver,
                (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** For tests and other wiring: the media folder, resolver and TLS sockets (trust store) given. */
    public MediaDownloader(MediaProperties properties, Path mediaDir, HostResolver resolver, SSLSocketFactory tls) {
        this(properties, mediaDir, resolver, tls, PinnedHttpClient.Connector.DIRECT);
    }

    MediaDownloader(MediaProperties properties, Path mediaDir, HostResolver resolver, SSLSocketFactory tls,
                    PinnedHttpClient.Connector connector) {
        this.properties = properties;
        this.tempDir = mediaDir.resolve(TEMP_FOLDER);
        this.resolver = resolver;
        this.http = new PinnedHttpClient(tls, connector);
    }

    /** Where downloads are written before the store takes them (same file system as the store's folder). */
    public Path tempDir() {
        return tempDir;
    }

    /**
     * Downloads one attachment.
     *
     * @param sourceUrl        the provider's link
     * @param declaredMimeType the type the provider's message declared, used when the answer's own
     *                         Content-Type is missing or generic (may be null)
     */
    public DownloadResult download(String sourceUrl, String declaredMimeType) {
        URI uri = parse(sourceUrl);
        if (uri == null) {
            return DownloadResult.notDownloaded(MediaStatus.REFUSED, "not a valid link", 0);
        }
        int maxAttempts = Math.max(1, properties.getMaxAttempts());
        String lastReason = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Attempt outcome;
            try {
                outcome = attempt(uri, declaredMimeType, attempt);
            } catch (RuntimeException e) {
                LOG.error("Media download from {} failed unexpectedly", safeHost(uri), e);
                return DownloadResult.notDownloaded(MediaStatus.FAILED, "internal error: " + e.getClass().getSimpleName(),
                        attempt);
            }
            if (outcome.result != null) {
                log(uri, outcome.result);
                return outcome.result;
            }
            lastReason = outcome.retryReason;
            if (attempt < maxAttempts) {
                LOG.info("Media download from {} failed ({}), try {} of {} in {} ms", safeHost(uri), lastReason,
                        attempt + 1, maxAttempts, backoff(attempt).toMillis());
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff(attempt).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return DownloadResult.notDownloaded(MediaStatus.FAILED, "interrupted: " + lastReason, attempt);
                }
            }
        }
        DownloadResult result = DownloadResult.notDownloaded(MediaStatus.FAILED,
                lastReason + (maxAttempts > 1 ? " (" + maxAttempts + " tries)" : ""), maxAttempts);
        log(uri, result);
        return result;
    }

    /** One try: a final result, or a reason to try again. */
    private record Attempt(DownloadResult result, String retryReason) {
        static Attempt done(DownloadResult result) { return new Attempt(result, null); }
        static Attempt retry(String reason) { return new Attempt(null, reason); }
    }

    private Attempt attempt(URI first, String declaredMimeType, int attempt) {
        long deadline = System.nanoTime() + properties.getTotalTimeout().toNanos();
        UrlGuard guard = new UrlGuard(properties.getAllowedHosts(), properties.isAllowPrivateAddresses(), resolver);
        int connectTimeout = millis(properties.getConnectTimeout());
        int readTimeout = millis(properties.getReadTimeout());
        URI current = first;
        for (int hop = 0; ; hop++) {
            String hopNote = hop == 0 ? "" : " (redirect " + hop + ")";
            UrlGuard.Target target;
            try {
                target = guard.check(current);
            } catch (UrlGuard.Refused e) {
                return Attempt.done(DownloadResult.notDownloaded(MediaStatus.REFUSED, e.getMessage() + hopNote,
                        hop == 0 ? attempt - 1 : attempt));
            } catch (UnknownHostException e) {
                return Attempt.retry("unknown host " + safeHost(current) + hopNote);
            }
            String host = target.host();
            try (PinnedHttpClient.Response response = http.get(target, connectTimeout, readTimeout)) {
                int status = response.status();
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    String location = response.header("Location");
                    if (location == null || location.isBlank()) {
                        return failed("HTTP " + status + " without Location from " + host, attempt);
                    }
                    if (hop >= properties.getMaxRedirects()) {
                        return failed("more than " + properties.getMaxRedirects() + " redirects, last from " + host,
                                attempt);
                    }
                    URI next = resolveRedirect(current, location.trim());
                    if (next == null) {
                        return failed("HTTP " + status + " with an invalid Location from " + host, attempt);
                    }
                    current = next;
                    continue;
                }
                if (status >= 500 || status == 429 || status == 408) {
                    return Attempt.retry("HTTP " + status + " from " + host + hopNote);
                }
                if (status < 200 || status >= 300 || status == 206) {
                    return failed("HTTP " + status + " from " + host + hopNote, attempt);
                }
                long announced = response.contentLength();
                if (announced > properties.getMaxBytes()) {
                    return Attempt.done(DownloadResult.notDownloaded(MediaStatus.TOO_LARGE, "Content-Length "
                            + announced + " exceeds the limit of " + properties.getMaxBytes() + " bytes", attempt));
                }
                return receive(response, host, declaredMimeType, deadline, attempt);
            } catch (LocalWriteFailure e) {
                return failed("could not write to the media folder: " + e.getMessage(), attempt);
            } catch (SSLHandshakeException e) {
                return failed("TLS handshake with " + host + " failed: " + e.getMessage(), attempt);
            } catch (PinnedHttpClient.ProtocolViolation e) {
                return failed("bad HTTP answer from " + host + ": " + e.getMessage(), attempt);
            } catch (SocketTimeoutException e) {
                return Attempt.retry("timeout from " + host + hopNote + ": " + e.getMessage());
            } catch (IOException e) {
                return Attempt.retry(e.getClass().getSimpleName() + " from " + host + hopNote
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        }
    }

    private Attempt receive(PinnedHttpClient.Response response, String host, String declaredMimeType, long deadline,
                            int attempt) throws IOException {
        Path temp = createTempFile();
        boolean keep = false;
        try {
            MessageDigest sha256 = sha256();
            byte[] buffer = new byte[64 * 1024];
            byte[] head = new byte[MagicNumbers.HEAD_BYTES];
            int headLength = 0;
            long size = 0;
            long max = properties.getMaxBytes();
            try (InputStream in = new DigestInputStream(response.body(), sha256);
                 OutputStream out = openLocal(temp)) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    size += n;
                    if (size > max) {
                        return Attempt.done(DownloadResult.notDownloaded(MediaStatus.TOO_LARGE,
                                "more than the limit of " + max + " bytes", attempt));
                    }
                    if (headLength < head.length) {
                        int copy = Math.min(n, head.length - headLength);
                        System.arraycopy(buffer, 0, head, headLength, copy);
                        headLength += copy;
                    }
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw new LocalWriteFailure(e);
                    }
                    if (System.nanoTime() - deadline > 0) {
                        return failed("download from " + host + " took longer than "
                                + properties.getTotalTimeout(), attempt);
                    }
                }
            }
            if (size == 0) {
                return failed("empty body from " + host, attempt);
            }
            String claimed = response.header("Content-Type");
            String base = MagicNumbers.baseType(claimed);
            if (base == null || base.equals(MagicNumbers.OCTET_STREAM) || base.equals("binary/octet-stream")) {
                claimed = declaredMimeType != null && !declaredMimeType.isBlank() ? declaredMimeType : claimed;
            }
            MagicNumbers.TypeCheck type = MagicNumbers.check(claimed, head, headLength);
            keep = true;
            return Attempt.done(DownloadResult.downloaded(temp, HexFormat.of().formatHex(sha256.digest()), size, type,
                    attempt));
        } finally {
            if (!keep) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private Path createTempFile() throws LocalWriteFailure {
        try {
            Files.createDirectories(tempDir);
            if (tempFolderChecked.compareAndSet(false, true)) {
                deleteStaleTempFiles();
            }
            return Files.createTempFile(tempDir, "download-", ".part");
        } catch (IOException e) {
            throw new LocalWriteFailure(e);
        }
    }

    private static OutputStream openLocal(Path file) throws LocalWriteFailure {
        try {
            return Files.newOutputStream(file);
        } catch (IOException e) {
            throw new LocalWriteFailure(e);
        }
    }

    /** Partial files a crash left behind. */
    private void deleteStaleTempFiles() {
        Instant cutoff = Instant.now().minus(STALE_TEMP_FILE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tempDir, "*.part")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not clean up {}: {}", tempDir, e.toString());
        }
    }

    /** A problem on our side (disk), not the server's: not retried. */
    private static final class LocalWriteFailure extends IOException {
        LocalWriteFailure(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    private static Attempt failed(String reason, int attempt) {
        return Attempt.done(DownloadResult.notDownloaded(MediaStatus.FAILED, reason, attempt));
    }

    private Duration backoff(int attempt) {
        long base = Math.max(0, properties.getBackoff().toMillis());
        long factor = 1L << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(base * factor, Duration.ofMinutes(1).toMillis()));
    }

    private static int millis(Duration duration) {
        long ms = duration.toMillis();
        return (int) Math.max(1, Math.min(ms, Integer.MAX_VALUE));
    }

    /**
     * The link as a URI, ASCII only: characters a provider left unquoted (spaces, Cyrillic file names) are
     * percent-encoded as UTF-8. Null when hopeless.
     */
    static URI parse(String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        String trimmed = link.trim();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            try {
                URL url = new URL(trimmed);
                uri = new URI(url.getProtocol(), url.getUserInfo(), url.getHost(), url.getPort(), url.getPath(),
                        url.getQuery(), null);
            } catch (MalformedURLException | URISyntaxException | IllegalArgumentException e2) {
                return null;
            }
        }
        try {
            return new URI(uri.toASCIIString());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The redirect's target against the current link; its fragment is never sent (see requestTarget). */
    private static URI resolveRedirect(URI base, String location) {
        URI target = parse(location);
        if (target == null) {
            return null;
        }
        try {
            // URI.resolve joins "x" to "http://host" as "http://hostx": give an empty path its "/" first
            URI from = base.getRawPath() == null || base.getRawPath().isEmpty() ? base.resolve("/") : base;
            return from.resolve(target);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String safeHost(URI uri) {
        return uri.getHost() != null ? uri.getHost() : "(no host)";
    }

    private static void log(URI uri, DownloadResult result) {
        if (result.downloaded()) {
            LOG.info("Media from {}: {} bytes, {}{}, {} tries", safeHost(uri), result.size(), result.mimeType(),
                    result.declaredMimeType() != null ? " (declared " + result.declaredMimeType() + ")" : "",
                    result.attempts());
        } else {
            LOG.warn("Media from {} not downloaded: {} ({})", safeHost(uri), result.status(), result.failure());
        }
    }
}
