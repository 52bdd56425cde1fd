package org.wagateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.wagateway.bench.Log.log;

/**
 * What Linux's /proc says about the machine and the watched processes (the load generator itself, the gateway,
 * the stubs, the trivial server): CPU ticks, steal, resident memory. Elsewhere the figures read as unknown.
 */
final class Machine {

    final int clkTck;
    final long[] watchedPids;
    final String[] watchedNames;

    Machine(int clkTck, long[] watchedPids, String[] watchedNames) {
        this.clkTck = clkTck;
        this.watchedPids = watchedPids;
        this.watchedNames = watchedNames;
    }

    /** This process as "loadgen", then each of gateway-pid, stubs-pid, trivial-pid that the arguments name. */
    static Machine of(Conf conf) {
        int clkTck = Integer.parseInt(conf.get("clk-tck", "100"));
        List<Long> pids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        pids.add(ProcessHandle.current().pid());
        names.add("loadgen");
        for (String name : List.of("gateway", "stubs", "trivial")) {
            String pid = conf.get(name + "-pid");
            if (pid != null && !pid.isEmpty()) {
                pids.add(Long.parseLong(pid));
                names.add(name);
            }
        }
        return new Machine(clkTck, pids.stream().mapToLong(Long::longValue).toArray(), names.toArray(String[]::new));
    }

    /**
     * Row 0: {machine busy ticks, machine total ticks, nanoTime, steal ticks}; then one row per watched pid:
     * {ticks}. Steal (time the hypervisor gave this VM's cores to someone else) counts as busy.
     */
    long[][] cpuSnapshot() {
        long[][] out = new long[watchedPids.length + 1][];
        out[0] = new long[] {-1, -1, System.nanoTime(), -1};
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            out[0] = new long[] {busy, busy + idle + iowait, System.nanoTime(), steal};
        } catch (IOException | RuntimeException e) {
            // not Linux: no CPU figures
        }
        for (int i = 0; i < watchedPids.length; i++) {
            out[i + 1] = new long[] {-1};
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(watchedPids[i]), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out[i + 1] = new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])};
            } catch (IOException | RuntimeException e) {
                // process gone
            }
        }
        return out;
    }

    /** {VmHWM, VmRSS} in KiB, or zeros. */
    static long[] rss(String pid) {
        long[] out = new long[2];
        if (pid == null) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmHWM:")) {
                    out[0] = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmRSS:")) {
                    out[1] = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            log("cannot read /proc/" + pid + "/status: " + e);
        }
        return out;
    }
}
