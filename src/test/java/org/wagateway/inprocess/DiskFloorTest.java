package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.JmsException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.unit.DataSize;
import org.wagateway.Fixtures;
import org.wagateway.config.GatewayProperties;
import org.wagateway.storage.DiskSpaceGuard;

/**
 * The data disk's floor, without filling a real disk: the floor is raised above the disk's real free space, then
 * lowered again, at run time. Below it, webhooks get 503 with Retry-After, the broker refuses persistent sends at
 * once (a stage rolls back and keeps its message), no attachment is fetched, health says so; once above, within
 * the periodic check and without a restart, webhooks are accepted and every message reaches its queue and the
 * CRM.
 */
@TestPropertySource(properties = {
        "gateway.broker.name=gateway-test-disk-floor",
        "gateway.data.check-interval=500ms",
})
class DiskFloorTest extends GatewayTestSupport {

    /** More than any disk this test runs on. */
    private static final DataSize ABOVE_ANY_DISK = DataSize.ofTerabytes(1_000_000);

    @Autowired
    GatewayProperties properties;
    @Autowired
    DiskSpaceGuard guard;
    @Autowired
    CamelContext camel;

    private static final byte[] PHOTO = MediaServer.jpeg();
    private static final MediaServer MEDIA = new MediaServer().file("/upl/floor.jpeg", "image/jpeg", PHOTO);

    @AfterAll
    static void stopMediaServer() {
        MEDIA.close();
    }

    @AfterEach
    void floorBackToNormal() throws Exception {
        properties.getData().setMinFreeDisk(DataSize.ofBytes(1));
        guard.check();
        camel.getRouteController().startRoute("dispatch");
        camel.getRouteController().startRoute("fetch-media");
    }

    @Test
    void belowTheFloorNoAttachmentIsFetchedItWaitsOnItsQueueUntilSpaceIsBack() throws Exception {
        camel.getRouteController().stopRoute("fetch-media");
        ObjectNode image = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");
        image.put("msgAttachmentUrl", MEDIA.url("/upl/floor.jpeg"));
        HttpResponse<String> accepted = postKazinfoteh(image);
        assertThat(accepted.statusCode()).isEqualTo(200);
        String id = json(accepted).get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> jms.browseSelected("whatsapp.gateway.media",
                "JMSCorrelationID = '" + id + "'", (session, browser) -> browser.getEnumeration().hasMoreElements()));

        properties.getData().setMinFreeDisk(ABOVE_ANY_DISK);
        guard.check();
        camel.getRouteController().startRoute("fetch-media");
        await().atMost(Duration.ofSeconds(20)).until(() -> route("fetch-media").getExchangesFailed() >= 2);
        assertThat(MEDIA.requestsTo("/upl/floor.jpeg")).as("nothing downloaded below the floor").isZero();

        properties.getData().setMinFreeDisk(DataSize.ofBytes(1));
        Message delivered = receive("whatsapp.in.image", id, Duration.ofSeconds(60));
        assertThat(delivered).as("delivered once space is back").isNotNull();
        assertThat(delivered.getStringProperty("mediaStatus")).isEqualTo("stored");
        assertThat(body(delivered).at("/media/size").asLong()).isEqualTo(PHOTO.length);
        assertThat(receive("whatsapp.dlq.media", id, Duration.ofMillis(200))).isNull();
        assertThat(receive("whatsapp.dlq.dispatch", id, Duration.ofMillis(200))).isNull();
    }

    private ManagedRouteMBean route(String routeId) {
        return camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class).getManagedRoute(routeId);
    }

    @Test
    void belowTheFloorWebhooksAre503AndOnceSpaceIsBackEverythingArrives() throws Exception {
        properties.getData().setMinFreeDisk(DataSize.ofBytes(1));
        guard.check();
        // accepted before the floor is raised
        HttpResponse<String> early = postKazinfoteh(withFreshId(Fixtures.load("kazinfoteh/text.json"), "id"));
        assertThat(early.statusCode()).isEqualTo(200);
        String earlyId = json(early).get("id").asText();
        // put on the ingest queue before the floor is raised (a replay), dispatched only while below it
        camel.getRouteController().stopRoute("dispatch");
        String replayedId = "kazinfoteh:floor-replay-" + UUID.randomUUID();
        IngestReplays.putText(jms, "whatsapp.gateway.ingest", replayedId, "kazinfoteh", "floor");

        properties.getData().setMinFreeDisk(ABOVE_ANY_DISK);
        guard.check();

        HttpResponse<String> refused = postKazinfoteh(withFreshId(Fixtures.load("kazinfoteh/text.json"), "id"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
        JsonNode body = json(refused);
        assertThat(body.get("status").asText()).isEqualTo("rejected");
        assertThat(body.get("error").asText()).isEqualTo("insufficient_storage");
        assertThat(body.get("message").asText()).isNotBlank();

        // the broker itself refuses persistent sends at once, never blocks them
        long before = System.nanoTime();
        assertThatThrownBy(() -> jms.convertAndSend("whatsapp.test.disk-floor", "x")).isInstanceOf(JmsException.class)
                .rootCause().isInstanceOf(jakarta.jms.ResourceAllocationException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));

        // the stored message's dispatch is refused by the broker (its transaction cannot commit): it rolls back
        // and is handed again, never dead-lettered nor lost
        camel.getRouteController().startRoute("dispatch");
        await().atMost(Duration.ofSeconds(20)).until(() -> route("dispatch").getExchangesTotal() >= 2);

        HttpResponse<String> health = get("/actuator/health", ADMIN);
        JsonNode disk = json(health).path("components").path("dataDisk");
        assertThat(disk.path("status").asText()).isEqualTo("DOWN");
        assertThat(disk.path("details").path("free").asLong()).isPositive();
        assertThat(disk.path("details").path("floor").asLong()).isEqualTo(ABOVE_ANY_DISK.toBytes());
        assertThat(get("/actuator/prometheus", ADMIN).body())
                .containsPattern("gateway_data_disk_free_bytes(\\{[^}]*})? [0-9.E]+")
                .containsPattern("gateway_data_disk_floor_bytes(\\{[^}]*})? [0-9.E]+")
                .containsPattern("gateway_webhooks_rejected_total\\{[^}]*error=\"insufficient_storage\"[^}]*status=\"503\"[^}]*} [1-9]");

        // space is back: no restart, no test hook calling the check, only the gateway's own periodic check
        properties.getData().setMinFreeDisk(DataSize.ofBytes(1));
        String lateId = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> answer = postKazinfoteh(withFreshId(Fixtures.load("kazinfoteh/text.json"), "id"));
            return answer.statusCode() == 200 ? json(answer).get("id").asText() : null;
        }, id -> id != null);

        assertThat(json(get("/actuator/health", ADMIN)).path("components").path("dataDisk").path("status").asText())
                .isEqualTo("UP");
        for (String id : new String[] {earlyId, replayedId, lateId}) {
            assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(30))).as("on its queue: " + id).isNotNull();
            crmRequestFor(id);
            assertThat(crmRequests(id)).hasSize(1);
        }
        assertThat(receive("whatsapp.dlq.dispatch", replayedId, Duration.ofMillis(200))).isNull();
        assertThat(receive("ActiveMQ.DLQ", replayedId, Duration.ofMillis(200))).isNull();
    }
}
