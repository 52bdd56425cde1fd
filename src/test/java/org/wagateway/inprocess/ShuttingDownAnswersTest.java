package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wagateway.GatewayApplication;
import org.wagateway.webhook.WebhookGate;

/**
 * A request Tomcat refuses before the gateway sees it, while the gateway shuts down: the webhooks' gate is closed
 * (as at SIGTERM) and the answer must tell the provider to retry, never that the request was bad. (A webhook whose
 * connection Tomcat closed under it during the shutdown was answered 400.)
 */
@CamelSpringBootTest
@DirtiesContext
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "gateway.kazinfoteh.api-key=" + GatewayTestSupport.KAZINFOTEH_KEY,
                "gateway.crm.url=",
                "gateway.broker.tcp-port=0",
                "gateway.broker.name=gateway-shutting-down-test",
        })
class ShuttingDownAnswersTest {

    /** A query character Tomcat refuses in the request line (400 before any filter runs). */
    private static final String UNREADABLE = "/webhooks/kazinfoteh?x=<y>";

    @LocalServerPort
    int port;

    @Autowired
    WebhookGate gate;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        TestDataDirs.register(registry, "gateway-shutting-down-test");
    }

    @Test
    void aRequestTomcatCannotReadIsAnsweredWithARetryWhileTheGatewayShutsDown() throws Exception {
        RawHttp.Answer running = post();
        assertThat(running.status()).as("while running").isEqualTo(400);
        assertThat(running.json().path("error").asText()).isEqualTo("bad_request");

        gate.stop();
        RawHttp.Answer stopping = post();

        assertThat(stopping.status()).as("while shutting down").isEqualTo(503);
        assertThat(stopping.json().path("status").asText()).isEqualTo("rejected");
        assertThat(stopping.json().path("error").asText()).isEqualTo("shutting_down");
    }

    private RawHttp.Answer post() throws IOException {
        return RawHttp.exchange(port, "POST", UNREADABLE, Map.of("Content-Type", "application/json",
                "X-API-KEY", GatewayTestSupport.KAZINFOTEH_KEY), "{}".getBytes());
    }
}
