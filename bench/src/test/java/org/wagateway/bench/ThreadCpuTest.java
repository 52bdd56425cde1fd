package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wagateway.bench.ThreadCpu.Stage;

/** The split by stage from two thread dumps; the sample's lines are lines of a real dump of the benchmarked gateway. */
class ThreadCpuTest {

    private static final String HEAD = """
            21732:
            2026-12-01 17:55:35
            Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, emulated-client, sharing):

            Threads class SMR info:
            _java_thread_list=0x00007f13e8001f30, length=89, elements={
            0x00007f1414028e40, 0x00007f14140a61b0, 0x00007f14140a7b70, 0x00007f14140ad210,
            }

            """;

    /** A header line and a short stack, as Thread.print writes them. */
    private static String thread(String header) {
        return header + "\n   java.lang.Thread.State: WAITING (parking)\n"
                + "\tat jdk.internal.misc.Unsafe.park(java.base@17.0.15/Native Method)\n"
                + "\t- parking to wait for  <0x00000000f8bf9e18> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)\n\n";
    }

    private static String java(String name, int id, double cpuMs, String nid) {
        return thread(String.format(java.util.Locale.ROOT, "\"%s\" #%d daemon prio=5 os_prio=0 cpu=%.2fms elapsed=10.45s "
                + "tid=0x00007f1416332850 nid=%s waiting on condition  [0x00007f13fa5fd000]", name, id, cpuMs, nid));
    }

    private static String vm(String name, double cpuMs, String nid) {
        return String.format(java.util.Locale.ROOT, "\"%s\" os_prio=0 cpu=%.2fms elapsed=30.32s tid=0x00007f141404d240 "
                + "nid=%s runnable  %n%n", name, cpuMs, nid);
    }

    private static final String TAIL = "JNI global refs: 16, weak refs: 12\n";

    private static final String BEFORE = HEAD
            + java("http-nio-127.0.0.1-50067-exec-1", 40, 869.07, "0x5651")
            + java("http-nio-127.0.0.1-50067-Poller", 50, 23.27, "0x565b")
            + java("gateway-intake-writer", 39, 61.20, "0x5650")
            + java("Camel (camel-1) thread #5 - JmsConsumer[whatsapp.gateway.ingest]", 69, 1.76, "0x5679")
            + java("Camel (camel-1) thread #1 - JmsConsumer[whatsapp.gateway.media]", 63, 94.91, "0x5673")
            + java("Camel (camel-1) thread #7 - JmsConsumer[whatsapp.gateway.crm]", 71, 69.00, "0x567b")
            + java("ActiveMQ VMTransport: vm://bench#9-1", 93, 142.38, "0x5690")
            + java("ActiveMQ Session Task-1", 83, 0.68, "0x5688")
            + java("JobScheduler:JMS", 24, 6.14, "0x5520")
            + java("gateway-trace-writer", 38, 96.96, "0x564f")
            + java("MVStore background writer /tmp/wagateway-bench.cWhh0W/data/idempotency/ids.mv.db", 31, 11.90, "0x5640")
            + java("H2-serialization", 33, 20.15, "0x5642")
            + java("HikariPool-1:housekeeper", 35, 0.67, "0x5644")
            + java("C1 CompilerThread0", 7, 1588.23, "0x54f0")
            + java("Catalina-utility-1", 27, 7.57, "0x5630")
            + java("Attach Listener", 92, 1.05, "0x5691")
            + java("DestroyJavaVM", 79, 14980.06, "0x54ea")
            + vm("VM Periodic Task Thread", 19.66, "0x54f5")
            + vm("VM Thread", 781.80, "0x54eb")
            + TAIL;

