package io.modelprefetch.downloader.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Files this and earlier interrupted pulls verified and renamed into place, one line each ({@code
 * <identity>\t<digest>\t<path>}), appended to one file until the completion manifest is written. A
 * restarted pull reuses those files instead of fetching them again; one shared file keeps that to
 * one write per file, not one file per file.
 */
public final class VerifiedLog implements AutoCloseable {
  private final Path path;
  private FileChannel channel;

  public VerifiedLog(Path path) {
    this.path = path;
  }

  /** Path → "identity\tdigest" of every complete line. */
  public static Map<String, String[]> read(Path path) throws IOException {
    Map<String, String[]> out = new HashMap<>();
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return out;
    }
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return out;
    }
    for (String line : text.substring(0, end).split("\n")) {
      String[] parts = line.split("\t", 3);
      if (parts.length == 3) {
        out.put(parts[2], new String[] {parts[0], parts[1]});
      }
    }
    return out;
  }

  public synchronized void add(String identity, String digest, String file) throws IOException {
    if (channel == null) {
      channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND,
              LinkOption.NOFOLLOW_LINKS);
    }
    ByteBuffer line =
        ByteBuffer.wrap(
            (identity + "\t" + digest + "\t" + file + "\n").getBytes(StandardCharsets.UTF_8));
    while (line.hasRemaining()) {
      channel.write(line);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
