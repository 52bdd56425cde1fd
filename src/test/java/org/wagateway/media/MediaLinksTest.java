package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MediaLinksTest {

    private static final String SHA = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
    private static final Pattern LINK = Pattern.compile("(.*)/media/([0-9a-f]{64})\\?expires=(\\d+)&signature=([A-Za-z0-9_-]+)");

    private final Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final MediaProperties properties = new MediaProperties();

    private MediaLinks links(Instant at) {
        return new MediaLinks(properties, Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void aLinkIsRelativeByDefaultAndValidForTheTtl() {
        properties.setLinkSecret("a-test-secret-that-is-long-enough-for-hmac");

        String url = links(now).url(SHA);

        Matcher link = LINK.matcher(url);
        assertThat(link.matches()).as(url).isTrue();
        assertThat(link.group(1)).isEmpty();
        assertThat(link.group(2)).isEqualTo(SHA);
        assertThat(Long.parseLong(link.group(3))).isEqualTo(now.plus(Duration.ofDays(7)).getEpochSecond());
        assertThat(links(now).verify(SHA, link.group(3), link.group(4))).isTrue();
        assertThat(links(now.plus(Duration.ofDays(7))).verify(SHA, link.group(3), link.group(4))).isTrue();
        assertThat(links(now.plus(Duration.ofDays(7)).plusSeconds(1)).verify(SHA, link.group(3), link.group(4)))
                .isFalse();
    }

    @Test
    void theSignatureIsBase64UrlHmacSha256OfIdColonExpires() throws Exception {
        properties.setLinkSecret("k");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("k".getBytes(), "HmacSHA256"));
        String expected = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((SHA + ":1700000000").getBytes()));

        assertThat(links(now).sign(SHA, 1_700_000_000L)).isEqualTo(expected);
    }

    @Test
    void thePublicBaseUrlPrefixesTheLink() {
        properties.setPublicBaseUrl("https://gateway.example.test/");

        assertThat(links(now).url(SHA)).startsWith("https://gateway.example.test/media/" + SHA + "?expires=");
    }

    @Test
    void anythingTamperedWithIsRejected() {
        properties.setLinkSecret("secret-one-secret-one-secret-one!");
        MediaLinks links = links(now);
        String expires = String.valueOf(now.plusSeconds(3600).getEpochSecond());
        String signature = links.sign(SHA, Long.parseLong(expires));
        String otherSha = "0".repeat(64);

        assertThat(links.verify(SHA, expires, signature)).isTrue();
        assertThat(links.verify(otherSha, expires, signature)).isFalse();
        assertThat(links.verify(SHA, String.valueOf(Long.parseLong(expires) + 1), signature)).isFalse();
        assertThat(links.verify(SHA, expires, signature.substring(1))).isFalse();
        assertThat(links.verify(SHA, expires, "not base64 !")).isFalse();
        assertThat(links.verify(SHA, expires, "")).isFalse();
        assertThat(links.verify(SHA, expires, null)).isFalse();
        assertThat(links.verify(SHA, null, signature)).isFalse();
        assertThat(links.verify(SHA, "-1", signature)).isFalse();
        assertThat(links.verify(SHA, "12abc", signature)).isFalse();
        assertThat(links.verify(SHA, "99999999999999999999999", signature)).isFalse();
        properties.setLinkSecret("secret-two-secret-two-secret-two!");
        assertThat(links(now).verify(SHA, expires, signature)).isFalse();
    }

    @Test
    void withoutASecretEachStartHasItsOwnRandomKey() {
        properties.setLinkSecret(null);
        MediaLinks one = links(now);
        MediaLinks two = links(now);

        assertThat(one.sign(SHA, 1L)).isNotEqualTo(two.sign(SHA, 1L));
        String expires = String.valueOf(now.plusSeconds(60).getEpochSecond());
        assertThat(one.verify(SHA, expires, one.sign(SHA, Long.parseLong(expires)))).isTrue();
    }

    @Test
    void onlyHashesGetLinks() {
        assertThatThrownBy(() -> links(now).url("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }
}
