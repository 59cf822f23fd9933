package io.modelprefetch.e2e;

import io.modelprefetch.operator.testing.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The kubectl built with the API server, pointed at the test cluster as admin. */
final class Kubectl {
  private final TestCluster cluster;

  Kubectl(TestCluster cluster) {
    this.cluster = cluster;
  }

  record Result(int exitCode, String output) {}

  Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(cluster.kubectl().toString(), "--kubeconfig", cluster.kubeconfig().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " timed out");
    }
    return new Result(p.exitValue(), out);
  }
}
