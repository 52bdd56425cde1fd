package org.wagateway.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The keyed hash the trace searches chats by. */
class ChatHasherTest {

    @Test
    void isTheHmacSha256OfTheNormalisedId() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("key-one".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("77011234567".getBytes(StandardCharsets.UTF_8)));

        ChatHasher hasher = new ChatHasher("key-one");

        assertThat(hasher.hash("+7 701 123-45-67")).isEqualTo(expected);
        assertThat(hasher.hash("77011234567@c.us")).isEqualTo(expected);
        assertThat(hasher.hash("77011234567")).isEqualTo(expected).hasSize(64).doesNotContain("77011234567");
    }

    @Test
    void anotherKeyGivesAnotherHash() {
        assertThat(new ChatHasher("key-one").hash("77011234567"))
                .isNotEqualTo(new ChatHasher("key-two").hash("77011234567"));
    }

    @Test
    void noIdNoHashAndNoEmptyKey() {
        assertThat(new ChatHasher("k").hash(null)).isNull();
        assertThatThrownBy(() -> new ChatHasher("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChatHasher("secret-key").toString()).doesNotContain("secret-key");
    }
}
