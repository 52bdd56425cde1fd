package org.wagateway.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;
import org.wagateway.ops.GatewayMetrics;
import org.wagateway.webhook.RejectionJson;
import org.wagateway.webhook.WebhookPath;

/**
 * The answer to a request Spring Security's firewall (its default StrictHttpFirewall) refuses before any chain
 * runs: encoded slashes, dots or percent signs, {@code ;} parameters, dot segments, double slashes, control
 * characters in the URL or headers, unusual methods. A JSON 400 like every other refusal; Spring Security takes
 * the one {@link RequestRejectedHandler} bean of the context.
 */
@Component
public class FirewallRejections implements RequestRejectedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FirewallRejections.class);

    private final GatewayMetrics metrics;

    public FirewallRejections(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejection)
            throws IOException {
        LOG.debug("Request refused by the firewall: {}", rejection.getMessage());
        if (WebhookPath.of(request).kind() != WebhookPath.Kind.OTHER) {
            metrics.webhookRejected("unknown", 400, "invalid_request");
        }
        byte[] json = RejectionJson.of("invalid_request",
                "The request's URL, method or headers are not in a plain form; nothing of it was processed");
        // 400 makes Tomcat close the connection without reading a body that may follow
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
