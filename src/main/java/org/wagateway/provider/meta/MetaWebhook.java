package org.wagateway.provider.meta;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import org.wagateway.provider.Provider;
import org.wagateway.webhook.ProviderWebhook;
import org.wagateway.webhook.WebhookException;
import org.wagateway.webhook.WebhookSecrets;

/**
 * Meta's (WhatsApp Cloud API) webhook. A POST is signed: {@code X-Hub-Signature-256: sha256=<hex>}, the
 * HMAC-SHA256 of the body's bytes exactly as sent, keyed with the app secret ({@code gateway.meta.app-secret}).
 * The header's shape is checked before the body is read, the HMAC over the raw bytes once they are in, before
 * anything parses or keeps them; the comparison takes the same time however much of it matches.
 *
 * <p>A GET is Meta's subscription handshake ({@code hub.mode=subscribe}, {@code hub.verify_token},
 * {@code hub.challenge}): it passes only with the verify token ({@code gateway.meta.verify-token}; 403 otherwise),
 * and the route then echoes the challenge.
 */
@Component
public class MetaWebhook implements ProviderWebhook {

    static final String VERIFY_TOKEN = "gateway.meta.verify-token";
    static final String APP_SECRET = "gateway.meta.app-secret";
    static final String SIGNATURE = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";
    private static final String HMAC = "HmacSHA256";
    /** An HMAC-SHA256 is 32 bytes: 64 hex digits. */
    private static final int SIGNATURE_HEX_LENGTH = 64;

    private final MetaProperties properties;

    public MetaWebhook(MetaProperties properties) {
        this.properties = properties;
    }

    @Override
    public Provider provider() {
        return Provider.META;
    }

    @Override
    public List<String> unsetKeys() {
        List<String> unset = new ArrayList<>();
        if (WebhookSecrets.isBlank(properties.getAppSecret())) {
            unset.add(APP_SECRET);
        }
        if (WebhookSecrets.isBlank(properties.getVerifyToken())) {
            unset.add(VERIFY_TOKEN);
        }
        return unset;
    }

    @Override
    public List<String> allowedSourceIps() {
        return properties.getAllowedSourceIps();
    }

    /** POST for the events, GET for the subscription handshake (checked in {@link #checkHeaders}). */
    @Override
    public Set<String> methods() {
        return Set.of("GET", "POST");
    }

    @Override
    public void checkHeaders(HttpServletRequest request) {
        if ("GET".equals(request.getMethod())) {
            checkHandshake(request);
            return;
        }
        WebhookSecrets.requireConfigured(provider().id(), properties.getAppSecret());
        signature(request);
    }

    @Override
    public boolean authenticatesBody() {
        return true;
    }

    @Override
    public void checkBody(HttpServletRequest request, byte[] body) {
        if ("GET".equals(request.getMethod())) {
            return;
        }
        byte[] presented = signature(request);
        if (!MessageDigest.isEqual(hmac(properties.getAppSecret(), body), presented)) {
            throw WebhookSecrets.unauthorized(SIGNATURE);
        }
    }

    /** The handshake: {@code hub.mode=subscribe} and the verify token, else 403; 503 while no token is set. */
    private void checkHandshake(HttpServletRequest request) {
        String expected = properties.getVerifyToken();
        WebhookSecrets.requireConfigured(provider().id(), expected);
        String token = request.getParameter("hub.verify_token");
        if (!"subscribe".equals(request.getParameter("hub.mode")) || token == null
                || !WebhookSecrets.constantTimeEquals(expected, token)) {
            throw new WebhookException(403, "verification_failed",
                    "The subscription handshake needs hub.mode=subscribe and the right hub.verify_token");
        }
    }

    /** The signature the header presents, as bytes: {@code sha256=} then 64 hex digits (either case), else 401. */
    static byte[] signature(HttpServletRequest request) {
        String header = request.getHeader(SIGNATURE);
        if (header == null) {
            throw WebhookSecrets.unauthorized(SIGNATURE);
        }
        String value = header.strip();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || value.length() != PREFIX.length() + SIGNATURE_HEX_LENGTH) {
            throw WebhookSecrets.unauthorized(SIGNATURE);
        }
        try {
            return HexFormat.of().parseHex(value, PREFIX.length(), value.length());
        } catch (IllegalArgumentException e) {
            throw WebhookSecrets.unauthorized(SIGNATURE);
        }
    }

    /** HMAC-SHA256 of the bytes, keyed with the app secret's UTF-8 bytes. */
    static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(HMAC + " is not available", e);
        }
    }
}
