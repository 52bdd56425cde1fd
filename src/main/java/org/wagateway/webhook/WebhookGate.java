package org.wagateway.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Open while the gateway takes webhooks. On shutdown it closes first of all (highest phase), so new webhooks
 * get 503 (providers retry them) while the exchanges already in flight finish and the broker flushes.
 */
@Component
public class WebhookGate implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookGate.class);

    private volatile boolean open;

    public boolean isOpen() {
        return open;
    }

    @Override
    public void start() {
        open = true;
    }

    @Override
    public void stop() {
        open = false;
        LOG.info("Shutting down: webhooks are answered 503 from now on");
    }

    @Override
    public boolean isRunning() {
        return open;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
