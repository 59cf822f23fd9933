package io.modelprefetch.bench.data;

import io.modelprefetch.fixtures.data.FileSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the benchmark datasets from {@link DatasetSizes}; names are stable, seeds derive from
 * position.
 */
public final class DatasetCatalog {
  public static final List<String> NAMES = List.of("large", "mixed", "many-small");
  private static final int MIXED_SMALL_FILES = 30;
  private static final long SMALLEST = 1024;

  private final DatasetSizes sizes;

  public DatasetCatalog(DatasetSizes sizes) {
    this.sizes = sizes;
  }

  public Dataset get(String name) {
    return switch (name) {
      case "large" -> large();
      case "mixed" -> mixed();
      case "many-small" -> manySmall();
      default ->
          throw new IllegalArgumentException(
              "unknown dataset " + name + ", expected one of " + NAMES);
    };
  }

  private Dataset large() {
    return new Dataset(
        "large",
        List.of(
            new FileSpec("model-00001-of-00002.safetensors", sizes.largeFile(), 101),
            new FileSpec("model-00002-of-00002.safetensors", sizes.largeFile(), 102)));
  }

  private Dataset mixed() {
    List<FileSpec> files = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      files.add(
          new FileSpec(
              "model-0000%d-of-00004.safetensors".formatted(i), sizes.mixedBigFile(), 200 + i));
    }
    // Sizes spread geometrically from 1 KiB to the max, like configs, tokenizers and small heads.
    double ratio =
        Math.pow((double) sizes.mixedSmallMax() / SMALLEST, 1.0 / (MIXED_SMALL_FILES - 1));
    for (int i = 0; i < MIXED_SMALL_FILES; i++) {
      long size = Math.round(SMALLEST * Math.pow(ratio, i));
      files.add(new FileSpec("extra/file-%02d.bin".formatted(i), size, 300 + i));
    }
    return new Dataset("mixed", files);
  }

  private Dataset manySmall() {
    List<FileSpec> files = new ArrayList<>();
    for (int i = 0; i < sizes.manySmallCount(); i++) {
      files.add(
          new FileSpec(
              "shards/%02d/part-%05d.bin".formatted(i % 20, i), sizes.manySmallFile(), 10_000 + i));
    }
    return new Dataset("many-small", files);
  }
}
