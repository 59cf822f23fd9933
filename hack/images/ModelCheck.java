import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The node E2E's stand-in for an inference server (test image modelprefetch/model-check): reads
 * one model file, compares its SHA-256 with the expected one, logs the result and, when it
 * matches, serves GET / (200 with the digest) until it is stopped, so a readiness probe passes
 * only in a pod that really read the model. A mismatch or a missing file exits with status 1.
 *
 * <p>Environment: MODEL_PATH (a file, or a directory with MODEL_FILE inside it), EXPECTED_SHA256
 * (64 hex digits), PORT (default 8000).
 */
public final class ModelCheck {
  public static void main(String[] args) throws Exception {
    String modelPath = System.getenv("MODEL_PATH");
    String modelFile = System.getenv().getOrDefault("MODEL_FILE", "");
    String expected = System.getenv().getOrDefault("EXPECTED_SHA256", "");
    if (modelPath == null || modelPath.isEmpty() || !expected.matches("[0-9a-f]{64}")) {
      fail("set MODEL_PATH and EXPECTED_SHA256 (64 lower-case hex digits); MODEL_FILE when MODEL_PATH is a directory");
    }
    Path file = modelFile.isEmpty() ? Path.of(modelPath) : Path.of(modelPath).resolve(modelFile);
    if (!Files.isRegularFile(file)) {
      fail("no model file at " + file);
    }
    String actual;
    long bytes;
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; total += n) {
        sha.update(buffer, 0, n);
      }
      actual = HexFormat.of().formatHex(sha.digest());
      bytes = total;
    } catch (IOException | NoSuchAlgorithmException e) {
      fail("cannot read " + file + ": " + e);
      return;
    }
    if (!actual.equals(expected)) {
      fail("digest mismatch for " + file + ": sha256 " + actual + ", expected " + expected);
    }
    String line = "model check ok: " + file + " bytes=" + bytes + " sha256=" + actual;
    System.out.println(line);
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/", exchange -> {
      byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    System.out.println("serving on port " + port);
  }

  private static void fail(String message) {
    System.out.println("model check FAILED: " + message);
    System.exit(1);
  }
}
