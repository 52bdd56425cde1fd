package org.wagateway.webhook;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;
import org.wagateway.provider.Provider;

/**
 * Optional second lock on the webhooks, besides the secret: the source addresses (single addresses or CIDR
 * ranges, IPv4 or IPv6) each provider's calls may come from ({@code gateway.<provider>.allowed-source-ips}). An
 * empty list lets any address through. Behind a reverse proxy the address is the proxy's unless Spring Boot is
 * told to trust its {@code X-Forwarded-For} ({@code server.forward-headers-strategy=native}).
 */
@Component
public class SourceAddressAllowList {

    private static final Logger LOG = LoggerFactory.getLogger(SourceAddressAllowList.class);

    private final Map<Provider, List<IpAddressMatcher>> byProvider = new EnumMap<>(Provider.class);

    public SourceAddressAllowList(GatewayProperties properties) {
        for (Provider provider : Provider.values()) {
            byProvider.put(provider, matchers(provider.id(), rangesOf(provider, properties)));
        }
    }

    private static List<String> rangesOf(Provider provider, GatewayProperties properties) {
        return switch (provider) {
            case KAZINFOTEH -> properties.getKazinfoteh().getAllowedSourceIps();
            case GREENAPI -> properties.getGreenapi().getAllowedSourceIps();
            case META -> List.of();
        };
    }

    /** Whether a call to {@code /webhooks/<provider>} from this address may go on. */
    public boolean allows(String provider, String remoteAddress) {
        List<IpAddressMatcher> allowed = Provider.named(provider).map(byProvider::get).orElse(List.of());
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
