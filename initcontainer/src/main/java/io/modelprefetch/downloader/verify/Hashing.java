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
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** Computes digests: of a file, streaming with one fixed buffer, or of bytes as they arrive ({@link Running}). */
public final class Hashing {
  private static final int BUFFER = 1 << 20;

  private Hashing() {}

  public static Digest digest(Path file, Digest.Algorithm algorithm) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      Running running = start(algorithm, ch.size());
      ByteBuffer buf = ByteBuffer.allocate(BUFFER);
      while (ch.read(buf) >= 0) {
        buf.flip();
        running.update(buf);
        buf.clear();
      }
      return running.finish();
    }
  }

  /** A digest of a {@code size}-byte content fed in order, piece by piece. */
  public static Running start(Digest.Algorithm algorithm, long size) {
    Running running = new Running(algorithm, sink(algorithm));
    if (algorithm == Digest.Algorithm.GIT_SHA1) {
      running.update(ByteBuffer.wrap(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII)));
    }
    return running;
  }

  /** A digest being computed; not thread-safe. */
  public static final class Running {
    private final Digest.Algorithm algorithm;
    private final Sink sink;

    private Running(Digest.Algorithm algorithm, Sink sink) {
      this.algorithm = algorithm;
      this.sink = sink;
    }

    public Digest.Algorithm algorithm() {
      return algorithm;
    }

    /** Feeds the buffer's remaining bytes (consumes them). */
    public void update(ByteBuffer data) {
      sink.update(data);
    }

    public Digest finish() {
      return Digest.of(algorithm, sink.value());
    }
  }

  /** Whether the file's bytes match the expected digest. */
  public static boolean matches(Path file, Digest expected) throws IOException {
    return digest(file, expected.algorithm()).equals(expected);
  }

  private interface Sink {
    void update(ByteBuffer data);

    byte[] value();
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
