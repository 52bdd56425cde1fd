package org.wagateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.wagateway.bench.Log.log;

/**
 * Drives load at one port: closed loops (N clients, each sending as soon as it has its answer) and open loops
 * (a fixed rate whatever the answers). Every request is a fixture with an id of its own; the ids the gateway
 * accepted are kept, with their send time and phase, for the exactly-once check at the end.
 */
final class LoadDriver {

    private static final Pattern ID_IN_ANSWER = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final int targetPort;
    private final int mediaPort;
    private final Template[] slots;
    private final Machine machine;
    private final String runTag = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    private final AtomicLong seq = new AtomicLong();

    /** Accepted canonical id → {send time in epoch µs, phase index}. */
    final Map<String, long[]> accepted = new ConcurrentHashMap<>(1 << 18);
    final AtomicLong sameIdTwice = new AtomicLong();

    LoadDriver(int targetPort, int mediaPort, Template[] slots, Machine machine) {
        this.targetPort = targetPort;
        this.mediaPort = mediaPort;
        this.slots = slots;
        this.machine = machine;
    }

    /** N clients, each sending its next request as soon as the last one was answered, until the deadline. */
    Phase closedLoop(String name, int phaseIndex, int clients, double seconds, boolean record)
            throws InterruptedException {
        Phase phase = new Phase(name, seconds, machine);
        long start = System.nanoTime() + 50_000_000L;
        long deadline = start + (long) (seconds * 1e9);
        Worker[] workers = new Worker[clients];
        Thread[] threads = new Thread[clients];
        for (int i = 0; i < clients; i++) {
            Worker w = new Worker();
            workers[i] = w;
            threads[i] = new Thread(() -> {
                try (Conn conn = new Conn(targetPort)) {
                    LockSupport.parkNanos(start - System.nanoTime());
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        Outcome o = send(conn, phaseIndex, record);
                        long t1 = System.nanoTime();
                        w.count(o, t1 <= deadline);
                        if (o.status > 0) {
                            w.latency.add(t1 - t0);
                        } else {
                            LockSupport.parkNanos(10_000_000L); // a refused connection must not spin
                        }
                    }
                }
            }, name + "-" + i);
        }
        phase.begin(start);
        for (Thread th : threads) {
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        phase.end(deadline);
        phase.collect(workers);
        return phase;
    }

    /**
     * Requests at a fixed rate whatever the answers: the scheduler hands each request's intended send time to a
     * pool of connections, and latency is counted from the intended time (no coordinated omission).
     */
    Phase openLoop(String name, int phaseIndex, double rate, double seconds, int connections)
            throws InterruptedException {
        Phase phase = new Phase(name, seconds, machine);
        long total = (long) (rate * seconds);
        long period = (long) (1e9 / rate);
        long start = System.nanoTime() + 100_000_000L;
        long deadline = start + (long) (seconds * 1e9);
        long hardStop = deadline + (long) (Math.max(3, Math.min(15, seconds / 2)) * 1e9);
        BlockingQueue<Long> queue = new ArrayBlockingQueue<>((int) Math.min(total + connections + 1, 1 << 20));
        Worker[] workers = new Worker[connections];
        Thread[] threads = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            Worker w = new Worker();
            workers[i] = w;
            threads[i] = new Thread(() -> {
                try (Conn conn = new Conn(targetPort)) {
                    while (true) {
                        Long intended = queue.poll(Math.max(1, hardStop - System.nanoTime()), TimeUnit.NANOSECONDS);
                        if (intended == null || intended < 0) {
                            return;
                        }
                        if (System.nanoTime() > hardStop) {
                            w.notSent++;
                            continue;
                        }
                        Outcome o = send(conn, phaseIndex, true);
                        long t1 = System.nanoTime();
                        w.count(o, true);
                        if (o.status > 0) {
                            w.latency.add(t1 - intended);
                            w.intended.add(intended);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name + "-" + i);
        }
        for (Thread th : threads) {
            th.start();
        }
        phase.begin(start);
        long late = 0;
        for (long i = 0; i < total; i++) {
            long intended = start + i * period;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -1_000_000L) {
                late++;
            }
            queue.put(intended);
        }
        for (int i = 0; i < connections; i++) {
            queue.put(-1L);
        }
        for (Thread th : threads) {
            th.join();
        }
        phase.end(Math.max(deadline, System.nanoTime()));
        phase.collect(workers);
        phase.schedulerLate = late;
        return phase;
    }

    record Outcome(int status, boolean ioError) {
    }

    private Outcome send(Conn conn, int phaseIndex, boolean record) {
        long n = seq.getAndIncrement();
        Template t = slots[(int) (n % slots.length)];
        String providerId = t.providerId(runTag, n);
        String body = t.body.replace("@@ID@@", providerId);
        if (t.mediaExt != null) {
            body = body.replace("@@URL@@", "http://127.0.0.1:" + mediaPort + "/media/" + providerId + "." + t.mediaExt);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + t.path + " HTTP/1.1\r\nHost: 127.0.0.1:" + targetPort
                + "\r\nContent-Type: application/json\r\n" + t.authHeader + "\r\nContent-Length: " + bytes.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        long sentMicros = Stubs.nowMicros();
        try {
            Conn.Resp r = conn.exchange(head, bytes);
            if (record && r.status() / 100 == 2) {
                Matcher m = ID_IN_ANSWER.matcher(new String(r.body(), StandardCharsets.UTF_8));
                if (m.find()) {
                    if (accepted.putIfAbsent(m.group(1), new long[] {sentMicros, phaseIndex}) != null) {
                        sameIdTwice.incrementAndGet();
                    }
                } else {
                    log("2xx without an id: " + new String(r.body(), StandardCharsets.UTF_8));
                }
            }
            return new Outcome(r.status(), false);
        } catch (IOException e) {
            conn.close();
            return new Outcome(0, true);
        }
    }

    static final class Worker {
        final Numbers.LongList latency = new Numbers.LongList();
        /** open loop only: the intended send time of each answer in {@link #latency}, same order */
        final Numbers.LongList intended = new Numbers.LongList();
        long ok;
        long okAfterDeadline;
        long ioErrors;
        long notSent;
        final Map<Integer, Long> statuses = new HashMap<>();

        void count(Outcome o, boolean inWindow) {
            if (o.ioError) {
                ioErrors++;
                return;
            }
            statuses.merge(o.status, 1L, Long::sum);
            if (o.status / 100 == 2) {
                if (inWindow) {
                    ok++;
                } else {
                    okAfterDeadline++;
                }
            }
        }
    }
}
