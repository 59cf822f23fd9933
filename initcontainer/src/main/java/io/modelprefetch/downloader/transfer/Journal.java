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
 * {@code start end} per byte range written. A range is appended only after its bytes were written
 * to the partial file, so after a kill (the page cache survives a process) every journalled range
 * is on disk; after a power loss the digest check catches any hole and re-fetches. A torn last line
 * is ignored. The file is opened on the first record and closed with the task, so a model of
 * thousands of files does not hold thousands of descriptors.
 */
final class Journal implements AutoCloseable {
  private static final String MAGIC = "modelprefetch-journal 1";
  private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s");
  private final Path path;
  private final String header;
  private final Intervals done;
  private FileChannel channel;

  private Journal(Path path, String header, Intervals done) {
    this.path = path;
    this.header = header;
    this.done = done;
  }

  /**
   * Reads the journal at {@code path} for content {@code identity}; a journal for other content, or
   * an unreadable one, is discarded.
   */
  static Journal open(Path path, String identity) throws IOException {
    String header = header(identity);
    Intervals done = new Intervals();
    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      List<String> lines = readCompleteLines(path);
      if (!lines.isEmpty() && (lines.getFirst() + "\n").equals(header)) {
        for (String line : lines.subList(1, lines.size())) {
          String[] parts = line.split(" ");
          if (parts.length == 2) {
            done.add(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
          }
        }
      } else {
        Files.delete(path);
      }
    }
    return new Journal(path, header, done);
  }

  private static String header(String identity) {
    return MAGIC + " " + WHITESPACE.matcher(identity).replaceAll("_") + "\n";
  }

  private static List<String> readCompleteLines(Path path) throws IOException {
    String text = Files.readString(path, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  /** Records that {@code [start, end)} is written. One write call per line keeps lines whole. */
  synchronized void record(long start, long end) throws IOException {
    if (start >= end) {
      return;
    }
    done.add(start, end);
    append(start + " " + end + "\n");
  }

  private void append(String line) throws IOException {
    if (channel == null) {
      Files.createDirectories(path.getParent());
      boolean fresh = !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
      channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND,
              LinkOption.NOFOLLOW_LINKS);
      if (fresh) {
        write(header);
      }
    }
    write(line);
  }

  private void write(String text) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  /**
   * Records {@code [start, end)} in memory only: a range that is its file's only one needs no
   * resume point.
   */
  synchronized void remember(long start, long end) {
    done.add(start, end);
  }

  synchronized Intervals written() {
    return done.copy();
  }

  synchronized long covered() {
    return done.covered();
  }

  synchronized List<long[]> gaps(long size) {
    return done.gaps(size);
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
