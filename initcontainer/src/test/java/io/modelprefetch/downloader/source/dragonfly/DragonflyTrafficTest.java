package io.modelprefetch.downloader.source.dragonfly;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DragonflyTrafficTest {
  @Test
  void readsTheDownloadTrafficCountersByTypeAndIgnoresEverythingElse() {
    String exposition =
        """
        # HELP dragonfly_client_download_traffic Counter of the number of the download traffic.
        # TYPE dragonfly_client_download_traffic counter
        dragonfly_client_download_traffic{type="BACK_TO_SOURCE"} 1048576
        dragonfly_client_download_traffic{type="REMOTE_PEER"} 3.3554432e7
        dragonfly_client_download_traffic{type="LOCAL_PEER"} 12
        dragonfly_client_upload_traffic{type="REMOTE_PEER"} 999999
        dragonfly_client_version{git_commit="x"} 1
        """;
    assertThat(DragonflyTraffic.parse(exposition))
        .isEqualTo(new DragonflyTraffic.Counters(33_554_432L, 12L, 1_048_576L));
  }

  @Test
  void aDaemonThatDownloadedNothingYetHasZeroCounters() {
    assertThat(DragonflyTraffic.parse("dragonfly_client_version{} 1\n"))
        .isEqualTo(new DragonflyTraffic.Counters(0, 0, 0));
  }

  @Test
  void theDefaultEndpointIsPort4002OfTheProxyHost() {
    assertThat(DragonflyTraffic.besideProxy(URI.create("http://10.0.0.7:4001")))
        .isEqualTo(URI.create("http://10.0.0.7:4002/metrics"));
  }

  @Test
  void bytesThroughDfdaemonAreFromPeersExceptWhatItsNodeFetchedFromTheOrigin() {
    // A node whose prefetch got the file from peers, then served the pull's ranges from its cache:
    // REMOTE_PEER and LOCAL_PEER both count the same bytes; neither is added to the other.
    assertThat(DragonflyRoute.split(100, 0, new DragonflyTraffic.Counters(100, 100, 0)))
        .isEqualTo(new DragonflyRoute.Split(100L, 0L));
    assertThat(DragonflyRoute.split(100, 7, new DragonflyTraffic.Counters(60, 0, 40)))
        .isEqualTo(new DragonflyRoute.Split(60L, 47L));
    // Another pull on the node made dfdaemon fetch more from the origin than this pull received.
    assertThat(DragonflyRoute.split(100, 0, new DragonflyTraffic.Counters(0, 0, 250)))
        .isEqualTo(new DragonflyRoute.Split(0L, 100L));
  }

  @Test
  void theProxyRequestIsAbsoluteFormAndNamesTheContent() {
    String request =
        DragonflyProxy.request(
            URI.create("https://cdn.example/repo/x?Expires=1&Signature=abc"),
            "sha256:" + "a".repeat(64),
            "bytes=0-99");
    assertThat(request)
        .startsWith("GET https://cdn.example/repo/x?Expires=1&Signature=abc HTTP/1.1\r\n")
        .contains(
            "Host: cdn.example\r\n",
            "X-Dragonfly-Use-P2P: true\r\n",
            "X-Dragonfly-Prefetch: true\r\n",
            "X-Dragonfly-Scheduling-Policy: always\r\n",
            "X-Dragonfly-Content-For-Calculating-Task-ID: sha256:" + "a".repeat(64) + "\r\n",
            "Range: bytes=0-99\r\n")
        .doesNotContainIgnoringCase("authorization")
        .endsWith("\r\n\r\n");
  }
}
