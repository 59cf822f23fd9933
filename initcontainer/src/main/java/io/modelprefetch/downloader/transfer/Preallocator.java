package io.modelprefetch.downloader.transfer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Reserves a file's blocks up front with posix_fallocate, so a full disk is reported before the
 * download instead of halfway through it, and the file is not fragmented. Where the call is
 * unavailable the file is only extended (sparse).
 */
final class Preallocator {
  private static final int ENOSPC = 28;
  private final Supplier<Libc> libc;

  Preallocator(Supplier<Libc> libc) {
    this.libc = libc;
  }

  /** Makes {@code file} (which exists) at least {@code size} bytes, with blocks reserved. */
  void allocate(Path file, long size) throws IOException {
    if (size == 0) {
      return;
    }
    int rc = libc.get().fallocate(file, size);
    if (rc == ENOSPC) {
      throw new IOException(
          "No space left on device while reserving " + size + " bytes for " + file);
    }
    if (rc == 0) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      if (raf.length() < size) {
        raf.setLength(size);
      }
    }
  }
}
