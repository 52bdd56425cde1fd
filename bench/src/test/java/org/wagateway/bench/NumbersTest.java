package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void nearestRankPercentiles() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1; // 1..100
        }
        assertEquals(50, Numbers.pctl(sorted, 0.50));
        assertEquals(99, Numbers.pctl(sorted, 0.99));
        assertEquals(100, Numbers.pctl(sorted, 0.999));
        assertEquals(1, Numbers.pctl(sorted, 0.0));
        assertEquals(100, Numbers.pctl(sorted, 1.0));
        // the smallest value with at least the share at or below it: 91 % of ten values needs all ten
        assertEquals(10, Numbers.pctl(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.91));
    }

    @Test
    void percentileOfFewValuesIsOneOfThem() {
        assertEquals(7, Numbers.pctl(new long[] {7}, 0.99));
        assertEquals(3, Numbers.pctl(new long[] {1, 3}, 0.99));
        assertEquals(1, Numbers.pctl(new long[] {1, 3}, 0.50));
        assertTrue(Double.isNaN(Numbers.pctl(new long[0], 0.5)));
    }

    @Test
    void millisecondsKeepTwoDecimalsBelowTen() {
        assertEquals("3.48", Numbers.ms(3.4849));
        assertEquals("9.99", Numbers.ms(9.994));
        assertEquals("23", Numbers.ms(23.4));
        assertEquals("23677", Numbers.ms(23677.2));
        assertEquals("n/a", Numbers.ms(Double.NaN));
    }

    @Test
    void wholeNumbersWithThousandsSeparatorsWhateverTheLocale() {
        assertEquals("12,664", Numbers.fmt0(12663.7));
        assertEquals("784", Numbers.fmt0(784.2));
        assertEquals("0.13", Numbers.fmt(0.1349));
    }

    @Test
    void longListGrowsAndSorts() {
        Numbers.LongList list = new Numbers.LongList();
        for (int i = 3000; i > 0; i--) {
            list.add(i);
        }
        Numbers.LongList all = new Numbers.LongList();
        all.addAll(list);
        all.add(0);
        long[] sorted = all.sorted();
        assertEquals(3001, sorted.length);
        assertArrayEquals(new long[] {0, 1, 2}, java.util.Arrays.copyOf(sorted, 3));
        assertEquals(3000, sorted[3000]);
    }
}
