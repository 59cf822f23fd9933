package io.modelprefetch.downloader.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * fabric8 logs a warning the first time a client uses an alpha or beta resource version; the status
 * patches use our own {@code v1alpha1}, and on a real node that warning sat between the JSON lines
 * of {@code kubectl logs}. The downloader's logger configuration keeps it out of both streams.
 */
class KubeStatusApplierLoggingTest {
  @Test
  void theUnstableVersionWarningForOurOwnCrdIsNotPrinted() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      System.setErr(capture);
      VersionUsageUtils.log("modelartifacts", "v1alpha1");
      LoggerFactory.getLogger("io.fabric8.kubernetes.client.Config").warn("capture works");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertThat(printed).as("other fabric8 warnings still reach stderr").contains("capture works");
    assertThat(printed).doesNotContain("unstable version").doesNotContain("VersionUsageUtils");
  }
}
