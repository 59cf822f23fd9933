package io.modelprefetch.downloader.transfer;

/** Bytes {@code [start, end)} of one file, claimed by one connection. */
record Chunk(FileTask task, long start, long end) {
  long length() {
    return end - start;
  }
}
