package org.wagateway.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.wagateway.bench.Numbers.fmt0;
import static org.wagateway.bench.Numbers.ms;
import static org.wagateway.bench.Numbers.pctl;

/** One phase of the run: its answers, latencies, and the CPU the watched processes used meanwhile. */
final class Phase {

    /** The p99 target: an answer slower than this counts as slow in the per-second breakdown. */
    static final long SLOW_NANOS = 25_000_000L;

    final String name;
    final double plannedSeconds;
    long startNanos;
    long endNanos;
    long startMicros;
    long endMicros;
    long ok;
    long okAfterDeadline;
    long ioErrors;
    long notSent;
    long schedulerLate;
    final Map<Integer, Long> statuses = new TreeMap<>();
    long[] latency = new long[0];
    /** open loop: answers over {@link #SLOW_NANOS} in each second of the phase (by intended send time) */
    long[] slowBySecond = new long[0];
    long[][] cpuStart;
    long[][] cpuEnd;
    private final Machine machine;

    Phase(String name, double plannedSeconds, Machine machine) {
        this.name = name;
        this.plannedSeconds = plannedSeconds;
        this.machine = machine;
    }

    void begin(long startNanos) {
        this.startNanos = startNanos;
        long wait = startNanos - System.nanoTime();
        this.startMicros = Stubs.nowMicros() + Math.max(0, wait / 1000);
        this.cpuStart = machine.cpuSnapshot();
    }

    void end(long endNanos) {
        this.endNanos = endNanos;
        this.endMicros = startMicros + (endNanos - startNanos) / 1000;
        this.cpuEnd = machine.cpuSnapshot();
    }

    void collect(LoadDriver.Worker[] workers) {
        Numbers.LongList all = new Numbers.LongList();
        for (LoadDriver.Worker w : workers) {
            ok += w.ok;
            okAfterDeadline += w.okAfterDeadline;
            ioErrors += w.ioErrors;
            notSent += w.notSent;
            w.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
            all.addAll(w.latency);
        }
        latency = all.sorted();
        // only an open loop knows when each request should have gone out; a closed loop has no breakdown
        if (Arrays.stream(workers).allMatch(w -> w.intended.n == 0)) {
            return;
        }
        slowBySecond = new long[(int) Math.ceil(plannedSeconds)];
        for (LoadDriver.Worker w : workers) {
            for (int i = 0; i < w.intended.n; i++) {
                int second = (int) ((w.intended.a[i] - startNanos) / 1_000_000_000L);
                if (w.latency.a[i] > SLOW_NANOS && second >= 0 && second < slowBySecond.length) {
                    slowBySecond[second]++;
                }
            }
        }
    }

    /**
     * Whether slow answers come in bursts (a pause: GC, a broker stall) or spread over the phase (queueing on
     * a busy CPU): e.g. "8 of 15 s, at most 112 in one second".
     */
    String slowSeconds() {
        long seconds = Arrays.stream(slowBySecond).filter(c -> c > 0).count();
        long most = Arrays.stream(slowBySecond).max().orElse(0);
        return seconds + " of " + slowBySecond.length + " s, at most " + most + " in one second";
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    double rate() {
        return ok / seconds();
    }

    long errors() {
        long non2xx = 0;
        for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
            if (e.getKey() / 100 != 2) {
                non2xx += e.getValue();
            }
        }
        return non2xx + ioErrors;
    }

    double latencyMs(double q) {
        return pctl(latency, q) / 1e6;
    }

    String latencyTriple() {
        return ms(latencyMs(0.50)) + " / " + ms(latencyMs(0.99)) + " / " + ms(latencyMs(0.999));
    }

    String describe() {
        StringBuilder s = new StringBuilder();
        s.append(name).append(' ').append(String.format(Locale.ROOT, "%.1f s", seconds())).append(": ")
                .append(ok).append(" × 2xx (").append(fmt0(rate())).append("/s)");
        if (okAfterDeadline > 0) {
            s.append(", ").append(okAfterDeadline).append(" × 2xx after the deadline");
        }
        s.append(", statuses ").append(statuses);
        if (ioErrors > 0) {
            s.append(", ").append(ioErrors).append(" I/O errors");
        }
        if (notSent > 0) {
            s.append(", ").append(notSent).append(" not sent (hard stop)");
        }
        if (schedulerLate > 0) {
            s.append(", ").append(schedulerLate).append(" sends > 1 ms behind schedule");
        }
        if (latency.length > 0) {
            s.append(", latency p50/p99/p99.9/max ").append(latencyTriple()).append(" / ")
                    .append(ms(latency[latency.length - 1] / 1e6)).append(" ms");
        }
        if (slowBySecond.length > 0) {
            s.append(", seconds with answers over 25 ms: ").append(slowSeconds());
        }
        return s.toString();
    }

    /** The gateway's CPU time in ms from the start of this phase to {@code end}, per message accepted in it; NaN if unknown. */
    double costMs(long[][] end) {
        int gateway = Arrays.asList(machine.watchedNames).indexOf("gateway");
        if (gateway < 0 || cpuStart == null || cpuStart[gateway + 1][0] < 0 || end[gateway + 1][0] < 0 || ok == 0) {
            return Double.NaN;
        }
        return (end[gateway + 1][0] - cpuStart[gateway + 1][0]) * 1000.0 / machine.clkTck / ok;
    }

    /** {@link #costMs} as the cost line shows it (bench/ab.sh reads it): "6.41 ms". */
    String costPerMessage(long[][] end, Drain drain) {
        double ms = costMs(end);
        if (Double.isNaN(ms)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f ms", ms) + (drain.complete() ? "" : " (not all at the CRM yet)");
    }

    /** Cores the hypervisor gave to someone else during the phase (steal), on average; 0 when unknown. */
    double stealCores() {
        if (cpuStart == null || cpuEnd == null || cpuStart[0][3] < 0 || cpuEnd[0][3] < 0) {
            return 0;
        }
        double secs = (cpuEnd[0][2] - cpuStart[0][2]) / 1e9;
        return secs <= 0 ? 0 : Math.max(0, (cpuEnd[0][3] - cpuStart[0][3]) / (double) machine.clkTck / secs);
    }

    /** Cores used by each watched process and by the whole machine over the phase. */
    String cpuLine() {
        if (cpuStart == null || cpuEnd == null) {
            return "n/a";
        }
        double secs = (cpuEnd[0][2] - cpuStart[0][2]) / 1e9;
        if (secs <= 0) {
            return "n/a";
        }
        double machineBusy = (cpuEnd[0][0] - cpuStart[0][0]) / (double) machine.clkTck / secs;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "machine %.2f", machineBusy));
        double ours = 0;
        for (int i = 0; i < machine.watchedPids.length; i++) {
            if (cpuStart[i + 1][0] < 0 || cpuEnd[i + 1][0] < 0) {
                continue;
            }
            double cores = (cpuEnd[i + 1][0] - cpuStart[i + 1][0]) / (double) machine.clkTck / secs;
            ours += cores;
            s.append(String.format(Locale.ROOT, ", %s %.2f", machine.watchedNames[i], cores));
        }
        s.append(String.format(Locale.ROOT, ", everything else %.2f; steal (the hypervisor ran other guests) %.2f",
                Math.max(0, machineBusy - ours), stealCores()));
        return s.toString();
    }
}
