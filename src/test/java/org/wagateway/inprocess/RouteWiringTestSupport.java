package org.wagateway.inprocess;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.UncategorizedJmsException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.wagateway.Fixtures;
import org.wagateway.crm.CrmLeg;
import org.wagateway.flow.ExchangeContract.Property;
import org.wagateway.flow.ExchangeContract.RouteId;

/**
 * One route's branches at a time, in the started gateway (real embedded broker, real beans), with the steps
 * around the branch under test replaced by mock endpoints through {@link AdviceWith}: the provider's webhook and
 * the pipeline before the route do not run. The routes are advised once per Spring context, which these classes
 * share with each other only (the {@link MockitoBean} and properties below give it its own cache key), so the
 * gateway the other tests use keeps its routes as they are.
 * <ul>
 *   <li>{@code deliver}: its queue and the CRM outbox are {@code mock:deliver-queue}, {@code mock:queue-for-crm};
 *   whether the CRM leg is on is the {@link #crmLeg} mock's answer.</li>
 *   <li>{@code fetch-media}: taken from {@code direct:fetch-media}; the download is {@code mock:download-media}
 *   (a test sets {@code mediaStatus} as the download would), the media dead-letter copy
 *   {@code mock:copy-to-media-dlq}, the delivery {@code mock:deliver-message-with-media}.</li>
 *   <li>{@code deliver-crm}: still reads the real outbox in its JMS transaction; {@code mock:crm-outbox-taken}
 *   sees each message as taken (its JMS properties), {@code mock:post-to-crm} stands for the CRM. Its retries
 *   still go to the broker's scheduler, seen on the way by {@code mock:schedule-crm-retry}; a message with the
 *   property {@value #REFUSE_SCHEDULE} has its retry refused there, as a full disk would.</li>
 *   <li>{@code accept-webhook}: a message whose canonical id holds {@value #REFUSED_BY_BROKER} fails its store in
 *   the broker, as a broker that cannot store it would; every other message is stored (on its type queue, and
 *   on the CRM outbox when the {@link #crmLeg} mock says the leg is on).</li>
 * </ul>
 */
@TestPropertySource(properties = {
        // a broker of its own: gateways of other Spring contexts in this JVM must not reach it by its vm:// name
        "gateway.broker.name=gateway-test-route-wiring",
        // an open breaker's wait, which a call it refused waits before its retry: short, so a test sees the retry
        "gateway.crm.circuit-breaker.wait-duration-in-open-state-ms=300",
})
abstract class RouteWiringTestSupport extends GatewayTestSupport {

    static final String REFUSE_SCHEDULE = "testRefuseSchedule";
    /** A webhook's message whose canonical id holds this is refused by the broker in accept-webhook. */
    static final String REFUSED_BY_BROKER = "refused-by-broker";
    private static final String ADVISED = "routeWiringTestSupport.advised";

    @MockitoBean(name = "crmLeg")
    protected CrmLeg crmLeg;

    @Autowired
    protected CamelContext camel;

    @Autowired
    protected ProducerTemplate producer;

    @BeforeEach
    void adviseRoutesOnce() throws Exception {
        if (camel.getRegistry().lookupByName(ADVISED) == null) {
            AdviceWith.adviceWith(camel, RouteId.DELIVER, route -> {
                route.weaveById("deliver-queue").replace().to("mock:deliver-queue");
                route.weaveById("queue-for-crm").replace().to("mock:queue-for-crm");
            });
            AdviceWith.adviceWith(camel, RouteId.FETCH_MEDIA, route -> {
                route.replaceFromWith("direct:fetch-media");
                route.weaveById("download-media").replace().to("mock:download-media");
                route.weaveById("copy-to-media-dlq").replace().to("mock:copy-to-media-dlq");
                route.weaveById("deliver-message-with-media").replace().to("mock:deliver-message-with-media");
            });
            AdviceWith.adviceWith(camel, RouteId.ACCEPT_WEBHOOK, route -> route.weaveById("store-in-broker")
                    .before().process(exchange -> {
                        if (exchange.getProperty(Property.CANONICAL_ID, String.class).contains(REFUSED_BY_BROKER)) {
                            throw new UncategorizedJmsException("the broker refused the send (test)");
                        }
                    }));
            scheduleCrmRetriesThroughTheTestRoute();
            AdviceWith.adviceWith(camel, RouteId.DELIVER_CRM, route -> {
                route.weaveAddFirst().to("mock:crm-outbox-taken");
                route.weaveById("post-to-crm").replace().to("mock:post-to-crm");
            });
            camel.getRegistry().bind(ADVISED, Boolean.TRUE);
        }
        MockEndpoint.resetMocks(camel);
    }

    /**
     * The crm-errors configuration is not part of the route AdviceWith changes: its step {@code schedule-crm-retry}
     * is pointed at {@code direct:schedule-crm-retry}, which records the retry on {@code mock:schedule-crm-retry},
     * refuses it when the message says so, and otherwise sends it where the step would have. Re-creating the
     * route (the AdviceWith that follows) applies the changed configuration.
     */
    private void scheduleCrmRetriesThroughTheTestRoute() throws Exception {
        RouteConfigurationDefinition crmErrors = camel.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteConfigurationDefinitions().stream()
                .filter(configuration -> RouteId.CRM_ERRORS.equals(configuration.getId())).findFirst().orElseThrow();
        ToDefinition schedule = crmErrors.getOnExceptions().stream()
                .flatMap(onException -> ProcessorDefinitionHelper
                        .filterTypeInOutputs(onException.getOutputs(), ToDefinition.class).stream())
                .filter(to -> "schedule-crm-retry".equals(to.getId())).findFirst().orElseThrow();
        String broker = schedule.getEndpointUri();
        schedule.setUri("direct:schedule-crm-retry");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:schedule-crm-retry").routeId("test-schedule-crm-retry")
                        .errorHandler(noErrorHandler())
                        .to("mock:schedule-crm-retry")
                        .filter(header(REFUSE_SCHEDULE).isEqualTo("true"))
                            .throwException(new IllegalStateException("the scheduler's store is full (test)"))
                        .end()
                        .to(broker);
            }
        });
    }

    protected MockEndpoint mock(String name) {
        return camel.getEndpoint("mock:" + name, MockEndpoint.class);
    }

    /** A golden canonical message under a fresh id, so tests never see each other's messages. */
    protected static ObjectNode canonical(String golden) {
        ObjectNode message = Fixtures.golden(golden).deepCopy();
        String providerId = UUID.randomUUID().toString();
        message.put("providerMessageId", providerId);
        message.put("id", message.get("provider").asText() + ":" + providerId);
        return message;
    }
}
