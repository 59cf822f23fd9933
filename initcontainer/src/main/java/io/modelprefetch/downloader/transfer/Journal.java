package io.modelprefetch.downloader.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The resume journal of one partial file: a header naming the content it belongs to, then one line
 * {@code start end} per byte range written. A range is appended only after its bytes were
 * written to the partial file, so after a kill (the page cache survives a process) every journalled
 * range is on disk; after a power loss the digest check catches any hole and re-fetches.
 * A torn last line is ignored.
 */
final class Journal implements AutoCloseable {
  private static final String MAGIC = "modelprefetch-journal 1";
  private static final String VERIFIED = "verified ";
  private final FileChannel channel;
  private final Intervals done;

  private Journal(FileChannel channel, Intervals done) {
    this.channel = channel;
    this.done = done;
  }

  /**
   * Opens the journal at {@code path} for content {@code identity}; a journal for other content, or
   * an unreadable one, is started afresh (and {@code fresh()} is true).
   */
  static Journal open(Path path, String identity) throws IOException {
    String header = header(identity);
    Intervals done = new Intervals();
    boolean reuse = false;
    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      List<String> lines = readCompleteLines(path);
      if (!lines.isEmpty() && (lines.getFirst() + "\n").equals(header)) {
        reuse = true;
        for (String line : lines.subList(1, lines.size())) {
          String[] parts = line.split(" ");
          if (parts.length == 2 && !line.startsWith(VERIFIED)) {
            done.add(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
          }
        }
      }
    }
    Files.createDirectories(path.getParent());
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
    if (!reuse) {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(header.getBytes(StandardCharsets.UTF_8)), 0);
    }
    channel.position(channel.size());
    return new Journal(channel, done);
  }

  private static String header(String identity) {
    return MAGIC + " " + identity.replaceAll("\\s", "_") + "\n";
  }

  /**
   * The digest recorded when the file of this journal was verified and renamed into place by a
   * pull that did not get to write its completion manifest; null when there is none.
   */
  static String verifiedDigest(Path path, String identity) throws IOException {
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    List<String> lines = readCompleteLines(path);
    if (lines.isEmpty() || !(lines.getFirst() + "\n").equals(header(identity))) {
      return null;
    }
    String last = lines.getLast();
    return last.startsWith(VERIFIED) ? last.substring(VERIFIED.length()) : null;
  }

  /** Records that the file is verified (with this digest) and in place. */
  synchronized void markVerified(String digest) throws IOException {
    ByteBuffer line = ByteBuffer.wrap((VERIFIED + digest + "\n").getBytes(StandardCharsets.US_ASCII));
    while (line.hasRemaining()) {
      channel.write(line);
    }
  }

  private static List<String> readCompleteLines(Path path) throws IOException {
    String text = Files.readString(path, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  /** Ranges already on disk. */
  Intervals done() {
    return done;
  }

  /** Records that {@code [start, end)} is written. One write call per line keeps lines whole. */
  synchronized void record(long start, long end) throws IOException {
    if (start >= end) {
      return;
    }
    done.add(start, end);
    ByteBuffer line = ByteBuffer.wrap((start + " " + end + "\n").getBytes(StandardCharsets.US_ASCII));
    while (line.hasRemaining()) {
      channel.write(line);
    }
  }

  synchronized long covered() {
    return done.covered();
  }

  synchronized List<long[]> gaps(long size) {
    return done.gaps(size);
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
