package io.modelprefetch.downloader.source.oci;

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
import io.modelprefetch.downloader.source.http.HttpTransport;
import io.modelprefetch.downloader.source.http.RangeGet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI artifact or image in a registry (distribution spec). {@link #resolve()} fetches the
 * manifest once (following an image index to the manifest of the wanted platform), checks its bytes
 * against its digest, and lists the layer blobs as files {@code sha256/<hex>}; each blob is then
 * fetched in ranges like any file and verified by its digest. {@link OciPull} turns the verified
 * blobs into the model's files.
 */
public final class OciSource implements Source {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  private static final String ACCEPT =
      String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);
  private static final int MAX_MANIFEST = 4 << 20;

  private final String uri;
  private final OciReference ref;
  private final URI base;
  private final String platform;
  private final PathFilter filter;
  private final HttpTransport transport;
  private final RegistryAuth auth;
  private final ObjectMapper json = new ObjectMapper();
  private Listing resolved;
  private List<Layer> layers;

  /**
   * @param platform os/arch[/variant] to pick from an image index
   * @param credentials for the registry, or null (anonymous)
   */
  public OciSource(
      String uri,
      OciReference ref,
      URI base,
      String platform,
      PathFilter filter,
      HttpTransport transport,
      java.time.Duration timeout,
      RegistryAuth.Credentials credentials) {
    this.uri = uri;
    this.ref = ref;
    this.base = base;
    this.platform = platform;
    this.filter = filter;
    this.transport = transport;
    this.auth = new RegistryAuth(transport, timeout, ref.repository(), credentials);
  }

  /**
   * The source for {@code options.uri()}; {@code --revision} (a tag or digest) overrides the
   * reference in the URI, {@code options.endpoint()} the registry's base URL.
   *
   * @param dockerConfig a docker config.json's text (auths), or null
   */
  public static OciSource create(
      SourceOptions options, String platform, boolean plainHttp, String dockerConfig)
      throws DownloadException {
    OciReference ref = OciReference.parse(options.uri()).at(options.revision());
    if (!platform.matches("[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?")) {
      throw new DownloadException(
          Failure.USAGE, "--platform must be os/arch[/variant], e.g. linux/amd64");
    }
    return new OciSource(
        options.uri(),
        ref,
        ref.base(options.endpoint(), plainHttp),
        platform,
        PathFilter.of(options.include(), options.exclude()),
        new HttpTransport(options.stallTimeout()),
        options.stallTimeout(),
        RegistryAuth.fromDockerConfig(dockerConfig, ref.apiHost()));
  }

  /** The platform of this machine, as image indexes name it (linux/amd64, linux/arm64). */
  public static String hostPlatform() {
    String arch = System.getProperty("os.arch");
    return "linux/"
        + switch (arch) {
          case "x86_64", "amd64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default -> arch;
        };
  }

  /** The layers of the resolved manifest, in order (after {@link #resolve()}). */
  public List<Layer> layers() {
    return layers;
  }

  public PathFilter filter() {
    return filter;
  }

  /** Resolves once: later calls return the same pinned listing (the tag may move meanwhile). */
  @Override
  public synchronized Listing resolve(Retry retry) throws DownloadException, IOException {
    if (resolved != null) {
      return resolved;
    }
    URI first = manifestUri(ref.reference());
    auth.prepare(first, Map.of("Accept", ACCEPT));
    Fetched top = fetchManifest(ref.reference());
    Fetched image = top;
    if (isIndex(top)) {
      image = fetchManifest(pick(top));
    } else if (!OCI_MANIFEST.equals(top.mediaType) && !DOCKER_MANIFEST.equals(top.mediaType)) {
      throw new DownloadException(
          Failure.SOURCE,
          ref
              + " is a '"
              + RegistryAuth.printable(top.mediaType)
              + "', not an OCI/Docker image manifest or index");
    }
    layers = layersOf(image);
    Map<String, RemoteFile> blobs = new LinkedHashMap<>();
    for (Layer l : layers) {
      String hex = l.digest().substring("sha256:".length());
      blobs.putIfAbsent(
          l.digest(),
          new RemoteFile(
              "sha256/" + hex,
              l.size(),
              List.of(new Digest(Digest.Algorithm.SHA256, hex)),
              l.digest(),
              l.digest(),
              true));
    }
    if (blobs.isEmpty()) {
      throw new DownloadException(
          Failure.SOURCE,
          ref + " (" + image.digest + ") has no layers matching include " + "/ exclude");
    }
    resolved = new Listing(uri, image.digest, List.copyOf(blobs.values()));
    return resolved;
  }

  private record Fetched(String digest, String mediaType, JsonNode body) {}

  private URI manifestUri(String reference) {
    return base.resolve("v2/" + ref.repository() + "/manifests/" + reference);
  }

  /**
   * GETs a manifest, reads at most 4 MiB and checks its bytes against the digest asked for or
   * announced.
   */
  private Fetched fetchManifest(String reference) throws DownloadException, IOException {
    HttpTransport.Response r;
    try {
      r =
          transport.sendAuthorized(
              "GET", manifestUri(reference), Map.of("Accept", ACCEPT), auth.header());
    } catch (SourceException e) {
      if (e.status() == 401 && auth.renew()) {
        r =
            transport.sendAuthorized(
                "GET", manifestUri(reference), Map.of("Accept", ACCEPT), auth.header());
      } else if (e.retryable()) {
        throw e;
      } else {
        throw new DownloadException(Failure.SOURCE, e.getMessage() + hint(e.status()), e);
      }
    }
    byte[] bytes;
    try (InputStream in = r.body()) {
      bytes = in.readNBytes(MAX_MANIFEST + 1);
    }
    r.release(false);
    if (bytes.length > MAX_MANIFEST) {
      throw new DownloadException(
          Failure.SOURCE, "the manifest of " + ref + " is larger than 4 MiB");
    }
    String actual = "sha256:" + HexFormat.of().formatHex(sha256(bytes));
    String expected =
        OciReference.DIGEST.matcher(reference).matches()
            ? reference
            : r.header("Docker-Content-Digest");
    if (expected != null && expected.startsWith("sha256:") && !expected.equals(actual)) {
      throw new DownloadException(
          Failure.VERIFY,
          "the manifest "
              + RegistryAuth.printable(reference)
              + " of "
              + ref.registry()
              + "/"
              + ref.repository()
              + " hashes to "
              + actual
              + ", not "
              + RegistryAuth.printable(expected)
              + " (the registry serves corrupt bytes)");
    }
    JsonNode body;
    try {
      body = json.readTree(bytes);
    } catch (IOException e) {
      throw new DownloadException(Failure.SOURCE, "the manifest of " + ref + " is not JSON");
    }
    String mediaType = body.path("mediaType").asText("");
    if (mediaType.isEmpty()) {
      String header = r.header("Content-Type");
      mediaType = header == null ? "" : header.split(";")[0].strip();
    }
    return new Fetched(actual, mediaType, body);
  }

  private String hint(int status) {
    return switch (status) {
      case 401, 403 -> " (private repository: give credentials in a docker config)";
      case 404 -> " (check the repository name, tag or digest)";
      default -> "";
    };
  }

  private static boolean isIndex(Fetched f) {
    return OCI_INDEX.equals(f.mediaType)
        || DOCKER_LIST.equals(f.mediaType)
        || f.mediaType.isEmpty() && f.body.has("manifests");
  }

  /** The digest of the index entry for our platform; the only entry when there is one. */
  private String pick(Fetched index) throws DownloadException {
    List<String> seen = new ArrayList<>();
    JsonNode manifests = index.body.path("manifests");
    if (manifests.size() == 1 && !manifests.get(0).path("platform").isObject()) {
      return digestOf(manifests.get(0));
    }
    for (JsonNode m : manifests) {
      JsonNode p = m.path("platform");
      String os = p.path("os").asText("");
      String arch = p.path("architecture").asText("");
      String variant = p.path("variant").asText("");
      String name =
          os.isEmpty() && arch.isEmpty()
              ? "(no platform)"
              : os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
      seen.add(RegistryAuth.printable(name));
      String[] want = platform.split("/");
      if (want[0].equals(os)
          && want.length > 1
          && want[1].equals(arch)
          && (want.length < 3 || want[2].equals(variant))) {
        return digestOf(m);
      }
    }
    throw new DownloadException(
        Failure.SOURCE,
        ref
            + " is an image index with no manifest for platform "
            + platform
            + "; it has: "
            + String.join(", ", seen)
            + " (choose one with --platform)");
  }

  private String digestOf(JsonNode descriptor) throws DownloadException {
    String d = descriptor.path("digest").asText("");
    if (!OciReference.DIGEST.matcher(d).matches()) {
      throw new DownloadException(
          Failure.SOURCE,
          ref
              + ": a descriptor has an unsupported digest '"
              + RegistryAuth.printable(d)
              + "' (only sha256 is supported)");
    }
    return d;
  }

  private List<Layer> layersOf(Fetched image) throws DownloadException {
    List<Layer> out = new ArrayList<>();
    for (JsonNode l : image.body.path("layers")) {
      String digest = digestOf(l);
      String mediaType = l.path("mediaType").asText("");
      JsonNode annotations = l.path("annotations");
      String name =
          annotations.hasNonNull(Layer.FILEPATH_ANNOTATION)
              ? annotations.get(Layer.FILEPATH_ANNOTATION).asText()
              : annotations.hasNonNull(Layer.TITLE_ANNOTATION)
                  ? annotations.get(Layer.TITLE_ANNOTATION).asText()
                  : null;
      boolean orasDirectory =
          "true".equals(annotations.path(Layer.ORAS_UNPACK_ANNOTATION).asText());
      Layer.Archive archive = Layer.archiveOf(mediaType, name, orasDirectory);
      if (archive == null) {
        throw new DownloadException(
            Failure.SOURCE,
            "layer "
                + digest
                + " of "
                + ref
                + " ('"
                + RegistryAuth.printable(mediaType)
                + "') is no archive and names no file (no "
                + Layer.FILEPATH_ANNOTATION
                + " or "
                + Layer.TITLE_ANNOTATION
                + " annotation)");
      }
      if (archive == Layer.Archive.UNSUPPORTED) {
        throw new DownloadException(
            Failure.SOURCE,
            "layer "
                + digest
                + " of "
                + ref
                + " is compressed as '"
                + RegistryAuth.printable(mediaType)
                + "', which is not supported (use uncompressed or gzip layers)");
      }
      long size = l.path("size").asLong(-1);
      if (size < 0) {
        throw new DownloadException(
            Failure.SOURCE, "layer " + digest + " of " + ref + " has no size");
      }
      if (archive == Layer.Archive.RAW && !filter.test(name)) {
        continue;
      }
      out.add(new Layer(digest, size, mediaType, name, archive));
    }
    return out;
  }

  @Override
  public Body open(RemoteFile file, long from, long to) throws IOException, InterruptedException {
    URI blob = base.resolve("v2/" + ref.repository() + "/blobs/" + file.locator());
    try {
      return RangeGet.openAuthorized(transport, blob, auth.header(), from, to, file.size(), true)
          .body();
    } catch (SourceException e) {
      if (e.status() != 401) {
        throw e;
      }
      try {
        if (!auth.renew()) {
          throw e;
        }
      } catch (DownloadException d) {
        throw SourceException.fatal(d.getMessage(), 401);
      }
      return RangeGet.openAuthorized(transport, blob, auth.header(), from, to, file.size(), true)
          .body();
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {}
}
