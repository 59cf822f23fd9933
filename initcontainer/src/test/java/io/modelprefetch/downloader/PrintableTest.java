package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void escapesControlCharactersBidiOverridesAndSeparators() {
    assertThat(Printable.escape("a\u0001b\u001b[31m\n\t\u007f\u0085\u202e\u2028z"))
        .isEqualTo("a\\x01b\\x1b[31m\\x0a\\x09\\x7f\\x85\\x{202e}\\x{2028}z");
  }

  @Test
  void leavesOrdinaryTextIncludingNonAsciiAlone() {
    assertThat(Printable.escape("modèle/日本語/😀.safetensors"))
        .isEqualTo("modèle/日本語/😀.safetensors");
    assertThat(Printable.hasUnsafe("modèle/😀")).isFalse();
  }

  @Test
  void escapesBrokenSurrogatesAndIsIdempotent() {
    String once = Printable.escape("x\ud800y\udc00");
    assertThat(once).isEqualTo("x\\x{d800}y\\x{dc00}");
    assertThat(Printable.escape(once)).isEqualTo(once);
  }
}
