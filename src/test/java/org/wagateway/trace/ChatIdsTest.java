package org.wagateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Chat and sender ids: one chat however a provider or a person spells it; never a whole number on display. */
class ChatIdsTest {

    @Test
    void everySpellingOfOnePhoneIsOneChat() {
        assertThat(ChatIds.normalise("+7 701 123-45-67")).isEqualTo("77011234567");
        assertThat(ChatIds.normalise("77011234567")).isEqualTo("77011234567");
        assertThat(ChatIds.normalise("77011234567@c.us")).isEqualTo("77011234567");
        assertThat(ChatIds.normalise("77011234567:12@s.whatsapp.net")).isEqualTo("77011234567");
        assertThat(ChatIds.normalise(" (770) 1123 4567 ")).isEqualTo("77011234567");
    }

    @Test
    void aGroupIsFoundByItsDigitsWithOrWithoutItsSuffix() {
        assertThat(ChatIds.normalise("120363369140947676@g.us")).isEqualTo("120363369140947676");
        assertThat(ChatIds.normalise("77776662222-1589412345@g.us")).isEqualTo("777766622221589412345");
    }

    @Test
    void anIdWithoutDigitsIsKeptLowerCaseAndBlankIsNone() {
        assertThat(ChatIds.normalise("Someone@Example")).isEqualTo("someone@example");
        assertThat(ChatIds.normalise("  ")).isNull();
        assertThat(ChatIds.normalise(null)).isNull();
    }

    @Test
    void displayMasksEveryNumberButItsLastFourDigits() {
        assertThat(ChatIds.masked("77776662222")).isEqualTo("*******2222");
        assertThat(ChatIds.masked("79001234568@c.us")).isEqualTo("*******4568@c.us");
        assertThat(ChatIds.masked("16505551234")).isEqualTo("*******1234");
        // not a phone to the log masking, still never shown whole
        assertThat(ChatIds.masked("120363369140947676@g.us")).isEqualTo("**************7676@g.us");
        assertThat(ChatIds.masked("12345678")).isEqualTo("****5678");
        assertThat(ChatIds.masked("1234")).isEqualTo("1234");
        assertThat(ChatIds.masked(null)).isNull();
    }
}
