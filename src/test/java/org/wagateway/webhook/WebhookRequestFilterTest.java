package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookRequestFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "Сәлем 👋", "\uFEFF{}", "\u0000", "\uDBFF\uDFFF"})
    void validUtf8Passes(String text) {
        assertThat(WebhookRequestFilter.isUtf8(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"C328", "FF", "80", "C0AF", "EDA080", "F4908080", "E282", "F0908D", "7BC3"})
    void invalidUtf8IsRefused(String hex) {
        assertThat(WebhookRequestFilter.isUtf8(java.util.HexFormat.of().parseHex(hex))).as(hex).isFalse();
    }

    @Test
    void aLongValidBodyPassesAcrossBufferBoundaries() {
        byte[] body = "я👋".repeat(20_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(WebhookRequestFilter.isUtf8(body)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF8",
            "application/json; charset=\"utf-8\""})
    void utf8OrNoCharsetPasses(String contentType) {
        assertThat(WebhookRequestFilter.isUtf8OrAbsent(contentType)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=iso-8859-1", "application/json; charset=utf-16",
            "application/json; charset=us-ascii"})
    void otherCharsetsAreRefused(String contentType) {
        assertThat(WebhookRequestFilter.isUtf8OrAbsent(contentType)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/vnd.greenapi+json"})
    void jsonContentTypesPass(String contentType) {
        assertThat(WebhookRequestFilter.isJsonOrAbsent(contentType)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "*/*", "not a type"})
    void otherContentTypesAreRefused(String contentType) {
        assertThat(WebhookRequestFilter.isJsonOrAbsent(contentType)).isFalse();
    }
}
