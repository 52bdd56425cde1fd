package org.wagateway.provider.greenapi;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Component;
import org.wagateway.provider.Provider;
import org.wagateway.webhook.ProviderWebhook;
import org.wagateway.webhook.WebhookSecrets;

/** Green API's webhook: it sends {@code Authorization: Bearer <token>} ({@code gateway.greenapi.token}). */
@Component
public class GreenApiWebhook implements ProviderWebhook {

    static final String TOKEN = "gateway.greenapi.token";
    private static final String BEARER = "Bearer ";

    private final GreenApiProperties properties;

    public GreenApiWebhook(GreenApiProperties properties) {
        this.properties = properties;
    }

    @Override
    public Provider provider() {
        return Provider.GREENAPI;
    }

    @Override
    public List<String> unsetKeys() {
        return WebhookSecrets.isBlank(properties.getToken()) ? List.of(TOKEN) : List.of();
    }

    @Override
    public List<String> allowedSourceIps() {
        return properties.getAllowedSourceIps();
    }

    @Override
    public void checkHeaders(HttpServletRequest request) {
        WebhookSecrets.require(provider().id(), properties.getToken(), bearer(request.getHeader("Authorization")),
                "Authorization: Bearer");
    }

    /** The token of {@code Authorization: Bearer <token>}, the scheme in any case; null for any other header. */
    static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).trim()
                : null;
    }
}