    /**
     * Ten messages later: every thread ran some more, exec-2 was born, ActiveMQ Session Task-1 ended, and the VM
     * Thread (no #N) is matched by its name and nid.
     */
    private static final String AFTER = HEAD
            + java("http-nio-127.0.0.1-50067-exec-1", 40, 869.07 + 6.0, "0x5651")
            + java("http-nio-127.0.0.1-50067-exec-2", 41, 4.0, "0x5652")
            + java("http-nio-127.0.0.1-50067-Poller", 50, 23.27 + 1.0, "0x565b")
            + java("gateway-intake-writer", 39, 61.20 + 2.0, "0x5650")
            + java("Camel (camel-1) thread #5 - JmsConsumer[whatsapp.gateway.ingest]", 69, 1.76 + 3.0, "0x5679")
            + java("Camel (camel-1) thread #1 - JmsConsumer[whatsapp.gateway.media]", 63, 94.91 + 1.2, "0x5673")
            + java("Camel (camel-1) thread #7 - JmsConsumer[whatsapp.gateway.crm]", 71, 69.00 + 8.0, "0x567b")
            + java("ActiveMQ VMTransport: vm://bench#9-1", 93, 142.38 + 21.0, "0x5690")
            + java("JobScheduler:JMS", 24, 6.14 + 1.0, "0x5520")
            + java("gateway-trace-writer", 38, 96.96 + 2.5, "0x564f")
            + java("MVStore background writer /tmp/wagateway-bench.cWhh0W/data/idempotency/ids.mv.db", 31, 11.90 + 0.5, "0x5640")
            + java("H2-serialization", 33, 20.15 + 0.25, "0x5642")
            + java("HikariPool-1:housekeeper", 35, 0.67 + 0.25, "0x5644")
            + java("C1 CompilerThread0", 7, 1588.23 + 3.0, "0x54f0")
            + java("Catalina-utility-1", 27, 7.57 + 0.7, "0x5630")
            + java("Attach Listener", 92, 1.05 + 1.2, "0x5691")
            + java("DestroyJavaVM", 79, 14980.06, "0x54ea")
            + vm("VM Periodic Task Thread", 19.66 + 0.4, "0x54f5")
            + vm("VM Thread", 781.80 + 4.0, "0x54eb")
            + TAIL;

    @Test
    void parsesJavaAndVmThreadHeaders() {
        Map<String, ThreadCpu.Sample> threads = ThreadCpu.parse(BEFORE);
        assertEquals(19, threads.size());
        ThreadCpu.Sample exec = threads.get("#40 http-nio-127.0.0.1-50067-exec-1");
        assertEquals("http-nio-127.0.0.1-50067-exec-1", exec.name());
        assertEquals(869.07, exec.cpuMs(), 1e-9);
        ThreadCpu.Sample vmThread = threads.get("VM Thread nid=0x54eb");
        assertEquals(781.80, vmThread.cpuMs(), 1e-9, "a VM thread has no #N: keyed by name and nid");
        ThreadCpu.Sample camel = threads.get("#69 Camel (camel-1) thread #5 - JmsConsumer[whatsapp.gateway.ingest]");
        assertEquals(1.76, camel.cpuMs(), 1e-9, "a '#' inside the name is part of the name");
    }

    @Test
    void linesWithoutCpuAndOtherTextAreSkipped() {
        String dump = "\"Service Thread\" #5 daemon prio=9 os_prio=0 elapsed=30.30s tid=0x1 nid=0x2 runnable\n"
                + "\"GC Thread#0\" os_prio=0 cpu=3.50ms elapsed=30.31s tid=0x3 nid=0x54e1 runnable\n"
                + "\tat \"quoted\" cpu=9.00ms\n" + TAIL;
        Map<String, ThreadCpu.Sample> threads = ThreadCpu.parse(dump);
        assertEquals(List.of("GC Thread#0 nid=0x54e1"), List.copyOf(threads.keySet()));
        assertEquals(0, ThreadCpu.parse(null).size());
        assertEquals(0, ThreadCpu.parse("").size());
    }

