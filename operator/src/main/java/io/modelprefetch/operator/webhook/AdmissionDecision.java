package io.modelprefetch.operator.webhook;

import java.util.List;

/** What the webhook answers for one pod. */
public sealed interface AdmissionDecision {
  /** Admit, with a JSON Patch (null: unchanged) and warnings kubectl prints. */
  record Admit(String jsonPatch, List<String> warnings) implements AdmissionDecision {
    public Admit {
      warnings = List.copyOf(warnings);
    }

    public static Admit unchanged() {
      return new Admit(null, List.of());
    }
  }

  /** Refuse, with a message the user can act on. */
  record Refuse(String message) implements AdmissionDecision {}
}
