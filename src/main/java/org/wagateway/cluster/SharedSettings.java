package org.wagateway.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The settings every gateway instance on one broker must share, as digests: a webhook, a CRM retry or a media
 * link may be handled by any instance, so one with another provider secret refuses webhooks the others take, one
 * with another link secret or media store cannot open the others' links, one with another id store lets
 * duplicates through, one with another trace hash key writes chats a search on the others does not find. A digest is a SHA-256 of the key and its value, cut to 128 bits: equal values give equal
 * digests on every instance, and the value itself never leaves the instance.
 */
final class SharedSettings {

    static final String LINK_SECRET = "gateway.media.link-secret";
    static final String DATASOURCE_URL = "spring.datasource.url";
    static final String MEDIA_STORE = "gateway.media.store";

    /** Compared always. */
    static final List<String> KEYS = List.of(
            "gateway.kazinfoteh.api-key", "gateway.greenapi.token", "gateway.meta.app-secret",
            "gateway.meta.verify-token", "gateway.meta.access-token", LINK_SECRET, MEDIA_STORE,
            "gateway.media.public-base-url", DATASOURCE_URL, "gateway.crm.url", "gateway.trace.hash-key");
    /** Compared when the media copies go to S3. */
    static final List<String> S3_KEYS = List.of("gateway.media.s3.endpoint", "gateway.media.s3.bucket",
            "gateway.media.s3.prefix");

    private SharedSettings() {
    }

    /** Key → digest of its value on this instance ("unset" for a key without one). */
    static Map<String, String> digests(Environment environment) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String key : KEYS) {
            digests.put(key, digest(key, environment.getProperty(key)));
        }
        if ("s3".equalsIgnoreCase(environment.getProperty(MEDIA_STORE, ""))) {
            for (String key : S3_KEYS) {
                digests.put(key, digest(key, environment.getProperty(key)));
            }
        }
        if (!StringUtils.hasText(environment.getProperty(LINK_SECRET))) {
            // unset, each instance signs its links with a random key of its own: never equal to another's
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            digests.put(LINK_SECRET, "generated-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return digests;
    }

    /**
     * Whether the id store is an H2 database of this instance's own (a file or memory, not an H2 server): with a
     * second instance on the broker, each would see only its own half of the ids.
     */
    static boolean ownIdStore(Environment environment) {
        String url = environment.getProperty(DATASOURCE_URL, "");
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    static String digest(String key, String value) {
        if (!StringUtils.hasText(value)) {
            return "unset";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("whatsapp-gateway shared setting\n" + key + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] hash = sha.digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
