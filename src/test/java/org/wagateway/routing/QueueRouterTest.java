package org.wagateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wagateway.config.GatewayProperties;

class QueueRouterTest {

    private final GatewayProperties properties = new GatewayProperties();
    private final QueueRouter router = new QueueRouter(properties);

    @Test
    void messagesGoToTheQueueNamedForTheirType() {
        assertThat(router.queueFor("message", "text")).isEqualTo("whatsapp.in.text");
        assertThat(router.queueFor("message", "image")).isEqualTo("whatsapp.in.image");
    }

    @Test
    void statusesGoToTheStatusQueue() {
        assertThat(router.queueFor("status", "status")).isEqualTo("whatsapp.status");
    }

    @Test
    void eventsGoToTheEventQueue() {
        assertThat(router.queueFor("event", "state")).isEqualTo("whatsapp.events");
    }

    @Test
    void unknownTypesGoToTheUnknownQueueWhateverTheirKind() {
        assertThat(router.queueFor("message", "unknown")).isEqualTo("whatsapp.in.unknown");
        assertThat(router.queueFor("event", "unknown")).isEqualTo("whatsapp.in.unknown");
        assertThat(router.queueFor(null, null)).isEqualTo("whatsapp.in.unknown");
    }

    @Test
    void aPerTypeEntryOverridesThePattern() {
        properties.getRouting().getTypes().put("sticker", "whatsapp.in.image");

        assertThat(router.queueFor("message", "sticker")).isEqualTo("whatsapp.in.image");
    }

    @Test
    void theMessagePatternIsConfigurable() {
        properties.getRouting().setMessageQueue("crm.whatsapp.{type}.v1");

        assertThat(router.queueFor("message", "video")).isEqualTo("crm.whatsapp.video.v1");
    }
}
