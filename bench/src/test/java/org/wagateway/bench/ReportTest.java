package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wagateway.bench.PhaseTest.cpu;
import static org.wagateway.bench.PhaseTest.latencies;
import static org.wagateway.bench.PhaseTest.phase;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The results file's table and details. Where a figure is one of the committed results file's
 * (bench/results/2026-11-22-064312.md), the expected line is that file's line.
 */
class ReportTest {

    private static final String[] STAGES = {"whatsapp.gateway.ingest", "whatsapp.gateway.media", "whatsapp.gateway.crm"};

    /** A run like the committed one: 784/s against a ceiling of 12,664/s, 437 MiB, nothing lost. */
    private static Report report(int accepted, int onCrm, long queued, long postsOfFirst) {
        Report r = new Report();
        r.clients = 32;
        r.satSeconds = 30;
        r.openRate = 500;
        r.openSeconds = 30;
        r.costRate = 150;
        r.warm = phase("warm-up", 90, 28085, latencies(20, 115, 327, 838));
        r.cost = phase("cost", 20, 3000, latencies(3.48, 23, 58, 79));
        r.cost.slowBySecond = new long[20];
        r.open = phase("open", 30, 15000, latencies(18, 239, 372, 475));
        r.open.slowBySecond = new long[30];
        java.util.Arrays.fill(r.open.slowBySecond, 100);
        r.open.slowBySecond[7] = 401;
        r.sat = phase("saturation", 30, 23520, latencies(36, 112, 280, 318));
        cpu(r.cost, 100, 13, 5, 80, 1);
        cpu(r.open, 171, 3, 8, 159, 3);
        cpu(r.sat, 183, 3, 7, 173, 1);
        r.warmDrain = new Drain(true, 0, 39.7, false);
        r.openDrain = new Drain(false, 2219, 20, false);
        r.satDrain = new Drain(true, 0, 49.5, false);
        r.costLine = "6.41 ms";
        r.rss = new long[] {437 * 1024 + 100, 437 * 1024};
        r.rssBeforeJfr = new long[] {400 * 1024, 400 * 1024};
        Map<String, long[]> acc = new HashMap<>();
        Map<String, long[]> crm = new HashMap<>();
        for (int i = 0; i < accepted; i++) {
            acc.put("id-" + i, new long[] {1_000_000L, i % 2 == 0 ? Phases.OPEN : Phases.SATURATION});
            if (i < onCrm) {
                crm.put("id-" + i, new long[] {i == 0 ? postsOfFirst : 1, 1_000_000L + 23_677_000L});
            }
        }
        r.delivery = Delivery.check(acc, crm, Map.of("whatsapp.gateway.crm", queued), STAGES, 0, 30_000_000L);
        r.crmStats = Map.of("keys", (long) onCrm, "posts", (long) onCrm, "withoutKey", 0L, "mediaStored", 2L,
                "mediaPosts", 2L);
        r.mediaGets = new long[] {2};
        r.queues = "all queues empty";
        r.sameIdTwice = 0;
        r.ceiling.setProperty("rate", "12664.20");
        r.ceiling.setProperty("p50", "1.50");
        r.ceiling.setProperty("p99", "16.99");
        r.ceiling.setProperty("p999", "40.50");
        r.ceiling.setProperty("cpu", "machine 1.82");
        r.cores = 2;
        return r;
    }

    private static List<String> lines(String s) {
        return List.of(s.split("\n", -1));
    }

