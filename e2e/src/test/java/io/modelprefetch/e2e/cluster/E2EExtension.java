package io.modelprefetch.e2e.cluster;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives E2E classes the {@link Release} (the chart installed with our images) on the cluster of the
 * provider named by {@code -Dmodelprefetch.e2e.cluster} ({@code node}, the default, or {@code
 * k3s}). One cluster and one release per JVM. A provider that cannot run here aborts every test
 * with the reason, printed plainly: each is reported as skipped (not run), never as passed.
 */
public final class E2EExtension implements BeforeEachCallback, ParameterResolver {
  public static final String PROVIDER = "modelprefetch.e2e.cluster";

  /** Aborts (skips) the test, with the reason printed, when the provider cannot run here. */
  @Override
  public void beforeEach(ExtensionContext context) {
    Holder holder = holder(context);
    if (holder.release == null) {
      String message =
          "E2E DID NOT RUN on "
              + holder.provider
              + ": "
              + context.getDisplayName()
              + ": "
              + holder.reason;
      System.out.println(message);
      Assumptions.abort(message);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Release.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return holder(context).release;
  }

  private static Holder holder(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Holder.class, k -> Holder.start(), Holder.class);
  }

  private record Holder(String provider, Release release, String reason) implements AutoCloseable {
    static Holder start() {
      String provider = System.getProperty(PROVIDER, "node");
      Availability<E2ECluster> cluster =
          switch (provider) {
            case "node" -> RegistryNode.connect();
            case "k3s" -> K3sCluster.start();
            default ->
                throw new IllegalArgumentException(
                    "-D" + PROVIDER + " must be node or k3s, not " + provider);
          };
      return cluster
          .value()
          .map(c -> new Holder(provider, Release.installOrReuse(c), ""))
          .orElseGet(() -> new Holder(provider, null, cluster.reason()));
    }

    @Override
    public void close() {
      if (release != null) {
        release.close();
      }
    }
  }
}
