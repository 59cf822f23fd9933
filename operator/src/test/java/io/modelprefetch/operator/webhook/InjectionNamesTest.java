package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InjectionNamesTest {

  @Test
  void shortNamesArePrefixedWithDotsAsDashes() {
    InjectionNames names = new InjectionNames("bge.small-v1");
    assertThat(names.volume()).isEqualTo("mp-bge-small-v1");
    assertThat(names.waitContainer()).isEqualTo("mp-wait-bge-small-v1");
    assertThat(names.pullContainer()).isEqualTo("mp-pull-bge-small-v1");
    assertThat(names.envSuffix()).isEqualTo("BGE_SMALL_V1");
  }

  @Test
  void longNamesStayDnsLabelsAndDistinct() {
    String base = "a".repeat(100);
    InjectionNames one = new InjectionNames(base + "-one");
    InjectionNames two = new InjectionNames(base + "-two");
    assertThat(one.pullContainer()).hasSize(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(one.volume()).hasSizeLessThanOrEqualTo(63).isNotEqualTo(two.volume());
    assertThat(one.waitContainer()).isNotEqualTo(two.waitContainer());
  }
}
