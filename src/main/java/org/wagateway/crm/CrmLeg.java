package org.wagateway.crm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;

/** Whether canonical messages are also POSTed to the CRM; the dispatch route asks it per message. */
@Component("crmLeg")
public class CrmLeg {

    private static final Logger LOG = LoggerFactory.getLogger(CrmLeg.class);

    private final boolean enabled;

    public CrmLeg(GatewayProperties properties) {
        this.enabled = properties.getCrm().isEnabled();
        if (enabled) {
            LOG.info("CRM delivery is on: canonical messages are POSTed to the URL in gateway.crm.url");
        } else {
            LOG.info("CRM delivery is off: gateway.crm.url is not set, messages go to the JMS queues only");
        }
    }

    public boolean isEnabled() {
        return enabled;
    }
}
