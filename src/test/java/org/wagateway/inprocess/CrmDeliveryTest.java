package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import jakarta.jms.Message;
import java.time.Duration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import javax.sql.DataSource;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.scheduler.Job;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.activemq.openwire.OpenWireFormat;
import org.apache.activemq.util.ByteSequence;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wagateway.Fixtures;

/**
 * The CRM leg against a CRM that fails: retried (waiting in the broker, as long as the CRM's Retry-After asks),
 * and what never gets through is kept, not lost.
 */
class CrmDeliveryTest extends GatewayTestSupport {

    @Autowired
    private BrokerService broker;

    @Autowired
    private CamelContext camel;

    @Autowired
    private DataSource idsDatabase;

    @Test
    void aMessageWhoseIdTheStoreRefusedIsNotPostedAgainWhenItComesBack() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();
        refusingIdsOf(id, () -> postKazinfoteh(sample));
        LoggedRequest taken = crmRequestFor(id);

        backOnTheCrmOutbox(id, taken);

        // a second POST would come within a few hundred milliseconds
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> crmRequests(id).size() == 1);
    }

    @Test
    void aMessageWhoseIdTheStoreLostIsNotPostedAgainWhenItComesBack() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();
        postKazinfoteh(sample);
        LoggedRequest taken = crmRequestFor(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> crmIdsRecorded(id) == 1);
        // an embedded H2 that closes on a failed write (a full disk) loses the inserts of its last write delay
        new JdbcTemplate(idsDatabase).update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = 'crm' "
                + "AND messageId LIKE ?", id + "%");

        backOnTheCrmOutbox(id, taken);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> crmRequests(id).size() == 1);
    }

    @Test
    void anIdTheStoreRefusedIsRecordedOnceItTakesWritesAgain() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();
        refusingIdsOf(id, () -> postKazinfoteh(sample));

        // the next messages through the store write back what it refused
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            postKazinfoteh(withFreshId(Fixtures.load("kazinfoteh/text.json"), "id"));
            assertThat(crmIdsRecorded(id)).isEqualTo(1);
        });
    }

    /** Runs {@code action} while the ids store refuses to record this message's CRM id, until it refused once. */
    private void refusingIdsOf(String canonicalId, Runnable action) {
        JdbcTemplate sql = new JdbcTemplate(idsDatabase);
        RefusedIdInserts.prefix = canonicalId;
        int refusedBefore = RefusedIdInserts.REFUSED.get();
        sql.execute("CREATE TRIGGER REFUSE_IDS BEFORE INSERT ON CAMEL_MESSAGEPROCESSED FOR EACH ROW CALL \""
                + RefusedIdInserts.class.getName() + "\"");
        try {
            action.run();
            await().atMost(Duration.ofSeconds(20)).until(() -> RefusedIdInserts.REFUSED.get() > refusedBefore);
        } finally {
            sql.execute("DROP TRIGGER REFUSE_IDS");
            RefusedIdInserts.prefix = "";
        }
    }

    /** The CRM ids of this message in the ids store's database. */
    private int crmIdsRecorded(String canonicalId) {
        return new JdbcTemplate(idsDatabase).queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED "
                + "WHERE processorName = 'crm' AND messageId LIKE ?", Integer.class, canonicalId + "%");
    }

    /** The message the CRM took, on the CRM outbox again: as the broker redelivers one whose ack was lost. */
    private void backOnTheCrmOutbox(String canonicalId, LoggedRequest taken) {
        jms.send("whatsapp.gateway.crm", session -> {
            Message message = session.createTextMessage(taken.getBodyAsString());
            message.setJMSCorrelationID(canonicalId);
            message.setStringProperty("provider", "kazinfoteh");
            message.setStringProperty("type", "text");
            return message;
        });
    }

    @Test
    void aCrmThatFailsOnceGetsTheMessageOnTheRetry() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        crmAnswers(id, aResponse().withStatus(503), aResponse().withStatus(200));

        postGreenApi(sample);

        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);
        jms.setReceiveTimeout(1_000);
        assertThat(jms.receiveSelected("whatsapp.dlq.crm", "JMSCorrelationID = '" + id + "'")).isNull();
    }

    @Test
    void aMessageTheCrmKeepsRefusingEndsOnTheCrmDeadLetterQueue() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .willReturn(aResponse().withStatus(500)));

        postGreenApi(sample);
        Message dead = receive("whatsapp.dlq.crm", id, Duration.ofSeconds(20));

        assertThat(dead).as("message on whatsapp.dlq.crm").isNotNull();
        assertThat(body(dead).path("id").asText()).isEqualTo(id);
        assertThat(crmRequests(id)).as("first attempt and 2 redeliveries").hasSize(3);
        assertThat(dead.getStringProperty("deadLetterHttpStatus")).isEqualTo("500");
        assertThat(dead.getStringProperty("deadLetterAttempts")).isEqualTo("3");
        assertThat(dead.getStringProperty("deadLetterRoute")).isEqualTo("deliver-crm");
        assertThat(dead.getStringProperty("deadLetterReason")).contains("HttpOperationFailedException");
    }

    @Test
    void aMessageTheCrmRejectsWithA4xxIsDeadLetteredAtOnceWithTheCrmsAnswer() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"unknown customer\"}")));

        postKazinfoteh(sample);
        Message dead = receive("whatsapp.dlq.crm", id, Duration.ofSeconds(20));

        assertThat(dead).as("message on whatsapp.dlq.crm").isNotNull();
        assertThat(dead.getStringProperty("deadLetterHttpStatus")).isEqualTo("422");
        assertThat(dead.getStringProperty("deadLetterHttpBody")).contains("unknown customer");
        assertThat(crmRequests(id)).as("no retry of a 4xx").hasSize(1);
    }

    @Test
    void a429IsRetriedLikeAnOutage() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        crmAnswers(id, aResponse().withStatus(429), aResponse().withStatus(201));

        postGreenApi(sample);

        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);
        assertThat(receive("whatsapp.dlq.crm", id, Duration.ofSeconds(1))).isNull();
    }

    @Test
    void aRetryAfterFromTheCrmIsWaitedFor() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        crmAnswers(id, aResponse().withStatus(503).withHeader("Retry-After", "2"),
                aResponse().withStatus(200));

        postGreenApi(sample);

        await().atMost(Duration.ofSeconds(20)).until(() -> crmRequests(id).size() == 2);
        List<LoggedRequest> requests = crmRequests(id);
        long waitedMillis = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        // without the header the test settings would retry after 100 ms
        assertThat(waitedMillis).as("wait between the 503 and the retry").isGreaterThanOrEqualTo(1_900);
    }

    @Test
    void aFailedDeliveryWaitsInTheBrokersSchedulerNotInMemory() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        CRM.stubFor(WireMock.post(urlEqualTo(CRM_PATH)).atPriority(1).withHeader("Idempotency-Key", equalTo(id))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "3600")));

        postGreenApi(sample);
        await().atMost(Duration.ofSeconds(20)).until(() -> scheduledCrmRetry(id) != null);

        Job job = scheduledCrmRetry(id);
        ActiveMQTextMessage waiting = (ActiveMQTextMessage) new OpenWireFormat().unmarshal(new ByteSequence(job.getPayload()));
        assertThat(waiting.getStringProperty("crmLastFailure")).isEqualTo("http-503");
        assertThat(waiting.getIntProperty("crmAttempts")).isEqualTo(1);
        assertThat(job.getDelay()).as("waits as long as the CRM's Retry-After asked")
                .isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(camel.getInflightRepository().size("deliver-crm")).as("exchanges held by deliver-crm").isZero();
        assertThat(crmRequests(id)).hasSize(1);
        broker.getJobSchedulerStore().getJobScheduler("JMS").remove(job.getJobId());
    }

    /** The CRM retry of this message the broker's scheduler holds, if any. */
    private Job scheduledCrmRetry(String canonicalId) throws Exception {
        for (Job job : broker.getJobSchedulerStore().getJobScheduler("JMS").getAllJobs()) {
            ActiveMQMessage message = (ActiveMQMessage) new OpenWireFormat().unmarshal(new ByteSequence(job.getPayload()));
            if (canonicalId.equals(message.getCorrelationId())
                    && "whatsapp.gateway.crm".equals(message.getDestination().getPhysicalName())) {
                return job;
            }
        }
        return null;
    }
}
