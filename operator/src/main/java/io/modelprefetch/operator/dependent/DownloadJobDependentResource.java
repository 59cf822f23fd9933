package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.modelprefetch.api.v1alpha1.ModelArtifact;

/** The download Job of the current generation (see {@link DownloadJobs}). */
@KubernetesDependent(
    informer =
        @Informer(labelSelector = ArtifactNames.SELECTOR, itemStore = DownloadJobStore.class))
public class DownloadJobDependentResource
    extends CRUDKubernetesDependentResource<Job, ModelArtifact> {
  private final DownloadJobs jobs;

  public DownloadJobDependentResource(DownloadJobs jobs) {
    super(Job.class);
    this.jobs = jobs;
  }

  public String jobName(ModelArtifact ma) {
    return jobs.name(ma);
  }

  @Override
  protected Job desired(ModelArtifact ma, Context<ModelArtifact> context) {
    return jobs.build(ma);
  }

  /** A Job with the right name has the right template: the name is derived from it. */
  @Override
  public Result<Job> match(
      Job actual, Job desired, ModelArtifact primary, Context<ModelArtifact> context) {
    return Result.computed(true, desired);
  }
}
