package org.wagateway.bench;

import java.util.Locale;
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
    /** The saturation phase's messages delivered over the phase and its drain. */
    final Capacity capacity;

    private Delivery(long lost, long stillQueued, long duplicatedKeys, long extraPosts, long unconfirmed, int accepted,
            long[] e2eOpen, long[] e2eSat, long satDeliveredInWindow, Capacity capacity) {
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
        this.capacity = capacity;
    }

    /**
     * End-to-end capacity: the messages accepted in the saturation phase that reached the CRM, over the phase's
     * length plus the drain (until the last of them reached the CRM).
     *
     * @param accepted     messages the gateway accepted (2xx) in the phase
     * @param delivered    of those, the ones at the CRM
     * @param duplicated   of those, the ones whose Idempotency-Key the CRM received more than once
     * @param otherInSpan  other messages reaching the CRM in the same span (the backlog of earlier phases)
     * @param phaseSeconds the phase's length
     * @param drainSeconds from the phase's end to the last of its messages at the CRM (0 when that was earlier)
     */
    record Capacity(long accepted, long delivered, long duplicated, long otherInSpan, double phaseSeconds,
            double drainSeconds) {

        /** The target: 800 messages/s delivered, each exactly once. */
        static final double TARGET_RATE = 800;

        static Capacity of(long accepted, long delivered, long duplicated, long otherInSpan, long phaseStartMicros,
                long phaseEndMicros, long lastArrivalMicros) {
            return new Capacity(accepted, delivered, duplicated, otherInSpan, (phaseEndMicros - phaseStartMicros) / 1e6,
                    delivered == 0 ? 0 : Math.max(0, lastArrivalMicros - phaseEndMicros) / 1e6);
        }

        double rate() {
            double span = phaseSeconds + drainSeconds;
            return span > 0 ? delivered / span : 0;
        }

        /** Every message of the phase at the CRM exactly once. */
        boolean exactlyOnce() {
            return accepted > 0 && delivered == accepted && duplicated == 0;
        }

        boolean met() {
            return exactlyOnce() && rate() >= TARGET_RATE;
        }

        /** The parts: "23,520 of 23,520 accepted at the CRM, 0 twice; 30.0 s + 49.5 s drain; 2,219 other …". */
        String parts() {
            return String.format(Locale.ROOT, "%,d of %,d accepted at the CRM, %,d twice; %.1f s + %.1f s drain;"
                    + " %,d other messages (earlier phases' backlog) reached the CRM in that span", delivered, accepted,
                    duplicated, phaseSeconds, drainSeconds, otherInSpan);
        }
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
        long satAccepted = 0;
        long satDelivered = 0;
        long satDuplicated = 0;
        long satLastArrival = Long.MIN_VALUE;
        for (Map.Entry<String, long[]> e : accepted.entrySet()) {
            if (e.getValue()[1] != Phases.SATURATION) {
                continue;
            }
            satAccepted++;
            long[] crmRec = crm.get(e.getKey());
            if (crmRec != null) {
                satDelivered++;
                satDuplicated += crmRec[0] > 1 ? 1 : 0;
                satLastArrival = Math.max(satLastArrival, crmRec[1]);
            }
        }
        long inSpan = 0;
        long spanEnd = Math.max(satEndMicros, satLastArrival);
        for (long[] rec : crm.values()) {
            if (rec[1] >= satStartMicros && rec[1] <= spanEnd) {
                inSpan++;
            }
        }
        Capacity capacity = Capacity.of(satAccepted, satDelivered, satDuplicated, Math.max(0, inSpan - satDelivered),
                satStartMicros, satEndMicros, satLastArrival);
        // The broker is read before the CRM: a message moving from a stage queue to the CRM in between counts
        // twice (queued and arrived), never as missing; so at most as many as are missing count as queued.
        long stillQueued = Math.min(undelivered, inFlight);
        return new Delivery(undelivered - stillQueued, stillQueued, duplicatedKeys, extraPosts, unconfirmed,
                accepted.size(), e2eOpen.sorted(), e2eSat.sorted(), satDeliveredInWindow, capacity);
    }

    /** 0 every accepted message at the CRM exactly once; 1 one lost or twice; 3 nothing lost, some still queued. */
    int exitStatus() {
        return !nothingLost ? 1 : countsOk ? 0 : 3;
    }
}
