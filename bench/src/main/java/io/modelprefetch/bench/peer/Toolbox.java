package io.modelprefetch.bench.peer;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the installed peers: Python tools and s5cmd from the paths bench/peers/install.sh exported
 * (BENCH_HF, BENCH_AWS, BENCH_S5CMD), Debian tools on PATH. A peer that is not installed is left
 * out and named in {@link #missing()}.
 */
public final class Toolbox {
  private final Map<String, String> env;
  private final List<String> missing = new ArrayList<>();

  public Toolbox(Map<String, String> env) {
    this.env = env;
  }

  public List<Peer> peers(
      Path modelprefetch, List<List<String>> modelprefetchFlags, Path java, String classpath) {
    List<Peer> peers = new ArrayList<>();
    onPath("curl").map(CeilingPeer::new).ifPresent(peers::add);
    for (Source source : Source.values()) {
      modelprefetchFlags.forEach(
          flags -> peers.add(new ModelprefetchPeer(modelprefetch, source, flags)));
    }
    add(peers, fromEnv("BENCH_HF"), "hf", HfCliPeer::new);
    add(peers, fromEnv("BENCH_S5CMD"), "s5cmd", S5cmdPeer::new);
    add(peers, onPath("rclone"), "rclone", RclonePeer::new);
    add(peers, fromEnv("BENCH_AWS"), "aws", AwsCliPeer::new);
    peers.add(new CrtTransferManagerPeer(java, classpath));
    add(peers, onPath("aria2c"), "aria2c", Aria2Peer::new);
    add(peers, onPath("curl"), "curl", CurlPeer::new);
    return peers;
  }

  public List<String> missing() {
    return List.copyOf(missing);
  }

  private void add(
      List<Peer> peers, Optional<Path> binary, String name, Function<Path, Peer> peer) {
    binary.ifPresentOrElse(b -> peers.add(peer.apply(b)), () -> missing.add(name));
  }

  private Optional<Path> fromEnv(String name) {
    return Optional.ofNullable(env.get(name))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .filter(Files::isExecutable);
  }

  private Optional<Path> onPath(String name) {
    return List.of(env.getOrDefault("PATH", "").split(File.pathSeparator)).stream()
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
