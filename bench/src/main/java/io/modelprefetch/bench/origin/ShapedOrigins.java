package io.modelprefetch.bench.origin;

import io.modelprefetch.bench.data.PreparedDataset;
import io.modelprefetch.bench.shaper.ShapedLink;
import io.modelprefetch.bench.shaper.ShapingProxy;
import io.modelprefetch.fixtures.http.HttpOrigin;
import io.modelprefetch.fixtures.hub.HubFixture;
import io.modelprefetch.fixtures.s3.S3Fixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The three origins serving one prepared dataset, each behind a proxy of one {@link ShapedLink}:
 * the Hub (API on 127.0.0.1, its CDN on 127.0.0.2 so clients see two hosts), S3Proxy and a plain
 * HTTP origin. Clients only ever get the proxies' addresses.
 */
public final class ShapedOrigins implements AutoCloseable {
  private static final String HUB_HOST = "127.0.0.1";
  private static final String CDN_HOST = "127.0.0.2";
  private static final int TREE_PAGE = 100_000;

  private final ShapedLink link;
  private final HubFixture hub;
  private final S3Fixture s3;
  private final HttpOrigin http;
  private final Endpoints endpoints;

  public ShapedOrigins(ShapedLink link, PreparedDataset data) {
    this.link = link;
    ShapingProxy hubProxy = link.proxy(HUB_HOST);
    ShapingProxy cdnProxy = link.proxy(CDN_HOST);
    ShapingProxy s3Proxy = link.proxy(HUB_HOST);
    ShapingProxy httpProxy = link.proxy(HUB_HOST);
    String repo = "bench/" + data.dataset().name();
    this.hub =
        HubFixture.builder()
            .host(HUB_HOST)
            .cdnHost(HUB_HOST)
            .cdnPublicUri(cdnProxy.uri())
            .treePageSize(TREE_PAGE)
            .repo(
                repo,
                r -> {
                  r.branch("main");
                  files(data.files())
                      .forEach(f -> r.file(data.files().relativize(f).toString(), f));
                })
            .start();
    this.s3 = S3Fixture.builder().filesystem(data.s3Store()).start();
    this.http = HttpOrigin.builder().root(data.files()).start();
    hubProxy.forwardTo(hub.endpoint());
    cdnProxy.forwardTo(hub.cdnEndpoint());
    s3Proxy.forwardTo(s3.endpoint());
    httpProxy.forwardTo(http.uri());
    this.endpoints =
        new Endpoints(
            hubProxy.uri(),
            repo,
            s3Proxy.uri(),
            data.bucket(),
            s3.accessKey(),
            s3.secretKey(),
            s3.region(),
            httpProxy.uri());
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  public ShapedLink link() {
    return link;
  }

  private static java.util.List<Path> files(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (link;
        hub;
        s3;
        http) {
      // closes origins and proxies; the proxies would otherwise relay to dead ports
    }
  }
}
