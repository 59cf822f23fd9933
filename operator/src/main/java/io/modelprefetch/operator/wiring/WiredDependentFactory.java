package io.modelprefetch.operator.wiring;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Hands JOSDK dependents that were built by {@link Bootstrap} with their collaborators, instead of
 * letting JOSDK instantiate them reflectively; classes not listed fall back to JOSDK's default.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class WiredDependentFactory
    implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {
  private final Map<Class<?>, DependentResource<?, ?>> instances;

  WiredDependentFactory(List<DependentResource<?, ?>> dependents) {
    this.instances =
        dependents.stream().collect(Collectors.toMap(Object::getClass, Function.identity()));
  }

  @Override
  public DependentResource createFrom(
      DependentResourceSpec spec, ControllerConfiguration<?> configuration) {
    DependentResource instance = instances.get(spec.getDependentResourceClass());
    if (instance == null) {
      return DEFAULT.createFrom(spec, configuration);
    }
    configure(instance, spec, configuration);
    return instance;
  }

  @Override
  public Class<?> associatedResourceType(DependentResourceSpec spec) {
    DependentResource instance = instances.get(spec.getDependentResourceClass());
    return instance == null ? DEFAULT.associatedResourceType(spec) : instance.resourceType();
  }
}
