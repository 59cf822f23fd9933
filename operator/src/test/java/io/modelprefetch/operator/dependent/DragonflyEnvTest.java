package io.modelprefetch.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactSpec;
import io.modelprefetch.api.v1alpha1.Source;
import io.modelprefetch.operator.config.OperatorConfig;
import io.modelprefetch.operator.testing.Artifacts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Download pods reach the node's Dragonfly client when the operator is configured for it. */
class DragonflyEnvTest {
  private static final String PROXY = "http://$(NODE_IP):4001";

  private static List<EnvVar> pullEnv(Map<String, String> env, ModelArtifact ma) {
    Container pull =
        new DownloadPodTemplate(OperatorConfig.fromEnv(env))
            .build(ma)
            .getSpec()
            .getInitContainers()
            .getFirst();
    return pull.getEnv();
  }

  private static ModelArtifact withSource(ModelArtifact ma, Source s) {
    ma.setSpec(new ModelArtifactSpec(s, ma.getSpec().storage()));
    return ma;
  }

  private static Source copy(Source s, String uri, Boolean dragonfly) {
    return new Source(
        uri,
        s.revision(),
        s.include(),
        s.exclude(),
        s.credentialsSecret(),
        s.endpoint(),
        s.region(),
        s.sha256(),
        s.platform(),
        dragonfly);
  }

  private static final Map<String, String> CONFIGURED =
      Map.of("MODELPREFETCH_LEADER_ELECTION", "false", "MODELPREFETCH_DRAGONFLY_PROXY", PROXY);

  @Test
  void aConfiguredOperatorPointsHfPullsAtTheProxyOnTheirNode() {
    List<EnvVar> env = pullEnv(CONFIGURED, Artifacts.hf("serving", "llama").build());

    List<String> names = env.stream().map(EnvVar::getName).toList();
    assertThat(names).containsSubsequence("NODE_IP", "MODELPREFETCH_DRAGONFLY_PROXY");
    EnvVar node = env.get(names.indexOf("NODE_IP"));
    assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
    assertThat(env.get(names.indexOf("MODELPREFETCH_DRAGONFLY_PROXY")).getValue()).isEqualTo(PROXY);
  }

  @Test
  void anArtifactThatOptsOutOrAnS3SourceOrAnUnconfiguredOperatorGoesStraightToTheOrigin() {
    ModelArtifact optOut = Artifacts.hf("serving", "llama").build();
    withSource(optOut, copy(optOut.getSpec().source(), optOut.getSpec().source().uri(), false));
    ModelArtifact s3 = Artifacts.hf("serving", "weights").build();
    withSource(s3, copy(s3.getSpec().source(), "s3://bucket/models/", null));

    assertThat(pullEnv(CONFIGURED, optOut))
        .extracting(EnvVar::getName)
        .doesNotContain("MODELPREFETCH_DRAGONFLY_PROXY");
    assertThat(pullEnv(CONFIGURED, s3))
        .extracting(EnvVar::getName)
        .doesNotContain("MODELPREFETCH_DRAGONFLY_PROXY");
    assertThat(
            pullEnv(
                Map.of("MODELPREFETCH_LEADER_ELECTION", "false"),
                Artifacts.hf("serving", "llama").build()))
        .extracting(EnvVar::getName)
        .doesNotContain("MODELPREFETCH_DRAGONFLY_PROXY", "NODE_IP");
  }
}
