package io.modelprefetch.downloader.cli;

import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.Printable;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.report.Human;
import io.modelprefetch.downloader.transfer.Destination;
import io.modelprefetch.downloader.verify.CompletionCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code modelprefetch wait --dest DIR}: blocks until a pull into DIR has completed. */
@Command(
    name = "wait",
    mixinStandardHelpOptions = true,
    description =
        "Waits until DIR/.modelprefetch/manifest.json exists and its files are in place; exits 7 on"
            + " timeout.")
public final class WaitCommand implements Callable<Integer> {

  @Option(
      names = {"-d", "--dest"},
      required = true,
      paramLabel = "DIR",
      description = "destination directory")
  Path dest;

  @Option(
      names = "--timeout",
      defaultValue = "1h",
      converter = Converters.DurationConverter.class,
      description = "give up after this long (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--poll-interval",
      defaultValue = "1s",
      converter = Converters.DurationConverter.class,
      description =
          "how often to look (default ${DEFAULT-VALUE}); polling works on every volume type, NFS"
              + " included")
  Duration pollInterval;

  @Option(
      names = "--verify",
      description = "also re-hash every file before returning (sizes are always checked)")
  boolean verify;

  @Override
  public Integer call() throws InterruptedException {
    Destination d = Destination.existing(dest);
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextNotice = System.nanoTime();
    while (true) {
      try {
        Completion c = d.readCompletion();
        if (c != null) {
          List<String> problems = CompletionCheck.problems(d.root(), c, verify);
          if (problems.isEmpty()) {
            System.err.println(
                "ready: "
                    + c.files().size()
                    + " files at revision "
                    + Printable.escape(c.revision()));
            return 0;
          }
          problems.forEach(p -> System.err.println("mismatch: " + Printable.escape(p)));
          return Failure.VERIFY.exitCode();
        }
      } catch (IOException e) {
        System.err.println("cannot read " + d.completionFile() + " yet: " + e.getMessage());
      }
      if (System.nanoTime() > deadline) {
        System.err.println(
            "error: no completed pull in "
                + dest
                + " after "
                + Human.duration(timeout)
                + " (is the download running? see the ModelArtifact's status)");
        return Failure.TIMEOUT.exitCode();
      }
      if (System.nanoTime() >= nextNotice) {
        System.err.println("waiting for " + d.completionFile());
        nextNotice = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      }
      Thread.sleep(pollInterval);
    }
  }
}
