package org.wagateway.idempotency;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.wagateway.flow.ExchangeContract;

/**
 * Lets a provider's retry of a webhook through again when the message could not be completed (its media was
 * not fetched): the retry is then processed instead of being answered as a duplicate. It is a marker next to
 * the id, not a removal of the id, so it works whichever comes first, the marker or the recording of the id.
 */
@Component("providerRetries")
public class ProviderRetries {

    private static final String MARKER = "retry-wanted:";

    private final IdempotentRepository webhookIdempotency;

    public ProviderRetries(@Qualifier("webhookIdempotency") IdempotentRepository webhookIdempotency) {
        this.webhookIdempotency = webhookIdempotency;
    }

    /** After a media failure: the next retry of this webhook is to be processed again. */
    public void allow(@Header(ExchangeContract.Header.CORRELATION_ID) String canonicalId) {
        if (canonicalId != null) {
            webhookIdempotency.add(MARKER + canonicalId);
        }
    }

    /** For a webhook already seen: whether a retry was asked for; the marker is used up. */
    public boolean wanted(@ExchangeProperty(ExchangeContract.Property.CANONICAL_ID) String canonicalId) {
        return canonicalId != null && webhookIdempotency.remove(MARKER + canonicalId);
    }
}
