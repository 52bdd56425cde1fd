package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryTest {

    private static final String[] STAGES = {"whatsapp.gateway.ingest", "whatsapp.gateway.media", "whatsapp.gateway.crm"};

    /** id → {send µs, phase}. */
    private static Map<String, long[]> accepted(Object... idSendPhase) {
        Map<String, long[]> m = new HashMap<>();
        for (int i = 0; i < idSendPhase.length; i += 3) {
            m.put((String) idSendPhase[i], new long[] {(Long) idSendPhase[i + 1], (Integer) idSendPhase[i + 2]});
        }
        return m;
    }

    /** key → {posts, first arrival µs}. */
    private static Map<String, long[]> crm(Object... keyPostsArrival) {
        Map<String, long[]> m = new HashMap<>();
        for (int i = 0; i < keyPostsArrival.length; i += 3) {
            m.put((String) keyPostsArrival[i], new long[] {(Long) keyPostsArrival[i + 1], (Long) keyPostsArrival[i + 2]});
        }
        return m;
    }

    @Test
    void everyMessageOnceIsExitZero() {
        Delivery d = Delivery.check(accepted("a", 1_000L, Phases.OPEN, "b", 2_000L, Phases.SATURATION),
                crm("a", 1L, 5_000L, "b", 1L, 10_000L), Map.of(), STAGES, 9_000L, 20_000L);
        assertEquals(0, d.lost);
        assertEquals(0, d.stillQueued);
        assertEquals(0, d.duplicatedKeys);
        assertTrue(d.countsOk);
        assertEquals(0, d.exitStatus());
        assertArrayEquals(new long[] {4_000L}, d.e2eOpen);
        assertArrayEquals(new long[] {8_000L}, d.e2eSat);
        assertEquals(1, d.satDeliveredInWindow, "only b arrived within the saturation window");
    }

    @Test
    void aMessageTwiceIsExitOne() {
        Delivery d = Delivery.check(accepted("a", 1L, Phases.OPEN), crm("a", 3L, 5L), Map.of(), STAGES, 0, 0);
        assertEquals(1, d.duplicatedKeys);
        assertEquals(2, d.extraPosts);
        assertFalse(d.nothingLost);
        assertEquals(1, d.exitStatus());
    }

    @Test
    void missingAndNotQueuedIsLost() {
        Delivery d = Delivery.check(accepted("a", 1L, Phases.OPEN, "b", 1L, Phases.OPEN), crm("a", 1L, 5L),
                Map.of("whatsapp.in.text", 10L), STAGES, 0, 0);
        assertEquals(1, d.lost, "a consumer queue outside the gateway's stages holds nothing of ours");
        assertEquals(0, d.stillQueued);
        assertEquals(1, d.exitStatus());
    }

    @Test
    void missingButOnAStageQueueIsNotConfirmedExitThree() {
        Delivery d = Delivery.check(accepted("a", 1L, Phases.OPEN, "b", 1L, Phases.OPEN, "c", 1L, Phases.COST),
                crm("a", 1L, 5L), Map.of("whatsapp.gateway.crm", 1L, "whatsapp.gateway.ingest", 5L), STAGES, 0, 0);
        assertEquals(2, d.stillQueued, "at most as many as are missing count as queued");
        assertEquals(0, d.lost);
        assertTrue(d.nothingLost);
        assertFalse(d.countsOk);
        assertEquals(3, d.exitStatus());
    }

    @Test
    void unknownQueuesCountNothingAsQueued() {
        Delivery d = Delivery.check(accepted("a", 1L, Phases.OPEN), crm(), null, STAGES, 0, 0);
        assertEquals(1, d.lost);
        assertEquals(1, d.exitStatus());
    }

    @Test
    void keysWithoutAnAcceptedWebhookAreUnconfirmedNotLost() {
        Delivery d = Delivery.check(accepted("a", 1L, Phases.OPEN), crm("a", 1L, 5L, "timed-out", 1L, 6L), Map.of(),
                STAGES, 0, 0);
        assertEquals(1, d.unconfirmed);
        assertEquals(0, d.exitStatus());
    }

    @Test
    void nothingAcceptedIsNotASuccess() {
        Delivery d = Delivery.check(Map.of(), crm(), Map.of(), STAGES, 0, 0);
        assertEquals(1, d.exitStatus());
    }

    @Test
    void capacityIsTheSaturationsMessagesAtTheCrmOverThePhaseAndItsDrain() {
        // saturation from 10 s to 40 s; s1..s3 accepted in it, the last at the CRM 15 s after its end; o1 of the
        // open loop reaches the CRM during the saturation (backlog), o2 before it
        Delivery d = Delivery.check(accepted("s1", 11_000_000L, Phases.SATURATION, "s2", 20_000_000L, Phases.SATURATION,
                        "s3", 39_000_000L, Phases.SATURATION, "o1", 5_000_000L, Phases.OPEN, "o2", 1_000_000L, Phases.OPEN),
                crm("s1", 1L, 12_000_000L, "s2", 1L, 30_000_000L, "s3", 1L, 55_000_000L, "o1", 1L, 15_000_000L,
                        "o2", 1L, 6_000_000L),
                Map.of(), STAGES, 10_000_000L, 40_000_000L);
        Delivery.Capacity c = d.capacity;
        assertEquals(3, c.accepted());
        assertEquals(3, c.delivered());
        assertEquals(0, c.duplicated());
        assertEquals(1, c.otherInSpan(), "o1 arrived within the span, o2 before it");
        assertEquals(30.0, c.phaseSeconds(), 1e-9);
        assertEquals(15.0, c.drainSeconds(), 1e-9);
        assertEquals(3 / 45.0, c.rate(), 1e-12);
        assertTrue(c.exactlyOnce());
        assertFalse(c.met(), "far below 800/s");
        assertEquals("3 of 3 accepted at the CRM, 0 twice; 30.0 s + 15.0 s drain; 1 other messages (earlier phases' "
                + "backlog) reached the CRM in that span", c.parts());
    }

    @Test
    void capacityArithmetic() {
        Delivery.Capacity atTarget = Delivery.Capacity.of(72_000, 72_000, 0, 0, 0, 30_000_000L, 90_000_000L);
        assertEquals(60.0, atTarget.drainSeconds(), 1e-9);
        assertEquals(800.0, atTarget.rate(), 1e-9);
        assertTrue(atTarget.met(), "800/s each once meets ≥ 800");
        Delivery.Capacity early = Delivery.Capacity.of(100, 100, 0, 0, 0, 30_000_000L, 29_000_000L);
        assertEquals(0.0, early.drainSeconds(), "all at the CRM before the phase ended: no drain");
        assertEquals(100 / 30.0, early.rate(), 1e-12);
        Delivery.Capacity nothing = Delivery.Capacity.of(10, 0, 0, 0, 0, 30_000_000L, Long.MIN_VALUE);
        assertEquals(0.0, nothing.drainSeconds());
        assertEquals(0.0, nothing.rate());
        assertEquals(0.0, Delivery.Capacity.of(0, 0, 0, 0, 0, 0, 0).rate(), "no span: no rate");
    }

    @Test
    void capacityIsNotMetWhenOneIsMissingOrTwice() {
        Delivery.Capacity missing = Delivery.Capacity.of(80_001, 80_000, 0, 0, 0, 30_000_000L, 60_000_000L);
        assertTrue(missing.rate() > 800);
        assertFalse(missing.met(), "one of the phase's messages is not at the CRM");
        Delivery.Capacity twice = Delivery.Capacity.of(80_000, 80_000, 1, 0, 0, 30_000_000L, 60_000_000L);
        assertFalse(twice.met(), "one Idempotency-Key came twice");
        Delivery d = Delivery.check(accepted("s1", 1L, Phases.SATURATION, "s2", 1L, Phases.SATURATION),
                crm("s1", 2L, 5L), Map.of(), STAGES, 0, 10L);
        assertEquals(1, d.capacity.delivered());
        assertEquals(1, d.capacity.duplicated());
        assertFalse(d.capacity.exactlyOnce());
    }
}
