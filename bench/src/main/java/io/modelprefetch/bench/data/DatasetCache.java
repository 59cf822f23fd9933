package io.modelprefetch.bench.data;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.data.FileSpec;
import io.modelprefetch.fixtures.s3.S3Fixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Generates datasets once under {@code <root>/<name>-<key>/} and reuses them: {@code files/},
 * {@code sha256.json} (written last, so its presence means complete) and the S3 store {@code s3/}.
 */
public final class DatasetCache {
  private static final TypeReference<Map<String, String>> DIGESTS = new TypeReference<>() {};
  private final Path root;
  private final ObjectMapper json = new ObjectMapper();

  public DatasetCache(Path root) {
    this.root = root;
  }

  public PreparedDataset prepare(Dataset dataset) throws IOException {
    Path dir = root.resolve(dataset.key());
    Path files = dir.resolve("files");
    Path digestsFile = dir.resolve("sha256.json");
    Path s3 = dir.resolve("s3");
    if (!Files.exists(digestsFile)) {
      deleteTree(dir);
      Map<String, String> digests = new LinkedHashMap<>();
      for (FileSpec spec : dataset.files()) {
        digests.put(spec.path(), Datasets.sha256(Datasets.write(files, spec)));
      }
      seedS3(dataset, files, s3);
      json.writerWithDefaultPrettyPrinter().writeValue(digestsFile.toFile(), digests);
    }
    return new PreparedDataset(dataset, files, s3, json.readValue(digestsFile.toFile(), DIGESTS));
  }

  /** Puts every file into a filesystem-backed S3Proxy store once; later runs serve it as is. */
  private static void seedS3(Dataset dataset, Path files, Path s3) {
    try (S3Fixture fixture = S3Fixture.builder().filesystem(s3).start()) {
      fixture.createBucket(dataset.name());
      for (FileSpec spec : dataset.files()) {
        fixture.put(dataset.name(), spec.path(), files.resolve(spec.path()));
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
