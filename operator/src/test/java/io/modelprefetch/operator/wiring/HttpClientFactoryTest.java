package io.modelprefetch.operator.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * fabric8 picks "randomly" (and warns) when two HTTP client factories are on the class path; the
 * operator ships exactly one, the JDK client (the pom excludes Vert.x and says why).
 */
class HttpClientFactoryTest {

  @Test
  void exactlyOneHttpClientFactoryIsOnTheClassPathAndItIsTheJdkOne() {
    assertThat(
            ServiceLoader.load(HttpClient.Factory.class).stream()
                .map(p -> p.type().getName())
                .toList())
        .containsExactly("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory");
  }

  @Test
  void theClientTheOperatorBuildsUsesIt() {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      assertThat(client.getHttpClient().getClass().getName())
          .startsWith("io.fabric8.kubernetes.client.jdkhttp.");
    }
  }
}
