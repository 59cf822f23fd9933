package io.modelprefetch.downloader.verify;

import io.modelprefetch.downloader.manifest.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * Computes digests, streaming with one fixed buffer: several digests (whole-file or composite over
 * a part layout) of a file in one read, or of bytes as they arrive ({@link Running}).
 */
public final class Hashing {
  private static final int BUFFER = 1 << 20;

  /** Calls per digest that {@link #warmUpInBackground} makes (1 KiB each). */
  private static final int WARM_UP_CALLS = 400;

  private Hashing() {}

  public static Digest digest(Path file, Digest.Algorithm algorithm) throws IOException {
    return digests(file, List.of(new Digest(algorithm, ""))).getFirst();
  }

  /**
   * The file's actual digests of the same kinds as {@code templates} (algorithm and part layout;
   * their values are ignored), computed in one read. A composite digest whose layout does not add
   * up to the file's size comes back as the digest of the parts that fit, so it cannot match.
   */
  public static List<Digest> digests(Path file, List<Digest> templates) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      Running running = start(templates, ch.size());
      ByteBuffer buf = ByteBuffer.allocate(BUFFER);
      while (ch.read(buf) >= 0) {
        buf.flip();
        running.update(buf);
        buf.clear();
      }
      return running.finish();
    }
  }

  /**
   * Gets the digests' code compiled by the JIT's optimizing tier, the only one with the CPU's SHA
   * and MD5 instructions (below it SHA-256 runs at about 20 s/GiB), as the bytes start to arrive: a
   * background thread, started once the listing is in, hashes a few hundred small buffers while the
   * first ranges are requested. Without it, the multi-block digest loop of a 512 MiB pull reached
   * that tier only 2.8 s in, as the compiler thread shares the cores with every connection. It
   * relies on the launchers' {@code
   * -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.01}, which lets a few
   * hundred calls count as hot; without that flag it is too short to matter.
   */
  public static void warmUpInBackground() {
    Thread.ofPlatform()
        .name("digest-warm-up")
        .daemon()
        .start(
            () -> {
              byte[] data = new byte[1024];
              for (String algorithm : List.of("SHA-256", "MD5", "SHA-1")) {
                Sink sink = messageDigest(algorithm);
                for (int i = 0; i < WARM_UP_CALLS; i++) {
                  sink.update(ByteBuffer.wrap(data));
                  if (i % 16 == 15) {
                    sink.value();
                  }
                }
              }
            });
  }

  /**
   * Digests of the kinds {@code templates} (as for {@link #digests(Path, List)}) of a {@code
   * size}-byte content fed in order, piece by piece.
   */
  public static Running start(List<Digest> templates, long size) {
    List<Sink> sinks = new ArrayList<>();
    for (Digest t : templates) {
      Sink sink = t.composite() ? new PartsSink(t.algorithm(), t.parts()) : sink(t.algorithm());
      if (t.algorithm() == Digest.Algorithm.GIT_SHA1) {
        sink.update(ByteBuffer.wrap(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII)));
      }
      sinks.add(sink);
    }
    return new Running(List.copyOf(templates), sinks);
  }

  /** Digests being computed; not thread-safe. */
  public static final class Running {
    private final List<Digest> templates;
    private final List<Sink> sinks;

    private Running(List<Digest> templates, List<Sink> sinks) {
      this.templates = templates;
      this.sinks = sinks;
    }

    /**
     * Whether these are digests of the kinds {@code kinds} (algorithm and part layout, in order).
     */
    public boolean computes(List<Digest> kinds) {
      return kinds.stream()
          .map(Running::kind)
          .toList()
          .equals(templates.stream().map(Running::kind).toList());
    }

    private static Digest kind(Digest d) {
      return new Digest(d.algorithm(), "", d.parts());
    }

    /** Feeds the buffer's remaining bytes (consumes them). */
    public void update(ByteBuffer data) {
      for (Sink sink : sinks) {
        sink.update(data.duplicate());
      }
      data.position(data.limit());
    }

    public List<Digest> finish() {
      List<Digest> out = new ArrayList<>();
      for (int i = 0; i < templates.size(); i++) {
        out.add(templates.get(i).withValue(sinks.get(i).value()));
      }
      return out;
    }
  }

  /** Whether the file's bytes match the expected digest (whole-file or composite). */
  public static boolean matches(Path file, Digest expected) throws IOException {
    return digests(file, List.of(expected)).getFirst().equals(expected);
  }

  private interface Sink {
    void update(ByteBuffer data);

    byte[] value();
  }

  /**
   * A composite digest: each part is hashed on its own; the part values, concatenated in order, are
   * hashed again at the end (S3's multipart ETag and {@code COMPOSITE} checksums).
   */
  private static final class PartsSink implements Sink {
    private final Digest.Algorithm algorithm;
    private final List<Long> parts;
    private final Sink outer;
    private Sink current;
    private int index;
    private long left;

    PartsSink(Digest.Algorithm algorithm, List<Long> parts) {
      this.algorithm = algorithm;
      this.parts = parts;
      this.outer = sink(algorithm);
      this.current = sink(algorithm);
      this.left = parts.getFirst();
    }

    @Override
    public void update(ByteBuffer data) {
      while (data.hasRemaining() && index < parts.size()) {
        int n = (int) Math.min(left, data.remaining());
        ByteBuffer slice = data.slice(data.position(), n);
        current.update(slice);
        data.position(data.position() + n);
        left -= n;
        if (left == 0) {
          outer.update(ByteBuffer.wrap(current.value()));
          index++;
          current = sink(algorithm);
          left = index < parts.size() ? parts.get(index) : 0;
        }
      }
      // Bytes beyond the layout are not hashed: the layout's total then differs from the size,
      // which the caller checks first.
    }

    @Override
    public byte[] value() {
      return outer.value();
    }
  }

  private static Sink sink(Digest.Algorithm algorithm) {
    return switch (algorithm) {
      case SHA256 -> messageDigest("SHA-256");
      case SHA1, GIT_SHA1 -> messageDigest("SHA-1");
      case MD5 -> messageDigest("MD5");
      case CRC32C -> checksum(new CRC32C());
      case CRC32 -> checksum(new CRC32());
    };
  }

  private static Sink messageDigest(String name) {
    try {
      MessageDigest md = MessageDigest.getInstance(name);
      return new Sink() {
        @Override
        public void update(ByteBuffer data) {
          md.update(data);
        }

        @Override
        public byte[] value() {
          return md.digest();
        }
      };
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " is missing from this JVM", e);
    }
  }

  private static Sink checksum(Checksum c) {
    return new Sink() {
      @Override
      public void update(ByteBuffer data) {
        c.update(data);
      }

      @Override
      public byte[] value() {
        return ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
      }
    };
  }
}
