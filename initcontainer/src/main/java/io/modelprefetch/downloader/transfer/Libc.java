package io.modelprefetch.downloader.transfer;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The few libc calls the JDK does not offer (posix_fallocate, syncfs), through the FFM API. When
 * native access is unavailable every call reports "unsupported" and callers fall back.
 */
final class Libc {
  static final int UNSUPPORTED = -1000;
  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 1;
  private static final int O_NOFOLLOW = 0x20000;
  private static final int O_CLOEXEC = 0x80000;
  private final MethodHandle open;
  private final MethodHandle close;
  private final MethodHandle fallocate;
  private final MethodHandle syncfs;

  /**
   * Links the calls on a background thread and returns them when first needed: the linker spins
   * classes for a few hundred milliseconds, which then overlap the listing's first requests instead
   * of delaying them.
   */
  static Supplier<Libc> linkInBackground() {
    FutureTask<Libc> linking = new FutureTask<>(Libc::new);
    Thread t = new Thread(linking, "libc-link");
    t.setDaemon(true);
    t.start();
    return () -> {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return linking.get(); // bounded: linking does not block on anything
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            throw new IllegalStateException("linking libc failed", e.getCause());
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  Libc() {
    MethodHandle o = null;
    MethodHandle c = null;
    MethodHandle f = null;
    MethodHandle s = null;
    try {
      Linker linker = Linker.nativeLinker();
      SymbolLookup libc = linker.defaultLookup();
      o =
          linker.downcallHandle(
              libc.find("open").orElseThrow(),
              FunctionDescriptor.of(
                  ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
              Linker.Option.firstVariadicArg(2));
      c =
          linker.downcallHandle(
              libc.find("close").orElseThrow(),
              FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
      f =
          linker.downcallHandle(
              libc.find("posix_fallocate").orElseThrow(),
              FunctionDescriptor.of(
                  ValueLayout.JAVA_INT,
                  ValueLayout.JAVA_INT,
                  ValueLayout.JAVA_LONG,
                  ValueLayout.JAVA_LONG));
      s =
          linker.downcallHandle(
              libc.find("syncfs").orElseThrow(),
              FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    } catch (RuntimeException | LinkageError unavailable) {
      o = null;
    }
    this.open = o;
    this.close = c;
    this.fallocate = f;
    this.syncfs = s;
  }

  /** posix_fallocate(file, 0, size): 0, an errno value, or {@link #UNSUPPORTED}. */
  int fallocate(Path file, long size) {
    return withFd(file, O_WRONLY | O_NOFOLLOW, fd -> (int) fallocate.invokeExact(fd, 0L, size));
  }

  /** syncfs on the file system holding {@code dir}: 0, -1 on failure, or {@link #UNSUPPORTED}. */
  int syncfs(Path dir) {
    return withFd(dir, O_RDONLY, fd -> (int) syncfs.invokeExact(fd));
  }

  private interface FdCall {
    int apply(int fd) throws Throwable;
  }

  private int withFd(Path path, int flags, FdCall call) {
    if (open == null) {
      return UNSUPPORTED;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment name = arena.allocateFrom(path.toString());
      int fd = (int) open.invokeExact(name, flags | O_CLOEXEC);
      if (fd < 0) {
        return UNSUPPORTED;
      }
      try {
        return call.apply(fd);
      } finally {
        int ignored = (int) close.invokeExact(fd);
      }
    } catch (Throwable t) {
      return UNSUPPORTED;
    }
  }
}
