package io.modelprefetch.bench.shaper;

import java.time.Duration;

/**
 * What a real origin looks like from far away: each connection capped, a round trip added, and all
 * connections together capped. Rates are in bytes per second; 0 means unlimited.
 */
public record LinkShape(
    long perConnectionBytesPerSecond, Duration roundTrip, long aggregateBytesPerSecond) {
  public LinkShape {
    if (perConnectionBytesPerSecond < 0 || aggregateBytesPerSecond < 0 || roundTrip.isNegative()) {
      throw new IllegalArgumentException("rates and round trip must not be negative");
    }
  }

  /** Half the round trip: each direction delays its bytes by this much. */
  public long oneWayDelayNanos() {
    return roundTrip.toNanos() / 2;
  }
}
