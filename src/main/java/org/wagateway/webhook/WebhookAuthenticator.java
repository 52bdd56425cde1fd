package org.wagateway.webhook;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks that a webhook comes from the provider that holds our shared secret, by asking that provider's
 * {@link ProviderWebhook}. A provider whose secret is not configured is refused whole (503), so that an endpoint
 * is never open by accident; a name no provider has is 404.
 */
@Component("webhookAuthenticator")
public class WebhookAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAuthenticator.class);

    private final Map<String, ProviderWebhook> byId = new TreeMap<>();

    public WebhookAuthenticator(List<ProviderWebhook> webhooks) {
        for (ProviderWebhook webhook : webhooks) {
            if (byId.put(webhook.provider().id(), webhook) != null) {
                throw new IllegalStateException("Two webhooks for provider " + webhook.provider().id());
            }
            for (String key : webhook.unsetKeys()) {
                LOG.warn("{} is not set: /webhooks/{} refuses the requests that need it with 503", key,
                        webhook.provider().id());
            }
        }
    }

    /** The webhook of {@code /webhooks/<provider>}, if the gateway has one. */
    public Optional<ProviderWebhook> webhook(String provider) {
        return Optional.ofNullable(provider == null ? null : byId.get(provider));
    }

    /** Checks the caller of {@code /webhooks/<provider>} from the request's head; an unknown provider is 404. */
    public ProviderWebhook check(String provider, HttpServletRequest request) {
        ProviderWebhook webhook = webhook(provider)
                .orElseThrow(() -> new WebhookException(404, "unknown_provider", "No webhook at this path"));
        webhook.checkHeaders(request);
        return webhook;
    }
}
