package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.modelprefetch.operator.cache.LeanStore;

/**
 * The download Jobs' cache keeps metadata and status only: the readers need the name, labels, owner
 * and status ({@code DownloadState}, {@link DownloadAllowedCondition}, the reconciler's clean-up),
 * and {@link DownloadJobDependentResource#match} never compares the pod template (the Job's name
 * encodes it). The template is most of a Job's size.
 */
public final class DownloadJobStore extends LeanStore<Job> {
  public DownloadJobStore() {
    super(
        job -> {
          job.setSpec(null);
          return job;
        });
  }
}
