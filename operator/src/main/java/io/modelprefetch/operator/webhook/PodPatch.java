package io.modelprefetch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonDiff;

/** The RFC 6902 JSON Patch that turns the admitted pod into the injected one. */
public final class PodPatch {
  private final KubernetesSerialization serialization;

  public PodPatch(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /** The patch as JSON, or null when the pods are equal (nothing to inject). */
  public String between(Pod original, Pod injected) {
    JsonNode patch =
        JsonDiff.asJson(
            serialization.convertValue(original, JsonNode.class),
            serialization.convertValue(injected, JsonNode.class));
    return patch.isEmpty() ? null : patch.toString();
  }
}
