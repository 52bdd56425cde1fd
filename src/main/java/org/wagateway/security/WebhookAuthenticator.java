package org.wagateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;
import org.wagateway.webhook.WebhookException;

/**
 * Checks that a webhook comes from the provider that holds our shared secret. A provider whose secret is not
 * configured is refused whole (503), so that an endpoint is never open by accident.
 */
@Component("webhookAuthenticator")
public class WebhookAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAuthenticator.class);
    private static final String BEARER = "Bearer ";

    private final GatewayProperties properties;

    public WebhookAuthenticator(GatewayProperties properties) {
        this.properties = properties;
        if (blank(properties.getKazinfoteh().getApiKey())) {
            LOG.warn("gateway.kazinfoteh.api-key is not set: POST /webhooks/kazinfoteh refuses every request with 503");
        }
        if (blank(properties.getGreenapi().getToken())) {
            LOG.warn("gateway.greenapi.token is not set: POST /webhooks/greenapi refuses every request with 503");
        }
    }

    /**
     * Checks the caller of {@code /webhooks/<provider>} from its raw headers; an unknown provider is 404.
     */
    public void check(String provider, String apiKey, String authorization) {
        switch (provider) {
            case "kazinfoteh" -> kazinfoteh(apiKey);
            case "greenapi" -> greenapi(authorization);
            default -> throw new WebhookException(404, "unknown_provider", "No webhook at this path");
        }
    }

    /** Kazinfoteh sends the key we gave it in {@code X-API-KEY}. */
    public void kazinfoteh(String apiKey) {
        check("kazinfoteh", properties.getKazinfoteh().getApiKey(), apiKey, "X-API-KEY");
    }

    /** Green API sends {@code Authorization: Bearer <token>}. */
    public void greenapi(String authorization) {
        String token = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim()
                : null;
        check("greenapi", properties.getGreenapi().getToken(), token, "Authorization: Bearer");
    }

    private static void check(String provider, String expected, String presented, String where) {
        if (blank(expected)) {
            throw new WebhookException(503, "provider_not_configured",
                    "The " + provider + " webhook is not configured on this gateway");
        }
        if (presented == null || !constantTimeEquals(expected, presented)) {
            throw new WebhookException(401, "unauthorized",
                    "Missing or wrong credentials in " + where);
        }
    }

    /** Compares without an early exit, so timing does not tell how much of a guess was right. */
    static boolean constantTimeEquals(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
