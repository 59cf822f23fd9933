package io.modelprefetch.bench.shaper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One direction of a proxied connection: a reader stamps each chunk with its arrival time, a writer
 * forwards it after the one-way delay and once both the connection's and the shared pacer allow.
 * The bounded queue is the proxy's in-flight window; a full queue stops reading, so TCP flow
 * control pushes back on the sender as it would on a real path.
 */
final class Pipe {
  private static final int CHUNK = 64 * 1024;
  private static final int WINDOW_CHUNKS = 32;

  private record Chunk(ByteBuffer data, long arrivedNanos) {
    static final Chunk END = new Chunk(null, 0);
  }

  private final SocketChannel from;
  private final SocketChannel to;
  private final long delayNanos;
  private final Pacer connection;
  private final Pacer shared;
  private final BufferPool pool;
  private final BlockingQueue<Chunk> window = new ArrayBlockingQueue<>(WINDOW_CHUNKS);

  Pipe(
      SocketChannel from,
      SocketChannel to,
      long delayNanos,
      Pacer connection,
      Pacer shared,
      BufferPool pool) {
    this.from = from;
    this.to = to;
    this.delayNanos = delayNanos;
    this.connection = connection;
    this.shared = shared;
    this.pool = pool;
  }

  /** Reads until end of stream; returns normally at EOF, throws when the connection broke. */
  void read() throws IOException, InterruptedException {
    while (true) {
      ByteBuffer buf = pool.take(CHUNK);
      int n = from.read(buf);
      if (n < 0) {
        pool.give(buf);
        window.put(Chunk.END);
        return;
      }
      window.put(new Chunk(buf.flip(), System.nanoTime()));
    }
  }

  /** Forwards chunks until the reader's end marker, then half-closes the far side. */
  void write() throws IOException, InterruptedException {
    for (Chunk chunk; (chunk = window.take()) != Chunk.END; ) {
      Pacer.sleepUntil(chunk.arrivedNanos() + delayNanos);
      int size = chunk.data().remaining();
      connection.acquire(size);
      shared.acquire(size);
      while (chunk.data().hasRemaining()) {
        to.write(chunk.data());
      }
      pool.give(chunk.data());
    }
    to.shutdownOutput();
  }
}
