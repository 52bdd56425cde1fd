package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * The stages' JMS transactions as the gateway configures its JMS component: what a stage sends while it handles a
 * message commits with the message's read, or rolls back with it. A stage route (dispatch, fetch-media,
 * deliver-crm) is shaped like the route below: a transacted consumer that sends on.
 */
class StageTransactionTest extends GatewayTestSupport {

    private static final String IN = "stage-transaction-test.in";
    private static final String OUT = "stage-transaction-test.out";
    private static final String ROUTE = "stage-transaction-test";

    @Autowired
    private CamelContext camel;

    private final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void removeTheTestRoute() throws Exception {
        camel.getRouteController().stopRoute(ROUTE);
        camel.removeRoute(ROUTE);
    }

    @Test
    void aSendFromAnAttemptThatFailedIsRolledBackWithIt() throws Exception {
        // the first attempt sends on, then fails; the broker redelivers the message and the second attempt succeeds
        startStage(true);

        jms.convertAndSend(IN, "hello");

        List<String> received = drain(OUT);
        assertThat(attempts.get()).as("attempts").isEqualTo(2);
        assertThat(received).as("sends that reached " + OUT).containsExactly("hello");
    }

    @Test
    void aSendCommitsWithTheMessage() throws Exception {
        startStage(false);

        jms.convertAndSend(IN, "hello");

        assertThat(drain(OUT)).containsExactly("hello");
        assertThat(attempts.get()).isEqualTo(1);
    }

    private void startStage(boolean failFirstAttempt) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jmsStage:queue:" + IN + "?transacted=true&lazyCreateTransactionManager=false&concurrentConsumers=2")
                        .routeId(ROUTE)
                        .errorHandler(noErrorHandler())
                        .process(exchange -> attempts.incrementAndGet())
                        .to("jms:queue:" + OUT + "?exchangePattern=InOnly")
                        .process(exchange -> {
                            if (failFirstAttempt && attempts.get() == 1) {
                                throw new IllegalStateException("the first attempt fails after its send");
                            }
                        });
            }
        });
    }

    /** Everything that reaches the queue: the first message (waited for), then whatever follows within 3 s. */
    private List<String> drain(String queue) throws Exception {
        List<String> bodies = new ArrayList<>();
        long timeout = 15_000;
        Message message;
        while ((message = receiveAny(queue, timeout)) != null) {
            bodies.add(((TextMessage) message).getText());
            timeout = 3_000;
        }
        return bodies;
    }

    private Message receiveAny(String queue, long timeoutMs) {
        JmsTemplate reader = new JmsTemplate(jms.getConnectionFactory());
        reader.setReceiveTimeout(timeoutMs);
        return reader.receive(queue);
    }
}
