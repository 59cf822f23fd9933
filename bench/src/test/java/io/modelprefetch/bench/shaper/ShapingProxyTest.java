package io.modelprefetch.bench.shaper;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.Content;
import io.modelprefetch.fixtures.http.HttpOrigin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShapingProxyTest {
  private static final long MB = 1_000_000;
  private static final int BODY = 4 * (int) MB;
  private final byte[] body = Datasets.bytes(BODY, 7);
  private final HttpOrigin origin =
      HttpOrigin.builder()
          .content("/a.bin", Content.of(body))
          .content("/b.bin", Content.of(body))
          .start();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ShapedLink link;

  @AfterEach
  void stop() {
    link.close();
    origin.close();
  }

  private URI through(LinkShape shape, String path) {
    link = link != null ? link : new ShapedLink(shape);
    return URI.create(link.proxy("127.0.0.1").forwardTo(origin.uri()).uri() + path);
  }

  private byte[] get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray())
        .body();
  }

  @Test
  void oneConnectionGetsNoMoreThanItsCapAndTheBytesArriveIntact() throws Exception {
    URI uri = through(new LinkShape(8 * MB, Duration.ZERO, 0), "/a.bin");

    long start = System.nanoTime();
    byte[] received = get(uri);
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(received).isEqualTo(body);
    assertThat(BODY / MB / seconds).isBetween(5.0, 8.8);
  }

  @Test
  void everyRequestWaitsAtLeastTheRoundTrip() throws Exception {
    URI uri = through(new LinkShape(0, Duration.ofMillis(150), 0), "/a.bin");
    HttpRequest head =
        HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();

    long start = System.nanoTime();
    int status = http.send(head, HttpResponse.BodyHandlers.discarding()).statusCode();
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(status).isEqualTo(200);
    assertThat(millis).isGreaterThanOrEqualTo(150);
  }

  @Test
  void connectionsTogetherShareTheAggregateCap() throws Exception {
    LinkShape shape = new LinkShape(100 * MB, Duration.ZERO, 8 * MB);
    List<URI> uris = List.of(through(shape, "/a.bin"), through(shape, "/b.bin"));

    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<byte[]>>> both =
        uris.stream()
            .map(
                u ->
                    http.sendAsync(
                        HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofByteArray()))
            .toList();
    both.forEach(CompletableFuture::join);
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(2.0 * BODY / MB / seconds).isBetween(5.0, 8.8);
  }
}
