package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.wagateway.Fixtures;

class BrokerAndOpsTest extends GatewayTestSupport {

    @Autowired
    BrokerService broker;

    @Value("${gateway.data-dir}")
    Path dataDir;

    @Test
    void embeddedBrokerKeepsItsStoreUnderTheDataFolder() {
        assertThat(broker.isPersistent()).isTrue();
        assertThat(Files.isDirectory(dataDir.resolve("broker/kahadb"))).isTrue();
    }

    @Test
    void onlyTheStageQueuesKeepMessagesCachedInMemory() {
        for (String stage : new String[] {"whatsapp.gateway.ingest", "whatsapp.gateway.media", "whatsapp.gateway.crm"}) {
            assertThat(broker.getDestinationPolicy().getEntryFor(new ActiveMQQueue(stage)).isUseCache())
                    .as(stage).isTrue();
        }
        for (String readByOthers : new String[] {"whatsapp.in.text", "whatsapp.status", "whatsapp.dlq.crm"}) {
            assertThat(broker.getDestinationPolicy().getEntryFor(new ActiveMQQueue(readByOthers)).isUseCache())
                    .as(readByOthers).isFalse();
        }
    }

    @Test
    void sendsKeepTheirProducersOpenInsteadOfOpeningOnePerMessage() throws Exception {
        String queue = "producer-cache-test";
        for (int i = 0; i < 50; i++) {
            jms.convertAndSend(queue, "message " + i);
        }

        // a producer opened per send is closed right after it (asynchronously): the count would fall to 0
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> producersOn(queue) >= 1);
        assertThat(producersOn(queue)).as("producers open on " + queue).isLessThanOrEqualTo(4);
    }

    private long producersOn(String queue) throws Exception {
        return broker.getDestination(new ActiveMQQueue(queue)).getDestinationStatistics().getProducers().getCount();
    }

    @Test
    void externalConsumerReadsTheQueuesOverTcp() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        URI tcp = broker.getTransportConnectors().get(0).getPublishableConnectURI();
        assertThat(tcp.getScheme()).isEqualTo("tcp");

        postGreenApi(sample);
        ActiveMQConnectionFactory external = new ActiveMQConnectionFactory(tcp);
        try (Connection connection = external.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("whatsapp.in.text"),
                    "JMSCorrelationID = '" + id + "' AND provider = 'greenapi' AND type = 'text'");
            Message message = consumer.receive(20_000);

            assertThat(message).as("message read over " + tcp).isNotNull();
            assertThat(body(message).path("id").asText()).isEqualTo(id);
        }
    }

    @Test
    void healthReportsCamelAndTheJmsConnection() throws Exception {
        HttpResponse<String> response = get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = json(response);
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/camelHealth/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/jms/status").asText()).isEqualTo("UP");
    }

    @Test
    void hawtioConsoleIsServedUnderActuatorToTheOpsAccount() {
        HttpResponse<String> response = get("/actuator/hawtio/", ADMIN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsIgnoringCase("hawtio");
    }

    @Test
    void jolokiaShowsTheRoutesAndTheBrokerQueues() throws Exception {
        HttpResponse<String> routes = get("/actuator/jolokia/search/org.apache.camel:type=routes,*", ADMIN);
        HttpResponse<String> queues = get("/actuator/jolokia/search/org.apache.activemq:type=Broker,brokerName="
                + broker.getBrokerName() + ",destinationType=Queue,*", ADMIN);

        assertThat(routes.statusCode()).isEqualTo(200);
        assertThat(routes.body()).contains("kazinfoteh-webhook", "greenapi-webhook", "dispatch", "deliver-crm");
        assertThat(queues.body()).contains("whatsapp.gateway.ingest");
    }

    @ParameterizedTest(name = "{0} without credentials is 401")
    @ValueSource(strings = {"/actuator/hawtio/", "/actuator/jolokia/version", "/actuator/env", "/actuator/beans"})
    void opsEndpointsNeedTheOpsAccount(String path) {
        assertThat(get(path).statusCode()).isEqualTo(401);
        assertThat(get(path, TestClient.basic("admin", "wrong-password")).statusCode()).isEqualTo(401);
    }

    @Test
    void healthStaysOpenForLoadBalancers() {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
    }
}
