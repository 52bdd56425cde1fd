package org.wagateway.security;

import io.hawt.jmx.JMXSecurityMBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Hawtio asks {@code hawtio:type=security,area=jmx,*} which operations the person may invoke, and greys out the
 * rest. Hawtio's own answer (its "dummy") is yes to everything; this one, registered in its place once the
 * gateway is up, answers what {@link JolokiaAccessPolicy} allows the caller, so a viewer is not offered an
 * action that Jolokia would refuse. Hawtio spells attributes as their getters and setters ({@code getState()},
 * {@code setTracing(java.lang.Boolean)}): those are reads and writes.
 */
public class HawtioJmxSecurity implements JMXSecurityMBean, ApplicationListener<ApplicationReadyEvent> {

    static final String NAME = "hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity";

    private final JolokiaAccessPolicy policy;

    public HawtioJmxSecurity(JolokiaAccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(this, JMXSecurityMBean.class), name);
        } catch (JMException e) {
            throw new IllegalStateException("Cannot register " + NAME, e);
        }
    }

    @Override
    public boolean canInvoke(String objectName) throws Exception {
        return policy.mayUse(new ObjectName(objectName));
    }

    @Override
    public boolean canInvoke(String objectName, String method) throws Exception {
        return allowed(new ObjectName(objectName), method);
    }

    @Override
    public boolean canInvoke(String objectName, String method, String[] argumentTypes) throws Exception {
        return allowed(new ObjectName(objectName), method + "(" + String.join(",", argumentTypes) + ")");
    }

    @Override
    public TabularData canInvoke(Map<String, List<String>> bulk) throws Exception {
        TabularData answer = new TabularDataSupport(CAN_INVOKE_TABULAR_TYPE);
        for (Map.Entry<String, List<String>> entry : bulk.entrySet()) {
            ObjectName name = new ObjectName(entry.getKey());
            if (entry.getValue() == null || entry.getValue().isEmpty()) {
                answer.put(row(entry.getKey(), "", policy.mayUse(name)));
            }
            for (String method : entry.getValue() == null ? List.<String>of() : entry.getValue()) {
                answer.put(row(entry.getKey(), method, allowed(name, method)));
            }
        }
        return answer;
    }

    private boolean allowed(ObjectName name, String method) {
        int open = method.indexOf('(');
        String bare = open < 0 ? method : method.substring(0, open);
        boolean noArguments = open < 0 || method.substring(open).replace(" ", "").equals("()");
        if (noArguments && bare.length() > 3 && bare.startsWith("get")) {
            return policy.isAttributeReadAllowed(name, bare.substring(3)) || policy.isOperationAllowed(name, bare);
        }
        if (noArguments && bare.length() > 2 && bare.startsWith("is")) {
            return policy.isAttributeReadAllowed(name, bare.substring(2)) || policy.isOperationAllowed(name, bare);
        }
        if (!noArguments && bare.length() > 3 && bare.startsWith("set") && !method.contains(",")) {
            return policy.isAttributeWriteAllowed(name, bare.substring(3)) || policy.isOperationAllowed(name, bare);
        }
        return policy.isOperationAllowed(name, bare);
    }

    private static CompositeDataSupport row(String objectName, String method, boolean canInvoke)
            throws OpenDataException {
        return new CompositeDataSupport(CAN_INVOKE_RESULT_ROW_TYPE, CAN_INVOKE_RESULT_COLUMNS,
                new Object[] {objectName, method, canInvoke});
    }
}
