package org.wagateway.webhook;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.wagateway.ops.GatewayMetrics;
import org.wagateway.storage.DiskSpaceGuard;

/**
 * Open while the gateway takes webhooks. On shutdown it closes first of all (highest phase), so new webhooks
 * get 503 (providers retry them) while the exchanges already in flight finish and the broker flushes.
 *
 * <p>Open or not, a webhook is also refused while the data disk is below its floor
 * ({@link #refusedForDiskSpace}): 503 with Retry-After, answered from the guard's last measure, so the request
 * thread never waits for space.
 */
@Component
public class WebhookGate implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookGate.class);

    private final DiskSpaceGuard disk;
    private final GatewayMetrics metrics;
    private volatile boolean open;

    public WebhookGate(DiskSpaceGuard disk, GatewayMetrics metrics) {
        this.disk = disk;
        this.metrics = metrics;
    }

    public boolean isOpen() {
        return open;
    }

    /**
     * When the data disk is below {@code gateway.data.min-free-disk}: answers 503 {@code insufficient_storage}
     * with {@code Retry-After} and returns true; otherwise leaves the response alone and returns false.
     */
    public boolean refusedForDiskSpace(HttpServletResponse response, String provider) throws IOException {
        if (!disk.isBelowFloor()) {
            return false;
        }
        metrics.webhookRejected(provider, 503, "insufficient_storage");
        response.setStatus(503);
        response.setHeader("Retry-After", String.valueOf(disk.retryAfterSeconds()));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(("{\"status\":\"rejected\",\"error\":\"insufficient_storage\",\"message\":"
                + "\"The gateway is low on disk space; nothing was accepted, please retry\"}")
                .getBytes(StandardCharsets.UTF_8));
        return true;
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
