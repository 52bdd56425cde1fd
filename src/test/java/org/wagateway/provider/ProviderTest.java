package org.wagateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.core.type.filter.TypeFilter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.ClassUtils;
import org.wagateway.flow.ExchangeContract.RouteId;
import org.wagateway.provider.greenapi.GreenApiMapper;
import org.wagateway.provider.kazinfoteh.KazinfotehMapper;
import org.wagateway.provider.meta.MetaMapper;
import org.wagateway.webhook.ProviderWebhook;
import org.wagateway.webhook.SourceAddressAllowList;
import org.wagateway.webhook.WebhookAuthenticator;
import org.wagateway.webhook.WebhookException;
import org.wagateway.webhook.WebhookPath;

/**
 * Every place that knows the providers asks {@link Provider}: the list cannot disagree with itself. A provider is
 * one unit: its package {@code provider/<id>/} holds its one {@link ProviderWebhook} and its
 * {@code gateway.<id>.*} properties, and its route is {@code routes/<id>-webhook.camel.yaml}.
 */
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
        assertThat(Set.of(RouteId.GREENAPI_WEBHOOK, RouteId.KAZINFOTEH_WEBHOOK, RouteId.META_WEBHOOK))
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
    void eachProviderIsOneUnitInItsPackage() throws Exception {
        Map<Provider, List<Class<?>>> webhooks = new EnumMap<>(Provider.class);
        for (Class<?> type : classes(new AssignableTypeFilter(ProviderWebhook.class))) {
            ProviderWebhook webhook = unconfigured(type);
            assertThat(type.getPackageName()).as(type.getName())
                    .isEqualTo(Provider.class.getPackageName() + "." + webhook.provider().id());
            webhooks.computeIfAbsent(webhook.provider(), p -> new ArrayList<>()).add(type);
        }
        Map<String, Class<?>> settings = new TreeMap<>();
        for (Class<?> type : classes(new AnnotationTypeFilter(ConfigurationProperties.class))) {
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            if (type.getPackageName().startsWith(Provider.class.getPackageName() + ".")) {
                settings.put(type.getPackageName(), type);
                assertThat(prefix).as(type.getName()).isEqualTo("gateway." + type.getPackageName()
                        .substring(Provider.class.getPackageName().length() + 1));
            }
        }
        for (Provider provider : Provider.values()) {
            assertThat(webhooks.get(provider)).as("the ProviderWebhook of " + provider).hasSize(1);
            assertThat(settings).as("the *Properties of " + provider)
                    .containsKey(Provider.class.getPackageName() + "." + provider.id());
        }
    }

    @Test
    void authenticationAndTheAllowListKnowEveryProvider() throws Exception {
        List<ProviderWebhook> unconfigured = new ArrayList<>();
        for (Class<?> type : classes(new AssignableTypeFilter(ProviderWebhook.class))) {
            unconfigured.add(unconfigured(type));
        }
        WebhookAuthenticator authenticator = new WebhookAuthenticator(unconfigured);
        SourceAddressAllowList allowList = new SourceAddressAllowList(unconfigured);
        for (Provider provider : Provider.values()) {
            // known, but without a secret: refused whole, never "no such webhook"
            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/" + provider.id());
            request.addHeader("X-API-KEY", "x");
            request.addHeader("Authorization", "Bearer x");
            assertThatThrownBy(() -> authenticator.check(provider.id(), request))
                    .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(503));
            assertThat(allowList.allows(provider.id(), "192.0.2.1")).isTrue();
        }
        assertThatThrownBy(() -> authenticator.check("whatsapp", new MockHttpServletRequest("POST", "/webhooks/whatsapp")))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    private static List<Class<?>> classes(TypeFilter filter) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(filter);
        return scanner.findCandidateComponents("org.wagateway").stream()
                .map(candidate -> ClassUtils.resolveClassName(candidate.getBeanClassName(), null))
                .collect(Collectors.toList());
    }

    /** The webhook with its properties as they are by default (no secret set). */
    private static ProviderWebhook unconfigured(Class<?> type) throws Exception {
        Constructor<?> constructor = type.getConstructors()[0];
        Object[] arguments = Arrays.stream(constructor.getParameterTypes()).map(BeanUtils::instantiateClass).toArray();
        return (ProviderWebhook) constructor.newInstance(arguments);
    }
}
