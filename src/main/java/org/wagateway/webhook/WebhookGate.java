package org.wagateway.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Open while the gateway takes webhooks. It opens once the application is ready: Tomcat listens before Camel has
 * started the webhook routes, and a webhook in between would get a 404 that providers may not retry; until then
 * the front door answers 503 (retry). On shutdown it closes first of all (highest phase), so new webhooks get 503
 * while the exchanges already in flight finish and the broker flushes.
 */
@Component
public class WebhookGate implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookGate.class);

    /** The refusal of a request while the gateway stops (the webhook filter's and Tomcat's error valve's). */
    public static final String SHUTTING_DOWN = "shutting_down";
    public static final String SHUTTING_DOWN_MESSAGE = "The gateway is shutting down; please retry";

    private volatile boolean running;
    private volatile boolean open;
    private volatile boolean stopping;

    public boolean isOpen() {
        return open;
    }

    /** Closed because the gateway is stopping. */
    public boolean isStopping() {
        return stopping;
    }

    /** Closed because the gateway has not finished starting (not because it is stopping). */
    public boolean isStarting() {
        return !open && !stopping;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void ready() {
        if (!stopping) {
            open = true;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        stopping = true;
        open = false;
        running = false;
        LOG.info("Shutting down: webhooks are answered 503 from now on");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
