package org.wagateway.bench;

import java.util.Map;

import org.wagateway.bench.Numbers.LongList;

/**
 * The exactly-once check at the end of a run, from what the load generator saw accepted, what the CRM stub
 * received and what still waits on the gateway's stage queues; and the end-to-end latencies (sent → CRM).
 */
final class Delivery {

    /** Accepted messages that neither reached the CRM nor wait on a stage queue. */
    final long lost;
    /** Accepted messages not at the CRM yet, as many as the stage queues still hold: late, not (yet) lost. */
    final long stillQueued;
    /** Idempotency-Keys the CRM received more than once, and the POSTs beyond the first. */
    final long duplicatedKeys;
    final long extraPosts;
    /** Keys at the CRM whose webhook got no 2xx at the load generator (a timeout on its side). */
    final long unconfirmed;
    final int accepted;
    /** Everything accepted is at the CRM, exactly once. */
    final boolean countsOk;
    /** Nothing lost and nothing twice; some may still be queued. */
    final boolean nothingLost;
    /** End-to-end latencies in µs of the open loop's and the saturation's messages, sorted. */
    final long[] e2eOpen;
    final long[] e2eSat;
    /** Messages whose first POST reached the CRM within the saturation window. */
    final long satDeliveredInWindow;

    private Delivery(long lost, long stillQueued, long duplicatedKeys, long extraPosts, long unconfirmed, int accepted,
            long[] e2eOpen, long[] e2eSat, long satDeliveredInWindow) {
        this.lost = lost;
        this.stillQueued = stillQueued;
        this.duplicatedKeys = duplicatedKeys;
        this.extraPosts = extraPosts;
        this.unconfirmed = unconfirmed;
        this.accepted = accepted;
        long undelivered = lost + stillQueued;
        this.countsOk = undelivered == 0 && duplicatedKeys == 0 && accepted > 0;
        this.nothingLost = lost == 0 && duplicatedKeys == 0 && accepted > 0;
        this.e2eOpen = e2eOpen;
        this.e2eSat = e2eSat;
        this.satDeliveredInWindow = satDeliveredInWindow;
    }

    /**
     * @param accepted   canonical id → {send time µs, phase index}, as {@link LoadDriver} recorded them
     * @param crm        Idempotency-Key → {POSTs, first arrival µs}, as the CRM stub holds them
     * @param queueSizes the gateway broker's non-empty queues, read before the CRM; null when unknown
     */
    static Delivery check(Map<String, long[]> accepted, Map<String, long[]> crm, Map<String, Long> queueSizes,
            String[] stageQueues, long satStartMicros, long satEndMicros) {
        long inFlight = 0;
        if (queueSizes != null) {
            for (String q : stageQueues) {
                inFlight += queueSizes.getOrDefault(q.trim(), 0L);
            }
        }
        long undelivered = 0;
        for (String id : accepted.keySet()) {
            if (!crm.containsKey(id)) {
                undelivered++;
            }
        }
        long duplicatedKeys = 0;
        long extraPosts = 0;
        long unconfirmed = 0;
        for (Map.Entry<String, long[]> e : crm.entrySet()) {
            if (e.getValue()[0] > 1) {
                duplicatedKeys++;
                extraPosts += e.getValue()[0] - 1;
            }
            if (!accepted.containsKey(e.getKey())) {
                unconfirmed++;
            }
        }
        LongList e2eOpen = new LongList();
        LongList e2eSat = new LongList();
        for (Map.Entry<String, long[]> e : accepted.entrySet()) {
            long[] crmRec = crm.get(e.getKey());
            if (crmRec == null) {
                continue;
            }
            long e2e = crmRec[1] - e.getValue()[0];
            if (e.getValue()[1] == Phases.OPEN) {
                e2eOpen.add(e2e);
            } else if (e.getValue()[1] == Phases.SATURATION) {
                e2eSat.add(e2e);
            }
        }
        long satDeliveredInWindow = 0;
        for (long[] rec : crm.values()) {
            if (rec[1] >= satStartMicros && rec[1] <= satEndMicros) {
                satDeliveredInWindow++;
            }
        }
        // The broker is read before the CRM: a message moving from a stage queue to the CRM in between counts
        // twice (queued and arrived), never as missing; so at most as many as are missing count as queued.
        long stillQueued = Math.min(undelivered, inFlight);
        return new Delivery(undelivered - stillQueued, stillQueued, duplicatedKeys, extraPosts, unconfirmed,
                accepted.size(), e2eOpen.sorted(), e2eSat.sorted(), satDeliveredInWindow);
    }

    /** 0 every accepted message at the CRM exactly once; 1 one lost or twice; 3 nothing lost, some still queued. */
    int exitStatus() {
        return !nothingLost ? 1 : countsOk ? 0 : 3;
    }
}
