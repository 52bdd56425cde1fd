package org.wagateway.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.apache.activemq.usage.SystemUsage;
import org.junit.jupiter.api.Test;
import org.wagateway.storage.DiskSpaceGuard.DiskState;

/** Where the embedded broker's store limits go for a measure of the data disk. */
class BrokerStoreLimitTest {

    private static final long MIB = 1024L * 1024;

    private static DiskState disk(long freeMiB, long floorMiB) {
        return new DiskState(Path.of("data"), freeMiB * MIB, 100_000 * MIB, floorMiB * MIB, Instant.EPOCH);
    }

    @Test
    void everyStoreMayGrowByTheFreeSpaceLessHalfTheFloor() {
        SystemUsage usage = new SystemUsage();

        BrokerStoreLimit.limit(usage, disk(10_000, 256));

        assertThat(usage.getStoreUsage().getLimit()).isEqualTo((10_000 - 128) * MIB);
        assertThat(usage.getJobSchedulerUsage().getLimit()).isEqualTo((10_000 - 128) * MIB);
        assertThat(usage.getTempUsage().getLimit()).as("below the free space: no warning at the broker's start")
                .isEqualTo((10_000 - 128) * MIB);
    }

    @Test
    void belowHalfTheFloorNoStoreMayGrow() {
        SystemUsage usage = new SystemUsage();

        BrokerStoreLimit.limit(usage, disk(100, 256));

        assertThat(usage.getStoreUsage().getLimit()).isEqualTo(1);
        assertThat(usage.getTempUsage().getLimit()).isEqualTo(1);
    }
}
