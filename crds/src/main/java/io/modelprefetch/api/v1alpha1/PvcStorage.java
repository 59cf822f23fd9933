package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** A PersistentVolumeClaim that holds the files. */
@ValidationRule(
    value = "has(self.claimName) != has(self.create)",
    message = "set exactly one of persistentVolumeClaim.claimName or persistentVolumeClaim.create")
public record PvcStorage(
    @JsonPropertyDescription("use this existing claim in the same namespace") String claimName,
    @JsonPropertyDescription("have the operator create (and own) a claim") PvcTemplate create,
    @JsonPropertyDescription(
            "on deletion of the ModelArtifact, keep the created claim (default true: models are"
                + " expensive to fetch again); an existing claim is never deleted")
        Boolean retain) {}
