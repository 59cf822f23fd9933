package io.modelprefetch.downloader.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A set of disjoint half-open byte ranges {@code [start, end)}, merged as they are added. */
final class Intervals {
  private final TreeMap<Long, Long> ranges = new TreeMap<>();
  private long covered;

  void add(long start, long end) {
    if (start >= end) {
      return;
    }
    Map.Entry<Long, Long> before = ranges.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
      remove(before.getKey());
    }
    Map.Entry<Long, Long> next;
    while ((next = ranges.ceilingEntry(start)) != null && next.getKey() <= end) {
      end = Math.max(end, next.getValue());
      remove(next.getKey());
    }
    ranges.put(start, end);
    covered += end - start;
  }

  private void remove(long start) {
    covered -= ranges.remove(start) - start;
  }

  /**
   * The end of the covered run that contains {@code pos}, or {@code pos} when it is not covered.
   */
  long endOfRunAt(long pos) {
    Map.Entry<Long, Long> r = ranges.floorEntry(pos);
    return r != null && r.getValue() > pos ? r.getValue() : pos;
  }

  Intervals copy() {
    Intervals c = new Intervals();
    c.ranges.putAll(ranges);
    c.covered = covered;
    return c;
  }

  long covered() {
    return covered;
  }

  /** The gaps of {@code [0, size)} not covered, in order. */
  List<long[]> gaps(long size) {
    List<long[]> out = new ArrayList<>();
    long pos = 0;
    for (Map.Entry<Long, Long> r : ranges.entrySet()) {
      if (r.getKey() > pos) {
        out.add(new long[] {pos, Math.min(r.getKey(), size)});
      }
      pos = Math.max(pos, r.getValue());
    }
    if (pos < size) {
      out.add(new long[] {pos, size});
    }
    return out;
  }
}
