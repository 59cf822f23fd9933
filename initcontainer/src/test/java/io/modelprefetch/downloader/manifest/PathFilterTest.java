package io.modelprefetch.downloader.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathFilterTest {

  @Test
  void starMatchesAcrossFoldersLikeHuggingFaceAllowPatterns() {
    PathFilter f = PathFilter.of(List.of("*.safetensors", "*.json"), List.of());
    assertThat(f.test("model-00001-of-00002.safetensors")).isTrue();
    assertThat(f.test("sub/dir/model.safetensors")).isTrue();
    assertThat(f.test("config.json")).isTrue();
    assertThat(f.test("pytorch_model.bin")).isFalse();
  }

  @Test
  void excludeWinsOverInclude() {
    PathFilter f = PathFilter.of(List.of("*"), List.of("original/", "*.pth"));
    assertThat(f.test("original/consolidated.00.pth")).isFalse();
    assertThat(f.test("original/params.json")).isFalse();
    assertThat(f.test("weights.pth")).isFalse();
    assertThat(f.test("model.safetensors")).isTrue();
  }

  @Test
  void emptyIncludeMeansEverything() {
    assertThat(PathFilter.of(null, null).test("anything/at/all")).isTrue();
  }

  @Test
  void questionMarkAndClassesMatchOneCharacter() {
    PathFilter f = PathFilter.of(List.of("shard-?.bin", "part-[!0].bin"), List.of());
    assertThat(f.test("shard-1.bin")).isTrue();
    assertThat(f.test("shard-12.bin")).isFalse();
    assertThat(f.test("part-1.bin")).isTrue();
    assertThat(f.test("part-0.bin")).isFalse();
    assertThat(f.test("shard-1xbin")).isFalse();
  }
}
