package io.modelprefetch.downloader.transfer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Reserves a file's blocks up front with posix_fallocate (through the FFM API), so a full disk is
 * reported before the download instead of halfway through it, and the file is not fragmented.
 * Where the call is unavailable the file is only extended (sparse).
 */
final class Preallocator {
  private static final int O_WRONLY = 1;
  private static final int O_NOFOLLOW = 0x20000;
  private static final int O_CLOEXEC = 0x80000;
  private static final int ENOSPC = 28;
  private final MethodHandle open;
  private final MethodHandle fallocate;
  private final MethodHandle close;

  Preallocator() {
    MethodHandle o = null;
    MethodHandle f = null;
    MethodHandle c = null;
    try {
      Linker linker = Linker.nativeLinker();
      var libc = linker.defaultLookup();
      o = linker.downcallHandle(libc.find("open").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
          Linker.Option.firstVariadicArg(2));
      f = linker.downcallHandle(libc.find("posix_fallocate").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
      c = linker.downcallHandle(libc.find("close").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    } catch (RuntimeException | LinkageError unavailable) {
      o = null;
    }
    this.open = o;
    this.fallocate = f;
    this.close = c;
  }

  /** Makes {@code file} (which exists) at least {@code size} bytes, with blocks reserved. */
  void allocate(Path file, long size) throws IOException {
    if (size == 0) {
      return;
    }
    if (open != null && fallocateNative(file, size)) {
      return;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      if (raf.length() < size) {
        raf.setLength(size);
      }
    }
  }

  private boolean fallocateNative(Path file, long size) throws IOException {
    int rc;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment name = arena.allocateFrom(file.toString());
      int fd = (int) open.invokeExact(name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        return false;
      }
      try {
        rc = (int) fallocate.invokeExact(fd, 0L, size);
      } finally {
        int ignored = (int) close.invokeExact(fd);
      }
    } catch (Throwable t) {
      return false;
    }
    if (rc == ENOSPC) {
      throw new IOException("No space left on device while reserving " + size + " bytes for " + file);
    }
    return rc == 0;
  }
}
