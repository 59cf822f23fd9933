package io.modelprefetch.bench.run;

import io.modelprefetch.bench.origin.Endpoints;
import java.io.IOException;
import java.util.List;

/** Shows the shaper works: one curl stream should get about the per-connection cap. */
public final class ShaperCheck {
  /** Downloads up to {@code bytes} of {@code path} with one curl and returns curl's MB/s. */
  public double singleStreamMegabytesPerSecond(Endpoints endpoints, String path, long bytes)
      throws IOException, InterruptedException {
    Process curl =
        new ProcessBuilder(
                List.of(
                    "curl",
                    "-sS",
                    "--fail",
                    "-o",
                    "/dev/null",
                    "-r",
                    "0-" + (bytes - 1),
                    "-w",
                    "%{speed_download}",
                    endpoints.httpFile(path).toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(curl.getInputStream().readAllBytes()).trim();
    if (curl.waitFor() != 0) {
      throw new IOException("curl failed: " + out);
    }
    return Double.parseDouble(out) / 1e6;
  }
}
