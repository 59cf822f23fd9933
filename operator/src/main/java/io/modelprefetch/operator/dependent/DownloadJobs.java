package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.api.downloader.ExitCode;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.config.OperatorConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The download Job of an artifact's current generation. Its name carries the generation and a hash
 * of the pod template: a Job is never edited (its template is immutable anyway); a new generation
 * or a new downloader image gets a new Job, and the reconciler removes the older ones.
 */
public final class DownloadJobs {
  private final DownloadPodTemplate template;
  private final OperatorConfig config;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public DownloadJobs(DownloadPodTemplate template, OperatorConfig config) {
    this.template = template;
    this.config = config;
  }

  public String name(ModelArtifact ma) {
    return ArtifactNames.of(ma).job(ma.getMetadata().getGeneration(), hash(template.build(ma)));
  }

  public Job build(ModelArtifact ma) {
    ArtifactNames names = ArtifactNames.of(ma);
    PodTemplateSpec pod = template.build(ma);
    return new JobBuilder()
        .withNewMetadata()
          .withName(names.job(ma.getMetadata().getGeneration(), hash(pod)))
          .withNamespace(names.namespace())
          .withLabels(names.labels())
          .addToLabels(ArtifactNames.GENERATION_LABEL, String.valueOf(ma.getMetadata().getGeneration()))
          .withAnnotations(names.annotations())
        .endMetadata()
        .withNewSpec()
          .withBackoffLimit(config.downloader().backoffLimit())
          // Exit codes another attempt cannot fix (usage, source, verify, destination) fail the Job at once.
          .withNewPodFailurePolicy()
            .addNewRule().withAction("FailJob")
              .withNewOnExitCodes().withContainerName(DownloadPodTemplate.PULL_CONTAINER).withOperator("In")
                .withValues(ExitCode.permanentCodes())
              .endOnExitCodes()
            .endRule()
            .addNewRule().withAction("Ignore")
              .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
            .endRule()
          .endPodFailurePolicy()
          .withTemplate(pod)
        .endSpec()
        .build();
  }

  private String hash(PodTemplateSpec pod) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(serialization.asJson(pod).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
