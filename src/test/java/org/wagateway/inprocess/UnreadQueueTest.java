package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.wagateway.Fixtures;

/**
 * A queue nobody reads (its consumer is down) fills the broker's memory; the gateway must go on taking webhooks
 * and delivering them to the CRM, the unread messages waiting on disk. With producer flow control the full queue
 * would block the dispatch transaction, then the ingest queue, then every webhook.
 */
@TestPropertySource(properties = {
        "gateway.broker.name=gateway-test-unread",
        // a tiny memory for messages, so that a few hundred KiB on an unread queue fill it
        "gateway.broker.memory-limit=256KB",
})
class UnreadQueueTest extends GatewayTestSupport {

    private static final int WEBHOOKS = 400;
    private static final int BACKLOG = 256;

    @Test
    void aQueueNobodyReadsDoesNotStopTheGateway() throws Exception {
        String text = "x".repeat(8 * 1024);
        // a backlog of 2 MiB, eight times the memory, from an earlier outage of the queue's consumer: sends into
        // a full queue go on (they would block for good under producer flow control)
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < BACKLOG; i++) {
                jms.convertAndSend("whatsapp.in.text", "{\"backlog\":" + i + ",\"pad\":\"" + text + "\"}");
            }
        });
        List<ObjectNode> samples = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < WEBHOOKS; i++) {
            ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
            ((ObjectNode) sample.path("messageData").path("textMessageData")).put("textMessage", text);
            samples.add(sample);
            ids.add("greenapi:" + sample.get("idMessage").asText());
        }
        // several providers' threads at once, so the gateway's own stage queues hold (prefetched) messages too
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (ObjectNode sample : samples) {
                answers.add(senders.submit(() -> postGreenApi(sample).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            senders.shutdownNow();
        }

        // more than 5 MiB now waits on whatsapp.in.text, four times the broker's memory: the CRM still gets everything
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(crmRequests(id)).as("CRM requests for " + id).isNotEmpty();
            }
        });
        // and when the queue's consumer comes back, it reads every one from disk
        jms.setReceiveTimeout(5_000);
        List<String> read = new ArrayList<>();
        int total = BACKLOG + WEBHOOKS;
        for (Message message = jms.receive("whatsapp.in.text"); message != null;
                message = read.size() < total ? jms.receive("whatsapp.in.text") : null) {
            read.add(message.getJMSCorrelationID());
        }
        assertThat(read).hasSize(total).containsAll(ids);
    }
}