    @Test
    void threadNamesGroupIntoStages() {
        assertEquals(Stage.WEBHOOKS, ThreadCpu.stage("http-nio-127.0.0.1-50067-exec-10"));
        assertEquals(Stage.WEBHOOKS, ThreadCpu.stage("http-nio-127.0.0.1-50067-Acceptor"));
        assertEquals(Stage.INTAKE, ThreadCpu.stage("gateway-intake-writer"));
        assertEquals(Stage.DISPATCH, ThreadCpu.stage("Camel (camel-1) thread #6 - JmsConsumer[whatsapp.gateway.ingest]"));
        assertEquals(Stage.MEDIA, ThreadCpu.stage("Camel (camel-1) thread #3 - JmsConsumer[whatsapp.gateway.media]"));
        assertEquals(Stage.CRM, ThreadCpu.stage("Camel (camel-1) thread #14 - JmsConsumer[whatsapp.gateway.crm]"));
        assertEquals(Stage.BROKER, ThreadCpu.stage("ActiveMQ BrokerService[bench] Task-3"));
        assertEquals(Stage.BROKER, ThreadCpu.stage("ActiveMQ Data File Writer"));
        assertEquals(Stage.BROKER, ThreadCpu.stage("ActiveMQ Journal Checkpoint Worker"));
        assertEquals(Stage.BROKER, ThreadCpu.stage("ActiveMQ Session Task-2"));
        assertEquals(Stage.BROKER, ThreadCpu.stage("JobScheduler:JMS"));
        assertEquals(Stage.TRACE, ThreadCpu.stage("gateway-trace-writer"));
        assertEquals(Stage.ID_STORE, ThreadCpu.stage("MVStore background writer ids.mv.db"));
        assertEquals(Stage.ID_STORE, ThreadCpu.stage("H2-save"));
        assertEquals(Stage.ID_STORE, ThreadCpu.stage("HikariPool-1:housekeeper"));
        assertEquals(Stage.ID_STORE, ThreadCpu.stage("gateway-ids-purge"));
        assertEquals(Stage.GC, ThreadCpu.stage("VM Thread"));
        assertEquals(Stage.GC, ThreadCpu.stage("GC Thread#1"));
        assertEquals(Stage.GC, ThreadCpu.stage("G1 Refine#0"));
        assertEquals(Stage.JIT, ThreadCpu.stage("C1 CompilerThread1"));
        assertEquals(Stage.JIT, ThreadCpu.stage("C2 CompilerThread0"));
        assertEquals(Stage.OTHER, ThreadCpu.stage("VM Periodic Task Thread"));
        assertEquals(Stage.OTHER, ThreadCpu.stage("Camel (camel-1) thread #20 - JmsConsumer[whatsapp.gateway.probe]"));
        assertEquals(Stage.OTHER, ThreadCpu.stage("Catalina-utility-2"));
    }

    @Test
    void theSplitIsEachThreadsDifferenceByStage() {
        ThreadCpu.Split split = ThreadCpu.split(ThreadCpu.parse(BEFORE), ThreadCpu.parse(AFTER), 10);
        Map<Stage, Double> ms = split.byStage();
        assertEquals(6.0 + 4.0 + 1.0, ms.get(Stage.WEBHOOKS), 1e-6, "exec-2, born in between, counts from 0");
        assertEquals(2.0, ms.get(Stage.INTAKE), 1e-6);
        assertEquals(3.0, ms.get(Stage.DISPATCH), 1e-6);
        assertEquals(1.2, ms.get(Stage.MEDIA), 1e-6);
        assertEquals(8.0, ms.get(Stage.CRM), 1e-6);
        assertEquals(21.0 + 1.0, ms.get(Stage.BROKER), 1e-6, "Session Task-1 ended: nothing of it in the second dump");
        assertEquals(2.5, ms.get(Stage.TRACE), 1e-6);
        assertEquals(1.0, ms.get(Stage.ID_STORE), 1e-6);
        assertEquals(4.0, ms.get(Stage.GC), 1e-6);
        assertEquals(3.0, ms.get(Stage.JIT), 1e-6);
        assertEquals(0.7 + 1.2 + 0.4, ms.get(Stage.OTHER), 1e-6);
        assertEquals(60.0, split.totalMs(), 1e-6);
        assertEquals(1, split.born());
        assertEquals(1, split.ended());
        assertEquals(19, split.threads());
        assertEquals("`Attach Listener` 0.120 ms, `Catalina-utility-1` 0.070 ms, `VM Periodic Task Thread` 0.040 ms",
                split.topOthers(3));
        assertEquals("`Attach Listener` 0.120 ms", split.topOthers(1));
    }

