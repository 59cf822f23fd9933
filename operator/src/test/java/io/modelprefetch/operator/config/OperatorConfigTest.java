package io.modelprefetch.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsWatchAllNamespacesWithLeaderElectionInThePodsNamespace() {
    OperatorConfig c =
        OperatorConfig.fromEnv(Map.of("POD_NAMESPACE", "modelprefetch-system", "POD_NAME", "op-0"));

    assertThat(c.namespaces()).isEmpty();
    assertThat(c.downloaderImage()).isEqualTo(OperatorConfig.DEFAULT_IMAGE);
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.leaderElection())
        .isEqualTo(
            new OperatorConfig.LeaderElection(
                "modelprefetch-operator", "modelprefetch-system", "op-0"));
    assertThat(c.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void parsesNamespacesImageAndResources() {
    OperatorConfig c =
        OperatorConfig.fromEnv(
            Map.of(
                "MODELPREFETCH_LEADER_ELECTION",
                "false",
                "MODELPREFETCH_WATCH_NAMESPACES",
                "serving, batch ,",
                "MODELPREFETCH_DOWNLOADER_IMAGE",
                "reg/mp:1",
                "MODELPREFETCH_DOWNLOADER_MEMORY_LIMIT",
                "2Gi",
                "MODELPREFETCH_DOWNLOADER_BACKOFF_LIMIT",
                "5"));

    assertThat(c.namespaces()).containsExactlyInAnyOrder("serving", "batch");
    assertThat(c.downloaderImage()).isEqualTo("reg/mp:1");
    assertThat(c.downloader().pull().memoryLimit()).isEqualTo("2Gi");
    assertThat(c.downloader().backoffLimit()).isEqualTo(5);
    assertThat(c.leaderElection()).isNull();
  }

  @Test
  void leaderElectionWithoutPodNamespaceIsAClearError() {
    assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("POD_NAMESPACE")
        .hasMessageContaining("MODELPREFETCH_LEADER_ELECTION=false");
  }

  @Test
  void aNonNumericPortNamesTheVariable() {
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnv(
                    Map.of(
                        "MODELPREFETCH_LEADER_ELECTION",
                        "false",
                        "MODELPREFETCH_HTTP_PORT",
                        "http")))
        .hasMessage("MODELPREFETCH_HTTP_PORT must be an integer, got 'http'");
  }
}
