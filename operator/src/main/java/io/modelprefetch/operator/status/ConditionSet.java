package io.modelprefetch.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the conditions of one status: every condition carries the spec generation it describes,
 * and keeps its {@code lastTransitionTime} as long as its status does not change.
 */
final class ConditionSet {
  private final List<Condition> previous;
  private final long generation;
  private final String now;
  private final List<Condition> next = new ArrayList<>();

  ConditionSet(List<Condition> previous, long generation, String now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now;
  }

  ConditionSet set(String type, boolean status, String reason, String message) {
    String value = status ? "True" : "False";
    String since =
        find(type)
            .filter(c -> value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now);
    next.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build());
    return this;
  }

  List<Condition> build() {
    return List.copyOf(next);
  }

  private Optional<Condition> find(String type) {
    return previous.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
