package org.wagateway.delivery;

import org.apache.camel.Header;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Lets a provider's retry of a webhook through again: used when a message could not be completed (its media
 * was not fetched), so that the retry is processed instead of being answered as a duplicate.
 */
@Component("providerRetries")
public class ProviderRetries {

    private final IdempotentRepository webhookIdempotency;

    public ProviderRetries(@Qualifier("webhookIdempotency") IdempotentRepository webhookIdempotency) {
        this.webhookIdempotency = webhookIdempotency;
    }

    public void allow(@Header("JMSCorrelationID") String canonicalId) {
        if (canonicalId != null) {
            webhookIdempotency.remove(canonicalId);
        }
    }
}
