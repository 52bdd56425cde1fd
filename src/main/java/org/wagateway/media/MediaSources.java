package org.wagateway.media;

import org.springframework.stereotype.Component;
import org.wagateway.provider.Provider;

/**
 * The {@link MediaSource} of a message's provider ({@code provider} of the canonical message): Meta's media come
 * by id through the Graph API, every other provider's by link. A provider name the gateway does not know gets the
 * link source, which fetches only a {@code sourceUrl} on the allow-list.
 */
@Component
public class MediaSources {

    private final LinkMediaSource link;
    private final MetaMediaSource meta;

    public MediaSources(LinkMediaSource link, MetaMediaSource meta) {
        this.link = link;
        this.meta = meta;
    }

    public MediaSource forProvider(String providerId) {
        return Provider.named(providerId).map(this::of).orElse(link);
    }

    private MediaSource of(Provider provider) {
        return switch (provider) {
            case META -> meta;
            case KAZINFOTEH, GREENAPI -> link;
        };
    }
}
