package org.wagateway.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Keeps Apache HttpClient's header and wire logs off whatever level ops set: at DEBUG they print every request
 * header, {@code Authorization} included (the CRM's and Meta's bearer tokens), and every byte sent. A setting such
 * as {@code logging.level.org.apache.hc=DEBUG} still shows the client's other DEBUG lines (connections, routes).
 */
public class HttpWireLogGuard extends TurboFilter {

    static final List<String> SECRET_BEARING = List.of("org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire", "org.apache.http.headers", "org.apache.http.wire");

    /** What every guarded name starts with: the one test most loggers meet (logback asks on every level check). */
    private static final String COMMON_PREFIX = "org.apache.h";
    private static final List<String> GUARDED_PARENTS = SECRET_BEARING.stream().map(name -> name + ".").toList();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (logger == null || level == null || level.isGreaterOrEqual(Level.INFO)
                || !logger.getName().startsWith(COMMON_PREFIX)) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (int i = 0; i < SECRET_BEARING.size(); i++) {
            if (name.equals(SECRET_BEARING.get(i)) || name.startsWith(GUARDED_PARENTS.get(i))) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
