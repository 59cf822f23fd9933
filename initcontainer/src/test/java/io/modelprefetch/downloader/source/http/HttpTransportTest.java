package io.modelprefetch.downloader.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpTransportTest {

  @Test
  void sameOriginNeedsSchemeHostAndPort() {
    URI hub = URI.create("http://localhost:8080/a");
    assertThat(HttpTransport.sameOrigin(hub, URI.create("http://localhost:8080/b?x=1"))).isTrue();
    assertThat(HttpTransport.sameOrigin(hub, URI.create("http://127.0.0.1:8080/b"))).isFalse();
    assertThat(HttpTransport.sameOrigin(hub, URI.create("http://localhost:8081/b"))).isFalse();
    assertThat(HttpTransport.sameOrigin(URI.create("https://h/a"), URI.create("https://h:443/b")))
        .isTrue();
    assertThat(HttpTransport.sameOrigin(URI.create("https://h/a"), URI.create("http://h/b")))
        .isFalse();
  }

  @Test
  void readsRetryAfterInSecondsOrAsADate() {
    assertThat(HttpTransport.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(HttpTransport.retryAfter(null)).isNull();
    assertThat(HttpTransport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(HttpTransport.retryAfter("garbage")).isNull();
  }

  @Test
  void redactsSignedQueryStrings() {
    assertThat(HttpTransport.redact(URI.create("https://cdn/x/file?X-Amz-Signature=secret&e=1")))
        .isEqualTo("https://cdn/x/file?…")
        .doesNotContain("secret");
  }
}