    @Test
    void theTablePrintsMsPerMessageSharesAndTheComparisonWithProc() {
        ThreadCpu.Split split = ThreadCpu.split(ThreadCpu.parse(BEFORE), ThreadCpu.parse(AFTER), 10);
        List<String> t = List.of(split.table(6.4).split("\n", -1));
        assertEquals("| stage | CPU ms per message | share |", t.get(0));
        assertEquals("|---|---:|---:|", t.get(1));
        assertEquals("| webhooks (Tomcat) | 1.100 | 18 % |", t.get(2));
        assertEquals("| intake commit | 0.200 | 3 % |", t.get(3));
        assertEquals("| dispatch | 0.300 | 5 % |", t.get(4));
        assertEquals("| media | 0.120 | 2 % |", t.get(5));
        assertEquals("| CRM delivery | 0.800 | 13 % |", t.get(6));
        assertEquals("| broker | 2.200 | 37 % |", t.get(7));
        assertEquals("| trace | 0.250 | 4 % |", t.get(8));
        assertEquals("| id store (H2, Hikari) | 0.100 | 2 % |", t.get(9));
        assertEquals("| GC (VM Thread) | 0.400 | 7 % |", t.get(10));
        assertEquals("| JIT | 0.300 | 5 % |", t.get(11));
        assertEquals("| other | 0.230 | 4 % |", t.get(12));
        assertEquals("| **sum of the threads** | **6.000** | 100 % |", t.get(13));
        assertEquals("", t.get(14));
        assertEquals("Sum of the threads 6.000 ms per message against 6.400 ms of the whole process (/proc) over the "
                + "phase: 94 %; 19 threads in the second dump, 1 of them born during the phase (counted from 0); 1 "
                + "thread(s) ended during the phase and are missing from the second dump (their CPU is in the /proc "
                + "figure only).", t.get(15));
        assertEquals(17, t.size());
    }

    @Test
    void withoutAProcFigureTheComparisonSaysWhatTheDumpsHold() {
        ThreadCpu.Split split = ThreadCpu.split(ThreadCpu.parse(BEFORE), ThreadCpu.parse(AFTER), 10);
        assertTrue(split.comparison(Double.NaN).startsWith("Sum of the threads 6.000 ms per message; 19 threads"));
        ThreadCpu.Split none = ThreadCpu.split(ThreadCpu.parse(BEFORE), ThreadCpu.parse(AFTER), 0);
        assertTrue(none.table(6.4).contains("| broker | n/a | 37 % |"), "no messages: no figure per message");
    }

    @Test
    void aRenamedThreadIsANewOne() {
        String before = java("worker", 5, 10.0, "0x10");
        String after = java("worker-renamed", 5, 12.0, "0x10");
        ThreadCpu.Split split = ThreadCpu.split(ThreadCpu.parse(before), ThreadCpu.parse(after), 1);
        assertEquals(1, split.born());
        assertEquals(1, split.ended());
        assertEquals(12.0, split.totalMs(), 1e-9);
    }

    @Test
    void printedNamesHoldNoPaths() {
        assertEquals("MVStore background writer …",
                ThreadCpu.printable("MVStore background writer /tmp/wagateway-bench.cWhh0W/data/idempotency/ids.mv.db"));
        assertEquals("writer nio:…", ThreadCpu.printable("writer nio:/var/lib/gateway/ids.mv.db"));
        assertEquals("ActiveMQ VMTransport: vm://bench#3-1", ThreadCpu.printable("ActiveMQ VMTransport: vm://bench#3-1"));
        assertEquals("ActiveMQ Transport Server: tcp://127.0.0.1:0",
                ThreadCpu.printable("ActiveMQ Transport Server: tcp://127.0.0.1:0"));
    }
}
