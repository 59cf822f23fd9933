package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.modelprefetch.api.v1alpha1.ModelArtifact;

/**
 * Starts the download only when the volume can take it and no download of an earlier generation
 * still runs on the same volume (two writers would fight over the partial files).
 */
public class DownloadAllowedCondition implements Condition<Job, ModelArtifact> {
  @Override
  public boolean isMet(
      DependentResource<Job, ModelArtifact> dependent,
      ModelArtifact ma,
      Context<ModelArtifact> context) {
    if (!(Claims.verdict(ma, context) instanceof StorageVerdict.Usable)) {
      return false;
    }
    String current = ((DownloadJobDependentResource) dependent).jobName(ma);
    boolean staleJob =
        context.getSecondaryResources(Job.class).stream()
            .anyMatch(j -> !j.getMetadata().getName().equals(current));
    String generation = String.valueOf(ma.getMetadata().getGeneration());
    boolean stalePod =
        DownloadPods.of(ma, context).stream()
            .filter(
                p ->
                    !generation.equals(
                        p.getMetadata().getLabels().get(ArtifactNames.GENERATION_LABEL)))
            .anyMatch(
                p ->
                    p.getStatus() == null
                        || !("Succeeded".equals(p.getStatus().getPhase())
                            || "Failed".equals(p.getStatus().getPhase())));
    return !staleJob && !stalePod;
  }
}
