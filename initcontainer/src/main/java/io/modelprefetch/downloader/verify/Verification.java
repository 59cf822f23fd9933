package io.modelprefetch.downloader.verify;

import io.modelprefetch.downloader.manifest.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The check of one downloaded file: its size, then the strongest digest the source gave
 * (whole-file, or composite over the object's parts), hashed in one read together with the sha256
 * that the completion manifest always records.
 *
 * @param problem why the bytes are wrong, or null when they passed
 * @param recorded what the completion manifest keeps: the sha256 we computed, then the source's
 *     digest it was checked against (if any)
 * @param method how the file was checked, in words (recorded as {@code verifiedBy})
 */
public record Verification(String problem, List<Digest> recorded, String method) {

  public boolean passed() {
    return problem == null;
  }

  /**
   * How the digests of the file's bytes are computed: the digests of the kinds asked, in that
   * order.
   */
  @FunctionalInterface
  public interface Hasher {
    List<Digest> digests(List<Digest> kinds) throws IOException;
  }

  /**
   * Checks {@code file} against {@code size} and the strongest usable of {@code digests}, reading
   * it.
   */
  public static Verification check(Path file, long size, List<Digest> digests) throws IOException {
    return check(file, size, digests, kinds -> Hashing.digests(file, kinds));
  }

  /**
   * As {@link #check(Path, long, List)}, with the digests of the kinds {@link #kinds} from {@code
   * hasher} (e.g. computed while the bytes streamed in).
   */
  public static Verification check(Path file, long size, List<Digest> digests, Hasher hasher)
      throws IOException {
    long actualSize = Files.size(file);
    if (actualSize != size) {
      return new Verification("size " + actualSize + " instead of " + size, List.of(), "size");
    }
    Digest expected = expected(size, digests);
    List<Digest> actual = hasher.digests(kinds(size, digests));
    if (expected == null) {
      return new Verification(
          null, List.of(actual.getFirst()), "size only (the source gives no digest)");
    }
    if (!actual.getFirst().equals(expected)) {
      return new Verification(
          expected.kind() + " " + actual.getFirst().hex() + " instead of " + expected.hex(),
          List.of(),
          expected.kind());
    }
    boolean expectedIsSha256 = actual.size() == 1;
    List<Digest> recorded = expectedIsSha256 ? List.of(expected) : List.of(actual.get(1), expected);
    return new Verification(null, recorded, expected.kind() + " from the source");
  }

  /**
   * The kinds of digest (values empty) a check of a {@code size}-byte file with the source's {@code
   * digests} computes: the strongest usable source digest (if any), then a sha256 unless that
   * digest is one.
   */
  public static List<Digest> kinds(long size, List<Digest> digests) {
    Digest expected = expected(size, digests);
    List<Digest> kinds = new ArrayList<>();
    if (expected != null) {
      kinds.add(new Digest(expected.algorithm(), "", expected.parts()));
    }
    if (expected == null
        || expected.composite()
        || expected.algorithm() != Digest.Algorithm.SHA256) {
      kinds.add(new Digest(Digest.Algorithm.SHA256, ""));
    }
    return kinds;
  }

  private static Digest expected(long size, List<Digest> digests) {
    return digests.stream().filter(d -> fits(d, size)).findFirst().orElse(null);
  }

  /** A composite digest is usable only when its part layout adds up to the file's size. */
  private static boolean fits(Digest d, long size) {
    return !d.composite() || d.parts().stream().mapToLong(Long::longValue).sum() == size;
  }
}
