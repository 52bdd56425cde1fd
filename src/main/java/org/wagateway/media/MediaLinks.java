package org.wagateway.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Signed links to kept copies: {@code <public-base-url>/media/<sha256>?expires=<epoch seconds>&signature=<sig>},
 * where sig is the unpadded base64url HMAC-SHA256, keyed with {@code gateway.media.link-secret}, of
 * {@code <sha256>:<expires>}. A link is valid until {@code expires} (now + {@code link-ttl} when made).
 *
 * <p>With no secret set, a random one is made at start (and never logged): links then stop working at the next
 * restart, and instances behind one load balancer would not accept each other's links.
 */
@Component
public class MediaLinks {

    private static final Logger LOG = LoggerFactory.getLogger(MediaLinks.class);
    private static final String HMAC = "HmacSHA256";

    private final MediaProperties properties;
    private final Clock clock;
    private final SecretKeySpec key;

    @Autowired
    public MediaLinks(MediaProperties properties) {
        this(properties, Clock.systemUTC());
    }

    public MediaLinks(MediaProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        String secret = properties.getLinkSecret();
        byte[] keyBytes;
        if (secret == null || secret.isBlank()) {
            keyBytes = new byte[32];
            new SecureRandom().nextBytes(keyBytes);
            LOG.warn("gateway.media.link-secret is not set: media links are signed with a random key made at start "
                    + "and stop working when the gateway restarts");
        } else {
            keyBytes = secret.getBytes(StandardCharsets.UTF_8);
            if (keyBytes.length < 32) {
                LOG.warn("gateway.media.link-secret is shorter than 32 bytes; use a longer random value");
            }
        }
        this.key = new SecretKeySpec(keyBytes, HMAC);
    }

    /** A link to the copy valid for {@code gateway.media.link-ttl} from now. */
    public String url(String sha256) {
        return url(sha256, clock.instant().plus(properties.getLinkTtl()));
    }

    /** A link to the copy valid until {@code expiresAt} (to the second). */
    public String url(String sha256, Instant expiresAt) {
        if (!MediaStore.isValidId(sha256)) {
            throw new IllegalArgumentException("not a hex SHA-256: " + sha256);
        }
        long expires = expiresAt.getEpochSecond();
        String base = properties.getPublicBaseUrl() == null ? "" : properties.getPublicBaseUrl().trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/media/" + sha256 + "?expires=" + expires + "&signature=" + sign(sha256, expires);
    }

    /** The signature of a link; see the class comment. */
    public String sign(String sha256, long expires) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(sha256 + ":" + expires));
    }

    /**
     * Whether a link's parameters are genuine and not expired: compared in constant time; a missing, malformed
     * or expired value is simply false.
     */
    public boolean verify(String sha256, String expires, String signature) {
        if (sha256 == null || expires == null || signature == null || expires.length() > 19
                || !expires.chars().allMatch(c -> c >= '0' && c <= '9') || expires.isEmpty()) {
            return false;
        }
        return verify(sha256, Long.parseLong(expires), signature);
    }

    /** As {@link #verify(String, String, String)}, with {@code expires} in epoch seconds. */
    public boolean verify(String sha256, long expires, String signature) {
        if (sha256 == null || signature == null || expires < clock.instant().getEpochSecond()) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(sha256 + ":" + expires), given);
    }

    private byte[] hmac(String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
