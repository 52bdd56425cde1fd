package org.wagateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneMaskingConverterTest {

    @Test
    void aPhoneKeepsOnlyItsLastFourDigits() {
        assertThat(PhoneMaskingConverter.mask("from 77776662222 to +77770229831"))
                .isEqualTo("from *******2222 to ********9831");
    }

    @Test
    void phonesFrom10To15DigitsAreMasked() {
        assertThat(PhoneMaskingConverter.mask("7776662222 and 491701234567890"))
                .isEqualTo("******2222 and ***********7890");
    }

    @Test
    void aWhatsAppIdIsMaskedToo() {
        assertThat(PhoneMaskingConverter.mask("chat 79001234568@c.us")).isEqualTo("chat *******4568@c.us");
        assertThat(PhoneMaskingConverter.mask("jid 79001234568@s.whatsapp.net, device 79001234568:12@s.whatsapp.net"))
                .isEqualTo("jid *******4568@s.whatsapp.net, device *******4568:12@s.whatsapp.net");
    }

    @Test
    void aGroupIdNamingItsCreatorHasTheCreatorsPhoneMasked() {
        assertThat(PhoneMaskingConverter.mask("group 77776662222-1589412345@g.us"))
                .isEqualTo("group *******2222-1589412345@g.us");
    }

    @Test
    void phonesInJsonAreMasked() {
        assertThat(PhoneMaskingConverter.mask("{\"sender\":\"77776662222\",\"chatId\":\"77770229831@c.us\","
                + "\"receiver\":77015550123}"))
                .isEqualTo("{\"sender\":\"*******2222\",\"chatId\":\"*******9831@c.us\",\"receiver\":*******0123}");
    }

    @Test
    void phonesInUrlsAreMasked() {
        assertThat(PhoneMaskingConverter.mask("GET http://127.0.0.1:8089/chats/77776662222/messages?phone=77770229831"
                + "&to=%2B77015550123&x=1"))
                .isEqualTo("GET http://127.0.0.1:8089/chats/*******2222/messages?phone=*******9831"
                        + "&to=**********0123&x=1");
    }

    @Test
    void phonesInKeyValuesSentencesAndJacksonErrorsAreMasked() {
        assertThat(PhoneMaskingConverter.mask("sender=77776662222, tel:+77770229831. Call 77015550123."))
                .isEqualTo("sender=*******2222, tel:+*******9831. Call *******0123.");
        assertThat(PhoneMaskingConverter.mask("Unexpected character ('7' (code 55)): was expecting double-quote"
                + " at [Source: (String)\"{\"msgText\":\"hi\", 77015550123\"; line: 1, column: 24]"))
                .contains("\"hi\", *******0123\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // ActiveMQ message, connection and producer ids
            "ID:vm-36459-1733046733412-0:1",
            "Apache ActiveMQ 6.1.8 (gateway, ID:vm-36459-1733046733412-0:1) is starting",
            "JMSMessageID ID:gw-host-41925-1733046733412-1:1:1:1:1",
            // UUIDs, one a v7 with a run of 12 digits
            "01912729-1111-7000-a000-000000000001",
            "kazinfoteh:123e4567-e89b-12d3-a456-426614174000",
            // a Camel exchange id, hex and random names with digits in them
            "3F2A1B0C9D8E7F6-0000000000000042",
            "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "Media copies are kept in S3 bucket 'from-env-1a2b3c4d5e-1733046733412'",
            "bucket wagw1733046733412x",
            // a canonical id with a numeric provider id, ISO timestamps, decimals
            "CRM delivery of kazinfoteh:12345678901 failed (503)",
            "receivedAt 2024-08-06T15:13:10.123456789Z, 2024-08-06 15:13:10",
            "took 1733046733.412 s",
            // ports, statuses, counts
            "port 61616, status 503, 3 attempts, 8 to 9 digits: 12345678 123456789",
            // 16 digits and more are not phones
            "order 1234567890123456"
    })
    void numbersInsideLongerTokensAndShortNumbersAreLeftAlone(String text) {
        assertThat(PhoneMaskingConverter.mask(text)).isEqualTo(text);
    }

    @Test
    void epochMillisStandingAloneCannotBeToldFromAPhoneAndAreMasked() {
        assertThat(PhoneMaskingConverter.mask("id=1733046733412 idInstance\":1101000001"))
                .isEqualTo("id=*********3412 idInstance\":******0001");
    }

    @Test
    void nothingToMaskKeepsTheText() {
        assertThat(PhoneMaskingConverter.mask(null)).isNull();
        assertThat(PhoneMaskingConverter.mask("")).isEmpty();
    }
}
