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

/** Computes a digest of a file, streaming, with one fixed buffer. */
public final class Hashing {
  private static final int BUFFER = 1 << 20;

  private Hashing() {}

  public static Digest digest(Path file, Digest.Algorithm algorithm) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      Sink sink = sink(algorithm);
      if (algorithm == Digest.Algorithm.GIT_SHA1) {
        byte[] header = ("blob " + ch.size() + "\0").getBytes(StandardCharsets.US_ASCII);
        sink.update(ByteBuffer.wrap(header));
      }
      ByteBuffer buf = ByteBuffer.allocate(BUFFER);
      while (ch.read(buf) >= 0) {
        buf.flip();
        sink.update(buf);
        buf.clear();
      }
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
