package io.modelprefetch.downloader.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a registry token service (the docker token protocol the real registry's {@code
 * auth: token} delegates to): {@code GET /token?service=…&scope=repository:<name>:<actions>}
 * answers {@code {"token": <RS256 JWT>}} signed with a key the registry trusts through a JWKS file.
 * Anonymous callers get pull on repositories under {@code public/}; the user {@code pusher}
 * (password {@code s3cret}) gets everything it asks for.
 */
public final class TokenServiceStandIn implements AutoCloseable {
  public static final String USER = "pusher";
  public static final String PASSWORD = "s3cret";
  static final String SERVICE = "modelprefetch-test-registry";
  static final String ISSUER = "modelprefetch-test-issuer";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private final HttpServer server;
  private final KeyPair keys;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger anonymous = new AtomicInteger();

  public TokenServiceStandIn() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    keys = g.generateKeyPair();
    server =
        HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/token",
        exchange -> {
          Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          String user = null;
          if (auth != null && auth.startsWith("Basic ")) {
            String up =
                new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            if (!up.equals(USER + ":" + PASSWORD)) {
              exchange.sendResponseHeaders(401, -1);
              exchange.close();
              return;
            }
            user = USER;
          }
          List<Map<String, Object>> access = new ArrayList<>();
          String scope = q.get("scope");
          if (scope != null) {
            String[] parts = scope.split(":");
            boolean allowed = user != null || parts[1].startsWith("public/");
            if (allowed) {
              List<String> actions = user != null ? List.of(parts[2].split(",")) : List.of("pull");
              access.add(Map.of("type", parts[0], "name", parts[1], "actions", actions));
            }
          }
          if (user == null) {
            anonymous.incrementAndGet();
          }
          byte[] body;
          try {
            body =
                json.writeValueAsBytes(
                    Map.of("token", jwt(user == null ? "" : user, q.get("service"), access)));
          } catch (Exception e) {
            throw new IOException(e);
          }
          issued.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  /** The registry's {@code auth:} section for this token service (writes the JWKS file). */
  public String registryAuthSection(Path work) throws IOException {
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    Map<String, Object> jwk =
        Map.of(
            "kty",
            "RSA",
            "kid",
            "k1",
            "alg",
            "RS256",
            "use",
            "sig",
            "n",
            B64.encodeToString(unsigned(pub.getModulus())),
            "e",
            B64.encodeToString(unsigned(pub.getPublicExponent())));
    Path jwks = work.resolve("jwks.json");
    Files.write(jwks, json.writeValueAsBytes(Map.of("keys", List.of(jwk))));
    return """
    auth:
      token:
        realm: http://127.0.0.1:%d/token
        service: %s
        issuer: %s
        jwks: %s
    """
        .formatted(server.getAddress().getPort(), SERVICE, ISSUER, jwks)
        .replace("\n", "\n  ")
        .stripTrailing();
  }

  /** Tokens handed out so far; of those, anonymous ones. */
  public int issued() {
    return issued.get();
  }

  public int anonymous() {
    return anonymous.get();
  }

  private String jwt(String subject, String audience, List<Map<String, Object>> access)
      throws Exception {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new HashMap<>();
    claims.put("iss", ISSUER);
    claims.put("sub", subject);
    claims.put("aud", audience);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    String signingInput =
        B64.encodeToString(
                json.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", "k1")))
            + "."
            + B64.encodeToString(json.writeValueAsBytes(claims));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(keys.getPrivate());
    s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(s.sign());
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          out.put(
              URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