    @Test
    void tableRowsAreTheCommittedResultsFilesRows() {
        List<String> t = lines(report(20, 20, 0, 1).table());
        assertEquals("| metric | gateway | trivial server (ceiling) | target | met |", t.get(0));
        assertEquals("|---|---:|---:|---|---|", t.get(1));
        assertEquals("| Accepted webhooks/s at saturation (closed loop, 32 clients, 30 s) | 784 | 12,664 | ≥ 2,000 | **no** |",
                t.get(2));
        assertEquals("| Gateway / ceiling | 6.2 % | 100 % |  |  |", t.get(3));
        assertEquals("| Webhook latency at 500/s (open loop, 30 s) p50 / p99 / p99.9, ms | 18 / 239 / 372 |  | p99 ≤ 25 ms | **no** |",
                t.get(6));
        assertEquals("| Achieved rate in the open loop (2xx/s) | 500 |  |  |  |", t.get(7));
        assertEquals("| Seconds of the open loop with answers over 25 ms (bursts: a pause; spread: a busy CPU) | 30 of 30 s, "
                + "at most 401 in one second |  |  |  |", t.get(8));
        assertEquals("| Webhook latency at saturation p50 / p99 / p99.9, ms | 36 / 112 / 280 | 1.50 / 16.99 / 40.50 |  |  |",
                t.get(10));
        assertEquals("| End-to-end latency (sent → CRM) at 500/s p50 / p99, ms | 23677 / 23677 |  |  |  |", t.get(11));
        assertEquals("| Peak RSS of the gateway (VmHWM), whole run | 437 MiB |  | ≤ 512 MiB | yes |", t.get(14));
        assertEquals("| Lost / duplicated, of 20 accepted (lost: not at the CRM at the end and not on the gateway's stage "
                + "queues) | 0 / 0 |  | 0 / 0 | yes |", t.get(15));
        assertEquals("| Accepted but not yet at the CRM at the end (still on the gateway's stage queues) | 0 |  | 0 | yes |",
                t.get(16));
        assertEquals(18, t.size(), "15 rows under the header, and the final newline");
        assertEquals("", t.get(17));
    }

    @Test
    void everyTargetOfTheIssueHasItsRowWithFigureTargetAndMet() {
        Report r = report(20, 20, 0, 1);
        r.costMs = 6.41;
        List<String> t = lines(r.table());
        assertEquals("| Accepted webhooks/s at saturation (closed loop, 32 clients, 30 s) | 784 | 12,664 | ≥ 2,000 | **no** |",
                t.get(2));
        assertEquals("| End-to-end capacity: the saturation phase's messages delivered to the CRM ÷ (phase + drain), "
                + "messages/s | 0 (0.0 % of the ceiling; 10 of 10 accepted at the CRM, 0 twice; 30.0 s + 0.0 s drain; "
                + "10 other messages (earlier phases' backlog) reached the CRM in that span) | 12,664 | ≥ 800, each "
                + "exactly once by Idempotency-Key | **no** |", t.get(4));
        assertEquals("| Gateway CPU per message, end to end (webhook in → CRM), at 150/s | 6.41 ms (2 cores carry 312 "
                + "messages/s at that cost, 2.5 % of the ceiling) | 12,664/s | ≤ 2.5 ms | **no** |", t.get(13));
        assertEquals("| Webhook latency at 500/s (open loop, 30 s) p50 / p99 / p99.9, ms | 18 / 239 / 372 |  | p99 ≤ 25 ms | **no** |",
                t.get(6));
        assertEquals("| Webhook latency at low load, 150/s (cost phase, open loop) p50 / p99 / p99.9, ms | 3.48 / 23 / 58 |  "
                + "| p99 ≤ 25 ms | yes |", t.get(9));
        assertEquals("| Peak RSS of the gateway (VmHWM), whole run | 437 MiB |  | ≤ 512 MiB | yes |", t.get(14));
    }

    @Test
    void targetsAreMetAtTheirBounds() {
        Report r = report(20, 20, 0, 1);
        r.costMs = 2.5;
        r.costDrain = new Drain(true, 0, 1.0, false);
        r.rss = new long[] {512 * 1024, 500 * 1024};
        r.open = phase("open", 30, 15000, latencies(5, 25, 30, 40));
        r.open.slowBySecond = new long[30];
        assertTrue(r.cpuMet(), "2.5 ms is ≤ 2.5 ms");
        assertTrue(r.rssMet(), "512 MiB is ≤ 512 MiB");
        assertTrue(r.p99Met(), "25 ms is ≤ 25 ms");
        assertTrue(r.lowLoadP99Met());
        r.costDrain = new Drain(false, 3, 60, false);
        assertFalse(r.cpuMet(), "not all of the cost phase at the CRM: its CPU per message does not count");
        r.costMs = Double.NaN;
        r.costDrain = null;
        assertFalse(r.cpuMet(), "an unknown figure meets nothing");
        r.cost = phase("cost", 20, 3000, latencies(3, 26, 58, 79));
        assertFalse(r.lowLoadP99Met());
    }

