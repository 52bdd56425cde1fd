package org.wagateway.storage;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Health component {@code dataDisk}: DOWN while the data folder's disk is below {@code gateway.data.min-free-disk}
 * (webhooks are refused then), with the free bytes, the floor and the time of the measure. Reads the guard's last
 * measure: a health probe costs no disk call.
 */
@Component("dataDiskHealthIndicator")
public class DataDiskHealthIndicator extends AbstractHealthIndicator {

    private final DiskSpaceGuard guard;

    public DataDiskHealthIndicator(DiskSpaceGuard guard) {
        super("Data disk check failed");
        this.guard = guard;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        DiskSpaceGuard.DiskState state = guard.state();
        (state.belowFloor() ? builder.down() : builder.up())
                .withDetail("free", state.freeBytes())
                .withDetail("total", state.totalBytes())
                .withDetail("floor", state.floorBytes())
                .withDetail("measuredAt", state.measuredAt().toString());
        if (state.belowFloor()) {
            builder.withDetail("reason", "below gateway.data.min-free-disk: webhooks are answered 503");
        }
    }
}
