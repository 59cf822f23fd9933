package io.modelprefetch.downloader.source.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelprefetch.downloader.DownloadException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class HfSourceTest {

  @Test
  void followsGithubStyleNextLinks() throws DownloadException {
    URI current = URI.create("http://hub/api/models/a/b/tree/c?recursive=true");
    assertThat(
            HfListing.nextPage(
                "<http://hub/api/models/a/b/tree/c?cursor=xyz>; rel=\"next\"", current))
        .isEqualTo(URI.create("http://hub/api/models/a/b/tree/c?cursor=xyz"));
    assertThat(HfListing.nextPage(null, current)).isNull();
    assertThat(HfListing.nextPage("<http://hub/x>; rel=\"prev\"", current)).isNull();
  }

  @Test
  void parsesRepoTypes() throws DownloadException {
    assertThat(HfRepo.parse("hf://meta-llama/Llama-3.1-8B"))
        .isEqualTo(new HfRepo("models", "meta-llama/Llama-3.1-8B"));
    assertThat(HfRepo.parse("hf://datasets/org/set").resolvePrefix()).isEqualTo("datasets/org/set");
    assertThatThrownBy(() -> HfRepo.parse("hf://just-a-name"))
        .hasMessageContaining("expected hf://org/name");
  }
}
