package org.wagateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.wagateway.config.GatewayProperties;
import org.wagateway.flow.ExchangeContract.RouteId;
import org.wagateway.provider.greenapi.GreenApiMapper;
import org.wagateway.provider.kazinfoteh.KazinfotehMapper;
import org.wagateway.provider.meta.MetaMapper;
import org.wagateway.webhook.SourceAddressAllowList;
import org.wagateway.webhook.WebhookAuthenticator;
import org.wagateway.webhook.WebhookException;
import org.wagateway.webhook.WebhookPath;

/** Every place that knows the providers asks {@link Provider}: the list cannot disagree with itself. */
class ProviderTest {

    private static final Set<String> IDS = Arrays.stream(Provider.values()).map(Provider::id)
            .collect(Collectors.toSet());

    @Test
    void eachProviderHasAWebhookRouteAtItsPath() throws IOException {
        for (Provider provider : Provider.values()) {
            Path route = Path.of("routes", provider.id() + RouteId.WEBHOOK_SUFFIX + ".camel.yaml");
            assertThat(route).exists();
            assertThat(Files.readString(route))
                    .contains("id: " + provider.id() + RouteId.WEBHOOK_SUFFIX + "\n")
                    .contains("uri: platform-http:/webhooks/" + provider.id() + "\n");
        }
        assertThat(Set.of(RouteId.GREENAPI_WEBHOOK, RouteId.KAZINFOTEH_WEBHOOK))
                .isEqualTo(IDS.stream().map(id -> id + RouteId.WEBHOOK_SUFFIX).collect(Collectors.toSet()));
    }

    @Test
    void theMappersNameTheirProviderFromTheList() {
        assertThat(Set.of(KazinfotehMapper.PROVIDER, GreenApiMapper.PROVIDER, MetaMapper.PROVIDER)).isEqualTo(IDS);
    }

    @Test
    void theWebhookPathCountsKnownProvidersByNameAndAnyOtherAsUnknown() {
        for (Provider provider : Provider.values()) {
            assertThat(WebhookPath.of("/webhooks/" + provider.id()).metricsTag()).isEqualTo(provider.id());
        }
        assertThat(WebhookPath.of("/webhooks/whatsapp").metricsTag()).isEqualTo("unknown");
        assertThat(Provider.named("GreenApi")).isEmpty();
    }

    @Test
    void authenticationAndTheAllowListKnowEveryProvider() {
        GatewayProperties unconfigured = new GatewayProperties();
        WebhookAuthenticator authenticator = new WebhookAuthenticator(unconfigured);
        SourceAddressAllowList allowList = new SourceAddressAllowList(unconfigured);
        for (Provider provider : Provider.values()) {
            // known, but without a secret: refused whole, never "no such webhook"
            assertThatThrownBy(() -> authenticator.check(provider.id(), "x", "Bearer x"))
                    .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(503));
            assertThat(allowList.allows(provider.id(), "192.0.2.1")).isTrue();
        }
        assertThatThrownBy(() -> authenticator.check("whatsapp", "x", "Bearer x"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
