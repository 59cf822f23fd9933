package io.modelprefetch.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.cache.LeanStore;
import io.modelprefetch.operator.events.NotInjectedPods;
import io.modelprefetch.operator.webhook.ArtifactsAnnotation;
import io.modelprefetch.operator.webhook.PodLabels;
import java.util.stream.Collectors;

/**
 * The one informer over opted-in pods ({@code modelprefetch.io/inject=true}): a pod triggers every
 * artifact its annotation names (own namespace) for {@code status.consumers}, and each pod admitted
 * without injection gets its Warning Event, also when it names no existing artifact.
 */
final class ConsumerPodEventSource extends InformerEventSource<Pod, ModelArtifact> {
  static final String NAME = "consumer-pods";
  private final NotInjectedPods notInjected;

  ConsumerPodEventSource(EventSourceContext<ModelArtifact> context, NotInjectedPods notInjected) {
    super(
        InformerEventSourceConfiguration.from(Pod.class, ModelArtifact.class)
            .withName(NAME)
            .withLabelSelector(PodLabels.INJECT_LABEL + "=true")
            .withItemStore(new LeanStore<>())
            .withSecondaryToPrimaryMapper(
                (Pod pod) ->
                    ArtifactsAnnotation.namesOf(pod).stream()
                        .map(name -> new ResourceID(name, pod.getMetadata().getNamespace()))
                        .collect(Collectors.toSet()))
            .build(),
        context);
    this.notInjected = notInjected;
  }

  @Override
  public void onAdd(Pod pod) {
    notInjected.check(pod);
    super.onAdd(pod);
  }

  @Override
  public void onUpdate(Pod old, Pod pod) {
    notInjected.check(pod);
    super.onUpdate(old, pod);
  }
}
