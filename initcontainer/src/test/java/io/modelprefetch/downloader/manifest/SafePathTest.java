package io.modelprefetch.downloader.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../evil.bin",
        "a/../../x",
        "/etc/passwd",
        "a//b",
        "./a",
        "a/./b",
        "a\\..\\b",
        ".modelprefetch/manifest.json",
        ""
      })
  void refusesNamesThatEscapeOrCollide(String name) {
    assertThat(SafePath.problem(name)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\u0001b",
        "esc\u001b[2J",
        "new\nline",
        "tab\tname",
        "del\u007f",
        "c1\u0085",
        "bidi\u202etxt",
        "iso\u2066x",
        "sep\u2028x",
        "nul\u0000x",
        "dir/\u001bx"
      })
  void refusesNamesWithControlCharacters(String name) {
    assertThat(SafePath.problem(name)).contains("control character");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "config.json",
        "onnx/model.onnx",
        "a/b/c/d.safetensors",
        "..hidden",
        "a..b/c",
        ".gitattributes"
      })
  void acceptsOrdinaryNames(String name) {
    assertThat(SafePath.problem(name)).isNull();
  }

  @Test
  void explainsTheEscape() {
    assertThat(SafePath.problem("../evil.bin")).contains("'..'").contains("escape");
    assertThat(SafePath.problem("/abs.bin")).contains("absolute");
  }

  @Test
  void reportsDuplicatesAndFileDirectoryClashes() {
    List<String> problems =
        SafePath.problems(List.of(file("a"), file("a/b"), file("c"), file("c")));
    assertThat(problems)
        .containsExactlyInAnyOrder("'a': is both a file and a directory", "'c': listed twice");
  }

  private static RemoteFile file(String path) {
    return new RemoteFile(path, 1, List.of(), path, "v", true);
  }
}
