package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookRequestFilterTest {

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
