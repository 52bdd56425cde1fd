package org.wagateway.routing;

import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;
import org.wagateway.flow.ExchangeContract;

/**
 * Picks the JMS queue of a canonical message from the routing table ({@code gateway.routing.*}):
 * unknown types to the unknown queue, statuses and events to theirs, messages to {@code whatsapp.in.<type>}
 * unless a per-type entry says otherwise.
 */
@Component("queueRouter")
public class QueueRouter {

    private final GatewayProperties.Routing routing;

    public QueueRouter(GatewayProperties properties) {
        this.routing = properties.getRouting();
    }

    public String queueFor(@Header(ExchangeContract.Header.KIND) String kind,
                           @Header(ExchangeContract.Header.TYPE) String type) {
        if (type == null || type.isBlank() || "unknown".equals(type)) {
            return routing.getUnknownQueue();
        }
        String override = routing.getTypes().get(type);
        if (override != null && !override.isBlank()) {
            return override;
        }
        if ("status".equals(kind)) {
            return routing.getStatusQueue();
        }
        if ("event".equals(kind)) {
            return routing.getEventQueue();
        }
        return routing.getMessageQueue().replace("{type}", type);
    }
}
