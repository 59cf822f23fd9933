package io.modelprefetch.chart;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart and deploy/ carry copies and renderings of files owned elsewhere (the CRD generated in
 * crds/, the operator's RBAC and webhook configuration); each must equal its source. Run with
 * {@code -Dmodelprefetch.regenerate=true} (hack/regenerate-chart.sh) to rewrite them.
 */
class GeneratedFilesTest {
  private static final String CRD = "modelartifacts.modelprefetch.io-v1.yml";
  private static final Path OPERATOR_RESOURCES =
      Repo.ROOT.resolve("operator/src/main/resources/io/modelprefetch/operator");

  record Generated(Path target, String from, Supplier<String> content) {
    @Override
    public String toString() {
      return Repo.ROOT.relativize(target).toString();
    }
  }

  static Stream<Generated> generatedFiles() {
    return Stream.of(
        copy(Repo.CHART.resolve("crds").resolve(CRD), Repo.ROOT.resolve("crds").resolve(CRD)),
        copy(Repo.DEPLOY.resolve(CRD), Repo.ROOT.resolve("crds").resolve(CRD)),
        copy(
            Repo.CHART.resolve("files/operator-clusterrole.yml"),
            OPERATOR_RESOURCES.resolve("rbac/operator-clusterrole.yml")),
        copy(
            Repo.CHART.resolve("files/webhook-rbac.yml"),
            OPERATOR_RESOURCES.resolve("webhook/webhook-rbac.yml")),
        copy(
            Repo.CHART.resolve("files/mutating-webhook-configuration.yml"),
            OPERATOR_RESOURCES.resolve("webhook/mutating-webhook-configuration.yml")),
        copy(
            Repo.DEPLOY.resolve("grafana/modelprefetch-dashboard.json"),
            Repo.CHART.resolve("files/grafana-dashboard.json")),
        new Generated(
            Repo.DEPLOY.resolve("modelprefetch.yaml"),
            "charts/modelprefetch (helm template)",
            GeneratedFilesTest::plainManifests));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("generatedFiles")
  void isEqualToItsSource(Generated file) {
    Repo.assertGenerated(file.target(), file.content().get(), file.from());
  }

  /**
   * What {@code kubectl apply -f deploy/} installs: the namespace and the chart with default
   * values.
   */
  static String plainManifests() {
    return """
    # Generated from charts/modelprefetch with default values; do not edit (regenerate: %s).
    # Same as: helm template %s charts/modelprefetch --namespace %s
    # Install: kubectl apply --server-side -f deploy/
    apiVersion: v1
    kind: Namespace
    metadata:
      name: %s
      labels:
        pod-security.kubernetes.io/enforce: restricted
    """
            .formatted(
                Repo.REGENERATE,
                ChartRenderer.RELEASE,
                ChartRenderer.NAMESPACE,
                ChartRenderer.NAMESPACE)
        + ChartRenderer.template(Map.of());
  }

  private static Generated copy(Path target, Path source) {
    return new Generated(target, Repo.ROOT.relativize(source).toString(), () -> Repo.read(source));
  }
}
