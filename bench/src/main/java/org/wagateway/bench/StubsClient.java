package org.wagateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.wagateway.bench.Log.log;

/** What the stubs process (bench's Stubs) saw: the CRM stub's keys and POSTs, the media server's GETs. */
final class StubsClient {

    final int crmPort;
    final int mediaPort;

    StubsClient(int crmPort, int mediaPort) {
        this.crmPort = crmPort;
        this.mediaPort = mediaPort;
    }

    Map<String, Long> stats() throws IOException {
        try (Conn c = new Conn(crmPort)) {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String line : new String(c.get("/_bench/stats").body(), StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
                }
            }
            return out;
        }
    }

    /** key → {count, first arrival µs}. */
    Map<String, long[]> dump() throws IOException {
        try (Conn c = new Conn(crmPort)) {
            String text = new String(c.get("/_bench/dump").body(), StandardCharsets.UTF_8);
            Map<String, long[]> out = new HashMap<>(1 << 18);
            int from = 0;
            while (from < text.length()) {
                int nl = text.indexOf('\n', from);
                if (nl < 0) {
                    nl = text.length();
                }
                String line = text.substring(from, nl);
                from = nl + 1;
                int t1 = line.indexOf('\t');
                int t2 = line.indexOf('\t', t1 + 1);
                if (t1 > 0 && t2 > t1) {
                    out.put(line.substring(0, t1), new long[] {Long.parseLong(line.substring(t1 + 1, t2)),
                            Long.parseLong(line.substring(t2 + 1))});
                }
            }
            return out;
        }
    }

    /**
     * Waits until the CRM holds every id, at most timeoutMs, and gives up early when nothing new has arrived
     * for stallMs; the figures say how long after phaseEndMicros the last one came.
     */
    Drain waitFor(Set<String> ids, long phaseEndMicros, long timeoutMs, long stallMs)
            throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        long deadline = start + timeoutMs;
        long missing = ids.size();
        long lastLog = start;
        long lastPosts = -1;
        long lastProgress = start;
        while (true) {
            Map<String, Long> stats = stats();
            long keys = stats.getOrDefault("keys", 0L);
            long posts = stats.getOrDefault("posts", 0L);
            long now = System.currentTimeMillis();
            if (posts != lastPosts) {
                lastPosts = posts;
                lastProgress = now;
            }
            if (keys >= ids.size()) {
                Map<String, long[]> dump = dump();
                missing = 0;
                for (String id : ids) {
                    if (!dump.containsKey(id)) {
                        missing++;
                    }
                }
                if (missing == 0) {
                    long last = 0;
                    for (String id : ids) {
                        last = Math.max(last, dump.get(id)[1]);
                    }
                    return new Drain(true, 0, Math.max(0, last - phaseEndMicros) / 1e6, false);
                }
            } else {
                missing = ids.size() - keys;
            }
            if (now > deadline) {
                return new Drain(false, missing, (now - start) / 1000.0, false);
            }
            if (now - lastProgress > stallMs) {
                return new Drain(false, missing, (now - start) / 1000.0, true);
            }
            if (now - lastLog > 10_000) {
                log("waiting for the CRM: " + missing + " of " + ids.size() + " not there yet");
                lastLog = now;
            }
            Thread.sleep(250);
        }
    }

    /** The media server's count of GETs; {0} without a media server, {-1} when it cannot be read. */
    long[] mediaGets() {
        if (mediaPort <= 1) {
            return new long[] {0};
        }
        try (Conn c = new Conn(mediaPort)) {
            Conn.Resp r = c.get("/_bench/stats");
            String s = new String(r.body(), StandardCharsets.UTF_8).trim();
            return new long[] {Long.parseLong(s.substring(s.indexOf('=') + 1))};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1};
        }
    }
}
