package org.wagateway.provider.kazinfoteh;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Component;
import org.wagateway.provider.Provider;
import org.wagateway.webhook.ProviderWebhook;
import org.wagateway.webhook.WebhookSecrets;

/** Kazinfoteh's webhook: it sends the key we gave it in {@code X-API-KEY} ({@code gateway.kazinfoteh.api-key}). */
@Component
public class KazinfotehWebhook implements ProviderWebhook {

    static final String API_KEY = "gateway.kazinfoteh.api-key";

    private final KazinfotehProperties properties;

    public KazinfotehWebhook(KazinfotehProperties properties) {
        this.properties = properties;
    }

    @Override
    public Provider provider() {
        return Provider.KAZINFOTEH;
    }

    @Override
    public List<String> unsetKeys() {
        return WebhookSecrets.isBlank(properties.getApiKey()) ? List.of(API_KEY) : List.of();
    }

    @Override
    public List<String> allowedSourceIps() {
        return properties.getAllowedSourceIps();
    }

    @Override
    public void checkHeaders(HttpServletRequest request) {
        WebhookSecrets.require(provider().id(), properties.getApiKey(), request.getHeader("X-API-KEY"), "X-API-KEY");
    }
}
