package org.wagateway.webhook;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.wagateway.config.GatewayProperties;
import org.wagateway.ops.GatewayMetrics;
import org.wagateway.storage.DiskSpaceGuard;

/**
 * The webhooks' front door, before Camel: every answer here is a JSON error like the routes' own. In order:
 * a path on webhook ground that is not spelt plainly ({@link WebhookPath}) is 400 {@code invalid_path}; a
 * gateway shutting down answers 503, and so does one whose data disk is below {@code gateway.data.min-free-disk}
 * (with {@code Retry-After}); a caller outside the provider's allowed source addresses
 * ({@code gateway.<provider>.allowed-source-ips}, when set) gets 403; the caller must hold the provider's secret
 * (401; 404 for a provider the gateway does not have; 503 when none is configured). What each provider checks is
 * its {@link ProviderWebhook}'s: the front door names no provider. None of these is kept: only counted. Then, for
 * authenticated callers only: only the provider's methods are served (POST; 405 otherwise); the body must arrive
 * within {@code gateway.webhook.body-timeout} (408), be at most {@code gateway.webhook.max-body-bytes} (413), pass
 * the provider's check of its raw bytes (a signature: 401, never kept), be JSON (415; a charset other than UTF-8
 * is 415 too: JSON is UTF-8, RFC 8259) and be valid UTF-8 (400 {@code invalid_utf8}). A request refused for its
 * shape (405, 413, 415, 400) is kept (a bounded copy) on {@code whatsapp.dlq.rejected} with the reason, unless
 * the provider signs its bodies and the signature is not (yet) known to be right.
 *
 * <p>The body is read here, bounded, and handed on from memory: Camel's HTTP binding then never meets a body
 * larger than the limit, nor a form it would try to parse. What of it has arrived with the headers is read at
 * once; a body still on its way is read without holding a request thread ({@link AsyncBodyReader}) and the route
 * then runs in an async dispatch, so a client trickling its body holds a connection, not a thread. A refused
 * request's unread body is drained the same way after its answer, then the connection is closed.
 */
@Component
public class WebhookRequestFilter extends OncePerRequestFilter {

    /** The body read by the front door, handed to the async dispatch that runs the route. */
    static final String BODY = WebhookRequestFilter.class.getName() + ".body";

    private final WebhookAuthenticator authenticator;
    private final RejectedWebhooks rejected;
    private final GatewayMetrics metrics;
    private final WebhookGate gate;
    private final DiskSpaceGuard disk;
    private final SourceAddressAllowList sources;
    private final int maxBodyBytes;
    private final Duration bodyTimeout;
    private final long drainBytes;

    public WebhookRequestFilter(WebhookAuthenticator authenticator, RejectedWebhooks rejected, GatewayMetrics metrics,
                                WebhookGate gate, DiskSpaceGuard disk, SourceAddressAllowList sources,
                                GatewayProperties properties,
                                ServerProperties server) {
        this.authenticator = authenticator;
        this.sources = sources;
        this.rejected = rejected;
        this.metrics = metrics;
        this.gate = gate;
        this.disk = disk;
        this.maxBodyBytes = properties.getWebhook().getMaxBodyBytes();
        this.bodyTimeout = properties.getWebhook().getBodyTimeout();
        // as much of a refused body as Tomcat itself would read before closing (server.tomcat.max-swallow-size)
        this.drainBytes = server.getTomcat().getMaxSwallowSize().toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return WebhookPath.of(request).kind() == WebhookPath.Kind.OTHER;
    }

