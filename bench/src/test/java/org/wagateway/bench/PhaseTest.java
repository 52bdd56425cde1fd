package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The phase lines of the results file; the expected texts are lines of a committed results file. */
class PhaseTest {

    static final Machine MACHINE = new Machine(100, new long[] {1, 2, 3}, new String[] {"loadgen", "gateway", "stubs"});

    /** Sorted latencies in ns whose nearest-rank p50 / p99 / p99.9 / max are the given milliseconds. */
    static long[] latencies(double p50, double p99, double p999, double max) {
        long[] l = new long[1000];
        for (int i = 0; i < l.length; i++) {
            double ms = i < 500 ? p50 : i < 990 ? p99 : i < 999 ? p999 : max;
            l[i] = Math.round(ms * 1e6);
        }
        return l;
    }

    static Phase phase(String name, double seconds, long ok, long[] latency) {
        Phase p = new Phase(name, seconds, MACHINE);
        p.startNanos = 1_000_000_000L;
        p.endNanos = p.startNanos + Math.round(seconds * 1e9);
        p.ok = ok;
        p.statuses.put(200, ok);
        p.latency = latency;
        return p;
    }

    /** CPU snapshots one second apart: machine busy and steal ticks, then the ticks of each watched process. */
    static void cpu(Phase p, long busy, long steal, long... processTicks) {
        long[][] start = new long[processTicks.length + 1][];
        long[][] end = new long[processTicks.length + 1][];
        start[0] = new long[] {1_000, 2_000, 5_000_000_000L, 10};
        end[0] = new long[] {1_000 + busy, 2_200, 6_000_000_000L, 10 + steal};
        for (int i = 0; i < processTicks.length; i++) {
            start[i + 1] = new long[] {500};
            end[i + 1] = new long[] {500 + processTicks[i]};
        }
        p.cpuStart = start;
        p.cpuEnd = end;
    }

    @Test
    void openLoopPhaseLine() {
        Phase cost = phase("cost", 20, 3000, latencies(3.48, 23, 58, 79));
        cost.schedulerLate = 2;
        cost.slowBySecond = new long[20];
        cost.slowBySecond[3] = 10;
        cost.slowBySecond[4] = 2;
        cost.slowBySecond[11] = 1;
        cost.slowBySecond[19] = 7;
        assertEquals("cost 20.0 s: 3000 × 2xx (150/s), statuses {200=3000}, 2 sends > 1 ms behind schedule, latency "
                + "p50/p99/p99.9/max 3.48 / 23 / 58 / 79 ms, seconds with answers over 25 ms: 4 of 20 s, at most 10 in "
                + "one second", cost.describe());
    }

    @Test
    void closedLoopPhaseLineHasNoSlowSeconds() {
        Phase sat = phase("saturation", 30, 23508, latencies(36, 112, 280, 318));
        sat.okAfterDeadline = 32;
        sat.statuses.put(200, 23540L);
        assertEquals("saturation 30.0 s: 23508 × 2xx (784/s), 32 × 2xx after the deadline, statuses {200=23540}, "
                + "latency p50/p99/p99.9/max 36 / 112 / 280 / 318 ms", sat.describe());
    }

    @Test
    void collectsWorkersAndCountsSlowSecondsByIntendedSendTime() {
        Phase open = new Phase("open", 3, MACHINE);
        open.startNanos = 0;
        open.endNanos = 3_000_000_000L;
        LoadDriver.Worker a = new LoadDriver.Worker();
        LoadDriver.Worker b = new LoadDriver.Worker();
        a.count(new LoadDriver.Outcome(200, false), true);
        a.latency.add(30_000_000L); // slow, intended in second 0
        a.intended.add(100_000_000L);
        b.count(new LoadDriver.Outcome(200, false), true);
        b.latency.add(5_000_000L); // fast, second 2
        b.intended.add(2_500_000_000L);
        b.count(new LoadDriver.Outcome(503, false), true);
        b.count(new LoadDriver.Outcome(0, true), true);
        open.collect(new LoadDriver.Worker[] {a, b});
        assertEquals(2, open.ok);
        assertEquals(2, open.errors(), "one 503 and one I/O error");
        assertEquals("1 of 3 s, at most 1 in one second", open.slowSeconds());
        assertEquals(30.0, open.latencyMs(0.99));
    }

    @Test
    void cpuLineAndSteal() {
        Phase open = phase("open", 30, 15000, latencies(18, 239, 372, 475));
        cpu(open, 171, 3, 8, 159, 3);
        assertEquals("machine 1.71, loadgen 0.08, gateway 1.59, stubs 0.03, everything else 0.01; steal (the hypervisor "
                + "ran other guests) 0.03", open.cpuLine());
        assertEquals(0.03, open.stealCores(), 1e-9);
    }

    @Test
    void costPerMessageIsTheGatewaysCpuTimeOverTheMessages() {
        Phase cost = phase("cost", 20, 3000, latencies(3, 20, 50, 60));
        cpu(cost, 0, 0, 0, 0, 0);
        long[][] end = {cost.cpuEnd[0], {500}, {500 + 1923}, {500}};
        assertEquals(6.41, cost.costMs(end), 1e-9);
        assertEquals("6.41 ms", cost.costPerMessage(end, new Drain(true, 0, 2.0, false)));
        assertEquals("6.41 ms (not all at the CRM yet)", cost.costPerMessage(end, new Drain(false, 12, 60, false)));
    }

    @Test
    void unknownCpuReadsNotAvailable() {
        Phase p = phase("open", 1, 1, latencies(1, 1, 1, 1));
        assertEquals("n/a", p.cpuLine());
        assertTrue(Double.isNaN(p.costMs(new long[][] {{0}, {0}, {0}, {0}})));
        assertEquals(0, p.stealCores());
    }
}
