package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The gate takes webhooks only between the application being ready and the start of its shutdown. */
class WebhookGateTest {

    private final WebhookGate gate = new WebhookGate();

    @Test
    void startedButNotReadyItIsClosedAsStarting() {
        gate.start();

        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.isStarting()).isTrue();
    }

    @Test
    void readyItIsOpen() {
        gate.start();
        gate.ready();

        assertThat(gate.isOpen()).isTrue();
        assertThat(gate.isStarting()).isFalse();
    }

    @Test
    void stoppingItIsClosedAndNotStartingEvenIfReadyComesLate() {
        gate.start();
        gate.stop();
        gate.ready();

        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.isStarting()).isFalse();
    }
}
