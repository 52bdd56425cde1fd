package org.wagateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneMaskingConverterTest {

    @Test
    void aPhoneKeepsOnlyItsLastFourDigits() {
        assertThat(PhoneMaskingConverter.mask("from 77776662222 to +77770229831"))
                .isEqualTo("from *******2222 to ********9831");
    }

    @Test
    void aWhatsAppIdIsMaskedToo() {
        assertThat(PhoneMaskingConverter.mask("chat 79001234568@c.us")).isEqualTo("chat *******4568@c.us");
    }

    @Test
    void shortNumbersAreLeftAlone() {
        assertThat(PhoneMaskingConverter.mask("port 61616, status 503, 3 attempts"))
                .isEqualTo("port 61616, status 503, 3 attempts");
    }
}
