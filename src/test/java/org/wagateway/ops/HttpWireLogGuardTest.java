package org.wagateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HttpClient's header log stays silent below INFO even when ops turn DEBUG on; its other loggers do not. */
class HttpWireLogGuardTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void logToAList() {
        HttpWireLogGuard guard = new HttpWireLogGuard();
        guard.setContext(context);
        context.addListener(guard);
        guard.start();
        appender.setContext(context);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void theHeaderLogPrintsNoAuthorizationAtDebug() {
        context.getLogger("org.apache.hc.client5.http.headers").debug("http-outgoing-0 >> Authorization: Bearer t0k3n");
        context.getLogger("org.apache.hc.client5.http.wire").trace("http-outgoing-0 >> \"Authorization: Bearer t0k3n\"");

        assertThat(appender.list).isEmpty();
    }

    @Test
    void debugSetOnTheHeaderLogItselfOrOnItsParentsStillPrintsNoAuthorization() {
        context.getLogger("org.apache.hc").setLevel(Level.TRACE);
        context.getLogger("org.apache.hc.client5.http.headers").setLevel(Level.DEBUG);
        context.getLogger("org.apache.hc.client5.http.wire").setLevel(Level.TRACE);

        context.getLogger("org.apache.hc.client5.http.headers").debug("http-outgoing-0 >> Authorization: Bearer t0k3n");
        context.getLogger("org.apache.hc.client5.http.wire").trace("http-outgoing-0 >> \"Authorization: Bearer t0k3n\"");

        assertThat(appender.list).isEmpty();
    }

    @Test
    void theHeaderLogStaysGuardedAfterTheConfigurationIsReset() {
        context.reset();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.TRACE);

        context.getLogger("org.apache.hc.client5.http.headers").debug("http-outgoing-0 >> Authorization: Bearer t0k3n");

        assertThat(appender.list).isEmpty();
    }

    @Test
    void theClientsOtherDebugLinesAndTheHeaderLogsWarningsStillShow() {
        context.getLogger("org.apache.hc.client5.http.impl.classic.InternalHttpClient").debug("connection leased");
        context.getLogger("org.apache.hc.client5.http.headers").warn("a warning");

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("connection leased", "a warning");
    }
}
