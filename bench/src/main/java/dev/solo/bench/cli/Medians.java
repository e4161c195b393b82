package dev.solo.bench.cli;

import java.util.Arrays;

/** Samples of one variant: wall (µs) and CPU (ms) per run, and their medians. */
final class Medians {
    private long[] wall = new long[16];
    private long[] cpu = new long[16];
    private int size;

    void add(Timed t) {
        if (size == wall.length) {
            wall = Arrays.copyOf(wall, size * 2);
            cpu = Arrays.copyOf(cpu, size * 2);
        }
        wall[size] = t.wallMicros();
        cpu[size] = t.cpuMillis();
        size++;
    }

    int size() {
        return size;
    }

    /** The median wall time in ms (the mean of the two middle samples for an even count). */
    double wallMillis() {
        return median(wall, size) / 1000.0;
    }

    /** The median CPU time in ms. */
    double cpuMillis() {
        return median(cpu, size);
    }

    static double median(long[] values, int n) {
        if (n == 0) return Double.NaN;
        long[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
