package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.Retry;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.source.SourceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in {@link Source} for in-process engine tests: files held in memory, every request
 * recorded, bytes served counted, and faults scripted per request ({@link Fault}), so the engine's
 * rules run deterministically without sockets or a second JVM.
 */
final class FakeSource implements Source {
  /**
   * One request: bytes {@code [from, to)} of {@code path}, the {@code attempt}-th request of that
   * path from {@code from}.
   */
  record Request(String path, long from, long to, int attempt) {
    long length() {
      return to - from;
    }
  }

  /** What the source does with a request. */
  sealed interface Action {}

  /** Serves the bytes asked for. */
  record Serve() implements Action {}

  /** Serves {@code bytes} of them, then the connection drops (a retryable failure). */
  record DropAfter(long bytes) implements Action {}

  /** Serves the right number of bytes, but not the file's (a corrupt origin or cache). */
  record Corrupt() implements Action {}

  /** Answers with an HTTP error status and no body. */
  record Refuse(int status) implements Action {}

  /** Decides the action for each request (called in request order per connection). */
  @FunctionalInterface
  interface Fault {
    Action on(Request request);
  }

  private final Map<String, byte[]> content = new LinkedHashMap<>();
  private final Map<String, RemoteFile> files = new LinkedHashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final AtomicLong bytesServed = new AtomicLong();
  private volatile Fault fault = r -> new Serve();

  /**
   * Adds a file of {@code size} pseudo-random bytes (from {@code seed}) with its sha256, served in
   * ranges.
   */
  FakeSource file(String path, int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    content.put(path, bytes);
    files.put(path, new RemoteFile(path, size, List.of(sha256(bytes)), path, "v-" + seed, true));
    return this;
  }

  FakeSource fault(Fault f) {
    this.fault = f;
    return this;
  }

  byte[] bytes(String path) {
    return content.get(path).clone();
  }

  RemoteFile remote(String path) {
    return files.get(path);
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  long bytesServed() {
    return bytesServed.get();
  }

  /**
   * Forgets the requests and bytes served so far (e.g. between an interrupted pull and its
   * restart).
   */
  synchronized void reset() {
    requests.clear();
    bytesServed.set(0);
  }

  @Override
  public Listing resolve(Retry retry) {
    return new Listing("fake://model", "rev-1", List.copyOf(files.values()));
  }

  @Override
  public Body open(RemoteFile file, long from, long to) throws IOException {
    Request request;
    synchronized (this) {
      int attempt =
          (int)
                  requests.stream()
                      .filter(r -> r.path().equals(file.path()) && r.from() == from)
                      .count()
              + 1;
      request = new Request(file.path(), from, to, attempt);
      requests.add(request);
    }
    byte[] bytes = content.get(file.path());
    return switch (fault.on(request)) {
      case Serve s -> body(bytes, from, to, to - from);
      case DropAfter d -> body(bytes, from, to, Math.min(d.bytes(), to - from));
      case Corrupt c -> {
        byte[] wrong = java.util.Arrays.copyOfRange(bytes, (int) from, (int) to);
        for (int i = 0; i < wrong.length; i++) {
          wrong[i] ^= 0x5a;
        }
        yield body(wrong, 0, wrong.length, wrong.length);
      }
      case Refuse r ->
          throw SourceException.retryableStatus(r.status())
              ? SourceException.retryable("fake: " + r.status(), null, r.status())
              : SourceException.fatal("fake: " + r.status(), r.status());
    };
  }

  /**
   * A body of {@code served} bytes of {@code bytes[from, to)}; ends early (a dropped connection)
   * when fewer than asked.
   */
  private Body body(byte[] bytes, long from, long to, long served) {
    bytesServed.addAndGet(served);
    InputStream in = new ByteArrayInputStream(bytes, (int) from, (int) served);
    return new Body(in, in::close);
  }

  @Override
  public void close() {}

  static Digest sha256(byte[] bytes) {
    try {
      return Digest.of(Digest.Algorithm.SHA256, MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
