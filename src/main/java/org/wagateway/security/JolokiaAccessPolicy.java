package org.wagateway.security;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What an ops account may do through Jolokia (and so through Hawtio, whose {@code /actuator/hawtio/jolokia} is a
 * forward to the one Jolokia servlet at {@code /actuator/jolokia}). Jolokia's servlet takes a {@link Restrictor}
 * bean instead of its policy file; this one is an allow-list: an MBean, attribute or operation not listed below
 * is refused, and an MBean none of the rules names is hidden from {@code list} and {@code search}.
 *
 * <p>Everything listed is read-only (routes, their diagrams and statistics, the broker's queues and their
 * messages, the JVM's memory and threads), except the {@link #ADMIN} operations (suspend, resume, start and stop a
 * route, reset statistics, purge, move, retry or remove queue messages, pause a queue, gc), which need
 * {@code ROLE_ADMIN}. Left out on purpose: the JVM's arguments, system properties, class and library paths
 * ({@code java.lang:type=Runtime}), diagnostic commands and heap dumps ({@code com.sun.management}), Spring
 * Boot's MBeans (environment, configuration), writing any attribute, and every operation that runs an endpoint,
 * an expression or a route definition (Camel's send*, request*, createEndpoint, updateRouteFromXml, the
 * debugger's and tracer's evaluate*, the broker's sendTextMessage and connectors): each of those reads or
 * writes as the gateway's own user whatever its caller names.
 *
 * <p>The policy reads the caller's roles from Spring Security's context of the request Jolokia is serving; with
 * no authenticated caller nothing is allowed.
 */
public class JolokiaAccessPolicy implements Restrictor {

    public static final String VIEWER = "ROLE_VIEWER";
    public static final String ADMIN = "ROLE_ADMIN";

    private record Rule(ObjectName name, Set<String> attributes, Set<String> operations, String role) {

        boolean covers(ObjectName mbean) {
            return name.apply(mbean);
        }

        boolean grants(ObjectName mbean, Set<String> values, String value, Set<String> roles) {
            return roles.contains(role) && covers(mbean) && (values.contains("*") || values.contains(value));
        }
    }

    private static final Set<String> ALL = Set.of("*");
    private static final Set<String> NONE = Set.of();

    private static final List<Rule> RULES = List.of(
            // Camel: routes, processors, endpoints, their statistics and diagrams
            rule("org.apache.camel:type=context,*", ALL, Set.of("dumpRoutesAsXml", "dumpRoutesAsYaml",
                    "dumpRoutesStatsAsXml", "dumpRouteStatsAsJSon", "dumpStepStatsAsXml", "dumpRoutesCoverageAsXml",
                    "dumpRestsAsXml", "dumpRouteTemplatesAsXml", "componentNames", "languageNames",
                    "dataFormatNames", "routeIds", "routeGroups"), VIEWER),
            rule("org.apache.camel:type=routes,*", ALL, Set.of("dumpRouteAsXml", "dumpRouteAsYaml",
                    "dumpRouteStatsAsXml", "dumpRouteStatsAsJSon", "dumpStepStatsAsXml",
                    "dumpRouteSourceLocationsAsXml", "processorIds"), VIEWER),
            rule("org.apache.camel:type=routes,*", NONE, Set.of("suspend", "resume", "start", "stop", "restart",
                    "reset"), ADMIN),
            rule("org.apache.camel:type=processors,*", ALL, Set.of("dumpProcessorAsXml",
                    "dumpProcessorStatsAsXml"), VIEWER),
            rule("org.apache.camel:type=processors,*", NONE, Set.of("reset"), ADMIN),
            rule("org.apache.camel:type=consumers,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=endpoints,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=components,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=producers,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=services,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=threadpools,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=health,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=steps,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=errorhandlers,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=routecontrollers,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=dataformats,*", ALL, NONE, VIEWER),
            rule("org.apache.camel:type=eventnotifiers,*", ALL, NONE, VIEWER),
            // the broker and its queues: depth, consumers, and the messages waiting
            rule("org.apache.activemq:type=Broker,*", ALL, NONE, VIEWER),
            rule("org.apache.activemq:type=Broker,destinationType=Queue,*", NONE, Set.of("browse", "browseAsTable",
                    "browseMessages", "getMessage", "cursorSize", "doesCursorHaveSpace",
                    "doesCursorHaveMessagesBuffered"), VIEWER),
            rule("org.apache.activemq:type=Broker,destinationType=Queue,*", NONE, Set.of("purge", "removeMessage",
                    "removeMatchingMessages", "moveMessageTo", "moveMatchingMessagesTo", "copyMessageTo",
                    "copyMatchingMessagesTo", "retryMessage", "retryMessages", "pause", "resume",
                    "resetStatistics"), ADMIN),
            // the JVM: memory, threads, load; of Runtime only what names the JVM and how long it has run
            rule("java.lang:type=Runtime", Set.of("Name", "Pid", "VmName", "VmVendor", "VmVersion", "SpecName",
                    "SpecVendor", "SpecVersion", "ManagementSpecVersion", "StartTime", "Uptime"), NONE, VIEWER),
            rule("java.lang:type=Memory", ALL, NONE, VIEWER),
            rule("java.lang:type=Memory", NONE, Set.of("gc"), ADMIN),
            rule("java.lang:type=Threading", ALL, Set.of("dumpAllThreads", "findDeadlockedThreads",
                    "findMonitorDeadlockedThreads", "getThreadInfo", "getThreadCpuTime", "getThreadUserTime"), VIEWER),
            rule("java.lang:type=OperatingSystem", ALL, NONE, VIEWER),
            rule("java.lang:type=ClassLoading", ALL, NONE, VIEWER),
            rule("java.lang:type=Compilation", ALL, NONE, VIEWER),
            rule("java.lang:type=GarbageCollector,*", ALL, NONE, VIEWER),
            rule("java.lang:type=MemoryPool,*", ALL, NONE, VIEWER),
            rule("java.lang:type=MemoryManager,*", ALL, NONE, VIEWER),
            rule("java.nio:type=BufferPool,*", ALL, NONE, VIEWER),
            rule("JMImplementation:type=MBeanServerDelegate", ALL, NONE, VIEWER),
            // Hawtio's own helpers: its JMX tree (names and descriptions, no values), its change counters
            rule("hawtio:*", ALL, NONE, VIEWER),
            rule("hawtio:type=security,name=RBACRegistry", NONE, Set.of("list"), VIEWER),
            rule("hawtio:type=security,area=jmx,*", NONE, Set.of("canInvoke"), VIEWER),
            rule("hawtio:type=TreeWatcher", NONE, Set.of("getCounter"), VIEWER));

    private static Rule rule(String name, Set<String> attributes, Set<String> operations, String role) {
        try {
            return new Rule(new ObjectName(name), attributes, operations, role);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.POST;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        // exec is allowed as a type; each operation is then checked by name
        return switch (type) {
            case READ, LIST, SEARCH, VERSION, EXEC -> !roles().isEmpty();
            default -> false;
        };
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return granted(name, attribute, Rule::attributes);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        // Jolokia passes the operation as its caller spelled it, with the signature when one was given
        int signature = operation.indexOf('(');
        String bare = (signature < 0 ? operation : operation.substring(0, signature)).trim();
        return granted(name, bare, Rule::operations);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        // who may connect at all is Spring Security's answer (an authenticated ops account)
        return true;
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        // No CORS grant: a page of another origin never reads Jolokia's answers. Same-origin requests (Hawtio)
        // need none, and the strict check, meant for requests without an Origin (curl, scripts), passes.
        return onlyWhenStrictCheckingIsEnabled;
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return RULES.stream().noneMatch(rule -> rule.covers(name));
    }

    /** Whether the caller may read or invoke anything at all of this MBean. */
    public boolean mayUse(ObjectName name) {
        Set<String> roles = roles();
        return RULES.stream().anyMatch(rule -> rule.covers(name) && roles.contains(rule.role())
                && (!rule.attributes().isEmpty() || !rule.operations().isEmpty()));
    }

    private boolean granted(ObjectName name, String value, Function<Rule, Set<String>> values) {
        Set<String> roles = roles();
        return RULES.stream().anyMatch(rule -> rule.grants(name, values.apply(rule), value, roles));
    }

    private static Set<String> roles() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return Set.of();
        }
        Set<String> roles = new HashSet<>();
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            roles.add(authority.getAuthority());
        }
        // the admin may do everything the viewer may
        if (roles.contains(ADMIN)) {
            roles.add(VIEWER);
        }
        roles.retainAll(Set.of(VIEWER, ADMIN));
        return roles;
    }
}
