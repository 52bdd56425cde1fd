package org.wagateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The checks the providers' webhooks share: a secret compared in constant time, refused whole while unset. */
public final class WebhookSecrets {

    private WebhookSecrets() {
    }

    /**
     * Passes when {@code presented} equals the configured {@code expected}; 503 {@code provider_not_configured}
     * when nothing is configured (an endpoint is never open by accident), 401 {@code unauthorized} otherwise.
     */
    public static void require(String provider, String expected, String presented, String where) {
        requireConfigured(provider, expected);
        if (presented == null || !constantTimeEquals(expected, presented)) {
            throw unauthorized(where);
        }
    }

    /** 503 {@code provider_not_configured} while the secret is unset. */
    public static void requireConfigured(String provider, String expected) {
        if (isBlank(expected)) {
            throw new WebhookException(503, "provider_not_configured",
                    "The " + provider + " webhook is not configured on this gateway");
        }
    }

    public static WebhookException unauthorized(String where) {
        return new WebhookException(401, "unauthorized", "Missing or wrong credentials in " + where);
    }

    /** Compares without an early exit, so timing does not tell how much of a guess was right. */
    public static boolean constantTimeEquals(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    public static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
