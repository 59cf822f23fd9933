package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * What to fetch and where to keep it.
 */
public record ModelArtifactSpec(
    @Required @JsonPropertyDescription("where the files come from and which of them to fetch") Source source,
    @Required @JsonPropertyDescription("the volume the files are written to") Storage storage) {}
