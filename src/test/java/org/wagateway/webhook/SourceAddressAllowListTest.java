package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wagateway.provider.greenapi.GreenApiProperties;
import org.wagateway.provider.greenapi.GreenApiWebhook;
import org.wagateway.provider.kazinfoteh.KazinfotehProperties;
import org.wagateway.provider.kazinfoteh.KazinfotehWebhook;

class SourceAddressAllowListTest {

    private static SourceAddressAllowList allowing(List<String> kazinfoteh, List<String> greenapi) {
        KazinfotehProperties kazinfotehProperties = new KazinfotehProperties();
        kazinfotehProperties.setAllowedSourceIps(kazinfoteh);
        GreenApiProperties greenApiProperties = new GreenApiProperties();
        greenApiProperties.setAllowedSourceIps(greenapi);
        return new SourceAddressAllowList(List.of(new KazinfotehWebhook(kazinfotehProperties),
                new GreenApiWebhook(greenApiProperties)));
    }

    @Test
    void anEmptyListLetsEveryAddressThrough() {
        SourceAddressAllowList list = allowing(List.of(), List.of());
        assertThat(list.allows("kazinfoteh", "198.51.100.7")).isTrue();
        assertThat(list.allows("greenapi", "2001:db8::1")).isTrue();
    }

    @Test
    void cidrRangesAndSingleAddressesAreMatched() {
        SourceAddressAllowList list = allowing(List.of("198.51.100.0/24", " 192.0.2.10 "), List.of());
        assertThat(list.allows("kazinfoteh", "198.51.100.200")).isTrue();
        assertThat(list.allows("kazinfoteh", "192.0.2.10")).isTrue();
        assertThat(list.allows("kazinfoteh", "192.0.2.11")).isFalse();
        assertThat(list.allows("kazinfoteh", "198.51.101.1")).isFalse();
    }

    @Test
    void ipv6RangesAreMatched() {
        SourceAddressAllowList list = allowing(List.of(), List.of("2001:db8::/32"));
        assertThat(list.allows("greenapi", "2001:db8:0:1::5")).isTrue();
        assertThat(list.allows("greenapi", "2001:db9::1")).isFalse();
        assertThat(list.allows("greenapi", "198.51.100.1")).isFalse();
    }

    @Test
    void eachProviderHasItsOwnList() {
        SourceAddressAllowList list = allowing(List.of("198.51.100.0/24"), List.of());
        assertThat(list.allows("kazinfoteh", "203.0.113.9")).isFalse();
        assertThat(list.allows("greenapi", "203.0.113.9")).isTrue();
    }

    @Test
    void somethingThatIsNoAddressIsRefused() {
        SourceAddressAllowList list = allowing(List.of("198.51.100.0/24"), List.of());
        assertThat(list.allows("kazinfoteh", null)).isFalse();
        assertThat(list.allows("kazinfoteh", "not-an-address")).isFalse();
    }
}
