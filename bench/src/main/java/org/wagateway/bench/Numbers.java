package org.wagateway.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples, percentiles and the number formats of the results file. */
final class Numbers {

    private Numbers() {
    }

    /** A growable list of primitive longs: millions of latency samples without boxing. */
    static final class LongList {
        long[] a = new long[1024];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(LongList other) {
            for (int i = 0; i < other.n; i++) {
                add(other.a[i]);
            }
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(a, n);
            Arrays.sort(s);
            return s;
        }
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double pctl(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** Milliseconds: two decimals below 10, none from 10 up; "n/a" for no value. */
    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.0f", v);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A whole number with thousands separators (12,664). */
    static String fmt0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
