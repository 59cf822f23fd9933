package io.modelprefetch.bench.run;

import io.modelprefetch.bench.peer.PeerCommand;
import io.modelprefetch.bench.shaper.ShapedLink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs a peer under {@code /usr/bin/time -v}, with a time limit, and reads back its accounting. */
public final class TimedProcess {
  private static final Pattern RSS =
      Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
  private static final Pattern USER = Pattern.compile("User time \\(seconds\\): ([\\d.]+)");
  private static final Pattern SYS = Pattern.compile("System time \\(seconds\\): ([\\d.]+)");

  private final Duration limit;

  public TimedProcess(Duration limit) {
    this.limit = limit;
  }

  public Measurement run(PeerCommand command, Path logDir, String name, ShapedLink link)
      throws IOException, InterruptedException {
    Path timeFile = logDir.resolve(name + ".time");
    List<String> argv = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", timeFile.toString()));
    argv.addAll(command.argv());
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectOutput(logDir.resolve(name + ".out").toFile())
            .redirectError(logDir.resolve(name + ".err").toFile());
    pb.environment().putAll(command.env());
    command.unset().forEach(pb.environment()::remove);
    link.resetFirstAccept();
    long connectionsBefore = link.connectionsAccepted();
    long start = System.nanoTime();
    Process process = pb.start();
    boolean finished = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    long firstAccept = link.firstAcceptNanos();
    double firstConnect = firstAccept == 0 ? 0 : (firstAccept - start) / 1e9;
    String time = Files.exists(timeFile) ? Files.readString(timeFile) : "";
    return new Measurement(
        finished ? process.exitValue() : -1,
        wall,
        (long) number(RSS, time),
        number(USER, time) + number(SYS, time),
        firstConnect,
        link.connectionsAccepted() - connectionsBefore,
        !finished);
  }

  private static double number(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
