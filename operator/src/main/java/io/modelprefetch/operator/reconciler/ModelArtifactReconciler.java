package io.modelprefetch.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.operator.cache.LeanStore;
import io.modelprefetch.operator.dependent.ArtifactNames;
import io.modelprefetch.operator.dependent.Claims;
import io.modelprefetch.operator.dependent.CreatesClaimCondition;
import io.modelprefetch.operator.dependent.DownloadAllowedCondition;
import io.modelprefetch.operator.dependent.DownloadJobDependentResource;
import io.modelprefetch.operator.dependent.DownloadJobs;
import io.modelprefetch.operator.dependent.DownloadPods;
import io.modelprefetch.operator.dependent.DownloaderServiceAccountDependentResource;
import io.modelprefetch.operator.dependent.ModelClaimDependentResource;
import io.modelprefetch.operator.dependent.StatusWriterRoleBindingDependentResource;
import io.modelprefetch.operator.dependent.StatusWriterRoleDependentResource;
import io.modelprefetch.operator.events.ArtifactEvents;
import io.modelprefetch.operator.events.NotInjectedPods;
import io.modelprefetch.operator.metrics.ArtifactMetrics;
import io.modelprefetch.operator.status.ConsumerPods;
import io.modelprefetch.operator.status.DownloadState;
import io.modelprefetch.operator.status.ModelArtifactStatusAggregator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Thin: the workflow keeps the claim, the downloader's identity and the download Job in shape; this
 * class removes Jobs of earlier generations and patches the aggregated status when it changed.
 * Status changes (the downloader's progress) also trigger it, hence not generation-aware. Opted-in
 * pods that name the artifact trigger it too: they are its {@code status.consumers}.
 */
@Workflow(
    dependents = {
      @Dependent(
          name = "claim",
          type = ModelClaimDependentResource.class,
          reconcilePrecondition = CreatesClaimCondition.class),
      @Dependent(name = "serviceaccount", type = DownloaderServiceAccountDependentResource.class),
      @Dependent(name = "role", type = StatusWriterRoleDependentResource.class),
      @Dependent(
          name = "rolebinding",
          type = StatusWriterRoleBindingDependentResource.class,
          dependsOn = {"serviceaccount", "role"}),
      @Dependent(
          name = "job",
          type = DownloadJobDependentResource.class,
          dependsOn = "rolebinding",
          reconcilePrecondition = DownloadAllowedCondition.class)
    })
@ControllerConfiguration(
    name = ModelArtifactReconciler.NAME,
    fieldManager = ModelArtifactReconciler.NAME,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class ModelArtifactReconciler implements Reconciler<ModelArtifact> {
  public static final String NAME = "modelprefetch-operator";
  private final DownloadJobs jobs;
  private final ModelArtifactStatusAggregator aggregator;
  private final Milestones milestones;
  private final NotInjectedPods notInjected;

  public ModelArtifactReconciler(
      DownloadJobs jobs,
      ModelArtifactStatusAggregator aggregator,
      ArtifactEvents events,
      ArtifactMetrics metrics,
      NotInjectedPods notInjected) {
    this.jobs = jobs;
    this.aggregator = aggregator;
    this.milestones = new Milestones(events, metrics);
    this.notInjected = notInjected;
  }

  @Override
  public List<EventSource<?, ModelArtifact>> prepareEventSources(
      EventSourceContext<ModelArtifact> context) {
    var downloadPods =
        InformerEventSourceConfiguration.from(Pod.class, ModelArtifact.class)
            .withName(DownloadPods.EVENT_SOURCE)
            .withLabelSelector(ArtifactNames.SELECTOR)
            .withItemStore(new LeanStore<>())
            .withSecondaryToPrimaryMapper(
                (Pod pod) -> {
                  String artifact =
                      pod.getMetadata().getAnnotations() == null
                          ? null
                          : pod.getMetadata()
                              .getAnnotations()
                              .get(ArtifactNames.ARTIFACT_ANNOTATION);
                  return artifact == null
                      ? Set.of()
                      : Set.of(new ResourceID(artifact, pod.getMetadata().getNamespace()));
                })
            .build();
    return List.of(
        new InformerEventSource<>(downloadPods, context),
        new ConsumerPodEventSource(context, notInjected));
  }

  @Override
  public UpdateControl<ModelArtifact> reconcile(ModelArtifact ma, Context<ModelArtifact> context) {
    String current = jobs.name(ma);
    deleteOlderJobs(current, context);
    Optional<Job> job =
        context.getSecondaryResources(Job.class).stream()
            .filter(j -> current.equals(j.getMetadata().getName()))
            .findFirst();
    List<Pod> pods =
        DownloadPods.of(ma, context).stream()
            .filter(p -> current.equals(p.getMetadata().getLabels().get("job-name")))
            .toList();
    String ns = ma.getMetadata().getNamespace();
    Set<Pod> consumerPods =
        context
            .eventSourceRetriever()
            .getEventSourceFor(Pod.class, ConsumerPodEventSource.NAME)
            .getSecondaryResources(ma);
    ModelArtifactStatus next =
        aggregator.aggregate(
            ma,
            Claims.verdict(ma, context),
            DownloadState.of(job, pods),
            ConsumerPods.count(ns, ma.getMetadata().getName(), consumerPods));
    ModelArtifactStatus previous = ModelArtifactStatusAggregator.owned(ma.getStatus());
    milestones.report(ma, job.map(j -> j.getMetadata().getUid()).orElse(current), previous, next);
    milestones.reportNotInjected(
        ma, previous, next, ConsumerPods.notInjected(ns, ma.getMetadata().getName(), consumerPods));
    if (Objects.equals(previous, next)) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(statusPatch(ma, next));
  }

  /**
   * Reports the failure once in status (Reconciled=False, message); JOSDK retries with back-off.
   */
  @Override
  public ErrorStatusUpdateControl<ModelArtifact> updateErrorStatus(
      ModelArtifact ma, Context<ModelArtifact> context, Exception e) {
    if (interrupted(e)) {
      return ErrorStatusUpdateControl
          .noStatusUpdate(); // the operator is stopping: nothing went wrong
    }
    ModelArtifactStatus next = aggregator.reconcileError(ma, e);
    if (Objects.equals(ModelArtifactStatusAggregator.owned(ma.getStatus()), next)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    return ErrorStatusUpdateControl.patchStatus(statusPatch(ma, next));
  }

  private static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  private static ModelArtifact statusPatch(ModelArtifact ma, ModelArtifactStatus status) {
    ModelArtifact patch = new ModelArtifact();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(ma.getMetadata().getName())
            .withNamespace(ma.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  /** A new generation replaces the download: the older Job (and, through it, its pod) goes. */
  private static void deleteOlderJobs(String current, Context<ModelArtifact> context) {
    context.getSecondaryResources(Job.class).stream()
        .filter(j -> !current.equals(j.getMetadata().getName()))
        .forEach(
            j ->
                context
                    .getClient()
                    .resource(j)
                    .withPropagationPolicy(
                        io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                    .delete());
  }
}