    /** The route runs in the async dispatch that follows the body's read: this filter hands it the body. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isAsyncDispatch(request)) {
            byte[] body = (byte[]) request.getAttribute(BODY);
            chain.doFilter(body == null ? request : new BodyInMemory(request, body), response);
            return;
        }
        WebhookPath path = WebhookPath.of(request);
        String tag = path.metricsTag();
        if (path.isMisspelt()) {
            refuse(request, response, tag, 400, "invalid_path",
                    "Webhooks are served at /webhooks/<provider>, spelt plainly (no escapes, parameters or dot segments)");
            return;
        }
        String provider = path.provider();
        if (!gate.isOpen()) {
            if (gate.isStarting()) {
                refuse(request, response, tag, 503, "starting", "The gateway is starting; please retry");
            } else {
                refuse(request, response, tag, 503, WebhookGate.SHUTTING_DOWN, WebhookGate.SHUTTING_DOWN_MESSAGE);
            }
            return;
        }
        if (disk.isBelowFloor()) {
            // answered from the guard's last measure: a request thread never waits for space
            response.setHeader("Retry-After", String.valueOf(disk.retryAfterSeconds()));
            refuse(request, response, tag, 503, "insufficient_storage",
                    "The gateway is low on disk space; nothing was accepted, please retry");
            return;
        }
        if (!sources.allows(provider, request.getRemoteAddr())) {
            refuse(request, response, tag, 403, "source_not_allowed", "Webhooks are not accepted from this address");
            return;
        }
        ProviderWebhook webhook;
        try {
            webhook = authenticator.check(provider, request);
        } catch (WebhookException e) {
            refuse(request, response, tag, e.status(), e.error(), e.getMessage());
            return;
        }
        // authenticated from here on (a provider that signs its bodies: once the body's signature is checked too):
        // what is refused now is kept, for ops to see
        if (!webhook.methods().contains(request.getMethod())) {
            response.setHeader("Allow", String.join(", ", new TreeSet<>(webhook.methods())));
            if (!webhook.authenticatesBody()) {
                rejected.keep(reason(request, provider, 405, "method_not_allowed"), new byte[0], false);
            }
            refuse(request, response, tag, 405, "method_not_allowed", "Only "
                    + String.join(" and ", new TreeSet<>(webhook.methods()))
                    + (webhook.methods().size() == 1 ? " is" : " are") + " accepted here");
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            // declared too large: only its head is read, to keep
            readRest(request, webhook, declared, new byte[0], RejectedWebhooks.MAX_KEPT_BYTES);
            return;
        }
        // The body mostly arrives with the headers: what the server already holds is taken at once, on this
        // thread, and only a body still on its way is waited for, without a thread.
        byte[] buffered = declared > 0 ? readBuffered(request.getInputStream(), declared) : new byte[0];
        // neither Content-Length nor Transfer-Encoding: the request has no body (RFC 9112, 6.3), nothing to wait for
        boolean bodyless = declared < 0 && request.getHeader("Transfer-Encoding") == null;
        if (buffered.length < declared || declared < 0 && !bodyless) {
            readRest(request, webhook, declared, buffered, maxBodyBytes + 1);
            return;
        }
        Refusal refusal = check(request, webhook, declared, buffered);
        if (refusal != null) {
            if (refusal.keep) {
                rejected.keep(reason(request, provider, refusal.status, refusal.error), buffered, false);
            }
            refuse(request, response, tag, refusal.status, refusal.error, refusal.message, false);
            return;
        }
        chain.doFilter(new BodyInMemory(request, buffered), response);
    }

    private void readRest(HttpServletRequest request, ProviderWebhook webhook, long declared, byte[] prefix,
                          int limit) throws IOException {
        String provider = webhook.provider().id();
        AsyncBodyReader.read(request, prefix, limit, bodyTimeout,
                (reader, body, whole) -> bodyRead(reader, webhook, declared, body, whole),
                timedOut -> {
                    metrics.webhookRejected(provider, 408, "body_timeout");
                    write(timedOut, 408, "body_timeout",
                            "The body did not arrive within " + bodyTimeout.toMillis() + " ms");
                });
    }

    /** The bytes of the body the server has already received: reading them does not block. */
    static byte[] readBuffered(InputStream in, long declared) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(declared, 8192));
        byte[] buffer = new byte[8192];
        long total = 0;
        while (total < declared && in.available() > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, declared - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return out.toByteArray();
    }

    private void bodyRead(AsyncBodyReader reader, ProviderWebhook webhook, long declared, byte[] body,
                          boolean whole) throws IOException {
        HttpServletRequest request = reader.request();
        HttpServletResponse response = reader.response();
        String provider = webhook.provider().id();
        Refusal refusal = check(request, webhook, declared, body);
        if (refusal == null) {
            request.setAttribute(BODY, body);
            reader.dispatch();
            return;
        }
        if (refusal.keep) {
            rejected.keep(reason(request, provider, refusal.status, refusal.error), body, refusal.status == 413);
        }
        metrics.webhookRejected(provider, refusal.status, refusal.error);
        if (!whole) {
            response.setHeader("Connection", "close");
        }
        write(response, refusal.status, refusal.error, refusal.message);
        reader.finish(drainBytes);
    }

    /** A refusal of the body; {@code keep}: the caller is authenticated, so the body is kept for ops. */
    private record Refusal(int status, String error, String message, boolean keep) {

        Refusal(int status, String error, String message) {
            this(status, error, message, true);
        }
    }

    /**
     * The body's checks, in order: size, the provider's check of the raw bytes (a signature), type, charset,
     * UTF-8; null when it passes them all. A body the provider signs is kept only once its signature is right:
     * one too large to be read whole cannot be checked, so it is refused without being kept.
     */
    private Refusal check(HttpServletRequest request, ProviderWebhook webhook, long declared, byte[] body) {
        boolean signed = webhook.authenticatesBody();
        if (declared > maxBodyBytes || body.length > maxBodyBytes) {
            return new Refusal(413, "payload_too_large", "The body is larger than " + maxBodyBytes + " bytes",
                    !signed);
        }
        try {
            webhook.checkBody(request, body);
        } catch (WebhookException e) {
            return new Refusal(e.status(), e.error(), e.getMessage(), false);
        }
        String contentType = request.getContentType();
        if (!isJsonOrAbsent(contentType)) {
            return new Refusal(415, "unsupported_media_type", "Content-Type must be application/json");
        }
        if (!isUtf8OrAbsent(contentType)) {
            return new Refusal(415, "unsupported_charset",
                    "JSON is UTF-8 (RFC 8259): a Content-Type charset other than utf-8 is not accepted");
        }
        if (!isUtf8(body)) {
            return new Refusal(400, "invalid_utf8", "The body is not valid UTF-8");
        }
        return null;
    }

    private static Map<String, String> reason(HttpServletRequest request, String provider, int status, String error) {
        return Map.of("provider", provider, "method", request.getMethod(), "status", String.valueOf(status),
                "error", error, "contentType", String.valueOf(request.getContentType()));
    }

    /**
     * Answers a refusal. A body still on its way is drained without a thread after the answer and the connection
     * then closed: left to Tomcat, a request thread would read it (up to server.tomcat.max-swallow-size), as
     * slowly as the caller cares to send it.
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response, String tag, int status,
                        String error, String message) throws IOException {
        refuse(request, response, tag, status, error, message,
                request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String tag, int status,
                        String error, String message, boolean bodyPending) throws IOException {
        metrics.webhookRejected(tag, status, error);
        if (bodyPending) {
            response.setHeader("Connection", "close");
        }
        write(response, status, error, message);
        if (bodyPending) {
            response.flushBuffer();
            AsyncBodyReader.drain(request, drainBytes, bodyTimeout);
        }
    }

    private static void write(HttpServletResponse response, int status, String error, String message)
            throws IOException {
        RejectionJson.write(response, status, error, message);
    }

    static boolean isJsonOrAbsent(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(type) && !type.isWildcardType()
                    || type.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** No charset parameter, or utf-8 (any case, quoted or not). */
    static boolean isUtf8OrAbsent(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String charset = MediaType.parseMediaType(contentType).getParameter("charset");
        if (charset == null) {
            return true;
        }
        String name = charset.replace("\"", "").strip().toLowerCase(Locale.ROOT);
        return name.equals("utf-8") || name.equals("utf8");
    }

    /** Strictly: malformed or unmappable sequences are errors, never replaced. */
    static boolean isUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(Math.min(Math.max(body.length, 16), 8192));
        try {
            while (true) {
                CoderResult result = decoder.decode(in, out, true);
                if (result.isError()) {
                    result.throwException();
                }
                if (result.isUnderflow()) {
                    result = decoder.flush(out);
                    if (result.isError()) {
                        result.throwException();
                    }
                    return true;
                }
                out.clear();
            }
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The request with its body already read. */
    private static final class BodyInMemory extends HttpServletRequestWrapper {
        private final byte[] body;

        BodyInMemory(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public BufferedReader getReader() {
            // the front door let only UTF-8 through; a buffer of the body's size, not the reader's default 8,192
            // chars (16 KiB) and its decoder's 8 KiB for a body of about one
            String text = new String(body, StandardCharsets.UTF_8);
            return new BufferedReader(new StringReader(text), Math.max(1, text.length()));
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }
    }
}
