package io.modelprefetch.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.config.OperatorConfig;
import io.modelprefetch.operator.testing.Artifacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownloadJobsTest {
  private static final Map<String, String> ENV = Map.of("MODELPREFETCH_LEADER_ELECTION", "false");

  private static DownloadJobs jobs(Map<String, String> env) {
    OperatorConfig config = OperatorConfig.fromEnv(env);
    return new DownloadJobs(new DownloadPodTemplate(config), config);
  }

  private static ModelArtifact artifact(String name, long generation) {
    ModelArtifact ma = Artifacts.hf("serving", name).build();
    ma.getMetadata().setGeneration(generation);
    ma.getMetadata().setUid("uid-1");
    return ma;
  }

  @Test
  void aRestartedOperatorComputesTheSameJobNameSoTheRunningJobIsKept() {
    assertThat(jobs(ENV).name(artifact("llama", 3)))
        .isEqualTo(jobs(ENV).name(artifact("llama", 3)))
        .matches("llama-g3-[0-9a-f]{8}");
  }

  @Test
  void theJobNameDoesNotDependOnTheOrderOfMapEntries() {
    PodTemplateSpec template =
        new DownloadPodTemplate(OperatorConfig.fromEnv(ENV)).build(artifact("llama", 3));
    Map<String, String> reversed = new LinkedHashMap<>();
    new ArrayList<>(template.getMetadata().getLabels().entrySet())
        .reversed()
        .forEach(e -> reversed.put(e.getKey(), e.getValue()));
    PodTemplateSpec reordered =
        new PodTemplateSpecBuilder(template)
            .editMetadata()
            .withLabels(reversed)
            .endMetadata()
            .build();

    assertThat(new ArrayList<>(reordered.getMetadata().getLabels().keySet()))
        .isNotEqualTo(new ArrayList<>(template.getMetadata().getLabels().keySet()));
    assertThat(DownloadJobs.hash(reordered)).isEqualTo(DownloadJobs.hash(template));
  }

  @Test
  void aNewGenerationOrDownloaderImageGetsANewJob() {
    String before = jobs(ENV).name(artifact("llama", 3));

    assertThat(jobs(ENV).name(artifact("llama", 4))).isNotEqualTo(before);
    assertThat(
            jobs(Map.of(
                    "MODELPREFETCH_LEADER_ELECTION",
                    "false",
                    "MODELPREFETCH_DOWNLOADER_IMAGE",
                    "other:2"))
                .name(artifact("llama", 3)))
        .isNotEqualTo(before);
  }

  @Test
  void jobNamesFitALabelValueEvenForTheLongestArtifactNames() {
    String longName = "a".repeat(39) + "." + "b".repeat(213);

    String name = jobs(ENV).name(artifact(longName, 12345));

    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }
}
