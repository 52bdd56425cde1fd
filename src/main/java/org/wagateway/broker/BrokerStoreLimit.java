package org.wagateway.broker;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.usage.SystemUsage;
import org.apache.activemq.usage.Usage;
import org.wagateway.storage.DiskSpaceGuard;

/**
 * Keeps the embedded broker's store limits where the disk is: at each measure, the store may grow by the free
 * space less half the floor. Webhooks are refused from the floor down; the broker, with
 * {@code sendFailIfNoSpace}, refuses every persistent send (webhooks, stages, scheduled retries) from half the
 * floor down, at once, instead of writing until the disk is full. ActiveMQ's own disk check only lowers the
 * limit to the whole free space, which lets the store fill the disk.
 *
 * <p>Below the floor the broker's scheduled messages (the CRM retries) are also held ({@link ScheduledDelivery}),
 * before the limit falls: fired into a store that refuses them, they would be lost.
 */
final class BrokerStoreLimit implements DiskSpaceGuard.Listener {

    private final BrokerService broker;
    private final ScheduledDelivery scheduled;

    BrokerStoreLimit(BrokerService broker, ScheduledDelivery scheduled) {
        this.broker = broker;
        this.scheduled = scheduled;
    }

    @Override
    public synchronized void measured(DiskSpaceGuard.DiskState state) {
        if (state.belowFloor()) {
            // held before the limit falls, so that no due message fires into a store that refuses it
            scheduled.hold(ScheduledDelivery.Reason.DISK_BELOW_FLOOR);
        }
        limit(broker.getSystemUsage(), state);
        if (!state.belowFloor()) {
            scheduled.release(ScheduledDelivery.Reason.DISK_BELOW_FLOOR);
        }
    }

    /**
     * The store, the scheduler's store and the temporary store may grow by the free space less half the floor.
     * (The gateway sends nothing non-persistent; the temporary store's default of 50 GB made the broker warn at
     * every start on a disk with less free.)
     */
    static void limit(SystemUsage usage, DiskSpaceGuard.DiskState state) {
        long room = Math.max(0, state.freeBytes() - state.floorBytes() / 2);
        limit(usage.getStoreUsage(), room);
        limit(usage.getJobSchedulerUsage(), room);
        limit(usage.getTempUsage(), room);
    }

    private static void limit(Usage<?> usage, long room) {
        // at least 1 byte: a limit of 0 reads as "no limit"
        usage.setLimit(Math.max(1, usage.getUsage() + room));
    }
}
