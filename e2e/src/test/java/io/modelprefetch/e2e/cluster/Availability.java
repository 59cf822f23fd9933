package io.modelprefetch.e2e.cluster;

import java.util.Optional;

/** A provider's cluster, or the plain reason it cannot run here. */
public record Availability<T>(Optional<T> value, String reason) {
  public static <T> Availability<T> of(T value) {
    return new Availability<>(Optional.of(value), "");
  }

  public static <T> Availability<T> missing(String reason) {
    return new Availability<>(Optional.empty(), reason);
  }
}
