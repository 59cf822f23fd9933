package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code modelprefetch.io/artifacts} annotation as users write it: a refusal, or references
 * whose mount paths are absolute, printable, never climb, and are distinct, with distinct names; an
 * accepted annotation written back parses to the same references.
 */
class ArtifactsAnnotationFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void anAcceptedAnnotationMountsEachArtifactAtItsOwnSafePath(FuzzedDataProvider data) {
    String value = data.consumeRemainingAsString();
    List<ArtifactReference> refs;
    try {
      refs = ArtifactsAnnotation.parse(value, "serving");
    } catch (AdmissionRefusal refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    Set<String> names = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (ArtifactReference ref : refs) {
      assertThat(names.add(ref.name())).isTrue();
      assertThat(paths.add(ref.mountPath())).isTrue();
      assertThat(ref.mountPath())
          .startsWith("/")
          .doesNotContain("//")
          .doesNotContain(":")
          .doesNotEndWith("/");
      assertThat(ref.mountPath().chars().noneMatch(Character::isISOControl))
          .as("printable: %s", ref.mountPath())
          .isTrue();
      for (String segment : ref.mountPath().split("/")) {
        assertThat(segment).isNotIn(".", "..");
      }
      assertThat(ref.name()).matches("[a-z0-9.-]{1,253}");
    }
    String again =
        String.join(",", refs.stream().map(r -> r.name() + "=" + r.mountPath()).toList());
    assertThat(ArtifactsAnnotation.parse(again, "serving")).as("round trip").isEqualTo(refs);
  }
}
