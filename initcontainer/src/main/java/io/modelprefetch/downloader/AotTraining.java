package io.modelprefetch.downloader;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The build-time workload that records the JVM's AOT cache ({@code -XX:AOTCacheOutput}, JDK 25) for
 * the CLI, so that a real pull starts with its classes already loaded and linked and with method
 * profiles: it pulls one file over http:// and one object over s3:// through the whole engine
 * (ranges, in-order hashing, verification, rename, manifest) from a loopback stand-in origin that
 * it serves itself (plain file bytes, and the few S3 answers the AWS SDK needs: list, head, ranged
 * get). Not a test and not used at run time; the package phase runs it (initcontainer/pom.xml).
 */
public final class AotTraining {
  private static final String BUCKET = "training";
  private static final String KEY = "model.bin";

  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    byte[] content = new byte[3 << 20];
    new Random(1).nextBytes(content);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", exchange -> serve(exchange, content, md5));
    server.start();
    Path work = Files.createTempDirectory("modelprefetch-aot-training");
    try {
      String origin = "http://127.0.0.1:" + server.getAddress().getPort();
      System.setProperty("aws.accessKeyId", "training");
      System.setProperty("aws.secretAccessKey", "training");
      int http =
          Main.run(
              "pull",
              origin + "/files/" + KEY,
              "--dest",
              work.resolve("http").toString(),
              "--sha256",
              sha256,
              "--chunk-size",
              "1MiB",
              "--progress",
              "json");
      int s3 =
          Main.run(
              "pull",
              "s3://" + BUCKET + "/",
              "--endpoint",
              origin,
              "--region",
              "us-east-1",
              "--dest",
              work.resolve("s3").toString(),
              "--chunk-size",
              "1MiB",
              "--progress",
              "none");
      int verify = Main.run("verify", "--dest", work.resolve("s3").toString());
      if (http != 0 || s3 != 0 || verify != 0) {
        throw new IllegalStateException(
            "AOT training pulls failed: http " + http + ", s3 " + s3 + ", verify " + verify);
      }
    } finally {
      server.stop(0);
      try (Stream<Path> walk = Files.walk(work)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static void serve(HttpExchange exchange, byte[] content, String md5) throws IOException {
    String path = exchange.getRequestURI().getPath();
    var headers = exchange.getResponseHeaders();
    if (path.equals("/" + BUCKET) || path.equals("/" + BUCKET + "/")) {
      byte[] xml =
          ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                  + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>"
                  + BUCKET
                  + "</Name>"
                  + "<Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                  + "<Contents><Key>"
                  + KEY
                  + "</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                  + "<ETag>&quot;"
                  + md5
                  + "&quot;</ETag><Size>"
                  + content.length
                  + "</Size>"
                  + "<StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>")
              .getBytes(StandardCharsets.UTF_8);
      headers.set("Content-Type", "application/xml");
      send(exchange, 200, xml, 0, xml.length, true);
      return;
    }
    if (!path.endsWith("/" + KEY)) {
      send(exchange, 404, new byte[0], 0, 0, true);
      return;
    }
    headers.set("ETag", "\"" + md5 + "\"");
    headers.set("Accept-Ranges", "bytes");
    headers.set("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
    String range = exchange.getRequestHeaders().getFirst("Range");
    if (range == null) {
      send(exchange, 200, content, 0, content.length, !exchange.getRequestMethod().equals("HEAD"));
      return;
    }
    String[] bounds = range.substring("bytes=".length()).split("-");
    int from = Integer.parseInt(bounds[0]);
    int to = Math.min(content.length - 1, Integer.parseInt(bounds[1]));
    headers.set("Content-Range", "bytes " + from + "-" + to + "/" + content.length);
    send(exchange, 206, content, from, to + 1 - from, true);
  }

  private static void send(
      HttpExchange exchange, int status, byte[] body, int offset, int length, boolean withBody)
      throws IOException {
    if (!withBody) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(length));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body, offset, length);
    }
  }
}
