package io.modelprefetch.bench.shaper;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reuses direct buffers, so forwarding hundreds of MB/s neither copies through the heap nor churns
 * the GC.
 */
final class BufferPool {
  private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();

  ByteBuffer take(int capacity) {
    ByteBuffer buf = free.poll();
    return buf != null && buf.capacity() == capacity
        ? buf.clear()
        : ByteBuffer.allocateDirect(capacity);
  }

  void give(ByteBuffer buf) {
    free.offer(buf);
  }
}
