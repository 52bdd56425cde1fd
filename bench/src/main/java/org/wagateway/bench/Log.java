package org.wagateway.bench;

import java.util.Locale;

/** The load generator's progress lines on stderr; bench/ab.sh reads the cost and open-loop lines off them. */
final class Log {

    private Log() {
    }

    static void log(String message) {
        System.err.printf(Locale.ROOT, "[loadgen %tT] %s%n", System.currentTimeMillis(), message);
    }
}
