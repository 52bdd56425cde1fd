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
import java.util.zip.ZipException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.io.CloseMode;
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
 * here, never automatically): {@link UrlGuard} checks scheme, user info, host and port against the allow-list,
 * and the addresses the host resolves to ({@link HostResolver}). A refusal sends nothing.
 *
 * <p><b>DNS rebinding.</b> The request goes through Apache HttpClient 5 ({@link MediaHttpClients}), whose
 * connection manager gets its addresses only from a {@link CheckedDnsResolver}: the name is resolved again when
 * a connection is opened, every address is checked once more, and the client connects only to the addresses that
 * passed; the name itself is used for {@code Host}, TLS SNI and the certificate check. So a name that answered
 * the guard with a public address and the connection with a private one is refused at connect time (status
 * refused, nothing sent). A pooled keep-alive connection is reused only for the same scheme, host and port, and
 * was opened to a checked address. Limits: no outbound HTTP proxy (the gateway needs direct egress to the
 * providers); the allow-list trusts whole subdomain trees where it says {@code *.}; a public address on the
 * allow-listed host that forwards to internal services (an open proxy) is out of reach of any client-side check.
 *
 * <p><b>Streaming.</b> The body goes to disk through a {@link DigestInputStream} in 64 KiB pieces, never whole
 * in memory; a gzip or deflate answer is decoded by the client and the decoded bytes count. More than
 * {@code max-bytes} (or a Content-Length saying so, before reading) is too_large and the partial file is deleted.
 * An answer not read to its end is cut off (the connection discarded), never drained. {@code read-timeout}
 * bounds each wait for bytes (a stall), {@code total-timeout} a whole try.
 *
 * <p><b>Retries</b> ({@code max-attempts} tries in all, waits of {@code backoff} doubling): on 5xx, 429, 408,
 * timeouts, connection errors and bodies cut short. Not on other 4xx (failed, with the status in the reason),
 * refusals, TLS certificate errors, protocol violations or too many redirects.
 *
 * <p><b>Credentials.</b> A plain link goes without any. A source that needs a token ({@link MetaMediaSource})
 * gives a {@link BearerToken} for one origin: a request carries {@code Authorization: Bearer} only when its
 * checked target is that scheme, host and port, so a redirect anywhere else goes without it. Such a source can
 * also make each try several requests ({@link #downloadInTries}, {@link #fetchSmall}, {@link #fetchFile}), each
 * through the same guard and limits.
 *
 * <p><b>Type.</b> The answer's Content-Type (or, when it is missing or generic, the provider's declared type)
 * is checked against the first bytes by {@link MagicNumbers#check}: the bytes win over a lying header.
 *
 * <p>One HTTP client (and connection pool) per downloader; {@link #close()} (called by Spring when the bean is
 * destroyed) closes it.
 */
@Component
public class MediaDownloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaDownloader.class);
    private static final String TEMP_FOLDER = ".tmp";
    private static final Duration STALE_TEMP_FILE = Duration.ofDays(1);
    /** Error and redirect bodies up to this size (by Content-Length) are read away to keep the connection. */
    private static final long SMALL_BODY = 16 * 1024;

    private final MediaProperties properties;
    private final Path tempDir;
    private final HostResolver resolver;
    private final CloseableHttpClient http;
    private final AtomicBoolean tempFolderChecked = new AtomicBoolean();

    @Autowired
    public MediaDownloader(MediaProperties properties, GatewayProperties gateway, HostResolver resolver) {
        this(properties, properties.resolveDir(gateway.getDataDir()), resolver, defaultTls());
    }

    /** For tests and other wiring: the media folder, resolver and TLS context (trust store) given. */
    public MediaDownloader(MediaProperties properties, Path mediaDir, HostResolver resolver, SSLContext tls) {
        this(properties, mediaDir, resolver, tls, MediaHttpClients.DIRECT);
    }

    /** With the TCP sockets from {@code sockets}: how tests put their safety net under every connection. */
    MediaDownloader(MediaProperties properties, Path mediaDir, HostResolver resolver, SSLContext tls,
                    DetachedSocketFactory sockets) {
        this.properties = properties;
        this.tempDir = mediaDir.resolve(TEMP_FOLDER);
        this.resolver = resolver;
        this.http = MediaHttpClients.create(properties,
                new CheckedDnsResolver(resolver, properties::isAllowPrivateAddresses), tls, sockets);
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** Closes the HTTP client and its pooled connections. */
    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
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
        return downloadInTries(safeHost(uri), attempt -> fetchFile(uri, declaredMimeType, BearerToken.NONE, attempt));
    }

    /**
     * One try of a download that may take more than one request (a lookup, then the file): what
     * {@link #downloadInTries} repeats with the same retry rules as a plain link.
     */
    @FunctionalInterface
    interface Steps {
        /** The try numbered {@code attempt} (from 1): a final result, or a reason to try again. */
        Attempt attempt(int attempt);
    }

    /**
     * Makes {@code max-attempts} tries of {@code steps}, waiting {@code backoff} (doubling) after each that asks
     * for another; {@code host} names the source in the log.
     */
    DownloadResult downloadInTries(String host, Steps steps) {
        int maxAttempts = Math.max(1, properties.getMaxAttempts());
        String lastReason = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Attempt outcome;
            try {
                outcome = steps.attempt(attempt);
            } catch (RuntimeException e) {
                LOG.error("Media download from {} failed unexpectedly", host, e);
                return DownloadResult.notDownloaded(MediaStatus.FAILED, "internal error: " + e.getClass().getSimpleName(),
                        attempt);
            }
            if (outcome.result != null) {
                log(host, outcome.result);
                return outcome.result;
            }
            lastReason = outcome.retryReason;
            if (attempt < maxAttempts) {
                LOG.info("Media download from {} failed ({}), try {} of {} in {} ms", host, lastReason,
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
        log(host, result);
        return result;
    }

    /**
     * One request for a file, redirects followed: the bytes in a temporary file ({@link DownloadResult}), or why
     * not. {@code bearer} goes only to its own origin.
     */
    Attempt fetchFile(URI link, String declaredMimeType, BearerToken bearer, int attempt) {
        return attempt(link, declaredMimeType, bearer, 0, attempt);
    }

    /**
     * One request for a small answer (an API's JSON), redirects followed: its bytes in {@link Attempt#body()}
     * (at most {@code limit}), or why not. The same guard, timeouts and retry rules as for a file.
     */
    Attempt fetchSmall(URI link, BearerToken bearer, int limit, int attempt) {
        return attempt(link, null, bearer, Math.max(1, limit), attempt);
    }

    /**
     * One try: a final result, a reason to try again, or (for {@link #fetchSmall}) the answer's bytes, which
     * the caller turns into one of the others.
     */
    record Attempt(DownloadResult result, String retryReason, byte[] body) {
        static Attempt done(DownloadResult result) { return new Attempt(result, null, null); }
        static Attempt retry(String reason) { return new Attempt(null, reason, null); }
        static Attempt body(byte[] body) { return new Attempt(null, null, body); }

        /** The same outcome, its failure or retry reason starting with {@code prefix}. */
        Attempt prefixed(String prefix) {
            if (retryReason != null) {
                return retry(prefix + retryReason);
            }
            if (result != null && !result.downloaded()) {
                return done(DownloadResult.notDownloaded(result.status(), prefix + result.failure(), result.attempts()));
            }
            return this;
        }
    }

    /**
     * What one answer led to: the next hop's link, or the try's outcome; and whether the connection may go back
     * to the pool (the body was read to its end, or is small enough to read away) or must be cut off.
     */
    private record Hop(URI redirect, Attempt outcome, boolean keepConnection) {
        static Hop redirect(URI next, boolean keepConnection) { return new Hop(next, null, keepConnection); }
        static Hop done(Attempt outcome, boolean keepConnection) { return new Hop(null, outcome, keepConnection); }
    }

    /** @param smallLimit 0 for a file; else the largest answer kept in memory */
    private Attempt attempt(URI first, String declaredMimeType, BearerToken bearer, int smallLimit, int attempt) {
        long deadline = System.nanoTime() + properties.getTotalTimeout().toNanos();
        UrlGuard guard = new UrlGuard(properties.getAllowedHosts(), properties.isAllowPrivateAddresses(), resolver);
        URI current = first;
        for (int hop = 0; ; hop++) {
            String hopNote = hop == 0 ? "" : " (redirect " + hop + ")";
            int attemptsSoFar = hop == 0 ? attempt - 1 : attempt;
            UrlGuard.Target target;
            try {
                target = guard.check(current);
            } catch (UrlGuard.Refused e) {
                return Attempt.done(DownloadResult.notDownloaded(MediaStatus.REFUSED, e.getMessage() + hopNote,
                        attemptsSoFar));
            } catch (UnknownHostException e) {
                return Attempt.retry("unknown host " + safeHost(current) + hopNote);
            }
            HttpGet request;
            try {
                request = new HttpGet(withoutFragment(target.uri()));
            } catch (IllegalArgumentException | URISyntaxException e) {
                return Attempt.done(DownloadResult.notDownloaded(MediaStatus.REFUSED,
                        "the link cannot be sent: " + e.getMessage() + hopNote, attemptsSoFar));
            }
            request.setConfig(MediaHttpClients.requestConfig(properties));
            if (bearer.appliesTo(target)) {
                request.setHeader("Authorization", "Bearer " + bearer.token());
            }
            Answer answer = new Answer(request, current, hop, target.host(), declaredMimeType, smallLimit, deadline,
                    attempt);
            try {
                http.execute(request, answer);
            } catch (IOException e) {
                if (answer.hop == null) {
                    return failure(e, target.host(), hopNote, attemptsSoFar, attempt);
                }
                // the outcome is known; this is only the connection being cut off or released
                LOG.debug("Closing the answer from {} after its outcome: {}", target.host(), e.toString());
            }
            if (answer.hop.redirect() == null) {
                return answer.hop.outcome();
            }
            current = answer.hop.redirect();
        }
    }

    /** Reads one answer; whatever happens, an answer not read to its end is cut off rather than drained. */
    private final class Answer implements HttpClientResponseHandler<Void> {
        private final HttpGet request;
        private final URI current;
        private final int hopIndex;
        private final String host;
        private final String declaredMimeType;
        private final int smallLimit;
        private final long deadline;
        private final int attempt;
        Hop hop;

        Answer(HttpGet request, URI current, int hopIndex, String host, String declaredMimeType, int smallLimit,
               long deadline, int attempt) {
            this.request = request;
            this.current = current;
            this.hopIndex = hopIndex;
            this.host = host;
            this.declaredMimeType = declaredMimeType;
            this.smallLimit = smallLimit;
            this.deadline = deadline;
            this.attempt = attempt;
        }

        @Override
        public Void handleResponse(ClassicHttpResponse response) throws IOException {
            try {
                hop = read(response);
            } finally {
                if (hop == null || !hop.keepConnection()) {
                    request.cancel(); // closes the connection at once: the client would otherwise read the rest
                }
            }
            return null;
        }

        private Hop read(ClassicHttpResponse response) throws IOException {
            String hopNote = hopIndex == 0 ? "" : " (redirect " + hopIndex + ")";
            int status = response.getCode();
            HttpEntity entity = response.getEntity();
            boolean small = entity == null || (entity.getContentLength() >= 0 && entity.getContentLength() <= SMALL_BODY);
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = header(response, "Location");
                if (location == null || location.isBlank()) {
                    return Hop.done(failed("HTTP " + status + " without Location from " + host, attempt), small);
                }
                if (hopIndex >= properties.getMaxRedirects()) {
                    return Hop.done(failed("more than " + properties.getMaxRedirects() + " redirects, last from "
                            + host, attempt), small);
                }
                URI next = resolveRedirect(current, location.trim());
                if (next == null) {
                    return Hop.done(failed("HTTP " + status + " with an invalid Location from " + host, attempt),
                            small);
                }
                return Hop.redirect(next, small);
            }
            if (status >= 500 || status == 429 || status == 408) {
                return Hop.done(Attempt.retry("HTTP " + status + " from " + host + hopNote), small);
            }
            if (status < 200 || status >= 300 || status == 206) {
                return Hop.done(failed("HTTP " + status + " from " + host + hopNote, attempt), small);
            }
            String coding = header(response, "Content-Encoding");
            if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
                // a coding the client does not decode (it decodes gzip and deflate, and drops the header)
                return Hop.done(failed("bad HTTP answer from " + host + ": unsupported content-encoding "
                        + coding.trim(), attempt), false);
            }
            long announced = entity == null ? 0 : entity.getContentLength();
            if (smallLimit > 0) {
                if (announced > smallLimit) {
                    return Hop.done(failed("answer from " + host + " larger than " + smallLimit + " bytes", attempt),
                            false);
                }
                return entity == null ? Hop.done(failed("empty body from " + host, attempt), true) : receiveSmall(entity);
            }
            if (announced > properties.getMaxBytes()) {
                return Hop.done(Attempt.done(DownloadResult.notDownloaded(MediaStatus.TOO_LARGE, "Content-Length "
                        + announced + " exceeds the limit of " + properties.getMaxBytes() + " bytes", attempt)), false);
            }
            if (entity == null) {
                return Hop.done(failed("empty body from " + host, attempt), true);
            }
            return receive(entity, header(response, "Content-Type"));
        }

        private Hop receiveSmall(HttpEntity entity) throws IOException {
            // not closed when left early: closing would read the rest; the connection is cut off instead
            InputStream in = entity.getContent();
            byte[] body = in.readNBytes(smallLimit + 1);
            if (body.length > smallLimit) {
                return Hop.done(failed("answer from " + host + " larger than " + smallLimit + " bytes", attempt),
                        false);
            }
            if (body.length == 0) {
                return Hop.done(failed("empty body from " + host, attempt), true);
            }
            return Hop.done(Attempt.body(body), true);
        }

        private Hop receive(HttpEntity entity, String contentType) throws IOException {
            Path temp = createTempFile();
            boolean keep = false;
            try {
                MessageDigest sha256 = sha256();
                byte[] buffer = new byte[64 * 1024];
                byte[] head = new byte[MagicNumbers.HEAD_BYTES];
                int headLength = 0;
                long size = 0;
                long max = properties.getMaxBytes();
                // not closed when left early: closing would read the rest; the connection is cut off instead
                InputStream in = new DigestInputStream(entity.getContent(), sha256);
                try (OutputStream out = openLocal(temp)) {
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        size += n;
                        if (size > max) {
                            return Hop.done(Attempt.done(DownloadResult.notDownloaded(MediaStatus.TOO_LARGE,
                                    "more than the limit of " + max + " bytes", attempt)), false);
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
                            return Hop.done(failed("download from " + host + " took longer than "
                                    + properties.getTotalTimeout(), attempt), false);
                        }
                    }
                }
                if (size == 0) {
                    return Hop.done(failed("empty body from " + host, attempt), true);
                }
                String claimed = contentType;
                String base = MagicNumbers.baseType(claimed);
                if (base == null || base.equals(MagicNumbers.OCTET_STREAM) || base.equals("binary/octet-stream")) {
                    claimed = declaredMimeType != null && !declaredMimeType.isBlank() ? declaredMimeType : claimed;
                }
                MagicNumbers.TypeCheck type = MagicNumbers.check(claimed, head, headLength);
                keep = true;
                return Hop.done(Attempt.done(DownloadResult.downloaded(temp, HexFormat.of().formatHex(sha256.digest()),
                        size, type, attempt)), true);
            } finally {
                if (!keep) {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }

    /** A try that ended in an exception before its answer was known. */
    private static Attempt failure(IOException e, String host, String hopNote, int attemptsSoFar, int attempt) {
        CheckedDnsResolver.AddressRefused refused = cause(e, CheckedDnsResolver.AddressRefused.class);
        if (refused != null) {
            // the name resolved differently when connecting than when checked: nothing was sent
            return Attempt.done(DownloadResult.notDownloaded(MediaStatus.REFUSED, refused.getMessage() + hopNote,
                    attemptsSoFar));
        }
        if (e instanceof LocalWriteFailure) {
            return failed("could not write to the media folder: " + e.getMessage(), attempt);
        }
        if (e instanceof UnknownHostException) {
            return Attempt.retry("unknown host " + host + hopNote);
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException) {
            return failed("TLS handshake with " + host + " failed: " + e.getMessage(), attempt);
        }
        if (isProtocolViolation(e)) {
            return failed("bad HTTP answer from " + host + ": " + message(e), attempt);
        }
        if (e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException) {
            return Attempt.retry("timeout from " + host + hopNote + ": " + e.getMessage());
        }
        return Attempt.retry(e.getClass().getSimpleName() + " from " + host + hopNote
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    /**
     * The server broke HTTP (a malformed head or chunk, an unknown coding, a body that is not the gzip it
     * claims): retrying will not help. A body merely cut short is not one of these.
     */
    private static boolean isProtocolViolation(IOException e) {
        return e instanceof ClientProtocolException
                || e instanceof MessageConstraintException
                || e instanceof ZipException
                || (e instanceof MalformedChunkCodingException && !(e instanceof TruncatedChunkException));
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        if ((message == null || message.isBlank()) && e.getCause() != null) {
            message = e.getCause().getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    /** The link as requested: its fragment is never sent. */
    private static URI withoutFragment(URI uri) throws URISyntaxException {
        return uri.getRawFragment() == null ? uri
                : new URI(uri.toASCIIString().substring(0, uri.toASCIIString().indexOf('#')));
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

    /** The redirect's target against the current link; its fragment is never sent (see withoutFragment). */
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

    static String safeHost(URI uri) {
        return uri.getHost() != null ? uri.getHost() : "(no host)";
    }

    private static void log(String host, DownloadResult result) {
        if (result.downloaded()) {
            LOG.info("Media from {}: {} bytes, {}{}, {} tries", host, result.size(), result.mimeType(),
                    result.declaredMimeType() != null ? " (declared " + result.declaredMimeType() + ")" : "",
                    result.attempts());
        } else {
            LOG.warn("Media from {} not downloaded: {} ({})", host, result.status(), result.failure());
        }
    }
}
