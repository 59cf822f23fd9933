package io.modelprefetch.bench.peer;

import java.util.List;
import java.util.Map;

/** A process to run for one download: its arguments, extra environment and variables to remove. */
public record PeerCommand(List<String> argv, Map<String, String> env, List<String> unset) {
  public PeerCommand {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    unset = List.copyOf(unset);
  }

  public PeerCommand(List<String> argv, Map<String, String> env) {
    this(argv, env, List.of());
  }

  public static PeerCommand of(List<String> argv) {
    return new PeerCommand(argv, Map.of());
  }
}
