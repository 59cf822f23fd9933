package io.modelprefetch.api.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

  @Test
  void usageSourceVerificationAndDestinationErrorsAreTheOnesRetryingCannotFix() {
    assertThat(ExitCode.permanentCodes()).containsExactly(2, 3, 5, 6);
  }

  @Test
  void eachCodeHasOneMeaningAndAReason() {
    assertThat(Arrays.stream(ExitCode.values()).map(ExitCode::code))
        .doesNotHaveDuplicates()
        .startsWith(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(ExitCode.reasonFor(3)).isEqualTo("SourceError");
    assertThat(ExitCode.reasonFor(5)).isEqualTo("VerificationFailed");
  }

  @Test
  void aCodeTheCliNeverUsesSuchAsAKillIsAnInternalFailure() {
    assertThat(ExitCode.reasonFor(137)).isEqualTo("DownloadFailed");
  }
}
