package org.wagateway.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.LifeCycle;
import java.util.List;

/**
 * Keeps Apache HttpClient's header and wire logs off whatever level ops set: at DEBUG they print every request
 * header, {@code Authorization} included (the CRM's and Meta's bearer tokens), and every byte sent. A setting such
 * as {@code logging.level.org.apache.hc=DEBUG} still shows the client's other DEBUG lines (connections, routes).
 *
 * <p>The guarded loggers get a level of their own, INFO, which a parent's level does not change, and any level set
 * on them below INFO is put back at once. A listener rather than a turbo filter: logback asks every turbo filter on
 * every level check of every logger, and Camel checks {@code isTraceEnabled()} dozens of times per message.
 */
public class HttpWireLogGuard extends ContextAwareBase implements LoggerContextListener, LifeCycle {

    static final List<String> SECRET_BEARING = List.of("org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire", "org.apache.http.headers", "org.apache.http.wire");

    private volatile boolean started;

    @Override
    public void start() {
        pin((LoggerContext) getContext());
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onStart(LoggerContext context) {
        pin(context);
    }

    @Override
    public void onReset(LoggerContext context) {
        pin(context);
    }

    @Override
    public void onStop(LoggerContext context) {
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
        if (SECRET_BEARING.contains(logger.getName())) {
            keepAtInfo(logger);
        }
    }

    private static void pin(LoggerContext context) {
        SECRET_BEARING.forEach(name -> keepAtInfo(context.getLogger(name)));
    }

    private static void keepAtInfo(Logger logger) {
        Level level = logger.getLevel();
        if (level == null || !level.isGreaterOrEqual(Level.INFO)) {
            logger.setLevel(Level.INFO);
        }
    }
}
