package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker-alone benchmark's figures and table (bench/broker.sh), and the properties it reads from a message. */
class BrokerReportTest {

    /** 20 s measured: 20,000 through all three hops, 14 s of broker CPU, 1 s of steal, on 2 cores. */
    private static BrokerReport report() {
        BrokerReport r = new BrokerReport();
        r.producers = 8;
        r.dispatchConsumers = 2;
        r.crmConsumers = 8;
        r.maxInFlight = 2000;
        r.warmupSeconds = 10;
        r.messageBytes = 1515;
        r.messageSource = "golden/kazinfoteh/text.json";
        r.seconds = 20;
        r.sent = 21_000;
        r.dispatched = 20_500;
        r.completed = 20_000;
        r.inFlightAtEnd = 1_990;
        r.clkTck = 100;
        r.brokerTicks = 1_400;
        r.loadTicks = 500;
        r.machineBusyTicks = 3_980;
        r.stealTicks = 100;
        r.brokerPeakRssKiB = 240 * 1024;
        r.loadAverageStart = "8.10 6.24 5.50";
        r.loadAverageEnd = "9.11 6.61 5.64";
        r.cores = 2;
        r.gatewayCrmRate = 56;
        r.gatewayCpuMs = 6.41;
        r.gatewayBrokerCpuMs = 2.3;
        return r;
    }

    @Test
    void ratesCountTheMeasuredPhaseOnly() {
        BrokerReport r = report();
        assertEquals(1000, r.endToEndRate(), 1e-9);
        assertEquals(1050, r.intakeRate(), 1e-9);
    }

    @Test
    void cpuPerMessageIsTheBrokersTicksOverTheMessagesThroughAllHops() {
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
        assertEquals(2 * 1000 / 6.41, r.gatewayCpuBoundRate(), 1e-9);
        String table = r.table();
        assertTrue(table.contains("| broker alone ÷ gateway's messages/s reaching the CRM at saturation (56/s) | 17.86 × |"),
                table);
        assertTrue(table.contains("(2 cores ÷ 6.41 ms = 312/s) | 3.21 × |"), table);
        assertTrue(table.contains("the broker's share inside the gateway (2.30 ms) | 0.30 × |"), table);
    }

    @Test
    void tableGivesEveryFigureAndFlagsStealAndTheWaitingIntake() {
        String table = report().table();
        assertTrue(table.contains("| messages/s carried end to end (all three hops committed) | 1,000 |"), table);
        assertTrue(table.contains("| intake sends/s (synchronous persistent, 8 producer connections) | 1,050 |"), table);
        assertTrue(table.contains("| broker JVM CPU per message end to end | 0.70 ms (0.70 cores) |"), table);
        assertTrue(table.contains("| load JVM CPU per message | 0.25 ms (0.25 cores) |"), table);
        assertTrue(table.contains("| peak RSS of the broker JVM (VmHWM) | 240 MiB |"), table);
        assertTrue(table.contains("| steal during the phase | 0.05 cores **(steal: figures unreliable)** |"), table);
        assertTrue(table.contains("| load average at the phase's start / end | 8.10 6.24 5.50 / 9.11 6.61 5.64 |"), table);
        assertTrue(table.contains("1,990 in flight at the end (at most 2,000): the producers waited"), table);
        assertTrue(table.contains("- Message: golden/kazinfoteh/text.json, 1,515 bytes of UTF-8 text."), table);
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
        assertTrue(Double.isNaN(r.brokerCpuMsPerMessage()));
        assertTrue(r.table().contains("| broker JVM CPU per message end to end | n/a ms (0.70 cores) |"));
        assertEquals("n/a", BrokerReport.ratio(Double.NaN, 56));
        assertEquals("n/a", BrokerReport.ratio(100, Double.NaN));
    }

    @Test
    void propertiesComeFromAGoldenCanonicalMessage() throws IOException {
        String json = Files.readString(Path.of("../src/test/resources/golden/kazinfoteh/text.json"),
                StandardCharsets.UTF_8);
        Map<String, String> p = BrokerReport.properties(json);
        assertEquals("kazinfoteh", p.get("provider"));
        assertEquals("message", p.get("kind"));
        assertEquals("text", p.get("type"));
        assertEquals("kazinfoteh:01912729-1111-7000-a000-000000000001", p.get("id"));
        assertEquals("77776662222", p.get("chatId"));
        assertEquals("whatsapp.in.text", BrokerReport.typeQueue(p.get("type")));
    }

    @Test
    void aMessageWithoutTheFieldsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerReport.properties("{\"provider\": \"meta\", \"kind\": \"message\"}"));
        assertEquals("no \"type\" in the canonical message", e.getMessage());
    }
}