    @Test
    void theCostPhasesSplitByStageFollowsTheTable() {
        Report r = report(20, 20, 0, 1);
        r.costMs = 6.0;
        ThreadCpu.Split split = new ThreadCpu.Split(stageMs(), List.of(new ThreadCpu.Sample("#92 Attach Listener",
                "Attach Listener", 300.0)), 2, 1, 3000, 180);
        r.costSplit = split;
        String md = r.markdown();
        assertTrue(md.startsWith(r.table() + "\nGateway CPU per message by stage, cost phase (150/s and its drain; each "
                + "thread's `cpu=` in `jcmd Thread.print` before and after, grouped by thread name):\n\n| stage | CPU ms per "
                + "message | share |\n"), md);
        assertTrue(md.contains("\n| broker | 2.400 | 40 % |\n"), md);
        assertTrue(md.contains("\n| **sum of the threads** | **6.000** | 100 % |\n\nSum of the threads 6.000 ms per "
                + "message against 6.000 ms of the whole process (/proc) over the phase: 100 %; 180 threads"), md);
        assertTrue(md.contains("\n- CPU by stage, the top 3 threads of \"other\" (ms per message): `Attach Listener` "
                + "0.100 ms.\n"), md);
        r.costSplit = null;
        assertTrue(r.markdown().contains("):\n\nn/a: no thread dump of the gateway.\n\nDetails:"));
    }

    /** 18,000 ms over 3,000 messages: 6 ms per message, 40 % of it the broker's. */
    private static java.util.Map<ThreadCpu.Stage, Double> stageMs() {
        java.util.Map<ThreadCpu.Stage, Double> ms = new java.util.EnumMap<>(ThreadCpu.Stage.class);
        for (ThreadCpu.Stage s : ThreadCpu.Stage.values()) {
            ms.put(s, 0.0);
        }
        ms.put(ThreadCpu.Stage.BROKER, 7200.0);
        ms.put(ThreadCpu.Stage.WEBHOOKS, 5400.0);
        ms.put(ThreadCpu.Stage.CRM, 5100.0);
        ms.put(ThreadCpu.Stage.OTHER, 300.0);
        return ms;
    }

    @Test
    void detailsOfACleanRunWithSteal() {
        List<String> d = lines(report(20, 20, 0, 1).details());
        assertEquals("", d.get(0));
        assertEquals("Details:", d.get(1));
        assertEquals("", d.get(2));
        assertTrue(d.get(3).startsWith("- Phases: warm-up 90.0 s: 28085 × 2xx (312/s), statuses {200=28085}, latency "
                + "p50/p99/p99.9/max 20 / 115 / 327 / 838 ms; cost 20.0 s: 3000 × 2xx (150/s)"), d.get(3));
        assertEquals("- CRM backlog: warm-up drained 39.7 s after the phase; open loop drained NOT within 20 s (2219 "
                + "missing); saturation drained 49.5 s after the phase.", d.get(4));
        assertEquals("- CRM stub: 20 keys, 20 POSTs, 0 repeated POSTs, 0 without Idempotency-Key, 0 keys whose webhook "
                + "got no 2xx here (timeouts), media messages 2 stored of 2; media server answered 2 GETs.", d.get(5));
        assertEquals("- Gateway broker at the end (non-empty queues, via Jolokia): all queues empty.", d.get(6));
        assertEquals("- Same id answered twice by the gateway: 0.", d.get(7));
        assertEquals("- CPU (2 cores) in cores used: open loop machine 1.71, loadgen 0.08, gateway 1.59, stubs 0.03, "
                + "everything else 0.01; steal (the hypervisor ran other guests) 0.03; saturation machine 1.83, loadgen "
                + "0.07, gateway 1.73, stubs 0.01, everything else 0.02; steal (the hypervisor ran other guests) 0.03; "
                + "ceiling run machine 1.82.", d.get(8));
        assertEquals("- **The hypervisor took up to 0.13 of the 2 cores (steal) during the measured phases**: other "
                + "guests shared the host, so the figures are low and comparable only with runs of as little steal.",
                d.get(9));
        assertEquals("- Gateway RSS at the end: 437 MiB (peak 437 MiB).", d.get(10));
        assertEquals(12, d.size(), "no FAILED or NOT CONFIRMED line");
    }

