package io.modelprefetch.downloader;

import io.modelprefetch.downloader.cli.PullCommand;
import io.modelprefetch.downloader.cli.VerifyCommand;
import io.modelprefetch.downloader.cli.WaitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The modelprefetch command line. */
@Command(
    name = "modelprefetch",
    mixinStandardHelpOptions = true,
    version = "modelprefetch 0.1.0",
    description =
        "Gets models from Hugging Face, S3 or HTTPS onto a volume: parallel, resumable, verified.",
    subcommands = {PullCommand.class, VerifyCommand.class, WaitCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:unexpected internal error",
      "2:invalid arguments",
      "3:source error: not found, no access, unsafe or empty listing, listing retries exhausted",
      "4:transfer gave up after retries",
      "5:verification failed (digest mismatch, also after one re-fetch)",
      "6:destination error: unwritable, full, a symlink inside it, in use by another pull, or"
          + " (verify) no completed pull",
      "7:wait timed out"
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    // Each concurrent range keeps its own keep-alive connection (the JDK keeps 5 by default).
    System.setProperty("http.maxConnections", "256");
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }
}
