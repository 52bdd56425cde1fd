package org.wagateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;
import org.wagateway.provider.Provider;

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
        for (Provider provider : Provider.values()) {
            if (blank(secretOf(provider))) {
                LOG.warn("{} is not set: POST /webhooks/{} refuses every request with 503", secretKey(provider),
                        provider.id());
            }
        }
    }

    /**
     * Checks the caller of {@code /webhooks/<provider>} from its raw headers; an unknown provider is 404.
     */
    public void check(String provider, String apiKey, String authorization) {
        Provider known = Provider.named(provider)
                .orElseThrow(() -> new WebhookException(404, "unknown_provider", "No webhook at this path"));
        switch (known) {
            case KAZINFOTEH -> kazinfoteh(apiKey);
            case GREENAPI -> greenapi(authorization);
            case META -> check(Provider.META, null, "X-Hub-Signature-256");
        }
    }

    /** The shared secret configured for a provider (blank: its webhook is refused). */
    private String secretOf(Provider provider) {
        return switch (provider) {
            case KAZINFOTEH -> properties.getKazinfoteh().getApiKey();
            case GREENAPI -> properties.getGreenapi().getToken();
            case META -> null;
        };
    }

    private static String secretKey(Provider provider) {
        return switch (provider) {
            case KAZINFOTEH -> "gateway.kazinfoteh.api-key";
            case GREENAPI -> "gateway.greenapi.token";
            case META -> "gateway.meta.app-secret";
        };
    }

    /** Kazinfoteh sends the key we gave it in {@code X-API-KEY}. */
    public void kazinfoteh(String apiKey) {
        check(Provider.KAZINFOTEH, apiKey, "X-API-KEY");
    }

    /** Green API sends {@code Authorization: Bearer <token>}. */
    public void greenapi(String authorization) {
        String token = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim()
                : null;
        check(Provider.GREENAPI, token, "Authorization: Bearer");
    }

    private void check(Provider provider, String presented, String where) {
        String expected = secretOf(provider);
        if (blank(expected)) {
            throw new WebhookException(503, "provider_not_configured",
                    "The " + provider.id() + " webhook is not configured on this gateway");
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
