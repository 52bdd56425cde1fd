package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.wagateway.Fixtures;

/**
 * The embedded broker fails the commit of a CRM delivery, as KahaDB does on a full disk ("STORE COMMIT FAILED":
 * the broker rolls the transaction back and answers with an error). The stage's listener recovers, and every
 * message of the outbox still reaches the CRM, once: the one of the failed commit (its id was recorded after the
 * CRM's 2xx) and those the broker had handed ahead to the consumer that failed.
 */
@TestPropertySource(properties = "gateway.broker.name=gateway-test-crm-commit")
@Import(CrmCommitFailureTest.Refusal.class)
class CrmCommitFailureTest extends GatewayTestSupport {

    private static final String CRM_OUTBOX = "whatsapp.gateway.crm";
    private static final int MESSAGES = 40;

    @Autowired
    RefusesOneStageCommit refusal;

    @Autowired
    CamelContext camel;

    @Test
    void everyMessageReachesTheCrmOnceAfterADeliveryCommitFails() throws Exception {
        List<String> ids = new ArrayList<>();
        // a backlog on the outbox first: the consumer whose commit fails holds messages handed to it ahead
        camel.getRouteController().suspendRoute("deliver-crm");
        for (int i = 0; i < MESSAGES; i++) {
            ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
            ids.add("greenapi:" + sample.get("idMessage").asText());
            assertThat(postGreenApi(sample).statusCode()).isEqualTo(200);
        }
        refusal.armed.set(true);
        camel.getRouteController().resumeRoute("deliver-crm");

        await().atMost(Duration.ofSeconds(20)).until(() -> refusal.refusedOn.get() != null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids)
                .allSatisfy(id -> assertThat(crmRequests(id)).as("POSTs of " + id).hasSize(1)));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Refusal {
        @Bean
        RefusesOneStageCommit refusesCrmCommit() {
            return new RefusesOneStageCommit(CRM_OUTBOX, RefusesOneStageCommit.Failure.ROLLED_BACK);
        }
    }
}
