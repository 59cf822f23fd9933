package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What to fetch and where to keep it. */
@ValidationRule(
    value = "!has(self.layout) || self.layout != 'hf-cache' || self.source.uri.startsWith('hf://')",
    message = "layout hf-cache needs an hf:// source")
public record ModelArtifactSpec(
    @Required @JsonPropertyDescription("where the files come from and which of them to fetch")
        Source source,
    @Required @JsonPropertyDescription("the volume the files are written to") Storage storage,
    @Pattern("^(files|hf-cache)$")
        @JsonPropertyDescription(
            "how the files are laid out on the volume: files (default: at their repo paths) or"
                + " hf-cache (hf:// only: a Hugging Face cache,"
                + " HF_HOME/hub/models--org--name/{blobs,snapshots,refs}; injected pods get HF_HOME"
                + " and HF_HUB_OFFLINE=1 and load the model by its repo id)")
        String layout) {

  public static final String HF_CACHE = "hf-cache";

  public ModelArtifactSpec(Source source, Storage storage) {
    this(source, storage, null);
  }

  /** Whether the volume holds a Hugging Face cache rather than the files at their paths. */
  public boolean hfCache() {
    return HF_CACHE.equals(layout);
  }
}
