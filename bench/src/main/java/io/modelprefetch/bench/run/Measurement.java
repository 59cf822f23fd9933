package io.modelprefetch.bench.run;

/**
 * What one process run cost: wall time, peak RSS (largest process of the tree, from wait4 via
 * /usr/bin/time -v), CPU (user + system of the whole tree) and time from launch to the first
 * connection at any shaper (0 when none was seen), and how many TCP connections it opened.
 */
public record Measurement(
    int exitCode,
    double wallSeconds,
    long peakRssKiB,
    double cpuSeconds,
    double firstConnectSeconds,
    long connections,
    boolean timedOut) {}
