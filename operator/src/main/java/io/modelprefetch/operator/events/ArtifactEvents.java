package io.modelprefetch.operator.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on an artifact's milestones ({@code kubectl describe ma/x}), each recorded once
 * per key. Best effort.
 */
public final class ArtifactEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactEvents.class);
  private static final String COMPONENT = "modelprefetch-operator";

  /** Event names are at most 253 characters: room for "." and a UID-sized suffix. */
  private static final int MAX_PREFIX = 200;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public ArtifactEvents(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  /** A Normal Event recorded at most once per {@code key} (see {@link #warningOnce}). */
  public void normalOnce(ModelArtifact ma, String key, String reason, String message) {
    record(ma, key, "Normal", reason, message);
  }

  /**
   * A Warning recorded at most once per {@code key} (a DNS label such as a pod UID): the Event's
   * name is derived from it, so a repeat, also after an operator restart, is a conflict and
   * dropped.
   */
  public void warningOnce(ModelArtifact ma, String key, String reason, String message) {
    record(ma, key, "Warning", reason, message);
  }

  private void record(ModelArtifact ma, String suffix, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String ns = ma.getMetadata().getNamespace();
    String name = ma.getMetadata().getName();
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      (name.length() > MAX_PREFIX ? name.substring(0, MAX_PREFIX) : name)
                          + "."
                          + suffix)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(ma.getApiVersion())
                  .withKind(ma.getKind())
                  .withName(ma.getMetadata().getName())
                  .withNamespace(ns)
                  .withUid(ma.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .withReportingInstance(instance)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return; // a once-only Event that exists already
      }
      // Events are a convenience; the status already carries the same information.
      LOG.warn(
          "cannot record event {} on {}/{}: {}",
          reason,
          ns,
          ma.getMetadata().getName(),
          e.getMessage());
    }
  }
}
