package io.modelprefetch.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.api.downloader.ExitCode;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.config.OperatorConfig;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The download Job of an artifact's current generation. Its name carries the generation and a hash
 * of the pod template: a Job is never edited (its template is immutable anyway); a new generation
 * or a new downloader image gets a new Job, and the reconciler removes the older ones.
 */
public final class DownloadJobs {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private final DownloadPodTemplate template;
  private final OperatorConfig config;

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
        .addToLabels(
            ArtifactNames.GENERATION_LABEL, String.valueOf(ma.getMetadata().getGeneration()))
        .withAnnotations(names.annotations())
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(config.downloader().backoffLimit())
        // Exit codes another attempt cannot fix (usage, source, verify, destination) fail the Job
        // at once.
        .withNewPodFailurePolicy()
        .addNewRule()
        .withAction("FailJob")
        .withNewOnExitCodes()
        .withContainerName(DownloadPodTemplate.PULL_CONTAINER)
        .withOperator("In")
        .withValues(ExitCode.permanentCodes())
        .endOnExitCodes()
        .endRule()
        .addNewRule()
        .withAction("Ignore")
        .addNewOnPodCondition()
        .withType("DisruptionTarget")
        .withStatus("True")
        .endOnPodCondition()
        .endRule()
        .endPodFailurePolicy()
        .withTemplate(pod)
        .endSpec()
        .build();
  }

  /**
   * The first 8 hex digits of the SHA-256 of the pod template with every map's keys sorted: maps
   * such as the labels come from {@code Map.of}, whose iteration order changes from one JVM to the
   * next, and a restarted operator must compute the same name.
   */
  static String hash(PodTemplateSpec pod) {
    try {
      Object tree = SERIALIZATION.convertValue(pod, Object.class);
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(tree));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a pod template always serialises", e);
    }
  }
}
