package org.wagateway.webhook;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.wagateway.ops.GatewayMetrics;
import org.wagateway.security.SourceAddressAllowList;
import org.wagateway.security.WebhookAuthenticator;

/**
 * The webhooks' front door, before Camel: every answer here is a JSON error like the routes' own.
 * In order: a gateway shutting down answers 503; a caller outside the provider's allowed source addresses
 * ({@code gateway.<provider>.allowed-source-ips}, when set) gets 403; only POST is served (405); the caller must
 * hold the provider's
 * secret (401, or 503 when none is configured; such requests are counted, never kept); the body must be JSON
 * (415) and at most {@code gateway.webhook.max-body-bytes} (413). A request refused for its shape, not its
 * credentials, is kept (a bounded copy) on {@code whatsapp.dlq.rejected} with the reason.
 *
 * <p>The body is read here, bounded, and handed on from memory: Camel's HTTP binding then never meets a body
 * larger than the limit, nor a form it would try to parse.
 */
@Component
public class WebhookRequestFilter extends OncePerRequestFilter {

    private static final String PREFIX = "/webhooks/";

    private final WebhookAuthenticator authenticator;
    private final RejectedWebhooks rejected;
    private final GatewayMetrics metrics;
    private final WebhookGate gate;
    private final SourceAddressAllowList sources;
    private final int maxBodyBytes;

    public WebhookRequestFilter(WebhookAuthenticator authenticator, RejectedWebhooks rejected, GatewayMetrics metrics,
                                WebhookGate gate, SourceAddressAllowList sources,
                                @Value("${gateway.webhook.max-body-bytes:1048576}") int maxBodyBytes) {
        this.authenticator = authenticator;
        this.sources = sources;
        this.rejected = rejected;
        this.metrics = metrics;
        this.gate = gate;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(PREFIX);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String provider = request.getRequestURI().substring(PREFIX.length());
        if (!gate.isOpen()) {
            refuse(response, provider, 503, "shutting_down", "The gateway is shutting down; please retry");
            return;
        }
        if (gate.refusedForDiskSpace(response, provider)) {
            return;
        }
        if (!sources.allows(provider, request.getRemoteAddr())) {
            // like a failed authentication: counted, never kept
            refuse(response, provider, 403, "source_not_allowed",
                    "Webhooks are not accepted from this address");
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            keepAndRefuse(request, response, provider, new byte[0], false, 405, "method_not_allowed",
                    "Only POST is accepted here");
            return;
        }
        try {
            authenticator.check(provider, request.getHeader("X-API-KEY"), request.getHeader("Authorization"));
        } catch (WebhookException e) {
            refuse(response, provider, e.status(), e.error(), e.getMessage());
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            byte[] head = read(request.getInputStream(), RejectedWebhooks.MAX_KEPT_BYTES);
            keepAndRefuse(request, response, provider, head, true, 413, "payload_too_large",
                    "The body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        byte[] body = read(request.getInputStream(), maxBodyBytes + 1, declared);
        if (body.length > maxBodyBytes) {
            keepAndRefuse(request, response, provider, body, true, 413, "payload_too_large",
                    "The body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        if (!isJsonOrAbsent(request.getContentType())) {
            keepAndRefuse(request, response, provider, body, false, 415, "unsupported_media_type",
                    "Content-Type must be application/json");
            return;
        }
        chain.doFilter(new BodyInMemory(request, body), response);
    }

    private void keepAndRefuse(HttpServletRequest request, HttpServletResponse response, String provider, byte[] body,
                               boolean truncated, int status, String error, String message) throws IOException {
        rejected.keep(Map.of("provider", provider, "method", request.getMethod(), "status", String.valueOf(status),
                "error", error, "contentType", String.valueOf(request.getContentType())), body, truncated);
        refuse(response, provider, status, error, message);
    }

    private void refuse(HttpServletResponse response, String provider, int status, String error, String message)
            throws IOException {
        metrics.webhookRejected(provider, status, error);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(("{\"status\":\"rejected\",\"error\":\"" + error + "\",\"message\":\""
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** At most {@code limit} bytes of the stream. */
    static byte[] read(InputStream in, int limit) throws IOException {
        return read(in, limit, -1);
    }

    /** At most {@code limit} bytes of the stream, sized for the declared length when there is one. */
    static byte[] read(InputStream in, int limit, long declared) throws IOException {
        int expected = declared > 0 ? (int) Math.min(declared + 1, limit) : 4096;
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, expected));
        byte[] buffer = new byte[8192];
        int total = 0;
        int n;
        while (total < limit && (n = in.read(buffer, 0, Math.min(buffer.length, limit - total))) != -1) {
            out.write(buffer, 0, n);
            total += n;
        }
        return out.toByteArray();
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
        public java.io.BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            java.nio.charset.Charset charset = encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding);
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), charset));
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