    @Test
    void aRunWithoutStealHasNoWarning() {
        Report r = report(20, 20, 0, 1);
        cpu(r.cost, 100, 4, 5, 80, 1);
        assertFalse(r.details().contains("hypervisor took"));
    }

    @Test
    void messagesStillQueuedAreNotConfirmed() {
        Report r = report(20, 16, 4837, 1);
        r.satDrain = new Drain(false, 4979, 60, false);
        String d = r.details();
        assertTrue(d.contains("\n- **NOT CONFIRMED**: 4 accepted message(s) were still queued inside the gateway when "
                + "the bounded wait ended (NOT within 60 s (4979 missing)): nothing is missing beyond them, but their "
                + "delivery could not be checked. The gateway accepts faster than it delivers; DRAIN_TIMEOUT_SECONDS "
                + "waits longer.\n"), d);
        assertTrue(r.table().contains("| Accepted but not yet at the CRM at the end (still on the gateway's stage queues) "
                + "| 4 |  | 0 | **no** |"));
        assertEquals(3, r.delivery.exitStatus());
    }

    @Test
    void lostOrDuplicatedMessagesFail() {
        Report r = report(20, 19, 0, 3);
        String d = r.details();
        assertTrue(d.contains("\n- **FAILED**: 1 accepted message(s) neither reached the CRM nor wait on the gateway's "
                + "stage queues; 1 Idempotency-Key(s) received more than once.\n"), d);
        assertTrue(d.contains(" 2 repeated POSTs, "));
        assertTrue(r.table().contains("| 1 / 1 |  | 0 / 0 | **no** |"));
    }

    @Test
    void summaryProperties() {
        Report r = report(20, 20, 0, 1);
        r.costMs = 6.41;
        Properties s = r.summary();
        assertEquals("false", s.getProperty("targets_met"));
        assertEquals("true", s.getProperty("counts_ok"));
        assertEquals("784", s.getProperty("sat_rate"));
        assertEquals("12,664", s.getProperty("ceiling_rate"));
        assertEquals("239.00", s.getProperty("open_p99"));
        assertEquals("23.00", s.getProperty("low_load_p99"));
        assertEquals("0", s.getProperty("e2e_capacity"));
        assertEquals("6.41", s.getProperty("cpu_ms"));
        assertEquals("437", s.getProperty("rss_mib"));
        assertEquals("0", s.getProperty("lost"));
    }

    @Test
    void shareOfTheCeiling() {
        assertEquals("6.2 %", Report.share(784, 12664));
        assertEquals("0.1 %", Report.share(36, 43034));
        assertEquals("12 %", Report.share(1200, 10000));
        assertEquals("n/a", Report.share(784, 0));
    }

    @Test
    void ceilingFiguresAsProperties() {
        Phase sat = phase("ceiling", 30, 379926, latencies(1.5, 16.99, 40.5, 50));
        sat.statuses.put(500, 3L);
        Properties p = Report.ceiling(sat);
        assertEquals("12664.20", p.getProperty("rate"));
        assertEquals("1.50", p.getProperty("p50"));
        assertEquals("16.99", p.getProperty("p99"));
        assertEquals("40.50", p.getProperty("p999"));
        assertEquals("3", p.getProperty("errors"));
        assertEquals("n/a", p.getProperty("cpu"));
    }
}
