package io.modelprefetch.bench.data;

/**
 * The knobs of the three datasets: {@code large} = 2 x largeFile; {@code mixed} = 4 x mixedBigFile
 * plus 30 small files from 1 KiB up to mixedSmallMax; {@code many-small} = manySmallCount x
 * manySmallFile.
 */
public record DatasetSizes(
    long largeFile, long mixedBigFile, long mixedSmallMax, int manySmallCount, long manySmallFile) {
  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  public static DatasetSizes full() {
    return new DatasetSizes(256 * MIB, 64 * MIB, 8 * MIB, 500, 64 * KIB);
  }

  /** Small enough for CI to push every peer through every source in a minute or two. */
  public static DatasetSizes quick() {
    return new DatasetSizes(24 * MIB, 6 * MIB, 1 * MIB, 100, 64 * KIB);
  }
}
