package io.modelprefetch.downloader.source.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.source.SourceException;
import io.modelprefetch.downloader.source.http.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Registry authorization, as docker and oras do it: the first request is sent without credentials;
 * a 401 names the scheme in {@code WWW-Authenticate}. {@code Basic} gets the credentials from the
 * docker config; {@code Bearer realm=…,service=…} gets a pull token from the realm (with those
 * credentials when there are some, else anonymously), which is renewed once when the registry later
 * answers 401 (expired). The header only ever goes to the registry's own origin (see {@link
 * HttpTransport#sendAuthorized}); nothing here is logged.
 */
final class RegistryAuth {
  private static final Pattern PARAM = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");
  private final HttpTransport transport;
  private final Duration timeout;
  private final String repository;
  private final Credentials credentials;
  private volatile String header;
  private volatile Map<String, String> challenge;
  private final ObjectMapper json = new ObjectMapper();

  /** user:password for the registry from a docker config, or null for anonymous. */
  record Credentials(String username, String password) {
    String basic() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Credentials[" + username + ", ***]";
    }
  }

  RegistryAuth(
      HttpTransport transport, Duration timeout, String repository, Credentials credentials) {
    this.transport = transport;
    this.timeout = timeout;
    this.repository = repository;
    this.credentials = credentials;
  }

  /** The {@code Authorization} header value to send now, or null (anonymous, no challenge seen). */
  String header() {
    return header;
  }

  /**
   * Probes {@code uri} (a HEAD without credentials) and, when it answers 401, obtains what its
   * challenge asks for.
   */
  void prepare(URI uri, Map<String, String> headers) throws IOException, DownloadException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    try {
      c.setRequestMethod("HEAD");
      c.setInstanceFollowRedirects(false);
      c.setConnectTimeout((int) Math.min(timeout.toMillis(), 30_000));
      c.setReadTimeout((int) timeout.toMillis());
      headers.forEach(c::setRequestProperty);
      int status = c.getResponseCode();
      if (status == 401) {
        String value = c.getHeaderField("WWW-Authenticate");
        answer(value == null ? "" : value.strip());
      } else if (SourceException.retryableStatus(status)) {
        throw SourceException.retryable(
            "HEAD " + uri + " answered " + status, retryAfter(c), status);
      }
    } finally {
      c.disconnect();
    }
  }

  /** After a 401 on an authorized request: the token expired; get a new one (Bearer only). */
  boolean renew() throws IOException, DownloadException {
    if (challenge == null) {
      return false;
    }
    header = "Bearer " + token(challenge);
    return true;
  }

  private void answer(String wwwAuthenticate) throws IOException, DownloadException {
    String scheme = wwwAuthenticate.split("\\s+", 2)[0];
    if (scheme.equalsIgnoreCase("Basic")) {
      if (credentials == null) {
        throw new DownloadException(
            Failure.SOURCE,
            "the registry requires a user name and password (Basic): give them in a docker config"
                + " (--registry-config FILE, $MODELPREFETCH_REGISTRY_AUTH, or"
                + " $DOCKER_CONFIG/config.json)");
      }
      header = credentials.basic();
    } else if (scheme.equalsIgnoreCase("Bearer")) {
      Map<String, String> params = new HashMap<>();
      Matcher m = PARAM.matcher(wwwAuthenticate);
      while (m.find()) {
        params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
      }
      if (!params.containsKey("realm")) {
        throw new DownloadException(
            Failure.SOURCE, "the registry's Bearer challenge names no realm");
      }
      challenge = params;
      header = "Bearer " + token(params);
    } else {
      throw new DownloadException(
          Failure.SOURCE,
          "the registry asks for an unsupported authorization scheme '"
              + printable(scheme)
              + "' (supported: Bearer token, Basic)");
    }
  }

  private String token(Map<String, String> params) throws IOException, DownloadException {
    URI realm = URI.create(params.get("realm"));
    if (!"https".equals(realm.getScheme()) && !"http".equals(realm.getScheme())) {
      throw new DownloadException(
          Failure.SOURCE, "the registry's token realm is not an http(s) URL");
    }
    StringBuilder query = new StringBuilder();
    if (params.containsKey("service")) {
      query.append("service=").append(encode(params.get("service")));
    }
    query
        .append(query.isEmpty() ? "" : "&")
        .append("scope=")
        .append(encode("repository:" + repository + ":pull"));
    URI uri = URI.create(realm + (realm.getRawQuery() == null ? "?" : "&") + query);
    try {
      HttpTransport.Response r =
          transport.sendAuthorized(
              "GET",
              uri,
              Map.of("Accept", "application/json"),
              credentials == null ? null : credentials.basic());
      JsonNode body;
      try (InputStream in = r.body()) {
        body = json.readTree(in.readNBytes(1 << 20));
      }
      r.release(true);
      String token = body.path("token").asText(body.path("access_token").asText(""));
      if (token.isEmpty()) {
        throw new DownloadException(
            Failure.SOURCE, "the registry's token service answered no token");
      }
      return token;
    } catch (SourceException e) {
      if (e.retryable()) {
        throw e;
      }
      throw new DownloadException(
          Failure.SOURCE,
          "no pull token for "
              + repository
              + ": "
              + e.getMessage()
              + (e.status() == 401 || e.status() == 403
                  ? (credentials == null
                      ? " (the repository is private: give credentials in a docker config)"
                      : " (check the credentials in the docker config)")
                  : ""),
          e);
    }
  }

  private static Duration retryAfter(HttpURLConnection c) {
    String v = c.getHeaderField("Retry-After");
    try {
      return v == null ? null : Duration.ofSeconds(Long.parseLong(v.strip()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String printable(String s) {
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /**
   * The credentials for {@code registry} in a docker config JSON ({@code auths} → {@code auth}
   * base64 user:password, or {@code username}/{@code password}); null when it has none.
   */
  static Credentials fromDockerConfig(String configJson, String registry) throws DownloadException {
    if (configJson == null || configJson.isBlank()) {
      return null;
    }
    JsonNode auths;
    try {
      auths = new ObjectMapper().readTree(configJson).path("auths");
    } catch (IOException e) {
      throw new DownloadException(
          Failure.USAGE,
          "the registry auth config is not JSON (expected a docker config.json"
              + " with \"auths\")");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!hostOf(e.getKey()).equalsIgnoreCase(registry)) {
        continue;
      }
      JsonNode a = e.getValue();
      if (a.hasNonNull("auth")) {
        String decoded;
        try {
          decoded =
              new String(
                  Base64.getDecoder().decode(a.get("auth").asText().strip()),
                  StandardCharsets.UTF_8);
        } catch (IllegalArgumentException bad) {
          throw new DownloadException(
              Failure.USAGE,
              "the \"auth\" of "
                  + printable(e.getKey())
                  + " in the registry auth config is not base64 user:password");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new DownloadException(
              Failure.USAGE,
              "the \"auth\" of "
                  + printable(e.getKey())
                  + " in the registry auth config is not base64 user:password");
        }
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
      }
      if (a.hasNonNull("username") && a.hasNonNull("password")) {
        return new Credentials(a.get("username").asText(), a.get("password").asText());
      }
      if (a.hasNonNull("identitytoken")) {
        throw new DownloadException(
            Failure.USAGE,
            "the registry auth config has only an identitytoken for "
                + printable(e.getKey())
                + " (OAuth2 refresh tokens are not supported): give a user name and password");
      }
    }
    return null;
  }

  /** "https://host:5000/v1/" → "host:5000"; Docker Hub's legacy key stands for docker.io. */
  static String hostOf(String key) {
    String k = key.replaceFirst("^[a-z]+://", "");
    int slash = k.indexOf('/');
    String host = slash < 0 ? k : k.substring(0, slash);
    return host.equals("index.docker.io") ? "registry-1.docker.io" : host;
  }
}
