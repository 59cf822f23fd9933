package io.modelprefetch.downloader.verify;

import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.SafePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks that a destination holds what its completion manifest says. */
public final class CompletionCheck {
  private CompletionCheck() {}

  /**
   * Returns one line per problem (empty when all is well). Sizes are always checked; digests when
   * {@code digests} is true.
   */
  public static List<String> problems(Path root, Completion completion, boolean digests)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (CompletedFile f : completion.files()) {
      if (SafePath.problem(f.path()) != null) {
        out.add(f.path() + ": unsafe name in the manifest");
        continue;
      }
      Path p = root.resolve(f.path());
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        out.add(f.path() + ": missing (or not a regular file)");
      } else if (Files.size(p) != f.size()) {
        out.add(f.path() + ": size " + Files.size(p) + " instead of " + f.size());
      } else if (digests && !f.digests().isEmpty()) {
        Digest expected = f.digests().getFirst();
        Digest actual = Hashing.digest(p, expected.algorithm());
        if (!actual.equals(expected)) {
          out.add(f.path() + ": " + actual + " instead of " + expected);
        }
      }
    }
    return out;
  }
}
