package org.wagateway.provider;

import java.util.Locale;
import java.util.Optional;

/**
 * The providers the gateway has a webhook for: the one list that the webhook path, its authentication, the
 * source allow-list and the mappers ask. A provider's name is its {@link #id()}: the path segment of
 * {@code /webhooks/<id>}, the {@code provider} of its canonical messages and the start of its webhook route's id
 * ({@code <id>-webhook}). Code that needs a provider's own settings switches over this enum, so a new provider
 * does not compile until each such place knows it.
 */
public enum Provider {
    KAZINFOTEH,
    GREENAPI,
    /** Meta's WhatsApp Cloud API (WhatsApp Business Platform). */
    META;

    private final String id = name().toLowerCase(Locale.ROOT);

    public String id() {
        return id;
    }

    /** The provider of this name ({@link #id()}); empty for any other name, whatever its letter case. */
    public static Optional<Provider> named(String id) {
        for (Provider provider : values()) {
            if (provider.id.equals(id)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }
}
