package io.modelprefetch.downloader.cli;

import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.Printable;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.transfer.Destination;
import io.modelprefetch.downloader.verify.CompletionCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code modelprefetch verify --dest DIR}: re-checks every digest of a completed pull. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Re-hashes every file listed in DIR/.modelprefetch/manifest.json; exits 5 on any mismatch,"
            + " 6 when DIR holds no completed pull.")
public final class VerifyCommand implements Callable<Integer> {

  @Option(
      names = {"-d", "--dest"},
      required = true,
      paramLabel = "DIR",
      description = "destination directory")
  Path dest;

  @Override
  public Integer call() {
    try {
      Destination d = Destination.existing(dest);
      Completion c = d.readCompletion();
      if (c == null) {
        System.err.println(
            "error: "
                + dest
                + " holds no completed pull (no "
                + d.completionFile()
                + "): nothing to verify; run modelprefetch pull first");
        return Failure.DESTINATION.exitCode();
      }
      List<String> problems = CompletionCheck.problems(d.root(), c, true);
      if (!problems.isEmpty()) {
        problems.forEach(p -> System.err.println("mismatch: " + Printable.escape(p)));
        System.err.println(
            "error: " + problems.size() + " of " + c.files().size() + " files failed verification");
        return Failure.VERIFY.exitCode();
      }
      System.err.println(
          "verified: " + c.files().size() + " files at revision " + Printable.escape(c.revision()));
      return 0;
    } catch (IOException e) {
      System.err.println("error: cannot verify " + dest + ": " + e.getMessage());
      return Failure.DESTINATION.exitCode();
    }
  }
}
