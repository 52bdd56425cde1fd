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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
    }

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource({
            "media.example.test, https://media.example.test/a.jpg, true",
            "media.example.test, http://media.example.test/a.jpg, true",
            "media.example.test, https://media.example.test:443/a.jpg, true",
            "media.example.test, http://media.example.test:80/a.jpg, true",
            "media.example.test, https://media.example.test:8443/a.jpg, false",
            "media.example.test, http://media.example.test:8080/a.jpg, false",
            "media.example.test, http://media.example.test:443/a.jpg, false",
            "media.example.test, https://media.example.test:80/a.jpg, false",
            "media.example.test:8443, https://media.example.test:8443/a.jpg, true",
            "media.example.test:8443, https://media.example.test/a.jpg, false",
            "media.example.test:8443, http://media.example.test:8444/a.jpg, false",
            "MEDIA.example.test:8443, https://media.EXAMPLE.test:8443/a.jpg, true",
            "*.example.test:8443, https://cdn.example.test:8443/a.jpg, true",
            "*.example.test:8443, https://cdn.example.test/a.jpg, false",
            "*.example.test:8443, https://example.test:8443/a.jpg, false",
            "sw-media*.example.test:9000, http://sw-media-1.example.test:9000/a.jpg, true",
            "media.example.test:*, http://media.example.test:54321/a.jpg, true",
            "media.example.test:*, https://media.example.test/a.jpg, true",
            "media.example.test:*, https://other.example.test:54321/a.jpg, false",
            "[2606:4700::1111]:8080, http://[2606:4700::1111]:8080/a.jpg, true",
            "[2606:4700::1111]:8080, http://[2606:4700::1111]/a.jpg, false",
            "[2606:4700::1111], https://[2606:4700::1111]/a.jpg, true",
            "[2606:4700::1111], https://[2606:4700::1111]:8443/a.jpg, false",
            "2606:4700::1111, https://[2606:4700::1111]/a.jpg, true",
            "2606:4700::1111, http://[2606:4700::1111]:8080/a.jpg, false",
            "[2606:4700::1111]:*, http://[2606:4700::1111]:8080/a.jpg, true",
    })
    void entriesNameTheirPortAndWithoutOneAllowOnlyTheSchemesDefault(String entry, String link, boolean allowed)
            throws Exception {
        UrlGuard guard = new UrlGuard(List.of(entry), false, host -> List.of(ip(host, 93, 184, 216, 34)));

        if (allowed) {
            assertThat(guard.check(URI.create(link)).uri()).isEqualTo(URI.create(link));
        } else {
            assertThatThrownBy(() -> guard.check(URI.create(link))).isInstanceOf(UrlGuard.Refused.class);
        }
    }

    @Test
    void anAllowedHostAtAnotherPortIsRefusedBeforeAnyLookupAndSaysSo() {
        List<String> lookups = new java.util.ArrayList<>();
        UrlGuard guard = new UrlGuard(List.of("media.example.test"), true, host -> {
            lookups.add(host);
            return List.of(FakeResolver.loopback());
        });

        assertThatThrownBy(() -> guard.check(URI.create("http://media.example.test:8080/a?token=s3cret")))
                .isInstanceOf(UrlGuard.Refused.class)
                .hasMessage("host media.example.test is on gateway.media.allowed-hosts but not at port 8080"
                        + " (an entry without :port allows only 80 for http)");
        assertThat(lookups).isEmpty();
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "''", "' '", ":8080", "media.example.test:", "media.example.test:http", "media.example.test:0",
            "media.example.test:65536", "media.example.test:123456", "[2606:4700::1111", "[2606:4700::1111]8080",
            "[]:8080", "media.example.test:-1"})
    void aMalformedEntryIsAnErrorNotASilentRefusal(String entry) {
        assertThatThrownBy(() -> AllowedHost.parse(entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("gateway.media.allowed-hosts entry '" + entry + "'");
        MediaProperties properties = new MediaProperties();
        assertThatThrownBy(() -> properties.setAllowedHosts(List.of("media.example.test", entry)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @EnableConfigurationProperties(MediaProperties.class)
    static class BoundMediaProperties {
    }

    @Test
    void aMalformedEntryStopsTheStartAndWellFormedOnesBind() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(BoundMediaProperties.class);

        runner.withPropertyValues("gateway.media.allowed-hosts=media.example.test:8443,[::1]:*,*.example.test")
                .run(context -> assertThat(context.getBean(MediaProperties.class).getAllowedHosts())
                        .containsExactly("media.example.test:8443", "[::1]:*", "*.example.test"));
        runner.withPropertyValues("gateway.media.allowed-hosts=media.example.test:84430")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("gateway.media.allowed-hosts entry 'media.example.test:84430'"));
    }

    @Test
    void entriesParseIntoHostAndPort() {
        assertThat(AllowedHost.parse(" Media.Example.Test ")).isEqualTo(new AllowedHost("media.example.test", -1));
        assertThat(AllowedHost.parse("media.example.test:8443")).isEqualTo(new AllowedHost("media.example.test", 8443));
        assertThat(AllowedHost.parse("*.example.test:*")).isEqualTo(new AllowedHost("*.example.test", 0));
        assertThat(AllowedHost.parse("[::1]:8080")).isEqualTo(new AllowedHost("::1", 8080));
        assertThat(AllowedHost.parse("[::1]")).isEqualTo(new AllowedHost("::1", -1));
        assertThat(AllowedHost.parse("::1")).isEqualTo(new AllowedHost("::1", -1));
    }

    @Test
    void theDefaultAllowListTakesTheProvidersHttpsLinksOnly() throws Exception {
        UrlGuard guard = new UrlGuard(MediaProperties.DEFAULT_ALLOWED_HOSTS, false,
                host -> List.of(ip(host, 93, 184, 216, 34)));

        assertThat(guard.check(URI.create("https://sw-media-1101.storage.yandexcloud.net/0/a.jpg")).port())
                .isEqualTo(443);
        assertThat(guard.check(URI.create("https://api.kazinfoteh.kz/upl/a.jpeg")).port()).isEqualTo(443);
        assertThatThrownBy(() -> guard.check(URI.create("https://api.kazinfoteh.kz:8443/upl/a.jpeg")))
                .isInstanceOf(UrlGuard.Refused.class);
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
