package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker-alone benchmark's figures and table (bench/broker.sh), and what it reads from a message. */
class BrokerReportTest {

    /**
     * 20 s measured: 21,000 accepted in 1,000 commits, 20,000 through the CRM stage, 14 s of broker CPU, 1 s of
     * steal, on 2 cores.
     */
    private static BrokerReport report() {
        BrokerReport r = new BrokerReport();
        r.producers = 32;
        r.maxBatch = 256;
        r.crmConsumers = 8;
        r.prefetch = 10;
        r.maxInFlight = 2000;
        r.warmupSeconds = 10;
        r.messageBytes = 1515;
        r.messageSource = "golden/kazinfoteh/text.json";
        r.typeQueue = "whatsapp.in.text";
        r.seconds = 20;
        r.accepted = 21_000;
        r.commits = 1_000;
        r.commitNanos = 3_500_000_000L;
        r.largestBatch = 32;
        r.completed = 20_000;
        r.inFlightAtEnd = 1_990;
        r.commitWaitNanos = PhaseTest.latencies(4, 12, 30, 45);
        r.clkTck = 100;
        r.brokerTicks = 1_400;
        r.loadTicks = 500;
        r.machineBusyTicks = 3_980;
        r.stealTicks = 100;
        r.brokerPeakRssKiB = 240 * 1024;
        r.loadAverageStart = "8.10 6.24 5.50";
        r.loadAverageEnd = "9.11 6.61 5.64";
        r.cores = 2;
        r.gatewayCrmRate = 873;
        r.gatewayCpuMs = 2.58;
        r.gatewayBrokerCpuMs = 0.78;
        return r;
    }

    @Test
    void ratesCountTheMeasuredPhaseOnly() {
        BrokerReport r = report();
        assertEquals(1000, r.endToEndRate(), 1e-9);
        assertEquals(1050, r.intakeRate(), 1e-9);
        assertEquals(50, r.commitRate(), 1e-9);
        assertEquals(21, r.callsPerCommit(), 1e-9);
        assertEquals(3.5, r.commitMs(), 1e-9);
        assertEquals(4, r.commitWaitMs(0.50), 1e-9);
        assertEquals(12, r.commitWaitMs(0.99), 1e-9);
    }

    @Test
    void cpuPerMessageIsTheBrokersTicksOverTheMessagesThroughTheCrmStage() {
        BrokerReport r = report();
        // 1,400 ticks of 10 ms = 14 s of CPU for 20,000 messages
        assertEquals(0.70, r.brokerCpuMsPerMessage(), 1e-9);
        assertEquals(0.70, r.brokerCores(), 1e-9);
        assertEquals(0.25, r.loadCpuMsPerMessage(), 1e-9);
        assertEquals(1000 / 0.70, r.messagesPerBrokerCore(), 1e-9);
        assertEquals(0.05, r.stealCores(), 1e-9);
        assertEquals(1.99, r.machineBusyCores(), 1e-9);
    }

    @Test
    void ratiosAgainstTheGatewaysFigures() {
        BrokerReport r = report();
        assertEquals(2 * 1000 / 2.58, r.gatewayCpuBoundRate(), 1e-9);
        String table = r.table();
        assertTrue(table.contains("| broker alone ÷ gateway's end-to-end capacity at saturation (873/s) | 1.15 × |"),
                table);
        assertTrue(table.contains("(2 cores ÷ 2.58 ms = 775/s) | 1.29 × |"), table);
        assertTrue(table.contains("the broker's share inside the gateway (0.78 ms) | 0.90 × |"), table);
    }

    @Test
    void tableGivesEveryFigureAndFlagsStealAndTheWaitingIntake() {
        String table = report().table();
        assertTrue(table.contains("| messages/s carried end to end (intake committed, then read from the CRM outbox "
                + "and committed) | 1,000 |"), table);
        assertTrue(table.contains("| webhooks/s accepted (their two copies committed; 32 producer threads) | 1,050 |"),
                table);
        assertTrue(table.contains("| intake commits/s (webhooks per commit: mean / largest, at most 256) | 50 (21.00 / 32) |"),
                table);
        assertTrue(table.contains("| intake batch's sends and commit, mean | 3.50 ms |"), table);
        assertTrue(table.contains("| a webhook's wait for its commit, p50 / p99 | 4.00 / 12.00 ms |"), table);
        assertTrue(table.contains("| broker JVM CPU per message end to end | 0.70 ms (0.70 cores) |"), table);
        assertTrue(table.contains("| load JVM CPU per message | 0.25 ms (0.25 cores) |"), table);
        assertTrue(table.contains("| peak RSS of the broker JVM (VmHWM) | 240 MiB |"), table);
        assertTrue(table.contains("| steal during the phase | 0.05 cores **(steal: figures unreliable)** |"), table);
        assertTrue(table.contains("| load average at the phase's start / end | 8.10 6.24 5.50 / 9.11 6.61 5.64 |"), table);
        assertTrue(table.contains("21,000 accepted in 1,000 intake commits, 20,000 through the CRM stage (8 consumers "
                + "on one connection, prefetch 10)"), table);
        assertTrue(table.contains("1,990 in flight at the end (at most 2,000): the producers waited for the CRM stage"),
                table);
        assertTrue(table.contains("- Message: golden/kazinfoteh/text.json, 1,515 bytes of UTF-8 text, to "
                + "`whatsapp.in.text` and `whatsapp.gateway.crm`."), table);
    }

