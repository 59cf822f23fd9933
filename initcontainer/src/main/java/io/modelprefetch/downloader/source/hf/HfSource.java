package io.modelprefetch.downloader.source.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.PathFilter;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.Retry;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.source.SourceException;
import io.modelprefetch.downloader.source.SourceOptions;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import io.modelprefetch.downloader.source.http.HttpTransport;
import io.modelprefetch.downloader.source.http.RangeGet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Hugging Face Hub repository. The revision is resolved once to a commit; the tree listing is
 * followed through its {@code Link: rel="next"} pages; each file's first ranged request goes to
 * {@code /resolve/<commit>/<path>} and the redirect target (a signed CDN URL) is reused for its
 * other ranges, which keeps resolve calls, and so rate-limit use, to one per file.
 *
 * <p>Through Dragonfly, a HEAD on the resolve URL (with the token, to the Hub only) finds the
 * signed CDN URL without fetching from it, and every range of the file goes to the node's Dragonfly
 * client named by the file's digest. The token never goes through Dragonfly: a file the Hub serves
 * itself goes there only for public repos.
 */
public final class HfSource implements Source {
  private static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  private final SourceOptions options;
  private final HttpTransport transport;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, URI> signedUrls = new ConcurrentHashMap<>();
  private final Map<String, Object> resolveLocks = new ConcurrentHashMap<>();
  private final Map<String, URI> dragonflyTargets = new ConcurrentHashMap<>();
  private final DragonflyRoute route;
  private final URI endpoint;
  private final HfRepo repo;
  private String commit;

  public HfSource(SourceOptions options, HttpTransport transport) throws DownloadException {
    this(options, transport, DragonflyRoute.none());
  }

  public HfSource(SourceOptions options, HttpTransport transport, DragonflyRoute route)
      throws DownloadException {
    this.options = options;
    this.transport = transport;
    this.route = route;
    this.repo = HfRepo.parse(options.uri());
    String base = options.endpoint() != null ? options.endpoint() : DEFAULT_ENDPOINT;
    this.endpoint = URI.create(base.endsWith("/") ? base : base + "/");
  }

  @Override
  public Listing resolve(Retry retry) throws DownloadException, InterruptedException {
    String revision = options.revision() == null ? "main" : options.revision();
    commit = resolveCommit(revision, retry);
    PathFilter filter = PathFilter.of(options.include(), options.exclude());
    List<RemoteFile> files = new ArrayList<>();
    URI page =
        endpoint.resolve(
            "api/" + repo.type() + "/" + repo.id() + "/tree/" + commit + "?recursive=true");
    for (int number = 1; page != null; number++) {
      URI uri = page;
      Page read = retry.send("tree page " + number + " of " + repo.id(), () -> page(uri));
      files.addAll(HfListing.files(read.entries(), filter));
      page = HfListing.nextPage(read.link(), page);
    }
    if (files.isEmpty()) {
      throw new DownloadException(
          Failure.SOURCE,
          repo.id()
              + "@"
              + commit
              + " has no files matching include "
              + options.include()
              + " / exclude "
              + options.exclude());
    }
    return new Listing(options.uri(), commit, files);
  }

  /** One tree page, read whole: a failure while reading it retries this page only. */
  private record Page(JsonNode entries, String link) {}

  private Page page(URI uri) throws DownloadException, IOException {
    HttpTransport.Response r = api(uri);
    return new Page(readJson(r), r.header("Link"));
  }

  private String resolveCommit(String revision, Retry retry)
      throws DownloadException, InterruptedException {
    URI uri =
        endpoint.resolve("api/" + repo.type() + "/" + repo.id() + "/revision/" + encode(revision));
    String sha =
        HfListing.commit(
            retry.send("the revision " + revision + " of " + repo.id(), () -> readJson(api(uri))));
    if (sha == null) {
      throw new DownloadException(
          Failure.SOURCE, "the Hub answered no commit for " + repo.id() + "@" + revision);
    }
    return sha;
  }

