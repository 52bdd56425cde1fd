package org.wagateway.webhook;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * Optional second lock on the webhooks, besides the secret: the source addresses (single addresses or CIDR
 * ranges, IPv4 or IPv6) each provider's calls may come from ({@code gateway.<provider>.allowed-source-ips}, read
 * from the provider's {@link ProviderWebhook}). An empty list lets any address through. Behind a reverse proxy the
 * address is the proxy's unless Spring Boot is told to trust its {@code X-Forwarded-For}
 * ({@code server.forward-headers-strategy=native}).
 */
@Component
public class SourceAddressAllowList {

    private static final Logger LOG = LoggerFactory.getLogger(SourceAddressAllowList.class);

    private final Map<String, List<IpAddressMatcher>> byProvider = new HashMap<>();

    public SourceAddressAllowList(List<ProviderWebhook> webhooks) {
        for (ProviderWebhook webhook : webhooks) {
            byProvider.put(webhook.provider().id(), matchers(webhook.provider().id(), webhook.allowedSourceIps()));
        }
    }

    /** Whether a call to {@code /webhooks/<provider>} from this address may go on. */
    public boolean allows(String provider, String remoteAddress) {
        List<IpAddressMatcher> allowed = provider == null ? List.of() : byProvider.getOrDefault(provider, List.of());
        if (allowed.isEmpty()) {
            return true;
        }
        if (remoteAddress == null) {
            return false;
        }
        for (IpAddressMatcher matcher : allowed) {
            try {
                if (matcher.matches(remoteAddress)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false;   // not an address at all
            }
        }
        return false;
    }

    private static List<IpAddressMatcher> matchers(String provider, List<String> ranges) {
        List<IpAddressMatcher> matchers = ranges.stream().map(String::strip).filter(r -> !r.isEmpty())
                .map(IpAddressMatcher::new).toList();
        if (!matchers.isEmpty()) {
            LOG.info("Webhooks of {} are taken only from {}", provider, ranges);
        }
        return matchers;
    }
}
