package io.modelprefetch.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.util.Map;

/**
 * helm lint and helm template (helm-java: Helm's own Go code in-process) over charts/modelprefetch.
 */
final class ChartRenderer {
  static final String RELEASE = "modelprefetch";
  static final String NAMESPACE = "modelprefetch";

  /** The version of the test API server (hack/kube-binaries.sh); helm template defaults to 1.20. */
  static final String KUBE_VERSION = "1.35.8";

  private ChartRenderer() {}

  static LintResult lint() {
    return new Helm(Repo.CHART).lint().strict().call();
  }

  /** The release's manifests (without CRDs: Helm installs those from crds/ itself). */
  static String template(Map<String, Object> values) {
    return template(RELEASE, NAMESPACE, values);
  }

  static String template(String release, String namespace, Map<String, Object> values) {
    TemplateCommand template =
        new Helm(Repo.CHART)
            .template()
            .withName(release)
            .withNamespace(namespace)
            .withKubeVersion(KUBE_VERSION)
            .skipCrds();
    values.forEach(template::set);
    return template.call();
  }
}
