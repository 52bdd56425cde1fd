package org.wagateway.bench;

import java.util.Locale;

/** How a bounded wait for the CRM ended: every message there (and how long after its phase), or not. */
record Drain(boolean complete, long missing, double seconds, boolean stalled) {
    @Override
    public String toString() {
        if (complete) {
            return String.format(Locale.ROOT, "%.1f s after the phase", seconds);
        }
        return String.format(Locale.ROOT, stalled ? "NOT: nothing new reached the CRM for a while, given up "
                + "after %.0f s (%d missing)" : "NOT within %.0f s (%d missing)", seconds, missing);
    }
}
