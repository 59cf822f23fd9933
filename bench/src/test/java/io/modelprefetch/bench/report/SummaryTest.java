package io.modelprefetch.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.bench.run.Measurement;
import io.modelprefetch.bench.run.RunResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private static final long GIB = 1L << 30;

  private static RunResult run(String tool, String source, String link, double wall, double cpu) {
    return new RunResult(
        tool,
        source,
        "large",
        link,
        1,
        GIB,
        new Measurement(0, wall, 100_000, cpu, 0.2, 16, false),
        null);
  }

  private final List<RunResult> runs =
      List.of(
          run("ceiling: curl", "http", "fat", 4, 1),
          run("modelprefetch", "s3", "fat", 5, 3),
          run("s5cmd --numworkers 64", "s3", "fat", 8, 1.5),
          run("ceiling: curl", "http", "wan", 10, 1),
          run("modelprefetch", "s3", "wan", 20, 3));

  @Test
  void everyRowIsMeasuredAgainstTheCeilingOfItsOwnLinkAndCostsCpuPerGib() {
    List<Row> rows = new Summary(Map.of("fat", 300.0, "wan", 300.0)).rows(runs);
    Row fat = rows.get(1);
    assertThat(fat.percentOfCeiling()).isEqualTo(80.0);
    assertThat(fat.cpuSecondsPerGiB()).isEqualTo(3.0);
    assertThat(fat.percentOfLink())
        .isCloseTo(100 * GIB / 1e6 / 5 / 300, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(rows.get(2).ratioToModelprefetch()).isEqualTo(5.0 / 8);
    assertThat(rows.get(4).percentOfCeiling()).as("wan against the wan ceiling").isEqualTo(50.0);
    List<Row> beaten =
        new Summary(Map.of("fat", 300.0))
            .rows(
                List.of(
                    run("ceiling: curl", "http", "fat", 8, 1), run("s5cmd", "s3", "fat", 4, 1)));
    assertThat(beaten.get(0).percentOfCeiling())
        .as("a held-back ceiling run is bounded by the best row")
        .isEqualTo(50.0);
  }

  @Test
  void targetsAreGoalsPerLinkAndQuickRunsPrintNone() {
    List<Row> rows = new Summary(Map.of("fat", 300.0, "wan", 300.0)).rows(runs);
    List<Targets.Check> checks = new Targets().evaluate(rows);
    assertThat(checks)
        .anySatisfy(
            c -> {
              assertThat(c.link()).isEqualTo("fat");
              assertThat(c.target()).isEqualTo("large >= 90 % of the ceiling");
              assertThat(c.met()).isFalse();
            });
    assertThat(checks)
        .anySatisfy(
            c -> {
              assertThat(c.target()).isEqualTo("large s3 CPU s/GiB <= 1.5x s5cmd's");
              assertThat(c.measured()).startsWith("2.00x");
            });
    String full = ReportWriter.markdown(Map.of(), rows, checks);
    assertThat(full).contains("not yet").doesNotContain("**no**");
    String quick = ReportWriter.markdown(Map.of(), rows, null);
    assertThat(quick).contains("evaluated on full runs only").doesNotContain("not yet");
  }
}
