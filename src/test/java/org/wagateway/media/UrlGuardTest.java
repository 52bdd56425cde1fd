package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wagateway.media.FakeResolver.ip;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pure checks: the fake resolver answers, nothing is looked up or connected. */
class UrlGuardTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "kazinfoteh.kz, kazinfoteh.kz, true",
            "kazinfoteh.kz, KAZINFOTEH.KZ., true",
            "kazinfoteh.kz, evil-kazinfoteh.kz, false",
            "kazinfoteh.kz, kazinfoteh.kz.evil.com, false",
            "*.fbcdn.net, scontent.xx.fbcdn.net, true",
            "*.fbcdn.net, a.fbcdn.net, true",
            "*.fbcdn.net, fbcdn.net, false",
            "*.fbcdn.net, evilfbcdn.net, false",
            "*.fbcdn.net, fbcdn.net.evil.com, false",
            "sw-media*.storage.yandexcloud.net, sw-media.storage.yandexcloud.net, true",
            "sw-media*.storage.yandexcloud.net, sw-media-1101.storage.yandexcloud.net, true",
            "sw-media*.storage.yandexcloud.net, sw-media-out.storage.yandexcloud.net, true",
            "sw-media*.storage.yandexcloud.net, attacker.storage.yandexcloud.net, false",
            "sw-media*.storage.yandexcloud.net, sw-media.x.storage.yandexcloud.net, false",
            "sw-media*.storage.yandexcloud.net, sw-mediaXstorage.yandexcloud.net, false",
    })
    void hostPatterns(String pattern, String host, boolean matches) {
        assertThat(UrlGuard.hostMatches(pattern, host)).isEqualTo(matches);
    }

    @Test
    void theDefaultAllowListCoversTheFixturesMediaHosts() {
        UrlGuard guard = new UrlGuard(MediaProperties.DEFAULT_ALLOWED_HOSTS, false, host -> List.of());

        assertThat(guard.isAllowedHost("kazinfoteh.kz")).isTrue();
        assertThat(guard.isAllowedHost("sw-media-1101.storage.yandexcloud.net")).isTrue();
        assertThat(guard.isAllowedHost("api.green-api.com")).isTrue();
        assertThat(guard.isAllowedHost("mmg.whatsapp.net")).isTrue();
        assertThat(guard.isAllowedHost("scontent.xx.fbcdn.net")).isTrue();
        assertThat(guard.isAllowedHost("127.0.0.1")).isFalse();
        assertThat(guard.isAllowedHost("localhost")).isFalse();
        assertThat(guard.isAllowedHost("metadata.google.internal")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "8.8.8.8, true", "93.184.216.34, true", "1.1.1.1, true", "100.63.255.255, true", "100.128.0.0, true",
            "172.15.255.255, true", "172.32.0.0, true", "192.169.0.1, true",
            "0.0.0.0, false", "0.1.2.3, false", "10.0.0.1, false", "10.255.255.255, false", "127.0.0.1, false",
            "127.1.2.3, false", "100.64.0.1, false", "100.127.255.254, false", "169.254.169.254, false",
            "172.16.0.1, false", "172.31.255.255, false", "192.168.0.1, false", "192.0.0.8, false",
            "192.0.2.1, false", "198.18.0.1, false", "198.51.100.7, false", "203.0.113.9, false",
            "224.0.0.1, false", "239.255.255.250, false", "240.0.0.1, false", "255.255.255.255, false",
    })
    void ipv4Addresses(String address, boolean isPublic) throws Exception {
        assertThat(UrlGuard.isPublic(InetAddress.getByName(address))).isEqualTo(isPublic); // literals: no lookup
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2a00:1450:4001:80b::200e, true", "2606:4700::1111, true",
            "::, false", "::1, false", "fe80::1, false", "febf::1, false", "fec0::1, false", "fc00::1, false",
            "fd12:3456::1, false", "ff02::1, false", "2001:db8::1, false", "2001:0:4136:e378::1, false",
            "100::1, false", "64:ff9b::a00:1, false", "64:ff9b::808:808, true", "2002:a00:1::1, false",
            "2002:808:808::1, true", "::a00:1, false", "4000::1, false",
    })
    void ipv6Addresses(String address, boolean isPublic) throws Exception {
        assertThat(UrlGuard.isPublic(InetAddress.getByName(address))).isEqualTo(isPublic);
    }

    @Test
    void ipv4MappedIpv6IsJudgedByItsIpv4Address() throws Exception {
        byte[] mappedPrivate = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, 1, 1};
        byte[] mappedPublic = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8};

        assertThat(UrlGuard.isPublic(Inet6Address.getByAddress("h", mappedPrivate, -1))).isFalse();
        assertThat(UrlGuard.isPublic(Inet6Address.getByAddress("h", mappedPublic, -1))).isTrue();
        assertThat(UrlGuard.isPublic(InetAddress.getByAddress(mappedPrivate))).isFalse(); // the JDK makes it IPv4
    }

    @Test
    void theTargetCarriesTheCheckedAddressesAndWhatToSend() throws Exception {
        InetAddress address = ip("media.example.test", 93, 184, 216, 34);
        UrlGuard guard = new UrlGuard(List.of("media.example.test"), false, host -> List.of(address));

        UrlGuard.Target target = guard.check(URI.create("HTTPS://Media.Example.Test/a%20b/c.jpg?x=1&y=%2F#frag"));

        assertThat(target.https()).isTrue();
        assertThat(target.port()).isEqualTo(443);
        assertThat(target.host()).isEqualTo("media.example.test");
        assertThat(target.addresses()).containsExactly(address);
        assertThat(target.requestTarget()).isEqualTo("/a%20b/c.jpg?x=1&y=%2F");
        assertThat(target.hostHeader()).isEqualTo("media.example.test");
    }

    @Test
    void nonDefaultPortsAndIpv6LiteralsGoInTheHostHeader() throws Exception {
        InetAddress v6 = InetAddress.getByName("2606:4700::1111");
        UrlGuard guard = new UrlGuard(List.of("2606:4700::1111", "media.example.test"), false, host -> List.of(v6));

        assertThat(guard.check(URI.create("http://[2606:4700::1111]:8080/x")).hostHeader())
                .isEqualTo("[2606:4700::1111]:8080");
        assertThat(guard.check(URI.create("http://media.example.test")).requestTarget()).isEqualTo("/");
    }

    @Test
    void refusalsSayWhyWithoutTheQueryString() {
        UrlGuard guard = new UrlGuard(List.of("media.example.test"), false,
                host -> List.of(ip(host, 10, 0, 0, 1)));

        assertThatThrownBy(() -> guard.check(URI.create("http://media.example.test/a?token=s3cret")))
                .isInstanceOf(UrlGuard.Refused.class)
                .hasMessage("host media.example.test resolves to a non-public address 10.0.0.1");
    }

    @Test
    void privateAddressesPassWhenAllowed() throws Exception {
        UrlGuard guard = new UrlGuard(List.of("media.example.test"), true, host -> List.of(FakeResolver.loopback()));

        assertThat(guard.check(URI.create("http://media.example.test/a")).addresses())
                .containsExactly(FakeResolver.loopback());
    }
}
