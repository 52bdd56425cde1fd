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
}