    @Test
    void noStealNoWarning() {
        BrokerReport r = report();
        r.stealTicks = 99; // 0.0495 cores
        r.inFlightAtEnd = 10;
        String table = r.table();
        assertFalse(r.stealWarning());
        assertFalse(table.contains("unreliable"), table);
        assertFalse(table.contains("waited"), table);
    }

    @Test
    void nothingThroughMeansNoFigureRatherThanInfinity() {
        BrokerReport r = report();
        r.completed = 0;
        r.commits = 0;
        r.commitWaitNanos = new long[0];
        assertTrue(Double.isNaN(r.brokerCpuMsPerMessage()));
        assertTrue(Double.isNaN(r.callsPerCommit()));
        String table = r.table();
        assertTrue(table.contains("| broker JVM CPU per message end to end | n/a ms (0.70 cores) |"), table);
        assertTrue(table.contains("| a webhook's wait for its commit, p50 / p99 | n/a / n/a ms |"), table);
        assertEquals("n/a", BrokerReport.ratio(Double.NaN, 56));
        assertEquals("n/a", BrokerReport.ratio(100, Double.NaN));
    }

    @Test
    void propertiesComeFromAGoldenCanonicalMessage() throws IOException {
        Map<String, String> p = BrokerReport.properties(golden("kazinfoteh/text.json"));
        assertEquals("kazinfoteh", p.get("provider"));
        assertEquals("message", p.get("kind"));
        assertEquals("text", p.get("type"));
        assertEquals("kazinfoteh:01912729-1111-7000-a000-000000000001", p.get("id"));
        assertEquals("77776662222", p.get("chatId"));
        assertEquals("77776662222", p.get("senderId"));
        assertEquals("whatsapp.in.text", BrokerReport.typeQueue(p.get("kind"), p.get("type")));
    }

    @Test
    void bothCopiesCarryTheGatewaysPropertiesOnlyWithAValue() {
        Map<String, Object> p = BrokerReport.jmsProperties(Map.of("provider", "meta", "kind", "status",
                "type", "delivered", "id", "meta:1", "chatId", "77001"));
        assertEquals(List.of("chatId", "kind", "provider", "type"), List.copyOf(p.keySet()));
        assertNull(p.get("senderId"));
        List<GroupCommit.Send> sends = BrokerBench.copies("{}", p, "meta:1", "whatsapp.status");
        assertEquals("whatsapp.status", sends.get(0).queue());
        assertNull(sends.get(0).groupId());
        assertEquals(BrokerBench.CRM_OUTBOX, sends.get(1).queue());
        assertEquals("meta:1", sends.get(1).groupId());
        assertEquals("meta:1", sends.get(1).correlationId());
        assertEquals(p, sends.get(1).properties());
    }

    @Test
    void theTypeQueueIsTheGatewaysDefaultRouting() {
        assertEquals("whatsapp.status", BrokerReport.typeQueue("status", "delivered"));
        assertEquals("whatsapp.events", BrokerReport.typeQueue("event", "incoming_call"));
        assertEquals("whatsapp.in.unknown", BrokerReport.typeQueue("message", "unknown"));
        assertEquals("whatsapp.in.image", BrokerReport.typeQueue("message", "image"));
    }

    @Test
    void aMessageWithAnAttachmentToFetchIsRefused() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerReport.refuseAttachment(golden("greenapi/image-message.json")));
        assertTrue(e.getMessage().contains("attachment"), e.getMessage());
        BrokerReport.refuseAttachment(golden("kazinfoteh/text.json"));
        BrokerReport.refuseAttachment("{\"id\": \"x\", \"raw\": {\"media\": {\"url\": \"u\"}}}");
    }

    @Test
    void aMessageWithoutTheFieldsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerReport.properties("{\"provider\": \"meta\", \"kind\": \"message\"}"));
        assertEquals("no \"type\" in the canonical message", e.getMessage());
    }

    private static String golden(String name) throws IOException {
        return Files.readString(Path.of("../src/test/resources/golden/" + name), StandardCharsets.UTF_8);
    }
}