  private HttpTransport.Response api(URI uri) throws DownloadException, IOException {
    try {
      return transport.send("GET", uri, Map.of("Accept", "application/json"), options.token());
    } catch (SourceException e) {
      if (e.retryable()) {
        throw e;
      }
      String hint =
          e.status() == 401 || e.status() == 403
              ? " (private or gated repo: pass a token with HF_TOKEN or --token-file)"
              : e.status() == 404 ? " (check the repo id and revision)" : "";
      throw new DownloadException(Failure.SOURCE, e.getMessage() + hint, e);
    }
  }

  private JsonNode readJson(HttpTransport.Response r) throws IOException {
    try (InputStream in = r.body()) {
      return json.readTree(in);
    }
  }

  @Override
  public Body open(RemoteFile file, long from, long to) throws IOException {
    // Dragonfly is asked for ranges; a file whose origin ignores Range is fetched whole, directly.
    URI target = route.active() && file.ranged() ? dragonflyTarget(file) : null;
    if (target == null) {
      return route.direct(() -> openDirect(file, from, to));
    }
    Digest id = file.strongestDigest();
    return route.open(
        target, id == null ? null : id.toString(), from, to, () -> openDirect(file, from, to));
  }

  /**
   * The URL Dragonfly may fetch for this file: its signed CDN URL, or the resolve URL when the Hub
   * serves the file itself and the repo needs no token; null when only the direct path may go.
   */
  private URI dragonflyTarget(RemoteFile file) throws IOException {
    URI target = dragonflyTargets.get(file.locator());
    if (target == null) {
      synchronized (resolveLocks.computeIfAbsent(file.locator(), k -> new Object())) {
        target = dragonflyTargets.get(file.locator());
        if (target == null) {
          URI resolve = resolveUri(file);
          URI signed = transport.otherHostTarget(resolve, options.token());
          target = signed != null ? signed : resolve;
          dragonflyTargets.put(file.locator(), target);
        }
      }
    }
    boolean hubServed = HttpTransport.sameOrigin(target, endpoint);
    return hubServed && options.token() != null ? null : target;
  }

  private Body openDirect(RemoteFile file, long from, long to) throws IOException {
    URI signed = signedUrls.get(file.locator());
    if (signed == null) {
      // The first range of a file resolves it; concurrent first ranges wait for that redirect
      // instead of each spending a resolve call (the Hub rate-limits those).
      synchronized (resolveLocks.computeIfAbsent(file.locator(), k -> new Object())) {
        signed = signedUrls.get(file.locator());
        if (signed == null) {
          return viaResolve(file, from, to);
        }
      }
    }
    try {
      return RangeGet.open(transport, signed, null, from, to, file.size(), file.ranged()).body();
    } catch (SourceException e) {
      if (e.retryable()
          || (e.status() != 401 && e.status() != 403 && e.status() != 404 && e.status() != 410)) {
        throw e;
      }
      signedUrls.remove(file.locator(), signed);
      return openDirect(file, from, to);
    }
  }

  private Body viaResolve(RemoteFile file, long from, long to) throws IOException {
    URI resolve = resolveUri(file);
    RangeGet.Opened opened =
        RangeGet.open(transport, resolve, options.token(), from, to, file.size(), file.ranged());
    if (!HttpTransport.sameOrigin(resolve, opened.finalUri())) {
      signedUrls.put(file.locator(), opened.finalUri());
    }
    return opened.body();
  }

  private URI resolveUri(RemoteFile file) {
    return endpoint.resolve(
        repo.resolvePrefix() + "/resolve/" + commit + "/" + encodePath(file.locator()));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodePath(String path) {
    return String.join(
        "/", java.util.Arrays.stream(path.split("/", -1)).map(HfSource::encode).toList());
  }

  @Override
  public void close() {}
}
